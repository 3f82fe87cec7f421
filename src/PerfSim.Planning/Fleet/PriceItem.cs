namespace PerfSim.Planning.Fleet;

/// <summary>A unit price with where it comes from; `Assumed` when no source in our reference material gives it.</summary>
public sealed record PriceItem(double Usd, string Source, bool Assumed)
{
    public override string ToString() => $"{Usd:0} USD ({(Assumed ? "assumed: " : "")}{Source})";
}

/// <summary>One line of a fleet's capital cost: so many units at a unit price.</summary>
public sealed record CostLine(string Item, long Quantity, PriceItem UnitPrice)
{
    public double Usd => Quantity * UnitPrice.Usd;
}

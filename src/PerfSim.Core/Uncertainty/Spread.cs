namespace PerfSim.Core.Uncertainty;

/// <summary>An interval's ln half-width h (the true value lies in [x·e^−h, x·e^h]) and where it comes from.</summary>
public sealed record Spread(double HalfWidth, string Basis)
{
    /// <summary>The interval of a predicted value.</summary>
    public Bounds Around(double value) => new(value * Math.Exp(-HalfWidth), value * Math.Exp(HalfWidth));
}

/// <summary>An interval [Lo, Hi] of one figure.</summary>
public sealed record Bounds(double Lo, double Hi)
{
    public Bounds Plus(Bounds other) => new(Lo + other.Lo, Hi + other.Hi);
    public bool Contains(double v) => v >= Lo && v <= Hi;
}

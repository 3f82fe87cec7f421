using System.Globalization;

namespace PerfSim.Reporting.Cells;

/// <summary>Cells as machines read them (CSV): full round-trip precision, base units, empty for a missing value.</summary>
public static class ExactText
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Of(Cell cell) => cell switch
    {
        QuantityCell q => Number(q.Value),
        RatioCell r => Number(r.Value),
        NumberCell n => Number(n.Value),
        CountCell c => c.Value.ToString(Inv),
        TextCell t => t.Value,
        BoolCell b => b.Value ? "true" : "false",
        TextListCell l => string.Join("; ", l.Values),
        IntervalCell i => Number(i.Lo) + ";" + Number(i.Hi),
        MissingCell => "",
        _ => "",
    };

    public static string Number(double v) => v.ToString("R", Inv);
}

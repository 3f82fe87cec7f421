namespace PerfSim.Reporting.Cells;

/// <summary>
/// One value of a report, typed: renderers format it for people (tables, markdown) or exactly (JSON, CSV) and never
/// parse text back into numbers. A value that cannot be given is a <see cref="MissingCell"/> with the reason, never
/// NaN or Infinity: the factories below turn a non-finite number into one.
/// </summary>
public abstract record Cell
{
    /// <summary>A quantity in a unit; a non-finite value becomes missing with <paramref name="whyMissing"/>.</summary>
    public static Cell Quantity(double value, Unit unit, string whyMissing = "not defined for this configuration") =>
        double.IsFinite(value) ? new QuantityCell(value, unit) : new MissingCell(whyMissing);

    /// <summary>A fraction shown as a percentage (0.275 → 27.5 %).</summary>
    public static Cell Ratio(double value, string whyMissing = "not defined for this configuration") =>
        double.IsFinite(value) ? new RatioCell(value) : new MissingCell(whyMissing);

    /// <summary>A plain dimensionless number (a PUE, a coefficient).</summary>
    public static Cell Number(double value, string whyMissing = "not defined for this configuration") =>
        double.IsFinite(value) ? new NumberCell(value) : new MissingCell(whyMissing);

    public static Cell Count(long value) => new CountCell(value);
    public static Cell Text(string value) => new TextCell(value);
    public static Cell Bool(bool value) => new BoolCell(value);
    public static Cell Missing(string reason) => new MissingCell(reason);
    public static Cell Texts(IEnumerable<string> values) => new TextListCell(values.ToArray());

    /// <summary>An interval [lo, hi] of a quantity (an error bar); missing when either end is not finite.</summary>
    public static Cell Interval(double lo, double hi, Unit unit, string whyMissing = "no interval for this configuration") =>
        double.IsFinite(lo) && double.IsFinite(hi) ? new IntervalCell(Math.Min(lo, hi), Math.Max(lo, hi), unit) : new MissingCell(whyMissing);
}

public sealed record QuantityCell(double Value, Unit Unit) : Cell;
public sealed record RatioCell(double Value) : Cell;
public sealed record NumberCell(double Value) : Cell;
public sealed record CountCell(long Value) : Cell;
public sealed record TextCell(string Value) : Cell;
public sealed record BoolCell(bool Value) : Cell;
public sealed record TextListCell(IReadOnlyList<string> Values) : Cell;
public sealed record IntervalCell(double Lo, double Hi, Unit Unit) : Cell;
public sealed record MissingCell(string Reason) : Cell;

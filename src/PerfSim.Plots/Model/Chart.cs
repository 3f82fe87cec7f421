namespace PerfSim.Plots.Model;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle { Line, Markers, LineAndMarkers, Bars, StackedBars, DashedLine }

/// <summary>An axis: what it shows, in which unit, and whether it spans decades (log10 scale).</summary>
public sealed record Axis(string Label, string Unit, bool Log = false)
{
    public string Title => Unit.Length > 0 ? $"{Label} ({Unit})" : Label;
}

/// <summary>One plotted point, in the axis units (not pixels); `Label` names it (an operator, a candidate).</summary>
public readonly record struct ChartPoint(double X, double Y, string? Label = null);

/// <summary>
/// A named series of points. `RightAxis` puts it on the chart's second Y axis. A <see cref="SeriesStyle.Bars"/> or
/// <see cref="SeriesStyle.StackedBars"/> series has one point per category, X being the category index.
/// `Group` marks series that belong together (prefill or decode operators; one backend). `Muted`: a reference line
/// (an error band, y = x) drawn in grey so the palette stays for data.
/// </summary>
public sealed record Series(string Name, SeriesStyle Style, IReadOnlyList<ChartPoint> Points, bool RightAxis = false, string? Group = null, bool Muted = false);

/// <summary>
/// The data of one chart, computed from engine (or module) results before anything is drawn: tests assert on this,
/// the renderer only draws it. `Categories` label the X positions of bar charts; `Notes` say what the chart assumes.
/// </summary>
public sealed record Chart(
    string Kind,
    string Title,
    Axis X,
    Axis Y,
    IReadOnlyList<Series> Series,
    Axis? Y2 = null,
    IReadOnlyList<string>? Categories = null,
    IReadOnlyList<string>? Notes = null)
{
    public Series this[string name] => Series.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"chart '{Kind}' has no series '{name}'; it has: {string.Join(", ", Series.Select(s => s.Name))}");
}

using System.Globalization;
using PerfSim.Plots.Model;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace PerfSim.Plots.Rendering;

/// <summary>
/// Draws a <see cref="Chart"/> with ScottPlot: titles, axis titles with units, log10 axes where the chart asks,
/// the legend outside the data area (right edge) so it never covers a point, Okabe–Ito colours. Draws only: every
/// number comes from the chart's data model.
/// </summary>
public static class ChartRenderer
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 560;
    const string SansFamily = "DejaVu Sans";

    public static byte[] Png(Chart chart, int width = DefaultWidth, int height = DefaultHeight) =>
        Build(chart).GetImage(width, height).GetImageBytes(ImageFormat.Png);

    public static string Svg(Chart chart, int width = DefaultWidth, int height = DefaultHeight) =>
        Build(chart, svg: true).GetSvgXml(width, height);

    /// <summary>Writes PNG or SVG by the file's extension, atomically (temp file, then rename).</summary>
    public static void Save(Chart chart, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        byte[] bytes = ext switch
        {
            ".png" => Png(chart, width, height),
            ".svg" => System.Text.Encoding.UTF8.GetBytes(Svg(chart, width, height)),
            _ => throw new ArgumentException($"-o '{path}': expected a file ending in .png or .svg"),
        };
        Reporting.AtomicFile.WriteBytes(path, bytes);
    }

    public static Plot Build(Chart chart, bool svg = false)
    {
        NativeAssets.EnsureLoaded();
        var plot = new Plot();
        // A sans-serif face when the machine has one (fontconfig), else ScottPlot's default.
        if (SkiaSharp.SKFontManager.Default.MatchFamily(SansFamily) is { } face) { face.Dispose(); plot.Font.Set(SansFamily); }
        plot.Title(chart.Title, 15);
        plot.XLabel(chart.X.Title, 13);
        plot.YLabel(chart.Y.Title, 13);
        if (chart.Y2 is { } y2)
        {
            plot.Axes.Right.Label.Text = y2.Title;
            plot.Axes.Right.Label.FontSize = 13;
        }

        bool categorical = chart.Categories is { Count: > 0 };
        var barSeries = chart.Series.Where(s => s.Style == SeriesStyle.Bars).ToList();
        var stackBase = new Dictionary<int, double>();
        var groupShapes = new Dictionary<string, MarkerShape>(StringComparer.Ordinal);
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle];

        int paletteIndex = 0, labelledSeries = 0;
        for (int i = 0; i < chart.Series.Count; i++)
        {
            var s = chart.Series[i];
            var color = s.Muted ? Colors.Gray : Color.FromHex(Palette.At(paletteIndex++));
            var yAxis = s.RightAxis && chart.Y2 is not null ? chart.Y2 : chart.Y;
            var pts = s.Points.Where(p => Drawable(chart.X, p.X) && Drawable(yAxis, p.Y)).ToList();
            double[] xs = pts.Select(p => Map(chart.X, p.X)).ToArray();
            double[] ys = pts.Select(p => Map(yAxis, p.Y)).ToArray();

            switch (s.Style)
            {
                case SeriesStyle.Bars:
                {
                    int k = barSeries.IndexOf(s), n = barSeries.Count;
                    double width = 0.8 / n;
                    // On a log axis a bar starts at the decade below the smallest bar, not at log10(1) = 0.
                    double floor = yAxis.Log && ys.Length > 0 ? Math.Floor(ys.Min()) : 0;
                    var bars = pts.Select((p, j) => new Bar { Position = p.X - 0.4 + width * (k + 0.5), ValueBase = floor, Value = ys[j], Size = width * 0.95, FillColor = color, LineWidth = 0 }).ToList();
                    var bp = plot.Add.Bars(bars);
                    bp.LegendText = s.Name;
                    if (s.RightAxis && chart.Y2 is not null) bp.Axes.YAxis = plot.Axes.Right;
                    break;
                }
                case SeriesStyle.StackedBars:
                {
                    var bars = new List<Bar>();
                    for (int j = 0; j < pts.Count; j++)
                    {
                        int cat = (int)Math.Round(pts[j].X);
                        double b = stackBase.GetValueOrDefault(cat);
                        bars.Add(new Bar { Position = cat, ValueBase = b, Value = b + pts[j].Y, Size = 0.6, FillColor = color, LineWidth = 0 });
                        stackBase[cat] = b + pts[j].Y;
                    }
                    var bp = plot.Add.Bars(bars);
                    bp.LegendText = s.Name;
                    break;
                }
                default:
                {
                    var sc = plot.Add.Scatter(xs, ys, color);
                    sc.LegendText = s.Name;
                    sc.LineWidth = s.Style is SeriesStyle.Markers ? 0 : 2;
                    sc.MarkerSize = s.Style is SeriesStyle.Markers or SeriesStyle.LineAndMarkers ? 8 : 0;
                    if (s.Style == SeriesStyle.DashedLine)
                    {
                        if (svg) sc.LineWidth = 1;
                        else sc.LinePattern = LinePattern.Dashed;
                    }
                    if (s.Group is { } g)
                    {
                        if (!groupShapes.TryGetValue(g, out var shape)) groupShapes[g] = shape = shapes[groupShapes.Count % shapes.Length];
                        sc.MarkerShape = shape;
                    }
                    if (s.RightAxis && chart.Y2 is not null) sc.Axes.YAxis = plot.Axes.Right;
                    if (s.Style == SeriesStyle.Markers && labelledSeries++ is var nth)
                        foreach (var (x, y, label) in LabelGroups(xs, ys, pts))
                        {
                            var t = plot.Add.Text(label, x, y);
                            t.LabelFontSize = 10;
                            t.LabelFontColor = color;
                            t.LabelOffsetX = 6;
                            // Alternate series label above and below their points, so two series at one spot stay legible.
                            t.LabelOffsetY = nth % 2 == 0 ? -4 : 14;
                            if (s.RightAxis && chart.Y2 is not null) t.Axes.YAxis = plot.Axes.Right;
                        }
                    break;
                }
            }
        }

        if (categorical)
        {
            var ticks = chart.Categories!.Select((c, j) => new Tick(j, c)).ToArray();
            plot.Axes.Bottom.TickGenerator = new NumericManual(ticks);
            plot.Axes.SetLimitsX(-0.6, chart.Categories!.Count - 0.4);
        }
        else if (chart.X.Log) plot.Axes.Bottom.TickGenerator = LogTicks();
        if (chart.Y.Log) plot.Axes.Left.TickGenerator = LogTicks();
        if (chart.Y2 is { Log: true }) plot.Axes.Right.TickGenerator = LogTicks();
        if (!categorical && chart.X.Log) WholeDecades(plot, chart, x: true, right: false);
        if (chart.Y.Log) WholeDecades(plot, chart, x: false, right: false);
        if (chart.Y2 is { Log: true }) WholeDecades(plot, chart, x: false, right: true);
        if (!chart.Y.Log && chart.Series.Any(s => s.Style is SeriesStyle.Bars or SeriesStyle.StackedBars)) plot.Axes.Margins(bottom: 0);
        if (chart.X.Log || chart.Y.Log)
        {
            plot.Grid.XAxisStyle.MinorLineStyle.Width = 1;
            plot.Grid.YAxisStyle.MinorLineStyle.Width = 1;
            plot.Grid.XAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05);
            plot.Grid.YAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05);
        }
        if (chart.Y2 is { Log: false } && chart.Series.Where(x => x.RightAxis).SelectMany(x => x.Points).All(p => p.Y >= 0))
        {
            plot.Axes.AutoScale();
            var lim = plot.Axes.GetLimits(plot.Axes.Bottom, plot.Axes.Right);
            plot.Axes.SetLimitsY(0, lim.Top, plot.Axes.Right);
        }
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 11;
        return plot;
    }

    /// <summary>
    /// Point labels that do not pile up: points within 0.12 of a (plotted) axis unit of each other share one label
    /// naming up to three of them; a series with more than 12 such groups gets none (the legend names it).
    /// </summary>
    static List<(double X, double Y, string Label)> LabelGroups(double[] xs, double[] ys, List<ChartPoint> pts)
    {
        var groups = new List<(double X, double Y, List<string> Names)>();
        for (int j = 0; j < pts.Count; j++)
        {
            if (pts[j].Label is not { } label) continue;
            int g = groups.FindIndex(x => Math.Abs(x.X - xs[j]) < 0.12 && Math.Abs(x.Y - ys[j]) < 0.12);
            if (g < 0) groups.Add((xs[j], ys[j], [label]));
            else if (!groups[g].Names.Contains(label)) groups[g].Names.Add(label);
        }
        if (groups.Count > 12) return [];
        return groups.Select(x => (x.X, x.Y, string.Join(", ", x.Names.Take(3)) + (x.Names.Count > 3 ? ", …" : ""))).ToList();
    }

    /// <summary>A log axis spanning under two decades shows the enclosing decades, so at least two labelled ticks appear.</summary>
    static void WholeDecades(Plot plot, Chart chart, bool x, bool right)
    {
        var axis = x ? chart.X : right ? chart.Y2! : chart.Y;
        var values = chart.Series.Where(s => x || s.RightAxis == right).SelectMany(s => s.Points)
            .Select(p => x ? p.X : p.Y).Where(v => Drawable(axis, v)).Select(Math.Log10).ToList();
        if (values.Count == 0) return;
        double lo = values.Min(), hi = values.Max();
        if (Math.Floor(hi) - Math.Ceiling(lo) >= 1) return;
        double a = Math.Floor(lo) - 0.02, b = Math.Max(Math.Ceiling(hi), Math.Floor(lo) + 1) + 0.02;
        if (x) plot.Axes.SetLimitsX(a, b);
        else plot.Axes.SetLimitsY(a, b, right ? plot.Axes.Right : plot.Axes.Left);
    }

    static bool Drawable(Axis axis, double v) => double.IsFinite(v) && (!axis.Log || v > 0);

    static double Map(Axis axis, double v) => axis.Log ? Math.Log10(v) : v;

    static NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = Decade,
    };

    /// <summary>A decade tick label: plain digits from 0.001 to 10,000, else 1e±k.</summary>
    public static string Decade(double log10)
    {
        int k = (int)Math.Round(log10);
        if (k >= -3 && k <= 4) return Math.Pow(10, k).ToString(k < 0 ? "0.###" : "#,0", CultureInfo.InvariantCulture);
        return "1e" + k.ToString(CultureInfo.InvariantCulture);
    }
}

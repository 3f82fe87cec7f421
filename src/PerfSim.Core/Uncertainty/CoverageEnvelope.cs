using System.Globalization;

namespace PerfSim.Core.Uncertainty;

/// <summary>A closed range of one request dimension the backend was measured over.</summary>
public sealed record Range(double Min, double Max)
{
    public static Range? Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToList();
        return v.Count == 0 ? null : new Range(v.Min(), v.Max());
    }
}

/// <summary>What a request is, along the dimensions a backend's measurements span.</summary>
public sealed record RequestPoint(string DeviceClass, double Parameters, int? Batch, double Context, int Devices);

/// <summary>
/// What one backend was fitted on: device classes (vendor and kind, e.g. "apple soc"), model size, batch, context
/// (prompt + generated tokens) and devices per run. A request outside it is an extrapolation: its interval is widened
/// and the reason printed.
/// </summary>
public sealed record CoverageEnvelope(string Backend, IReadOnlyList<string> DeviceClasses, Range? Parameters, Range? Batch, Range? Context, Range? Devices)
{
    /// <summary>
    /// Extra ln half-width per e-fold outside a measured range (assumed: no measurement says how fast error grows
    /// outside the data; a quarter of a log unit per e-fold doubles a ±10 % interval at ~1.5 e-folds, i.e. ~4.5×).
    /// </summary>
    public const double WideningPerEFold = 0.25;
    /// <summary>Extra ln half-width on a device class never measured (assumed: a factor 2 either way; unfitted compute
    /// paths have come out several times off, see issue 14).</summary>
    public static readonly double UnseenDeviceClass = Math.Log(2);

    public static CoverageEnvelope Of(string backend, IReadOnlyList<RequestPoint> points) => new(
        backend,
        points.Select(p => p.DeviceClass).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        Range.Of(points.Select(p => p.Parameters)),
        Range.Of(points.Where(p => p.Batch is not null).Select(p => (double)p.Batch!.Value)),
        Range.Of(points.Select(p => p.Context)),
        Range.Of(points.Select(p => (double)p.Devices)));

    /// <summary>The extra ln half-width this request needs, and one reason per dimension it leaves the envelope on.</summary>
    public (double Extra, IReadOnlyList<string> Reasons) Outside(RequestPoint p)
    {
        double extra = 0;
        var reasons = new List<string>();
        if (!DeviceClasses.Contains(p.DeviceClass, StringComparer.Ordinal))
        {
            extra += UnseenDeviceClass;
            reasons.Add($"extrapolated: no measurement of {Backend} on a {p.DeviceClass} (measured: {string.Join(", ", DeviceClasses)})");
        }
        void Check(Range? r, double? x, string what, Func<double, string> show)
        {
            if (r is null || x is not { } v || v <= 0) return;
            if (v > r.Max * (1 + 1e-9)) { extra += WideningPerEFold * Math.Log(v / r.Max); reasons.Add($"extrapolated: no measurement of {Backend} above {show(r.Max)} {what}"); }
            else if (v < r.Min * (1 - 1e-9)) { extra += WideningPerEFold * Math.Log(r.Min / v); reasons.Add($"extrapolated: no measurement of {Backend} below {show(r.Min)} {what}"); }
        }
        Check(Parameters, p.Parameters, "parameters", ShowParameters);
        Check(Batch, p.Batch, "batch", ShowCount);
        Check(Context, p.Context, "tokens of context", ShowCount);
        Check(Devices, p.Devices, "devices", ShowCount);
        return (extra, reasons);
    }

    static string ShowCount(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>7e9 → "7B", 1.24e9 → "1.2B", 5.6e8 → "560M".</summary>
    public static string ShowParameters(double v) =>
        v >= 1e9 ? (v / 1e9).ToString(v >= 1e10 ? "0" : "0.#", CultureInfo.InvariantCulture) + "B"
                 : (v / 1e6).ToString("0", CultureInfo.InvariantCulture) + "M";
}

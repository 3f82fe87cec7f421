using System.Globalization;

namespace PerfSim.Serving;

/// <summary>
/// A length distribution written on a command line: `512` (fixed), `uniform:LOW:HIGH`, `normal:MEAN:SD`,
/// `lognormal:MEAN:CV`, `geometric:MEAN`, or a path to a histogram CSV (`low,high,weight`).
/// </summary>
public static class LengthSpec
{
    public const string Help = "N (fixed), uniform:LOW:HIGH, normal:MEAN:SD, lognormal:MEAN:CV, geometric:MEAN, or a histogram CSV file (low,high,weight)";

    /// <summary>True for text written like a length distribution (a whole number or `kind:…`), not like a file name.</summary>
    public static bool LooksLikeSpec(string text)
    {
        string head = text.Split(':')[0].ToLowerInvariant();
        return head is "uniform" or "normal" or "lognormal" or "geometric" && text.Contains(':')
            || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
    }

    public static LengthDistribution Parse(string text, string option)
    {
        var parts = text.Split(':');
        ServingException Bad() => new($"{option}: expected {Help}; got '{text}'");
        double Num(int i, double min)
        {
            if (i >= parts.Length || !double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min) throw Bad();
            return v;
        }
        int Whole(int i)
        {
            double v = Num(i, 1);
            if (v != Math.Floor(v) || v > int.MaxValue) throw Bad();
            return (int)v;
        }
        switch (parts[0].ToLowerInvariant())
        {
            case "uniform" when parts.Length == 3:
                int lo = Whole(1), hi = Whole(2);
                if (hi < lo) throw Bad();
                return new UniformLength(lo, hi);
            case "normal" when parts.Length == 3: return new NormalLength(Num(1, 1), Num(2, 0));
            case "lognormal" when parts.Length == 3: return new LogNormalLength(Num(1, 1), Num(2, 0));
            case "geometric" when parts.Length == 2: return new GeometricLength(Num(1, 1));
        }
        if (parts.Length == 1 && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            return n >= 1 ? LengthDistribution.Fixed(n) : throw Bad();
        if (text.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return HistogramFile.Read(text);
        throw Bad();
    }
}

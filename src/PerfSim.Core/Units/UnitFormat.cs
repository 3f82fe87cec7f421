using System.Globalization;

namespace PerfSim.Core.Units;

/// <summary>Human-readable, culture-invariant rendering of quantities (decimal prefixes for rates, both for sizes).</summary>
public static class UnitFormat
{
    public static string Number(double v, int significant = 4)
    {
        if (double.IsNaN(v) || double.IsInfinity(v)) return v.ToString(CultureInfo.InvariantCulture);
        if (v == 0) return "0";
        int digits = (int)Math.Floor(Math.Log10(Math.Abs(v))) + 1;
        int decimals = Math.Clamp(significant - digits, 0, 6);
        return Math.Round(v, decimals).ToString("0." + new string('#', Math.Max(decimals, 0)), CultureInfo.InvariantCulture);
    }

    static string Scaled(double v, string unit, params (double Factor, string Prefix)[] scales)
    {
        foreach (var (factor, prefix) in scales)
            if (Math.Abs(v) >= factor) return Number(v / factor) + " " + prefix + unit;
        return Number(v) + " " + unit;
    }

    static readonly (double, string)[] Decimal = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    public static string Bytes(Bytes b) => Scaled(b.Value, "B", Decimal);
    public static string Rate(BytesPerSecond r) => Scaled(r.Value, "B/s", Decimal);
    public static string Ops(OpsPerSecond r) => Scaled(r.Value, "OP/s", Decimal);
    public static string Energy(Joules j) =>
        Math.Abs(j.Value) >= 1 ? Number(j.Value) + " J" : Math.Abs(j.Value) >= 1e-3 ? Number(j.Value * 1e3) + " mJ" : Number(j.Value * 1e6) + " µJ";
    public static string Time(Seconds s) =>
        s.Value >= 1 ? Number(s.Value) + " s" : s.Value >= 1e-3 ? Number(s.Value * 1e3) + " ms" : Number(s.Value * 1e6) + " µs";
}

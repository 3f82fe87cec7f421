using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfSim.Core.Units;

/// <summary>
/// Parses values written with units ("3.35 TB/s", "80 GiB", "989.5 TFLOPS", "700 W", "3.97 pJ/bit").
/// Strict: decimal (k, M, G, T, P) and binary (Ki, Mi, Gi, Ti) prefixes are kept apart, "B" is bytes and
/// "b"/"bit" is bits, and the unit must belong to the expected kind. Returns SI base units.
/// </summary>
public static partial class UnitParser
{
    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-zµ/$]+(?:/[A-Za-z]+)?)\s*$")]
    private static partial Regex ValueWithUnit();

    static readonly Dictionary<string, double> DecimalPrefix = new(StringComparer.Ordinal)
    {
        [""] = 1, ["k"] = 1e3, ["K"] = 1e3, ["M"] = 1e6, ["G"] = 1e9, ["T"] = 1e12, ["P"] = 1e15,
    };

    static readonly Dictionary<string, double> BinaryPrefix = new(StringComparer.Ordinal)
    {
        ["Ki"] = 1024d, ["Mi"] = 1024d * 1024, ["Gi"] = 1024d * 1024 * 1024, ["Ti"] = 1024d * 1024 * 1024 * 1024,
    };

    static readonly Dictionary<string, double> SmallPrefix = new(StringComparer.Ordinal)
    {
        [""] = 1, ["m"] = 1e-3, ["u"] = 1e-6, ["µ"] = 1e-6, ["n"] = 1e-9, ["p"] = 1e-12, ["f"] = 1e-15,
    };

    /// <summary>Human description of accepted units, used in error messages.</summary>
    public static string Expected(QuantityKind kind) => kind switch
    {
        QuantityKind.Bytes => "a size such as '80 GB' or '80 GiB'",
        QuantityKind.BytesPerSecond => "a bandwidth such as '3.35 TB/s', '820 GiB/s' or '400 Gb/s'",
        QuantityKind.OpsPerSecond => "a rate such as '989.5 TFLOPS' or '1979 TOPS'",
        QuantityKind.Watts => "a power such as '700 W' or '10.2 kW'",
        QuantityKind.EnergyPerOp => "an energy per operation such as '0.4 pJ'",
        QuantityKind.EnergyPerByte => "an energy per bit or byte such as '3.97 pJ/bit' or '31.8 pJ/B'",
        QuantityKind.Seconds => "a time such as '2 us', '5 ms' or '1.5 s'",
        QuantityKind.Hertz => "a frequency such as '1.98 GHz'",
        QuantityKind.Usd => "a price such as '30000 USD'",
        QuantityKind.UsdPerHour => "an hourly price such as '2.50 USD/h'",
        _ => kind.ToString(),
    };

    /// <summary>Parses text into SI units; returns false (with no exception) if the text is not a positive value of the kind.</summary>
    public static bool TryParse(string text, QuantityKind kind, out double si)
    {
        si = 0;
        var m = ValueWithUnit().Match(text ?? "");
        if (!m.Success) return false;
        if (!double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        if (!double.IsFinite(number) || number <= 0) return false;
        var unit = m.Groups[2].Value;
        if (!TryUnitFactor(unit, kind, out var factor)) return false;
        si = number * factor;
        return double.IsFinite(si) && si > 0;
    }

    static bool TryUnitFactor(string unit, QuantityKind kind, out double factor)
    {
        factor = 0;
        switch (kind)
        {
            case QuantityKind.Bytes:
                return TrySizeUnit(unit, out factor);
            case QuantityKind.BytesPerSecond:
                if (!unit.EndsWith("/s", StringComparison.Ordinal)) return unit.EndsWith("bps", StringComparison.Ordinal) && TryBits(unit[..^3], out factor);
                return TrySizeUnit(unit[..^2], out factor);
            case QuantityKind.OpsPerSecond:
                foreach (var suffix in new[] { "FLOPS", "FLOP/s", "OPS", "OP/s" })
                    if (unit.EndsWith(suffix, StringComparison.Ordinal))
                        return DecimalPrefix.TryGetValue(unit[..^suffix.Length], out factor);
                return false;
            case QuantityKind.Watts:
                return unit.EndsWith('W') && DecimalPrefix.TryGetValue(unit[..^1], out factor)
                    || unit.EndsWith('W') && unit.Length == 2 && unit[0] == 'm' && (factor = 1e-3) > 0;
            case QuantityKind.EnergyPerOp:
                return unit.EndsWith('J') && SmallPrefix.TryGetValue(unit[..^1], out factor);
            case QuantityKind.EnergyPerByte:
            {
                var slash = unit.IndexOf('/');
                if (slash < 0) return false;
                var energy = unit[..slash];
                var per = unit[(slash + 1)..];
                if (!energy.EndsWith('J') || !SmallPrefix.TryGetValue(energy[..^1], out var joules)) return false;
                if (per is "bit" or "b") { factor = joules * 8; return true; }
                if (per is "B" or "byte") { factor = joules; return true; }
                return false;
            }
            case QuantityKind.Seconds:
                return unit.EndsWith('s') && SmallPrefix.TryGetValue(unit[..^1], out factor);
            case QuantityKind.Hertz:
                return unit.EndsWith("Hz", StringComparison.Ordinal) && DecimalPrefix.TryGetValue(unit[..^2], out factor);
            case QuantityKind.Usd:
                factor = 1; return unit is "USD" or "$";
            case QuantityKind.UsdPerHour:
                factor = 1; return unit is "USD/h" or "USD/hour" or "$/h";
            default:
                return false;
        }
    }

    // "GB" = 1e9 bytes, "GiB" = 2^30 bytes, "Gb"/"Gbit" = 1e9 bits.
    static bool TrySizeUnit(string unit, out double factor)
    {
        factor = 0;
        if (unit.EndsWith("iB", StringComparison.Ordinal))
            return BinaryPrefix.TryGetValue(unit[..^1], out factor);
        if (unit.EndsWith('B'))
            return DecimalPrefix.TryGetValue(unit[..^1], out factor);
        return TryBits(unit, out factor);
    }

    static bool TryBits(string unit, out double factor)
    {
        factor = 0;
        string prefix;
        if (unit.EndsWith("bit", StringComparison.Ordinal)) prefix = unit[..^3];
        else if (unit.EndsWith('b')) prefix = unit[..^1];
        else return false;
        if (!DecimalPrefix.TryGetValue(prefix, out var p)) return false;
        factor = p / 8;
        return true;
    }
}

using System.Globalization;
using PerfSim.Core.Units;

namespace PerfSim.Data.Validation;

/// <summary>
/// Plausible bounds (SI units) for every physical value a hardware profile gives, wide enough for a microcontroller
/// and a rack of accelerators alike. Their job is to refuse the values that would turn into Infinity or 0 downstream
/// (a bandwidth of 1e-320 B/s, a capacity of 1e300 B); assumed bounds, not measurements.
/// </summary>
public static class QuantityRanges
{
    public static (double Min, double Max) Of(QuantityKind kind) => kind switch
    {
        QuantityKind.Bytes => (1, 1e18),                 // 1 B .. 1 EB
        QuantityKind.BytesPerSecond => (1e3, 1e17),      // 1 kB/s .. 100 PB/s
        QuantityKind.OpsPerSecond => (1e3, 1e20),        // 1 kOP/s .. 100 EOP/s
        QuantityKind.Watts => (1e-3, 1e8),               // 1 mW .. 100 MW
        QuantityKind.EnergyPerOp => (1e-18, 1e-6),       // 1 aJ .. 1 µJ
        QuantityKind.EnergyPerByte => (1e-16, 1e-3),     // 0.1 fJ/B .. 1 mJ/B
        QuantityKind.Seconds => (1e-12, 1e6),            // 1 ps .. 11 days
        QuantityKind.Hertz => (1e3, 1e12),               // 1 kHz .. 1 THz
        QuantityKind.Usd => (1e-3, 1e12),
        QuantityKind.UsdPerHour => (1e-6, 1e9),
        _ => (double.Epsilon, double.MaxValue),
    };

    /// <summary>Null if the value is normal and within its kind's bounds, else what was expected.</summary>
    public static string? Problem(QuantityKind kind, double si)
    {
        var (min, max) = Of(kind);
        if (double.IsNormal(si) && si >= min && si <= max) return null;
        return $"expected a value from {min.ToString("G3", CultureInfo.InvariantCulture)} to {max.ToString("G3", CultureInfo.InvariantCulture)} (SI units), got {si.ToString("G6", CultureInfo.InvariantCulture)}";
    }
}

using PerfSim.Core.Units;

namespace PerfSim.Core.Tests.Profiles;

public class UnitParserTests
{
    [Theory]
    [InlineData("3.35 TB/s", QuantityKind.BytesPerSecond, 3.35e12)]
    [InlineData("820 GiB/s", QuantityKind.BytesPerSecond, 820.0 * 1024 * 1024 * 1024)]
    [InlineData("400 Gb/s", QuantityKind.BytesPerSecond, 50e9)]
    [InlineData("80 GB", QuantityKind.Bytes, 80e9)]
    [InlineData("80 GiB", QuantityKind.Bytes, 80.0 * 1024 * 1024 * 1024)]
    [InlineData("36 MiB", QuantityKind.Bytes, 36.0 * 1024 * 1024)]
    [InlineData("989.5 TFLOPS", QuantityKind.OpsPerSecond, 989.5e12)]
    [InlineData("1979 TOPS", QuantityKind.OpsPerSecond, 1979e12)]
    [InlineData("700 W", QuantityKind.Watts, 700)]
    [InlineData("10.2 kW", QuantityKind.Watts, 10200)]
    [InlineData("3.97 pJ/bit", QuantityKind.EnergyPerByte, 3.97e-12 * 8)]
    [InlineData("31.8 pJ/B", QuantityKind.EnergyPerByte, 31.8e-12)]
    [InlineData("2 us", QuantityKind.Seconds, 2e-6)]
    [InlineData("1.98 GHz", QuantityKind.Hertz, 1.98e9)]
    [InlineData("30000 USD", QuantityKind.Usd, 30000)]
    [InlineData("2.5 USD/h", QuantityKind.UsdPerHour, 2.5)]
    [InlineData("1e3 GB", QuantityKind.Bytes, 1e12)]
    public void TryParse_ValidValueWithUnit_ReturnsSiValue(string text, QuantityKind kind, double expected)
    {
        Assert.True(UnitParser.TryParse(text, kind, out var si));
        Assert.Equal(expected, si, expected * 1e-12);
    }

    [Theory]
    [InlineData("0 W", QuantityKind.Watts)]              // zero
    [InlineData("-5 W", QuantityKind.Watts)]             // negative
    [InlineData("80", QuantityKind.Bytes)]               // no unit
    [InlineData("80 gb", QuantityKind.Bytes)]            // 'g' is not a prefix
    [InlineData("80 GB", QuantityKind.BytesPerSecond)]   // size where a bandwidth is expected
    [InlineData("3.35 TBps", QuantityKind.BytesPerSecond)]
    [InlineData("989 TFLOPS", QuantityKind.Bytes)]
    [InlineData("1,5 GB", QuantityKind.Bytes)]           // culture-specific decimal comma
    [InlineData("80 GIB", QuantityKind.Bytes)]
    [InlineData("NaN GB", QuantityKind.Bytes)]
    [InlineData("", QuantityKind.Bytes)]
    public void TryParse_BadValue_IsRejected(string text, QuantityKind kind)
    {
        Assert.False(UnitParser.TryParse(text, kind, out _));
    }

    [Fact]
    public void TryParse_GBAndGiB_AreDifferent()
    {
        UnitParser.TryParse("80 GB", QuantityKind.Bytes, out var gb);
        UnitParser.TryParse("80 GiB", QuantityKind.Bytes, out var gib);
        Assert.Equal(1.073741824, gib / gb, 9);
    }
}

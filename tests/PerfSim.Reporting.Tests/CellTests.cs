using PerfSim.Reporting.Cells;

namespace PerfSim.Reporting.Tests;

public class CellTests
{
    [Theory]
    [InlineData(1.61e9, Unit.Flop, "1.61 GFLOP")]
    [InlineData(5.6289e-3, Unit.Seconds, "5.63 ms")]
    [InlineData(3.35e12, Unit.BytesPerSecond, "3.35 TB/s")]
    [InlineData(42e-6, Unit.Seconds, "42 µs")]
    [InlineData(1.45, Unit.Seconds, "1.45 s")]
    [InlineData(7200 * 3, Unit.Seconds, "6 h")]
    [InlineData(0.000583, Unit.Usd, "$0.000583")]
    [InlineData(2_345_678, Unit.Usd, "$2.35 M")]
    [InlineData(45_512, Unit.TokensPerSecond, "45.5 k tok/s")]
    [InlineData(0.884, Unit.Joules, "884 mJ")]
    [InlineData(1.2e-13, Unit.Joules, "0.12 pJ")]
    [InlineData(3.8, Unit.Percent, "3.8 %")]
    public void Quantity_ReadsAsPeopleWriteIt(double value, Unit unit, string expected) =>
        Assert.Equal(expected, HumanText.Of(Cell.Quantity(value, unit)));

    [Theory]
    [InlineData(0.275, "27.5 %")]
    [InlineData(0.00275, "0.275 %")]
    [InlineData(1, "100 %")]
    public void Ratio_IsAPercentage(double value, string expected) => Assert.Equal(expected, HumanText.Of(Cell.Ratio(value)));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteNumber_BecomesMissingWithItsReason(double v)
    {
        Assert.Equal(new MissingCell("why"), Cell.Quantity(v, Unit.Seconds, "why"));
        Assert.IsType<MissingCell>(Cell.Ratio(v));
        Assert.IsType<MissingCell>(Cell.Number(v));
        Assert.IsType<MissingCell>(Cell.Interval(0, v, Unit.Seconds));
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e300)]
    [InlineData(-123456.789)]
    [InlineData(0.1 + 0.2)]
    public void HumanText_NeverUsesENotation_AndExactTextRoundTrips(double v)
    {
        foreach (var unit in Enum.GetValues<Unit>())
        {
            var text = HumanText.Of(Cell.Quantity(v, unit));
            Assert.DoesNotContain("E+", text);
            Assert.DoesNotContain("E-", text);
        }
        Assert.Equal(v, double.Parse(ExactText.Of(Cell.Quantity(v, Unit.Seconds)), System.Globalization.CultureInfo.InvariantCulture));
    }
}

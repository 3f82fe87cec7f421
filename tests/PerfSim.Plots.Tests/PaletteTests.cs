namespace PerfSim.Plots.Tests;

/// <summary>No two series of a chart share a colour, up to ten.</summary>
public sealed class PaletteTests
{
    [Fact]
    public void Ten_series_get_ten_distinct_colours()
    {
        var colours = Enumerable.Range(0, 10).Select(PerfSim.Plots.Rendering.Palette.At).ToList();
        Assert.Equal(10, colours.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}

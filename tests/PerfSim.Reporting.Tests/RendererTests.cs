using System.Text.Json;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;
using PerfSim.Reporting.Renderers;

namespace PerfSim.Reporting.Tests;

public class RendererTests
{
    static Report Sample() => new ReportBuilder("sample")
        .Section("latency")
        .Add("ttft_s", "time to first token", Cell.Quantity(0.0123456789, Unit.Seconds))
        .Add("link.intensity", "intensity", Cell.Quantity(double.PositiveInfinity, Unit.FlopPerByte, "no memory traffic"))
        .Add("fits", "fits", Cell.Bool(true))
        .Add("mbu", "MBU", Cell.Ratio(0.8))
        .Add("range", "TPOT 80 % interval", Cell.Interval(0.004, 0.006, Unit.Seconds))
        .Table(ReportTable.Of("rows", "rows", [new("id", "id"), new("v", "value")],
            [[Cell.Text("a-very-long-identifier-that-must-not-be-cut"), Cell.Quantity(1.5e9, Unit.Bytes)], [Cell.Text("b"), Cell.Missing("does not fit")]]))
        .Warn("careful")
        .Build();

    [Fact]
    public void Json_IsValid_MissingIsNullWithReason_FullPrecision()
    {
        var json = ReportRenderers.Render(Sample(), "json");
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(0.0123456789, root.GetProperty("ttft_s").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("link").GetProperty("intensity").ValueKind);
        Assert.Equal("no memory traffic", root.GetProperty("link").GetProperty("intensity_reason").GetString());
        Assert.Equal(0.8, root.GetProperty("mbu").GetDouble());
        Assert.Equal(2, root.GetProperty("range").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rows")[1].GetProperty("v").ValueKind);
        Assert.Equal("does not fit", root.GetProperty("rows")[1].GetProperty("v_reason").GetString());
        Assert.Equal("careful", root.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public void A_key_segment_with_dots_stays_one_json_key_and_reads_plainly_in_csv()
    {
        var key = $"summary.by_backend.{ReportKey.Segment("llama.cpp-metal")}.mape";
        var report = new ReportBuilder("v").Section("s").Add(key, "MAPE", Cell.Ratio(0.05)).Build();
        var root = JsonDocument.Parse(ReportRenderers.Render(report, "json")).RootElement;
        Assert.Equal(0.05, root.GetProperty("summary").GetProperty("by_backend").GetProperty("llama.cpp-metal").GetProperty("mape").GetDouble());
        Assert.Equal("summary.by_backend.llama.cpp-metal.mape", ReportRenderers.Render(report, "csv").Split('\n')[0].Trim());
        Assert.Equal(["a", "b.c\\d", "e"], ReportKey.Split("a." + ReportKey.Segment("b.c\\d") + ".e"));
    }

    [Fact]
    public void Csv_PrimaryTableElseMetrics_FullPrecision()
    {
        var metrics = ReportRenderers.Render(Sample(), "csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ttft_s,link.intensity,fits,mbu,range", metrics[0]);
        Assert.StartsWith("0.0123456789,,true,0.8,", metrics[1]);
        var primary = Sample() with { PrimaryTable = "rows" };
        var lines = ReportRenderers.Render(primary, "csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["id,v", "a-very-long-identifier-that-must-not-be-cut,1500000000", "b,"], lines);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(120)]
    public void Table_FitsTheWidth_WrapsProseNotIds(int width)
    {
        var text = ReportRenderers.Render(Sample(), "table", new RenderOptions(width));
        foreach (var line in text.Split('\n'))
            Assert.True(line.Length <= width, line);
        Assert.Contains("a-very-long-identifier-that-must-not-be-cut", text);
        Assert.Contains("12.3 ms", text);
        Assert.Contains("80 %", text);
        Assert.Contains("n/a", text);
    }

    [Fact]
    public void Markdown_HasEverySectionAndTable()
    {
        var md = ReportRenderers.Render(Sample(), "markdown");
        Assert.Contains("### latency", md);
        Assert.Contains("| time to first token | 12.3 ms |", md);
        Assert.Contains("### rows", md);
    }

    [Fact]
    public void DuplicateKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new ReportBuilder("x").Section("s").Add("k", "a", Cell.Count(1)).Add("k", "b", Cell.Count(2)));
}

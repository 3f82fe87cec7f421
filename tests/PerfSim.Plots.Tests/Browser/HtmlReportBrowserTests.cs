using System.Text.Json.Nodes;
using PerfSim.Composition;
using PerfSim.Data.Measurements;
using PerfSim.Plots.Html;
using PerfSim.Plots.Studies;
using PerfSim.Validation;

namespace PerfSim.Plots.Tests.Browser;

/// <summary>The HTML report opened in headless Chromium: loads without console errors, requests nothing outside the file, shows every chart with a non-zero size.</summary>
public class HtmlReportBrowserTests
{
    [Fact]
    public async Task Report_opens_offline_in_chromium_without_errors_and_shows_every_chart()
    {
        var cat = TestRepo.Catalog;
        var validation = Validator.Run(cat, ReferenceFile.Load(Path.Combine(TestRepo.Root, "validation", "public-measurements.csv")));
        var doc = ReportStudy.Build(cat, new StudyRequest(new PredictionRequest(), ["nvidia-h100-sxm", "nvidia-l4"], ["llama-3.2-3b", "llama-3.1-8b"],
            ["fp16", "int8"], [1, 8, 64], validation, "validation/public-measurements.csv"));
        var dir = Path.Combine(Path.GetTempPath(), "perfsim-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var files = ReportFolder.Write(doc, dir);
            var html = Path.Combine(dir, "report.html");
            Assert.Contains(html, files);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await using var browser = await HeadlessChromium.Launch(timeout.Token);
            var url = new Uri(html).AbsoluteUri;
            await browser.Open(url, timeout.Token);

            Assert.Empty(browser.Errors());
            // Self-contained: the page itself and inline data URIs only, nothing from a network or another file.
            Assert.All(browser.Requests(), u => Assert.True(u == url || u.StartsWith("data:", StringComparison.Ordinal), $"external request: {u}"));

            var charts = (await browser.Evaluate(
                "[...document.querySelectorAll('figure.chart img')].map(i => { const r = i.getBoundingClientRect(); " +
                "return { complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, rw: r.width, rh: r.height }; })", timeout.Token))!.AsArray();
            Assert.Equal(doc.Charts.Count, charts.Count);
            Assert.True(charts.Count >= 12, $"expected the roofline, batch, quantization, energy, cost, model-size, validation, serving load and timeline, Pareto and two training charts; got {charts.Count}");
            foreach (var c in charts.Select(c => c!.AsObject()))
            {
                Assert.True((bool)c["complete"]!);
                Assert.Equal(HtmlReport.ChartWidth, (int)c["w"]!);
                Assert.Equal(HtmlReport.ChartHeight, (int)c["h"]!);
                Assert.True((double)c["rw"]! > 0 && (double)c["rh"]! > 0, "a chart is laid out with zero size");
            }
            var tables = (int)(await browser.Evaluate("document.querySelectorAll('table').length", timeout.Token))!;
            Assert.True(tables >= doc.WhatIf.Sum(r => r.Report.Sections.Count + r.Report.Tables.Count));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The browser harness itself sees what it must report: without this, an empty error list proves nothing.</summary>
public class HeadlessChromiumTests
{
    [Fact]
    public async Task Console_errors_and_missing_files_are_reported()
    {
        var dir = Path.Combine(Path.GetTempPath(), "perfsim-page-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var page = Path.Combine(dir, "bad.html");
            File.WriteAllText(page, "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('broken');</script></body></html>");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await using var browser = await HeadlessChromium.Launch(timeout.Token);
            await browser.Open(new Uri(page).AbsoluteUri, timeout.Token);
            var errors = browser.Errors();
            Assert.Contains(errors, e => e.Contains("broken", StringComparison.Ordinal));
            Assert.Contains(browser.Requests(), u => u.EndsWith("missing.png", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

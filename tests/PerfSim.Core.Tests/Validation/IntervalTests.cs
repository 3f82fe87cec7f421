using PerfSim.Core.Uncertainty;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Data.Uncertainty;
using PerfSim.Validation;
using Xunit.Abstractions;

namespace PerfSim.Core.Tests.Validation;

/// <summary>The 80 % intervals: calibrated out of sample on the public file, and the committed statistics not stale.</summary>
public class IntervalTests(ITestOutputHelper output)
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));
    static string PublicFile => Path.Combine(TestData.Root, "validation", "public-measurements.csv");
    // One full fit (the same evaluations as `perfsim fit`) shared by the tests below.
    static readonly Lazy<FitResult> Fit = new(() => Fitter.Run(Catalog.Value, ReferenceFile.Load(PublicFile)));

    [Fact]
    public void Eighty_percent_intervals_cover_70_to_90_percent_of_rows_leave_one_device_out()
    {
        var fit = Fit.Value;
        var check = OutOfSampleIntervals.Check(Catalog.Value, fit.Fit, fit.LeaveOneDeviceOut);
        output.WriteLine($"coverage {check.All.Covered}/{check.All.Rows} = {check.All.Share:P1}");
        foreach (var (m, c) in check.ByMetric) output.WriteLine($"  {m}: {c.Covered}/{c.Rows}");
        foreach (var (b, c) in check.ByBackend) output.WriteLine($"  {b}: {c.Covered}/{c.Rows}");
        Assert.True(check.All.Rows >= 0.9 * fit.LeaveOneDeviceOut.Rows.Count, "almost every leave-one-device-out row has an interval");
        Assert.InRange(check.All.Share, 0.70, 0.90);
    }

    [Fact]
    public void Committed_residual_statistics_are_what_the_fit_produces()
    {
        var committed = ResidualFile.Load(ResidualFile.PathIn(TestData.Root));
        Assert.NotNull(committed);
        var fresh = OutOfSampleIntervals.Statistics(Catalog.Value, Fit.Value, committed!.Source);
        // The file's text is the comparison: the writer rounds to 9 significant figures.
        string Text(ResidualStatistics s) => ResidualFile.ToJson(s);
        Assert.True(Text(fresh) == Text(committed),
            $"{ResidualFile.RelativePath} is stale: rerun `perfsim fit --reference validation/public-measurements.csv --update-profiles`");
    }

    [Fact]
    public void Conformal_quantile_takes_the_rank_above_the_coverage_and_refuses_too_few()
    {
        double[] sorted = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09];
        Assert.Equal(0.08, ResidualTable.ConformalQuantile(sorted, 0.8)); // ⌈10 × 0.8⌉ = 8th
        Assert.Null(ResidualTable.ConformalQuantile([0.1, 0.2, 0.3], 0.8)); // ⌈4 × 0.8⌉ = 4 > 3
    }

    [Fact]
    public void A_request_outside_the_envelope_is_widened_with_the_reason()
    {
        var env = new CoverageEnvelope("b", ["apple soc"], new PerfSim.Core.Uncertainty.Range(1e9, 13e9), new(1, 1), new(128, 640), new(1, 1));
        var table = ResidualTable.From(Enumerable.Range(1, 9).Select(i => new Residual("b", $"d{i}", new Regime(Regime.Decode, Regime.Batch1), 0.01 * i)));
        var inside = IntervalModel.For(table, new Dictionary<string, CoverageEnvelope> { ["b"] = env }, "b", new RequestPoint("apple soc", 7e9, 1, 512, 1));
        var outside = IntervalModel.For(table, new Dictionary<string, CoverageEnvelope> { ["b"] = env }, "b", new RequestPoint("nvidia gpu", 70e9, 1, 512, 1));
        Assert.Empty(inside.Reasons);
        Assert.Equal(0.08, inside.Decode!.HalfWidth, 12);
        Assert.Contains("extrapolated: no measurement of b above 13B parameters", outside.Reasons);
        Assert.Contains(outside.Reasons, r => r.Contains("on a nvidia gpu", StringComparison.Ordinal));
        Assert.True(outside.Decode!.HalfWidth > inside.Decode.HalfWidth + Math.Log(2));
    }

    [Fact]
    public void A_broken_residual_file_names_the_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-residuals-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "coverage": 0.8, "groups": [ { "backend": "b", "stage": "decode", "batch": "batch1", "count": 4, "half_width": "wide" } ], "envelopes": [] }""");
            var e = Assert.Throws<PerfSim.Data.Profiles.ProfileException>(() => ResidualFile.Load(path));
            Assert.Contains("half_width", e.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "{ not json");
            Assert.Throws<PerfSim.Data.Profiles.ProfileException>(() => ResidualFile.Load(path));
        }
        finally { File.Delete(path); }
    }
}

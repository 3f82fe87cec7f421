using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Core.Tests.Validation;

public class ValidationTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));
    static string PublicFile => Path.Combine(TestData.Root, "validation", "public-measurements.csv");

    static ReferenceRow Row(int line, string hw, double value, Metric metric = Metric.DecodeTokensPerS, string backend = "llama.cpp-cuda") =>
        new(line, hw, 1, null, "llama-2-7b", "q4_0", backend, 1, metric == Metric.PrefillTokensPerS ? 512 : 0,
            metric == Metric.PrefillTokensPerS ? 0 : 128, metric, value, "test", "");

    [Fact]
    public void Mape_and_signed_error_on_a_hand_made_case()
    {
        var rows = new List<ValidatedRow>
        {
            new(Row(2, "a", 100), 110, null),                         // +10%
            new(Row(3, "b", 200), 150, null),                         // −25%
            new(Row(4, "c", 50, Metric.PrefillTokensPerS), 55, null), // +10%
        };
        Assert.Equal(10, rows[0].ErrorPercent, 9);
        Assert.Equal(-25, rows[1].ErrorPercent, 9);
        var s = Validator.Summarize(rows, 1);
        Assert.Equal(3, s.Count);
        Assert.Equal(1, s.Unpredicted);
        Assert.Equal(15, s.Mape, 9);
        Assert.Equal(17.5, s.ByMetric["decode_tokens_per_s"].Mape, 9);
        Assert.Equal(10, s.ByMetric["prefill_tokens_per_s"].Mape, 9);
        Assert.Equal(3, s.ByBackend["llama.cpp-cuda"].Count);
    }

    [Fact]
    public void Unknown_ids_are_listed_not_dropped_and_do_not_stop_other_rows()
    {
        var file = new ReferenceFile("t.csv", [Row(2, "nvidia-rtx-3090", 158), Row(3, "no-such-gpu", 100), Row(4, "nvidia-rtx-3090", 150, backend: "no-such-backend")], []);
        var r = Validator.Run(Catalog.Value, file);
        Assert.Single(r.Rows);
        Assert.Equal(2, r.Unpredicted.Count);
        Assert.Contains("no-such-gpu", r.Unpredicted[0].Reason);
        Assert.Equal(3, r.Unpredicted[0].Line);
    }

    [Fact]
    public void Leave_one_device_out_really_excludes_the_device()
    {
        var cat = Catalog.Value;
        // Device A's measurements are 3x too fast: a fit that saw them would be pulled up.
        var rows = new List<ReferenceRow>
        {
            Row(2, "nvidia-rtx-3090", 158), Row(3, "nvidia-rtx-3090", 5175, Metric.PrefillTokensPerS),
            Row(4, "nvidia-rtx-a6000", 139), Row(5, "nvidia-rtx-a6000", 4914, Metric.PrefillTokensPerS),
            Row(6, "nvidia-rtx-4070-ti-super", 132 * 3), Row(7, "nvidia-rtx-4070-ti-super", 6925 * 3, Metric.PrefillTokensPerS),
        };
        var file = new ReferenceFile("t.csv", rows, []);
        var result = Fitter.Run(cat, file, maxEvaluations: 150);
        var fold = result.Folds.Single(f => f.Device == "nvidia-rtx-4070-ti-super");
        Assert.False(fold.PriorOnly);
        var others = Fitter.FitBackend(cat, cat.GetBackend("llama.cpp-cuda"), rows.Where(r => r.Hardware != "nvidia-rtx-4070-ti-super").ToList(), 150);
        foreach (var r in fold.Rows)
        {
            var expected = Validator.PredictRow(cat, r.Row, others.Fitted).Value;
            Assert.Equal(expected, r.Predicted, 6);
            Assert.True(r.ErrorPercent < -40, $"left-out device should look badly predicted, got {r.ErrorPercent:0.0}%");
        }
        var inFit = result.Fit.Rows.Where(r => r.Row.Hardware == "nvidia-rtx-4070-ti-super").ToList();
        Assert.All(inFit, r => Assert.True(r.ErrorPercent > fold.Rows.Single(f => f.Row.Line == r.Row.Line).ErrorPercent));
    }

    [Fact]
    public void Shipped_backends_meet_the_accuracy_goals_on_the_public_file()
    {
        var file = ReferenceFile.Load(PublicFile);
        var r = Validator.Run(Catalog.Value, file);
        Assert.Empty(file.Issues);
        // Every row whose IDs exist in the catalog is predicted (rows for hardware not yet profiled are listed).
        Assert.All(r.Unpredicted, u => Assert.Contains("unknown", u.Reason));
        Assert.Equal(file.Rows.Count, r.Rows.Count + r.Unpredicted.Count);
        Assert.True(r.Summary.ByMetric["decode_tokens_per_s"].Mape <= 10, $"decode MAPE {r.Summary.ByMetric["decode_tokens_per_s"].Mape:0.0}%");
        Assert.True(r.Summary.ByMetric["prefill_tokens_per_s"].Mape <= 20, $"prefill MAPE {r.Summary.ByMetric["prefill_tokens_per_s"].Mape:0.0}%");
    }

    [Fact]
    public void Decode_never_beats_the_bandwidth_bound()
    {
        var file = ReferenceFile.Load(PublicFile);
        var cat = Catalog.Value;
        foreach (var row in file.Rows.Where(r => r.Metric == Metric.DecodeTokensPerS))
        {
            var hw = cat.GetHardware(row.Hardware);
            var quant = cat.GetQuant(row.Quant);
            var p = PerfSim.Core.Workloads.ParameterCount.Of(cat.GetModel(row.Model).Architecture);
            double bytes = (p.Total - p.Embedding) * quant.BytesPerWeight;
            double bound = hw.DeviceMemory.Bandwidth.Value.Value / bytes;
            var v = Validator.PredictRow(cat, row, cat.GetBackend(row.Backend)).Value;
            Assert.True(v <= bound * 1.0001, $"line {row.Line}: {v} > {bound}");
        }
    }
}

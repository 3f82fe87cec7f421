using PerfSim.Core.Uncertainty;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Core.Tests.Validation;

/// <summary>
/// Out-of-sample intervals of a backend version that shares another's kernels (`kernels_of`): its rows take the
/// residuals and envelope of the whole family from the other devices, not other backends' pooled residuals widened ×2.
/// The energy file's coverage itself is checked by the documented command in docs/energy.md (one full fit, ~20 s).
/// </summary>
public class FamilyIntervalTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));

    static ReferenceRow Row(int line, string hardware, int batch, string notes, double value) =>
        new(line, hardware, 1, null, "llama-3.1-8b", "bf16", "vllm-cuda", batch, ReferenceRow.NotStated, 400, Metric.ThroughputTokensPerS, value, "test",
            notes + " max_num_seqs=" + batch);

    [Fact]
    public void A_version_row_belongs_to_the_family_of_the_backend_whose_kernels_it_runs()
    {
        var cat = Catalog.Value;
        Assert.Equal("vllm-cuda", OutOfSampleIntervals.Family(cat, Row(2, "nvidia-a100-40gb", 64, "vLLM 0.5.4", 1000)));
        Assert.Equal("vllm-cuda", OutOfSampleIntervals.Family(cat, Row(2, "nvidia-h100-sxm", 64, "vLLM 0.11.1", 1000)));
        var metal = Row(2, "apple-m4-10c", 1, "", 10) with { Backend = "llama.cpp-metal" };
        Assert.Equal("llama.cpp-metal", OutOfSampleIntervals.Family(cat, metal));
    }

    [Fact]
    public void A_device_measured_only_under_one_version_gets_the_family_residuals_of_the_other_devices()
    {
        var cat = Catalog.Value;
        // Ten H100 rows under vLLM 0.11 with log errors 0.01 … 0.10, and one A100 row under vLLM 0.5 inside their envelope.
        var h100 = Enumerable.Range(0, 10).Select(i => (Row: Row(10 + i, "nvidia-h100-sxm", 8 + 16 * i, "vLLM 0.11.1", 1000), Log: 0.01 * (i + 1))).ToList();
        var a100 = Row(30, "nvidia-a100-40gb", 64, "vLLM 0.5.4", 1000);
        var rows = h100.Select(h => new ValidatedRow(h.Row, h.Row.Value * Math.Exp(h.Log), null))
            .Append(new ValidatedRow(a100, a100.Value * 1.05, null)).ToList();
        var v = new ValidationResult(rows, [], Validator.Summarize(rows, 0));
        var check = OutOfSampleIntervals.Check(cat, v, v);
        var iv = check.ByLine[30];
        Assert.NotNull(iv.LeaveOneDeviceOut);
        Assert.DoesNotContain(iv.Reasons, r => r.Contains("at all", StringComparison.Ordinal));
        // Split-conformal rank ⌈(10 + 1) × 0.8⌉ = 9 of the H100 residuals: half-width 0.09, no widening.
        double expected = 0.09;
        Assert.Equal(a100.Value * 1.05 * Math.Exp(expected), iv.LeaveOneDeviceOut!.Hi, 6);
        Assert.Equal(a100.Value * 1.05 / Math.Exp(expected), iv.LeaveOneDeviceOut.Lo, 6);
    }
}

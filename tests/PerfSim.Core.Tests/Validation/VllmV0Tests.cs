using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;
using Xunit.Abstractions;

namespace PerfSim.Core.Tests.Validation;

/// <summary>
/// The vLLM 0.5 rows of energy-measurements.csv (ML.ENERGY v2) read as their source defines them: the older engine
/// generation's profile, the server's mean KV occupancy, a mean TPOT that holds the prefill stalls.
/// </summary>
public class VllmV0Tests(ITestOutputHelper output)
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));
    static readonly Lazy<ReferenceFile> Energy = new(() => ReferenceFile.Load(Path.Combine(TestData.Root, "validation", "energy-measurements.csv")));

    static ReferenceRow Row(string notes, string backend = "vllm-cuda") =>
        new(2, "nvidia-a100-40gb", 1, null, "llama-3.1-8b", "bf16", backend, 64, ReferenceRow.NotStated, 480, Metric.TpotS, 0.05, "test", notes);

    [Fact]
    public void The_notes_version_picks_the_engine_generation()
    {
        Assert.Equal(RowAliases.VllmV0Serial, RowAliases.Backend(Row("ML.ENERGY v2.0 chat task, vLLM 0.5.4 (image mlenergy/vllm:v0.5.4-openai)")));
        Assert.Equal("vllm-cuda", RowAliases.Backend(Row("ML.ENERGY Benchmark v3.0, vLLM 0.11.1 (blog footnote)")));
        Assert.Equal("vllm-cuda", RowAliases.Backend(Row("vLLM version, prompt/output lengths not given")));
        Assert.Equal("vllm-cuda", RowAliases.Backend(Row("vLLM 1.0.2")));
        Assert.Equal("llama.cpp-metal", RowAliases.Backend(Row("vLLM 0.5.4", "ollama (llama.cpp-metal)")));
    }

    [Fact]
    public void A_v0_mean_tpot_holds_the_prefill_stalls_and_a_v3_median_does_not()
    {
        var cat = Catalog.Value;
        var v0 = Row("vLLM 0.5.4; 'Avg TPOT (s)' as published (MEAN time per output token). max_num_seqs=64");
        var v1 = Row("vLLM 0.11.1; MEDIAN inter-token latency. max_num_seqs=64");
        Assert.True(RowAliases.TpotIncludesPrefills(v0));
        Assert.False(RowAliases.TpotIncludesPrefills(v1));
        var p = PerfSim.Composition.Composer.Predict(cat, Validator.RequestFor(v0)).Prediction;
        double withStalls = Validator.PredictRow(cat, v0, cat.GetBackend(RowAliases.Backend(v0))).Value;
        Assert.Equal(p.Tpot.Value + p.Ttft.Value / 480, withStalls, 12);
    }

    [Fact]
    public void Server_sweep_rows_are_checked_at_the_mean_kv_occupancy()
    {
        // Llama 3.1 8B on one A100 40GB at 319 running sequences: 319 × (300 + 484) tokens of KV do not fit beside
        // the weights, the server's average 319 × (300 + 242) do (the measured run held that batch).
        var row = Row("vLLM 0.5.4 max_num_seqs=320") with { Batch = 319, GenTokens = 484, Metric = Metric.ThroughputTokensPerS };
        var cat = Catalog.Value;
        var p = PerfSim.Composition.Composer.Predict(cat, Validator.RequestFor(row)).Prediction;
        Assert.False(p.Memory.Runnable);
        Assert.True(Validator.PredictRow(cat, row, cat.GetBackend(RowAliases.Backend(row))).Value > 0);
        var staticBatch = row with { Notes = "a static batch" };
        Assert.Throws<InvalidOperationException>(() => Validator.PredictRow(cat, staticBatch, cat.GetBackend(RowAliases.Backend(staticBatch))));
    }

    [Fact]
    public void The_v0_profile_shares_vllm_cuda_kernels_and_its_host_parameters_are_what_the_fit_gives()
    {
        var cat = Catalog.Value;
        var v0 = cat.GetBackend(RowAliases.VllmV0Serial);
        var v3 = cat.GetBackend("vllm-cuda");
        Assert.Equal("vllm-cuda", v0.KernelsOf);
        foreach (var k in PerfSim.Core.Backends.BackendProfile.KernelParameters) Assert.Equal(v3.Value(k), v0.Value(k));
        // The shipped host parameters: fitted on the v2 speed rows with vllm-cuda's kernels held (the `fit` source).
        var rows = Energy.Value.Rows.Where(r => RowAliases.Backend(r) == RowAliases.VllmV0Serial && !r.Metric.IsEnergy()).ToList();
        Assert.Equal(58, rows.Count);
        var fit = Fitter.FitBackend(cat, v0, rows, 600);
        foreach (var (k, v) in fit.Values) output.WriteLine($"{k} = {v * 1e6:0.0} us (shipped {v0.Value(k) * 1e6:0.0} us)");
        output.WriteLine($"rms log error {fit.Rms:0.###} on {fit.Rows} rows");
        foreach (var (k, v) in fit.Values) Assert.InRange(v0.Value(k), v * 0.9, v * 1.1);
    }
}

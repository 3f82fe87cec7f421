using PerfSim.Core.Engine;

namespace PerfSim.Core.Tests.Engine;

/// <summary>The step cost is the engine's own forward pass: on a static batch it must give `predict`'s stage times and energies.</summary>
public class StepCostTests
{
    public static TheoryData<string, string, string, int, int, int> Cases => new()
    {
        { "nvidia-h100-sxm", "llama-3.1-8b", "fp16", 1, 512, 256 },
        { "nvidia-h100-sxm", "llama-3.1-8b", "q4_0", 32, 2000, 500 },
        { "nvidia-h100-sxm", "mixtral-8x7b", "fp8", 4, 300, 100 },
        { "nvidia-h100-sxm", "gemma-2-9b", "fp16", 8, 6000, 3000 },
        { "nvidia-h100-sxm", "qwen3-30b-a3b", "bf16", 64, 128, 64 },
        { "apple-m2-max-38c", "llama-3.2-1b", "q4_0", 2, 100, 50 },
    };

    /// <summary>
    /// Known gap (merge of the layout work): MLA prefill now takes the cheaper of the absorbed and non-absorbed forms,
    /// which is not linear in the prompt length, so the step cost's exact linear probe fit cannot hold for MLA models.
    /// The step cost reports its probe error instead of hiding it; this test keeps that report honest.
    /// </summary>
    [Fact]
    public void Mla_prefill_form_switch_is_reported_as_a_probe_error()
    {
        var d = Composition.DeploymentResolver.Resolve(TestRepo.Catalog, "nvidia-h100-sxm", 8);
        var cost = StepCost.For(d, EngineFixtures.Workload("deepseek-v3", "fp8", 16, 1000, 200));
        Assert.True(cost.MaxProbeError > 1e-6);
        Assert.True(double.IsFinite(cost.MaxProbeError));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Static_batches_match_predict(string hw, string model, string quant, int batch, int prompt, int gen)
    {
        var d = Composition.DeploymentResolver.Resolve(TestRepo.Catalog, hw, hw == "nvidia-h100-sxm" && model == "deepseek-v3" ? 8 : null);
        var w = EngineFixtures.Workload(model, quant, batch, prompt, gen);
        var cost = StepCost.For(d, w);
        var p = InferenceEngine.Predict(d, w);
        Assert.True(cost.MaxProbeError < 1e-6, $"probe fit error {cost.MaxProbeError}");

        var prefill = StepBatch.Empty;
        for (int i = 0; i < batch; i++) prefill += cost.Chunk(0, prompt);
        var (tp, jp) = cost.Evaluate(prefill);
        Assert.Equal(p.Prefill.Time.Value, tp, p.Prefill.Time.Value * 1e-6);
        double prefillJoules = p.Energy.PrefillPerPromptToken.Total.Value * batch * prompt;
        Assert.Equal(Math.Min(prefillJoules, d.GroupTdp.Value * tp), jp, prefillJoules * 1e-6);

        double ctx = Math.Max(1, prompt + gen / 2.0);
        var decode = StepCost.Decode(batch, batch * ctx, batch * cost.WindowContext(ctx));
        var (td, jd) = cost.Evaluate(decode);
        Assert.Equal(p.Tpot.Value, td, p.Tpot.Value * 1e-6);
        double decodeJoules = p.Energy.DecodePerToken.Total.Value * batch;
        Assert.Equal(Math.Min(decodeJoules, d.GroupTdp.Value * td), jd, decodeJoules * 1e-6);
    }

    [Theory]
    [InlineData("tensorrt-llm", "fp8")]
    [InlineData("llama.cpp-cuda", "q4_0")]
    public void Static_batches_match_predict_with_a_backend(string backend, string quant)
    {
        var d = EngineFixtures.H100;
        var exec = ExecutionModel.From(TestRepo.Catalog.GetBackend(backend));
        var w = EngineFixtures.Workload("llama-3.1-8b", quant, 24, 700, 300);
        var cost = StepCost.For(d, w, exec);
        var p = InferenceEngine.Predict(d, w, exec);
        var prefill = StepBatch.Empty;
        for (int i = 0; i < 24; i++) prefill += cost.Chunk(0, 700);
        Assert.Equal(p.Prefill.Time.Value, cost.Seconds(prefill), p.Prefill.Time.Value * 1e-6);
        Assert.Equal(p.Tpot.Value, cost.Seconds(StepCost.Decode(24, 24 * 850.0, 24 * 850.0)), p.Tpot.Value * 1e-6);
    }

    [Fact]
    public void A_mixed_step_costs_no_more_than_its_parts_run_separately_and_at_least_the_larger()
    {
        var d = EngineFixtures.H100;
        var cost = StepCost.For(d, EngineFixtures.Workload("llama-3.1-8b", "fp16", 64, 512, 256));
        var decode = StepCost.Decode(64, 64 * 700.0, 64 * 700.0);
        var chunk = cost.Chunk(256, 512);
        double both = cost.Seconds(decode + chunk), a = cost.Seconds(decode), b = cost.Seconds(chunk);
        // Weights are read once for the whole step, so batching saves at least one weight pass.
        Assert.True(both < a + b);
        Assert.True(both >= Math.Max(a, b));
    }

    [Fact]
    public void Decode_step_never_beats_the_weight_bandwidth_bound()
    {
        var d = EngineFixtures.H100;
        var w = EngineFixtures.Workload("llama-3.1-8b", "fp16", 1, 512, 256);
        var cost = StepCost.For(d, w);
        double weights = cost.Reference.Memory.Weights.Value;
        double bound = weights / d.PeakBandwidth(d.Device.DeviceMemory).Value;
        foreach (int b in new[] { 1, 8, 64, 256 })
            Assert.True(cost.Seconds(StepCost.Decode(b, b * 100.0, b * 100.0)) >= bound);
    }

    [Fact]
    public void Chunked_prefill_costs_the_same_attention_pairs_as_one_pass()
    {
        var cost = StepCost.For(EngineFixtures.H100, EngineFixtures.Workload("gemma-2-9b", "fp16", 1, 512, 256));
        var whole = cost.Chunk(0, 9000);
        var parts = cost.Chunk(0, 3000) + cost.Chunk(3000, 3000) + cost.Chunk(6000, 3000);
        Assert.Equal(whole.PrefillPairs, parts.PrefillPairs, 1e-6);
        Assert.Equal(whole.PrefillWindowPairs, parts.PrefillWindowPairs, 1e-6);
        Assert.Equal(whole.PrefillTokens, parts.PrefillTokens);
    }
}

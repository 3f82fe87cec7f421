using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Layouts;

/// <summary>The physics and the operator's rules a layout must obey, over real profiles.</summary>
public class LayoutRuleTests
{
    [Theory]
    [InlineData("llama-3.1-70b", "fp16")]
    [InlineData("mixtral-8x7b", "fp16")]
    [InlineData("deepseek-v3", "fp8")]
    [InlineData("llama-3.1-8b", "fp16")]
    [InlineData("gpt-oss-120b", "mxfp4")]
    public void More_devices_never_raise_per_device_memory(string model, string quant)
    {
        double Total(int tp, int pp) =>
            LayoutFixtures.Predict("nvidia-h100-sxm", model, quant, devices: tp * pp, tp: tp, pp: pp, batch: 8).Prediction.Memory.Total.Value;
        var heads = TestRepo.Catalog.GetModel(model).Architecture.Heads;
        foreach (int pp in new[] { 1, 2, 4 })
        {
            double previous = double.PositiveInfinity;
            foreach (int tp in new[] { 1, 2, 4, 8 }.Where(t => heads % t == 0))
            {
                double t = Total(tp, pp);
                Assert.True(t <= previous, $"{model} TP{tp} PP{pp}: {t} per device > {previous} with fewer devices");
                previous = t;
            }
        }
        foreach (int tp in new[] { 1, 2, 8 })
            Assert.True(Total(tp, 2) <= Total(tp, 1) && Total(tp, 4) <= Total(tp, 2), $"{model} TP{tp}: more stages raised per-device memory");
    }

    [Theory]
    [InlineData("nvidia-dgx-h100", "llama-3.1-8b", 8)]
    [InlineData("nvidia-gb200-nvl72", "llama-3.1-8b", 72)]
    [InlineData("nvidia-hgx-h200", "qwen3-30b-a3b", 8)]
    [InlineData("nvidia-hgx-h200", "mixtral-8x7b", 8)]
    public void Tp_that_only_adds_communication_is_never_chosen_by_default(string hardware, string model, int devices)
    {
        var c = LayoutFixtures.Predict(hardware, model, batch: 8);
        Assert.Equal(new Layout(1, 1, 1, devices), c.Prediction.Layout);
        Assert.Equal(devices, c.Configuration.Replicas);
        Assert.Contains(c.Configuration.Notes, n => n.Contains("smallest model-parallel group"));
    }

    [Fact]
    public void A_model_too_big_for_one_device_gets_the_smallest_group_that_fits_not_all_devices()
    {
        // Llama-3.1-70B at fp16 is 141 GB: two 80 GiB H100s hold it with room for batch 8's KV; the other six serve replicas.
        var c = LayoutFixtures.Predict("nvidia-dgx-h100", "llama-3.1-70b", "fp16", batch: 8);
        Assert.Equal(new Layout(2, 1, 1, 4), c.Prediction.Layout);
        Assert.True(c.Prediction.Memory.Fits);
    }

    [Fact]
    public void Llama_8b_on_a_gb200_nvl72_by_default_is_at_least_as_fast_per_token_as_on_one_gb200()
    {
        var rack = LayoutFixtures.Predict("nvidia-gb200-nvl72", "llama-3.1-8b").Prediction;
        var one = LayoutFixtures.Predict("nvidia-gb200", "llama-3.1-8b").Prediction;
        Assert.True(rack.Tpot.Value <= one.Tpot.Value, $"NVL72 {rack.Tpot} per token vs one GB200 {one.Tpot}");
    }

    [Theory]
    [InlineData("nvidia-dgx-h100", "llama-3.1-70b", "fp8", 8, 1, 1, 1)]
    [InlineData("nvidia-dgx-h100", "llama-3.1-70b", "fp8", 4, 2, 1, 1)]
    [InlineData("nvidia-dgx-h100", "llama-3.1-70b", "fp8", 2, 1, 1, 4)]
    [InlineData("nvidia-hgx-h200", "mixtral-8x7b", "fp16", 8, 1, 8, 1)]
    [InlineData("nvidia-hgx-h200", "qwen3-30b-a3b", "fp16", 1, 1, 8, 8)]
    [InlineData("nvidia-dgx-h100", "llama-3.1-8b", "fp16", 1, 8, 1, 1)]
    [InlineData("nvidia-dgx-h100", "deepseek-v3", "fp8", 8, 1, 1, 1)]
    public void Decode_on_n_devices_never_exceeds_n_times_the_single_device_bound(string hw, string model, string quant, int tp, int pp, int ep, int dp)
    {
        foreach (int batch in new[] { 1, 16, 128 })
        {
            var c = LayoutFixtures.Predict(hw, model, quant, tp: tp, pp: pp, ep: ep, dp: dp, batch: batch);
            var p = c.Prediction;
            int n = new Layout(tp, pp, ep, dp).Devices;
            // Single-device bound: a step must at least read each active weight once and the batch's KV at the mean
            // context, at the device memory's peak bandwidth; n devices give at most n times that rate.
            var a = p.Workload.Arch;
            var parts = ParameterCount.Of(a);
            double weightBytes = (parts.ActivePerToken - parts.Embedding) * p.Workload.Quant.BytesPerWeight;
            double kv = InferenceEngine.KvBytes(p.Workload, p.Decode.ContextTokens);
            var device = TestRepo.Catalog.GetHardware(TestRepo.Catalog.GetHardware(hw).System!.Device);
            double single = batch * device.DeviceMemory.Bandwidth.Value.Value / (weightBytes + kv);
            double predicted = batch * c.Configuration.Replicas / p.Tpot.Value;
            Assert.True(predicted <= n * single, $"{model} {p.Layout} batch {batch}: {predicted:0} tok/s > {n} × {single:0}");
        }
    }

    [Theory]
    [InlineData("--tp 3: the 64 attention heads", "llama-3.1-70b", 3, null, null, null)]
    [InlineData("--ep 2: 'llama-3.1-8b' has no experts", "llama-3.1-8b", null, null, 2, null)]
    [InlineData("--ep 3: the 8 experts", "mixtral-8x7b", 1, null, 3, null)]
    [InlineData("--pp 40: 'llama-3.1-8b' has only 32 layers", "llama-3.1-8b", 1, 40, null, 1)]
    [InlineData("needs 16 devices", "llama-3.1-8b", 16, null, null, null)]
    [InlineData("--ep 4 beyond --tp needs --tp 1", "mixtral-8x7b", 2, null, 4, 1)]
    public void An_impossible_layout_is_refused_with_one_line(string expected, string model, int? tp, int? pp, int? ep, int? dp)
    {
        var e = Assert.Throws<UsageException>(() => LayoutFixtures.Predict("nvidia-dgx-h100", model, tp: tp, pp: pp, ep: ep, dp: dp));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void No_link_between_devices_and_a_backend_without_the_layout_are_refused()
    {
        var e = Assert.Throws<UsageException>(() => LayoutFixtures.Predict("apple-m2-max-38c", "llama-3.1-8b", tp: 2));
        Assert.Contains("no link between devices", e.Message);
        var b = Assert.Throws<UsageException>(() => LayoutFixtures.Predict("nvidia-rtx-3090", "llama-3.1-8b", "q4_0", tp: 2, backend: "llama.cpp-cuda"));
        Assert.Contains("--tp 2: backend 'llama.cpp-cuda' runs only these layouts: pp, dp", b.Message);
        var d = Assert.Throws<UsageException>(() => LayoutFixtures.Predict("nvidia-dgx-h100", "llama-3.1-8b", devices: 12));
        Assert.Contains("whole systems", d.Message);
    }

    [Fact]
    public void Kv_is_replicated_for_mla_and_beyond_the_kv_heads()
    {
        // DeepSeek-V3's MLA latent cache is shared by all heads: each TP8 device holds all of it.
        var one = LayoutFixtures.Predict("nvidia-h200-sxm", "deepseek-v3", "fp8", devices: 8, tp: 1, dp: 8, batch: 4).Prediction;
        var tp8 = LayoutFixtures.Predict("nvidia-h200-sxm", "deepseek-v3", "fp8", devices: 8, tp: 8, batch: 4).Prediction;
        Assert.Equal(one.Memory.KvCache.Value, tp8.Memory.KvCache.Value, 0);
        Assert.True(tp8.Memory.KvReplicated);
        // Llama-3.1-70B has 8 KV heads: TP16 holds the same KV per device as TP8 (each head on two devices).
        var t8 = LayoutFixtures.Predict("nvidia-h100-sxm", "llama-3.1-70b", "fp8", devices: 16, tp: 8, dp: 2, batch: 4).Prediction;
        var t16 = LayoutFixtures.Predict("nvidia-h100-sxm", "llama-3.1-70b", "fp8", devices: 16, tp: 16, batch: 4).Prediction;
        Assert.Equal(t8.Memory.KvCache.Value, t16.Memory.KvCache.Value, 0);
        Assert.True(t16.Memory.KvReplicated);
    }

    [Fact]
    public void Layer_split_runs_the_stages_in_turn_with_half_the_weights_per_device()
    {
        var one = LayoutFixtures.Predict("nvidia-rtx-3090", "llama-2-13b", "q4_0", backend: "llama.cpp-cuda").Prediction;
        var two = LayoutFixtures.Predict("nvidia-rtx-3090", "llama-2-13b", "q4_0", devices: 2, dp: 1, backend: "llama.cpp-cuda").Prediction;
        Assert.Equal(new Layout(1, 2, 1, 1), two.Layout);
        Assert.True(two.Memory.Weights.Value < 0.55 * one.Memory.Weights.Value);
        // Sequential stages: one device's time for the whole model plus one activation hand-off over PCIe.
        Assert.True(two.Tpot.Value >= one.Tpot.Value);
        Assert.InRange(two.Decode.PipelineHandOff.Value, 2e-6, 20e-6);   // α 3 µs (NVLink bridge) + 5120 × 2 B ÷ β
        Assert.Equal(one.Tpot.Value + two.Decode.PipelineHandOff.Value, two.Tpot.Value, 9);
    }

    [Fact]
    public void The_largest_batch_whose_kv_fits_is_reported_and_is_the_edge()
    {
        // Prompt 8192 fills one prefill chunk, so activations do not change with the batch.
        var p = LayoutFixtures.Predict("nvidia-h100-sxm", "llama-3.1-8b", batch: 1, prompt: 8192, gen: 256).Prediction;
        int max = p.Memory.MaxBatch;
        Assert.InRange(max, 2, 10_000);
        Assert.True(LayoutFixtures.Predict("nvidia-h100-sxm", "llama-3.1-8b", batch: max, prompt: 8192, gen: 256).Prediction.Memory.Fits);
        Assert.False(LayoutFixtures.Predict("nvidia-h100-sxm", "llama-3.1-8b", batch: max + 1, prompt: 8192, gen: 256).Prediction.Memory.Fits);
    }

    [Fact]
    public void Spanning_two_systems_uses_the_scale_out_network_and_costs_more_than_one_node()
    {
        var inNode = LayoutFixtures.Predict("nvidia-dgx-h100", "llama-3.1-405b", "fp8", devices: 16, tp: 8, pp: 2, batch: 16).Prediction;
        var across = LayoutFixtures.Predict("nvidia-dgx-h100", "llama-3.1-405b", "fp8", devices: 16, tp: 16, batch: 16).Prediction;
        var c = across.Decode.Operators.First(o => o.Operator.Kind == OperatorKind.Collective).Collective!;
        Assert.Contains("infiniband-ndr", c.Link);
        var cIn = inNode.Decode.Operators.First(o => o.Operator.Kind == OperatorKind.Collective).Collective!;
        Assert.True(c.Time.Value > cIn.Time.Value, "an all-reduce over 2 nodes is slower than inside one");
    }
}

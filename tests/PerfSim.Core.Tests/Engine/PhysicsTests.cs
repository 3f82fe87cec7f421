using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Engine;

/// <summary>Bounds every prediction must respect, over every shipped hardware × model pair.</summary>
public class PhysicsTests
{
    public static IEnumerable<object[]> HardwareIds => TestRepo.Catalog.Hardware.Keys.Order(StringComparer.Ordinal).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(HardwareIds))]
    public void Decode_NeverExceeds_BandwidthOverBytesPerToken(string hardwareId)
    {
        var c = TestRepo.Catalog;
        var d = DeploymentResolver.Resolve(c, hardwareId);
        foreach (var model in c.Models.Values)
            foreach (var quantId in new[] { "fp16", "q4_0" })
            {
                if (!c.Quants.ContainsKey(quantId)) continue;
                var q = c.GetQuant(quantId);
                var w = new Workload(model, q, c.GetKv(q.KvCache), Scenario.Of(1, 128, 64));
                var p = InferenceEngine.Predict(d, w);
                var parts = ParameterCount.Of(model.Architecture);
                // Bytes every token must read at batch 1: the weights it uses (MoE: the active experts), per device.
                double bytesPerToken = (parts.ActivePerToken - parts.Embedding) * q.BytesPerWeight / d.Devices;
                var level = d.Device.Memory.First(m => m.Id == p.Memory.StreamedFrom);
                // A CPU's LLC may still hold a share of the weights from the previous token: the bound is the blend.
                double h = p.Memory.CachedShare;
                double rate = p.Memory.CachedFrom is { } cf
                    ? 1 / ((1 - h) / level.Bandwidth.Value.Value + h / d.Device.Memory.First(m => m.Id == cf).Bandwidth.Value.Value)
                    : level.Bandwidth.Value.Value;
                double bound = rate / bytesPerToken;
                Assert.True(p.DecodeTokensPerSecondPerSequence <= bound * (1 + 1e-9),
                    $"{hardwareId} {model.Id} {quantId}: {p.DecodeTokensPerSecondPerSequence:F2} tok/s > bound {bound:F2}");
                Assert.True(p.Tpot.Value > 0 && double.IsFinite(p.Tpot.Value) && p.Ttft.Value > 0);
            }
    }

    public static IEnumerable<object[]> Scenarios =>
    [
        [1, 128, 64], [8, 512, 128], [64, 2048, 256], [1, 4096, 1],
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void MoreBandwidthOrCompute_NeverMakesAnythingSlower(int batch, int prompt, int gen)
    {
        var c = TestRepo.Catalog;
        var baseline = EngineFixtures.H100;
        foreach (var model in c.Models.Values)
        {
            var w = new Workload(model, c.GetQuant("fp16"), c.GetKv("fp16"), Scenario.Of(batch, prompt, gen));
            var p0 = InferenceEngine.Predict(baseline, w);
            foreach (var faster in new[] { EngineFixtures.ScaleBandwidth(baseline, 2), EngineFixtures.ScaleCompute(baseline, 2), EngineFixtures.ScaleCompute(EngineFixtures.ScaleBandwidth(baseline, 1.3), 1.7) })
            {
                var p1 = InferenceEngine.Predict(faster, w);
                Assert.True(p1.Tpot.Value <= p0.Tpot.Value * (1 + 1e-12), $"{model.Id}: decode slower with more resources");
                Assert.True(p1.Ttft.Value <= p0.Ttft.Value * (1 + 1e-12), $"{model.Id}: prefill slower with more resources");
            }
        }
    }

    [Fact]
    public void HalvingWeightBits_HalvesWeightTraffic()
    {
        var c = TestRepo.Catalog;
        var model = c.GetModel("llama-2-7b");
        double WeightBytes(double bits)
        {
            var w = new Workload(model, EngineFixtures.Quant(bits), c.GetKv("fp16"), Scenario.Of(1, 128, 64));
            return InferenceEngine.Predict(EngineFixtures.H100, w).Decode.Operators.Sum(o => o.Operator.WeightBytes * o.Operator.Repeat);
        }
        Assert.Equal(0.5, WeightBytes(8) / WeightBytes(16), 6);
        Assert.Equal(0.5, WeightBytes(4) / WeightBytes(8), 6);

        // And a memory-bound decode gets nearly twice as fast (KV and activations do not shrink).
        double Speed(double bits) => InferenceEngine.Predict(EngineFixtures.H100,
            new Workload(model, EngineFixtures.Quant(bits), c.GetKv("fp16"), Scenario.Of(1, 128, 64))).DecodeTokensPerSecond;
        Assert.InRange(Speed(8) / Speed(16), 1.85, 2.0);
    }

    [Fact]
    public void SmallModelThatFitsInCache_IsServedFromCache_AndFaster()
    {
        var c = TestRepo.Catalog;
        var w = new Workload(EngineFixtures.Tiny, c.GetQuant("fp16"), c.GetKv("fp16"), Scenario.Of(1, 64, 16));
        var p = InferenceEngine.Predict(EngineFixtures.H100, w);
        Assert.Equal("l2", p.Memory.StreamedFrom);

        var noCache = EngineFixtures.H100 with { Device = EngineFixtures.H100.Device with { Memory = [EngineFixtures.H100.Device.DeviceMemory] } };
        var slow = InferenceEngine.Predict(noCache, w);
        Assert.Equal("hbm", slow.Memory.StreamedFrom);
        Assert.True(p.DecodeTokensPerSecond > slow.DecodeTokensPerSecond);
    }

    [Fact]
    public void OnACpu_TheLlcServesItsShareOfWeightsReReadEveryToken_AndNeverMoreThanItHolds()
    {
        var c = TestRepo.Catalog;
        var d = DeploymentResolver.Resolve(c, "amd-ryzen-9-7950x");
        var llc = d.Device.Memory.Last(m => m.Kind.IsCache());
        foreach (var modelId in new[] { "llama-2-7b", "llama-3.2-1b" })
        {
            if (!c.Models.ContainsKey(modelId)) continue;
            var w = new Workload(c.GetModel(modelId), c.GetQuant("q4_0"), c.GetKv("fp16"), Scenario.Of(1, 128, 64));
            var p = InferenceEngine.Predict(d, w);
            Assert.Equal(d.Device.DeviceMemory.Id, p.Memory.StreamedFrom);
            Assert.Equal(llc.Id, p.Memory.CachedFrom);
            // The share is what 90 % of the LLC holds of the bytes streamed per token (the weights but the embedding
            // table, and the KV cache): at least that share of all weights and KV, never above 1.
            double usable = 0.9 * llc.Capacity.Value.Value;
            Assert.InRange(p.Memory.CachedShare, usable / (p.Memory.Weights.Value + p.Memory.KvCache.Value), 1);
            // Those bytes are counted at the LLC, the rest at DRAM.
            double atLlc = p.Decode.BytesByLevel.GetValueOrDefault(llc.Id), atDram = p.Decode.BytesByLevel.GetValueOrDefault(d.Device.DeviceMemory.Id);
            Assert.True(atLlc > 0 && atDram > atLlc);
        }
        // A GPU keeps no such share: its weights are a hundred times its L2.
        var gpu = InferenceEngine.Predict(EngineFixtures.H100, new Workload(c.GetModel("llama-2-7b"), c.GetQuant("fp16"), c.GetKv("fp16"), Scenario.Of(1, 128, 64)));
        Assert.Null(gpu.Memory.CachedFrom);
        Assert.Equal(0, gpu.Memory.CachedShare);
    }

    [Fact]
    public void CachedShare_BlendsTheStreamingRate_AndGrowsTowardsTheLlcRateAsTheSetShrinks()
    {
        var d = DeploymentResolver.Resolve(TestRepo.Catalog, "amd-ryzen-9-7950x", threads: 16);
        var q = TestRepo.Catalog.GetQuant("q4_0");
        var llc = d.Device.Memory.Last(m => m.Kind.IsCache());
        double Rate(int m, int k) => (double)m * k * q.BytesPerWeight / KernelModel.Matmul(d, q, m, k, 1).Point.Time.Value;
        // A matrix far larger than the LLC streams near the DRAM rate; one a little larger gets most of the LLC's.
        double big = Rate(4096 * 16, 14336), near = Rate(4096, 14336);
        Assert.True(near > big, $"near {near / 1e9:F1} GB/s, big {big / 1e9:F1} GB/s");
        Assert.True(big <= d.PeakBandwidth(llc).Value * 1.0001);
        var share = MemoryPlacement.Decide(d.Device, new(3 * llc.Capacity.Value.Value), new(3 * llc.Capacity.Value.Value), new(1e6), 0.9, cyclicCacheReuse: true);
        Assert.Equal(0.3, share.CachedShare, 12);
        Assert.Equal(0, MemoryPlacement.Decide(d.Device, new(3 * llc.Capacity.Value.Value), new(3 * llc.Capacity.Value.Value), new(1e6), 0.9).CachedShare);
    }

    [Fact]
    public void ModelLargerThanDeviceMemory_DoesNotFit_UnlessOffloadAllowed()
    {
        var c = TestRepo.Catalog;
        var big = EngineFixtures.Tiny with
        {
            Architecture = EngineFixtures.Tiny.Architecture with { Layers = 80, Hidden = 8192, Heads = 64, KvHeads = 8, HeadDim = 128, Intermediate = 28672, Vocab = 32000 },
        };
        var w = new Workload(big, c.GetQuant("fp16"), c.GetKv("fp16"), Scenario.Of(1, 128, 64));   // ~138 GB of weights
        var p = InferenceEngine.Predict(EngineFixtures.H100, w);
        Assert.False(p.Memory.Fits);
        Assert.False(p.Memory.Runnable);
        Assert.Contains(p.Warnings, x => x.StartsWith("does not fit"));

        var offload = EngineFixtures.H100 with { Device = EngineFixtures.H100.Device with { AllowOffload = true } };
        var po = InferenceEngine.Predict(offload, w);
        Assert.True(po.Memory.Runnable);
        Assert.True(po.Memory.ResidentFraction is > 0 and < 1);
        Assert.Equal(Bound.Memory, po.Decode.Bound);   // the host-link share dominates the memory time
        Assert.True(po.Tpot.Value > 10 * p.Tpot.Value);  // PCIe (63 GB/s) is ~50× slower than HBM
    }

    [Fact]
    public void TensorParallel_SplitsWeights_AndAddsCollectives()
    {
        var c = TestRepo.Catalog;
        var w = EngineFixtures.Workload("llama-2-7b", "fp16");
        var one = InferenceEngine.Predict(DeploymentResolver.Resolve(c, "nvidia-h100-sxm", devices: 1), w);
        var two = InferenceEngine.Predict(DeploymentResolver.Resolve(c, "nvidia-h100-sxm", devices: 2), w);
        Assert.Equal(one.Memory.Weights.Value / 2, two.Memory.Weights.Value, 1);
        Assert.Contains(two.Decode.Operators, o => o.Operator.Kind == OperatorKind.Collective && o.PerOccurrence.Link.Value > 0);
        Assert.True(two.Tpot.Value < one.Tpot.Value);             // half the bytes per device …
        Assert.True(two.Tpot.Value > one.Tpot.Value / 2);         // … but collectives are not free
    }

    [Theory]
    [InlineData(8, 2, 1, 2)]
    [InlineData(8, 2, 1000, 8)]
    [InlineData(256, 8, 1, 8)]
    public void ExpectedExpertsTouched_GoesFromActiveToAll(int experts, int active, double tokens, double expected)
    {
        Assert.Equal(expected, OperatorGraph.ExpectedExpertsTouched(experts, active, tokens), 3);
    }

    [Fact]
    public void Predict_IsDeterministic()
    {
        var w = EngineFixtures.Workload("llama-2-7b", "q4_0", batch: 4);
        var a = InferenceEngine.Predict(EngineFixtures.H100, w);
        var b = InferenceEngine.Predict(EngineFixtures.H100, w);
        Assert.Equal(a.Tpot, b.Tpot);
        Assert.Equal(a.Ttft, b.Ttft);
        Assert.Equal(a.Energy.JoulesPerToken, b.Energy.JoulesPerToken);
    }

    [Theory]
    [InlineData("llama-2-7b", 3)]   // gated: gate, up, down
    [InlineData("gpt-j-6b", 2)]     // plain: up, down
    public void MlpKernelCalls_FollowTheMlpKind(string model, int calls)
    {
        var p = InferenceEngine.Predict(EngineFixtures.H100, EngineFixtures.Workload(model, "fp16", batch: 1));
        var mlp = p.Decode.Operators.Single(o => o.Operator.Name == "mlp").Operator;
        Assert.Equal(calls, OperatorTimer.CallsPerOccurrence(mlp));
        Assert.Equal(3, OperatorTimer.CallsPerOccurrence(p.Decode.Operators.Single(o => o.Operator.Name == "qkv_proj").Operator));
        Assert.Equal(1, OperatorTimer.CallsPerOccurrence(p.Decode.Operators.Single(o => o.Operator.Name == "o_proj").Operator));
    }
}

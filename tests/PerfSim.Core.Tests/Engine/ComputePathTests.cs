using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Tests.Engine;

/// <summary>
/// The compute path (matrix units vs vector ALUs), the per-core CPU bandwidth and the host's fixed kernel costs:
/// each changes a prediction in the direction its physics says, on the shipped profiles.
/// </summary>
public class ComputePathTests
{
    [Fact]
    public void VectorPeak_IsTheListedVectorRate_AndTheMatrixPeakStaysTheDenseOne()
    {
        var e = DeploymentResolver.Resolve(TestRepo.Catalog, "nvidia-rtx-3090").Engine;
        Assert.Equal(35.6e12, e.PeakFor(DataType.Fp16, ComputePath.Vector).Peak.Value, 1e6);
        Assert.Equal(71e12, e.PeakFor(DataType.Fp16, ComputePath.Matrix).Peak.Value, 1e6);
    }

    [Fact]
    public void VectorPeak_WithoutAVectorTable_FallsBackToTheFp32Peak_OnAGpu()
    {
        var e = DeploymentResolver.Resolve(TestRepo.Catalog, "nvidia-h100-sxm").Engine;
        Assert.Null(e.VectorPeak);
        Assert.Equal(e.DensePeak[DataType.Fp32].Value.Value, e.VectorPeakFor(DataType.Fp16).Peak.Value);
        Assert.True(e.VectorPeakFor(DataType.Fp16).Peak.Value < e.PeakFor(DataType.Fp16).Peak.Value);
    }

    [Fact]
    public void VulkanBackend_ReachesTheMatrixUnitsOnlyOnTheVendorsItLists()
    {
        var vulkan = ExecutionModel.From(TestRepo.Catalog.GetBackend("llama.cpp-vulkan"));
        Assert.Equal(ComputePath.Matrix, vulkan.PathOn("nvidia"));
        Assert.Equal(ComputePath.Vector, vulkan.PathOn("amd"));
        Assert.Equal(ComputePath.Vector, vulkan.PathOn("intel"));
    }

    [Fact]
    public void VectorPath_PrefillIsSlowerThanTheMatrixPath_AndNeverBeatsTheVectorPeak()
    {
        var d = DeploymentResolver.Resolve(TestRepo.Catalog, "nvidia-rtx-3090");
        var w = EngineFixtures.Workload("llama-2-7b", "q4_0", batch: 1, prompt: 512, gen: 1);
        var exec = ExecutionModel.From(TestRepo.Catalog.GetBackend("llama.cpp-vulkan"));
        var matrix = InferenceEngine.Predict(d, w, exec with { Path = ComputePath.Matrix, MatrixPathVendors = null });
        var vector = InferenceEngine.Predict(d, w, exec with { Path = ComputePath.Vector, MatrixPathVendors = null });
        Assert.True(vector.PrefillTokensPerSecond < matrix.PrefillTokensPerSecond * 0.75,
            $"vector {vector.PrefillTokensPerSecond:F0} tok/s vs matrix {matrix.PrefillTokensPerSecond:F0} tok/s");
        // Two FLOPs per weight per token is a lower bound on the matmul work: the vector path cannot beat it at 100 % of its peak.
        double flopsPerToken = 2 * 6.5e9;
        Assert.True(vector.PrefillTokensPerSecond * flopsPerToken <= d.Engine.VectorPeakFor(DataType.Fp16).Peak.Value,
            $"{vector.PrefillTokensPerSecond:F0} tok/s needs more than the 3090's vector peak");
    }

    [Fact]
    public void CpuBandwidth_GrowsWithTheCoresUsed_AndSaturatesAtTheSocket()
    {
        var c = TestRepo.Catalog;
        const string xeon = "intel-xeon-platinum-8480plus";
        var four = DeploymentResolver.Resolve(c, xeon, threads: 4);
        var all = DeploymentResolver.Resolve(c, xeon, threads: 56);
        double perCore = four.Engine.CoreBandwidth!.Value.Value.Value;
        Assert.Equal(4 * perCore, four.PeakBandwidth(four.Device.DeviceMemory).Value, 1e3);
        Assert.Equal(four.Device.DeviceMemory.Bandwidth.Value.Value, all.PeakBandwidth(all.Device.DeviceMemory).Value, 1e3);
        var w = EngineFixtures.Workload("llama-2-7b", "q4_0", batch: 1, prompt: 32, gen: 32);
        Assert.True(InferenceEngine.Predict(four, w).DecodeTokensPerSecond < InferenceEngine.Predict(all, w).DecodeTokensPerSecond);
    }

    [Fact]
    public void FixedKernelCost_AddsToTheBody_AndBindsWhenItDominates()
    {
        var small = Roofline.Evaluate(flops: 1e6, attainableOpsPerSecond: 1e12, memorySeconds: 1e-6, kernelSeconds: 0, linkSeconds: 0, fixedSeconds: 1e-4);
        Assert.Equal(1e-6 + 1e-4, small.Time.Value, 12);
        Assert.Equal(Bound.Overhead, small.Bound);
        var big = Roofline.Evaluate(flops: 1e6, attainableOpsPerSecond: 1e12, memorySeconds: 1e-3, kernelSeconds: 0, linkSeconds: 0, fixedSeconds: 1e-5);
        Assert.Equal(1e-3 + 1e-5, big.Time.Value, 12);
        Assert.Equal(Bound.Memory, big.Bound);
    }

    [Fact]
    public void HostKernelCosts_SlowDecode_ByTheirCallsPerToken()
    {
        var d = DeploymentResolver.Resolve(TestRepo.Catalog, "amd-ryzen-9-7950x", threads: 16);
        var w = EngineFixtures.Workload("llama-2-7b", "q4_0", batch: 1, prompt: 32, gen: 32);
        var baseline = InferenceEngine.Predict(d, w);
        var costs = new HostKernelCosts(new(new Seconds(50e-6), "test"), new(new Seconds(0), "test"), new(new BytesPerSecond(1e15), "test"));
        var e = d.Engine with { KernelCosts = costs };
        var withCosts = InferenceEngine.Predict(d with { Engine = e, Device = d.Device with { Engines = [e] } }, w);
        // 32 layers × (3 qkv + 1 o + 3 mlp) calls + lm_head ≈ 225 calls × 50 µs ≈ 11 ms per token more.
        double added = withCosts.Tpot.Value - baseline.Tpot.Value;
        Assert.InRange(added, 32 * 7 * 50e-6, (32 * 7 + 4) * 50e-6 * 1.01);
    }
}

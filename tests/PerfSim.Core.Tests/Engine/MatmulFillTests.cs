using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;

namespace PerfSim.Core.Tests.Engine;

/// <summary>
/// The GEMM fill term: a matmul needs enough rows for its output tiles to cover every engine of a GPU, so the fill
/// point grows with the engine count and shrinks with the matmul's width, and nothing changes where it is not modelled.
/// </summary>
public class MatmulFillTests
{
    static ComputeEngine Gpu(string id) => DeploymentResolver.Resolve(TestRepo.Catalog, id).Engine;

    [Fact]
    public void H100_is_half_filled_by_a_4096_wide_matmul_when_66_of_its_132_SMs_have_a_128_by_128_tile()
    {
        var e = Gpu("nvidia-h100-sxm");
        Assert.Equal(132, e.Cores);
        Assert.Equal(66.0 * 128 * 128 / 4096, MatmulFill.Tokens(e, "nvidia", ComputePath.Matrix, 1, 4096), 9);
        // Three times wider: a third of the rows give the same tile count.
        Assert.Equal(MatmulFill.Tokens(e, "nvidia", ComputePath.Matrix, 1, 4096) / 3,
            MatmulFill.Tokens(e, "nvidia", ComputePath.Matrix, 1, 3 * 4096), 9);
    }

    [Fact]
    public void More_engines_need_more_rows_and_cpus_npus_and_unknown_widths_add_none()
    {
        double h100 = MatmulFill.Tokens(Gpu("nvidia-h100-sxm"), "nvidia", ComputePath.Matrix, 1, 4096);
        double ada = MatmulFill.Tokens(Gpu("nvidia-rtx-4070-ti-super"), "nvidia", ComputePath.Matrix, 1, 4096);
        Assert.True(h100 > ada * 1.9, $"132 SMs {h100} vs 66 SMs {ada}");
        var xeon = DeploymentResolver.Resolve(TestRepo.Catalog, "intel-xeon-platinum-8480plus").Engine;
        Assert.Equal(0, MatmulFill.Tokens(xeon, "intel", ComputePath.Matrix, 1, 4096));
        var npu = TestRepo.Catalog.GetHardware("qualcomm-snapdragon-8-gen-2").EngineOfKind(EngineKind.Npu)!;
        Assert.Equal(0, MatmulFill.Tokens(npu, "qualcomm", ComputePath.Matrix, 1, 4096));
        Assert.Equal(0, MatmulFill.Tokens(Gpu("nvidia-h100-sxm"), "nvidia", ComputePath.Matrix, 1, 0));
    }

    [Fact]
    public void Spreading_the_same_peak_over_more_engines_slows_short_prompts_more_than_long_ones()
    {
        // The same H100 peaks and bandwidth on 66 or 132 SMs: with twice the engines a prompt needs twice the rows to
        // fill them, so the short prompt loses more than the long one (where every SM has tiles either way).
        var exec = ExecutionModel.From(TestRepo.Catalog.GetBackend("tensorrt-llm")) with { GemmHalfTokens = 1, OverheadPerStep = default };
        var h100 = EngineFixtures.H100;
        var half = h100 with { Engine = h100.Engine with { Cores = 66 }, Device = h100.Device with { Engines = [h100.Engine with { Cores = 66 }] } };
        double Speed(Deployment d, int prompt) =>
            InferenceEngine.Predict(d, EngineFixtures.Workload("llama-2-7b", "fp8", batch: 1, prompt: prompt, gen: 1), exec).PrefillTokensPerSecond;
        double shortLoss = Speed(half, 256) / Speed(h100, 256);
        double longLoss = Speed(half, 2048) / Speed(h100, 2048);
        Assert.True(longLoss >= 1 && shortLoss > longLoss * 1.05, $"66 vs 132 SMs: ×{shortLoss:F3} at 256 tokens, ×{longLoss:F3} at 2048");
    }

    [Fact]
    public void Efficiency_falls_with_the_fill_and_never_leaves_gemv_to_gemm()
    {
        var exec = ExecutionModel.From(TestRepo.Catalog.GetBackend("tensorrt-llm"));
        Assert.True(exec.ComputeEfficiency(256, 528) < exec.ComputeEfficiency(256, 0));
        Assert.InRange(exec.ComputeEfficiency(1, 1e6), exec.GemvEfficiency, exec.GemmEfficiency);
        Assert.InRange(exec.ComputeEfficiency(1e7, 528), exec.GemvEfficiency, exec.GemmEfficiency);
    }
}

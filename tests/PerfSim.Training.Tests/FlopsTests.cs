using PerfSim.Core.Workloads;

namespace PerfSim.Training.Tests;

public class FlopsTests
{
    static ParameterBreakdown Gpt3 => ParameterCount.Of(TestSupport.Catalog.GetModel("gpt-3-175b").Architecture);

    [Fact]
    public void Gpt3_on_300B_tokens_is_about_3_15e23_flops()
    {
        double tokens = 300e9;
        // The textbook 6·N·D with N the matmul weights (174.6B: layers + the tied logits matrix).
        double sixNd = 6 * TrainingFlops.MatmulWeightsPerToken(Gpt3) * tokens;
        Assert.InRange(sixNd, 3.10e23, 3.17e23);
        // With attention at seq 2048 (about +2.8 %), still ≈ 3.15e23 within 3 %.
        double total = TrainingFlops.ModelPerToken(Gpt3, 2048) * tokens;
        Assert.True(total > sixNd);
        Assert.InRange(total / 3.15e23, 0.97, 1.03);
    }

    [Fact]
    public void Full_recomputation_costs_about_a_third_more_and_selective_only_the_attention()
    {
        var p = Gpt3;
        double model = TrainingFlops.ModelPerToken(p, 2048);
        double full = TrainingFlops.HardwarePerToken(p, 2048, Recompute.Full);
        double selective = TrainingFlops.HardwarePerToken(p, 2048, Recompute.Selective);
        Assert.InRange(full / model, 1.32, 4.0 / 3);
        Assert.InRange(selective / model, 1.001, 1.02);
        Assert.Equal(model, TrainingFlops.HardwarePerToken(p, 2048, Recompute.None));
    }

    [Fact]
    public void Mixture_of_experts_counts_only_the_active_experts()
    {
        var p = ParameterCount.Of(TestSupport.Catalog.GetModel("deepseek-v3").Architecture);
        double active = TrainingFlops.MatmulWeightsPerToken(p);
        // DeepSeek-V3: 671B total, 37B active (report), embedding lookup not a matmul.
        Assert.InRange(active, 30e9, 40e9);
        Assert.True(active < p.Total / 10);
    }
}

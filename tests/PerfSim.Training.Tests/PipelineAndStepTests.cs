using PerfSim.Composition;

namespace PerfSim.Training.Tests;

public class PipelineAndStepTests
{
    [Theory]
    [InlineData(8, 8)]
    [InlineData(4, 32)]
    [InlineData(35, 280)]
    public void One_f_one_b_bubble_is_p_minus_1_over_m_plus_p_minus_1(int p, int m) =>
        Assert.Equal((p - 1.0) / (m + p - 1.0), PipelineSchedule.BubbleFraction(p, m), 12);

    [Fact]
    public void Interleaving_divides_the_bubble_by_the_chunks()
    {
        Assert.Equal(PipelineSchedule.BubbleMicroBatches(8, 1) / 4, PipelineSchedule.BubbleMicroBatches(8, 4), 12);
        Assert.Equal(0, PipelineSchedule.BubbleMicroBatches(1, 1));
    }

    static TrainingRequest Gpt3(int dp, Recompute r = Recompute.Full) => new()
    {
        Hardware = "nvidia-a100-sxm-80gb", Model = "gpt-3-175b", Tokens = 300e9, Devices = 64 * dp, Tp = 8, Pp = 8, Dp = dp, Interleave = 1,
        MicroBatch = 1, Zero = 1, Recompute = r, SeqLen = 2048, GlobalBatch = 1536,
    };

    [Fact]
    public void The_step_estimator_charges_the_1F1B_bubble_of_its_schedule()
    {
        var s = TestSupport.Step(Gpt3(16));
        long m = s.Job.MicroBatches;
        // The bubble is (p−1) micro-batch slots on top of m: its share of (m slots + bubble) is (p−1)/(m+p−1),
        // up to the pipeline hand-offs inside the bubble.
        double slots = s.Compute.Value - s.Optimizer.Value + s.ExposedCommunication.Value - s.Communication.DataParallel - s.Communication.Pipeline;
        double share = s.Bubble.Value / (slots + s.Bubble.Value);
        Assert.Equal(PipelineSchedule.BubbleFraction(8, m), share, 2);
    }

    [Fact]
    public void Utilization_is_physical_and_recomputation_costs_time()
    {
        var full = TestSupport.Step(Gpt3(16, Recompute.Full));
        var none = TestSupport.Step(Gpt3(16, Recompute.None));
        Assert.InRange(full.Mfu, 0.05, 1);
        Assert.True(full.Hfu > full.Mfu);
        Assert.True(full.Time.Value > none.Time.Value);
        Assert.True(full.Memory.Activations.Value < none.Memory.Activations.Value);
    }

    [Fact]
    public void At_a_fixed_global_batch_more_replicas_raise_the_comm_to_compute_ratio()
    {
        var small = TestSupport.Step(Gpt3(2));
        var large = TestSupport.Step(Gpt3(24));
        Assert.True(large.CommToComputeRatio > small.CommToComputeRatio);
        Assert.True(large.TokensPerSecond > small.TokensPerSecond);
    }

    [Fact]
    public void Layout_search_returns_a_layout_that_fits_and_is_no_slower_than_a_given_one()
    {
        var given = TestSupport.Step(Gpt3(16));
        var est = TrainingComposer.Estimate(TestSupport.Catalog, new TrainingRequest
        {
            Hardware = "nvidia-a100-sxm-80gb", Model = "gpt-3-175b", Tokens = 300e9, Devices = 1024, SeqLen = 2048, GlobalBatch = 1536,
        });
        Assert.True(est.Searched);
        Assert.True(est.Step.Memory.Fits);
        Assert.Equal(1024, est.Step.Devices);
        Assert.True(est.Step.Time.Value <= given.Time.Value * (1 + 1e-9));
    }

    [Fact]
    public void Gpt3_on_1024_A100s_takes_about_a_month()
    {
        var est = TrainingComposer.Estimate(TestSupport.Catalog, Gpt3(16) with { FlashAttention = false });
        Assert.InRange(est.Run.Days, 15, 60);
        Assert.Equal(est.Run.DeviceHours, 1024 * est.Run.Seconds / 3600, 6);
        Assert.True(est.Run.EnergyMWh > 0 && est.Run.CostUsd > 0);
    }

    [Fact]
    public void An_impossible_layout_is_refused_with_the_option_named()
    {
        var e = Assert.Throws<UsageException>(() => TrainingComposer.Estimate(TestSupport.Catalog, Gpt3(16) with { Tp = 7, Devices = 7 * 8 * 16 }));
        Assert.Contains("--tp", e.Message);
    }
}

using PerfSim.Composition;
using PerfSim.Core.Collectives;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Training.Tests;

/// <summary>The parts of a step that are counted kernel by kernel: optimizer, gradient accumulation, backward traffic, GEMM fill, bubble.</summary>
public class StepAnatomyTests
{
    static TrainingRequest Gpt3(int tp = 8, int pp = 1, int dp = 1, int mb = 1, long batch = 8, bool fused = true, int vocab = 0) => new()
    {
        Hardware = "nvidia-a100-sxm-80gb", Model = "gpt-3-175b", Tokens = 1e9, Devices = tp * pp * dp, Tp = tp, Pp = pp, Dp = dp, Interleave = 1,
        MicroBatch = mb, Zero = 0, Recompute = Recompute.Full, SeqLen = 2048, GlobalBatch = batch, FlashAttention = false,
        FusedGradientAccumulation = fused, Precision = "fp16",
    };

    static double HbmBandwidth(TrainingSetup s) =>
        s.Cluster.Device.PeakBandwidth(s.Cluster.Device.Device.DeviceMemory).Value * s.Execution.MemoryBandwidthEfficiency;

    [Fact]
    public void The_optimizer_step_is_the_sum_of_its_kernels_bytes()
    {
        // fp16: 2→fp32 copy (6) + unscale and inf check (8) + norm (4) + Adam (28) + new 16-bit weights (6) + zero (2).
        Assert.Equal(54, StepEstimator.OptimizerBytesPerParameter(DataType.Fp16), 12);
        Assert.Equal(46, StepEstimator.OptimizerBytesPerParameter(DataType.Bf16), 12);
        // Pipeline depth 12 keeps the stage's state in memory; the step streams it once through HBM.
        var r = Gpt3(pp: 12, batch: 16);
        var s = TestSupport.Setup(r);
        var step = TestSupport.Step(r);
        double owned = TrainingMemory.ParametersOnBusiestStage(step.Job);
        Assert.Equal(owned * 54 / HbmBandwidth(s), step.Optimizer.Value, step.Optimizer.Value * 1e-9);
    }

    [Fact]
    public void Unfused_gradient_accumulation_costs_six_bytes_per_parameter_and_micro_batch()
    {
        var fused = TestSupport.Step(Gpt3(pp: 12, batch: 16));
        var unfused = TestSupport.Step(Gpt3(pp: 12, batch: 16, fused: false));
        var s = TestSupport.Setup(Gpt3(pp: 12, batch: 16));
        double perMicroBatch = TrainingMemory.ParametersOnBusiestStage(fused.Job) * 6 / HbmBandwidth(s);
        long m = fused.Job.MicroBatches;
        // m micro-batches in the steady state and (p − 1) in the pipeline's fill and drain.
        double expected = perMicroBatch * (m + 11);
        Assert.Equal(expected, unfused.Time.Value - fused.Time.Value, expected * 1e-9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_layers_backward_takes_between_one_and_two_and_a_half_forwards(bool flash)
    {
        var r = Gpt3() with { FlashAttention = flash };
        var s = TestSupport.Setup(r);
        var timer = new OperatorTimer(s.Cluster.Device, s.Execution, s.Precision, s.Cluster.Device.Device.DeviceMemory, s.Cluster.Device.Device.DeviceMemory, 1);
        var ops = TrainingGraph.Build(s.Job, s.Precision);
        double Time(Pass p) => ops.Dense.Where(o => o.Pass == p).Sum(o => timer.Time(o.Op).Point.Time.Value);
        Assert.InRange(Time(Pass.Backward) / Time(Pass.Forward), 1, 2.5);
    }

    [Fact]
    public void Memory_bound_backward_kernels_move_what_they_read_and_write()
    {
        var s = TestSupport.Setup(Gpt3());
        var ops = TrainingGraph.Build(s.Job, s.Precision).Dense;
        double Bytes(string name) => ops.First(o => o.Pass != Pass.Recompute && o.Op.Name == name).Op.ActivationBytes;
        // Norm: dy, x in, dx out against x in, y out. Dropout + residual: dy and the mask in, dx out against four passes.
        Assert.Equal(1.5, Bytes("attn_norm_grad") / Bytes("attn_norm"), 12);
        Assert.Equal(0.75, Bytes("mlp_dropout_residual_grad") / Bytes("mlp_dropout_residual"), 12);
        // Unfused attention: the score traffic is 19 bytes per element backward against 13 forward.
        double ratio = Bytes("attention_grad") / Bytes("attention");
        Assert.InRange(ratio, 19.0 / 13, 2);
    }

    [Fact]
    public void A_narrower_per_device_matmul_runs_at_a_lower_rate()
    {
        double SecondsPerFlop(int tp)
        {
            var s = TestSupport.Setup(Gpt3(tp: tp));
            var timer = new OperatorTimer(s.Cluster.Device, s.Execution, s.Precision, s.Cluster.Device.Device.DeviceMemory, s.Cluster.Device.Device.DeviceMemory, 1);
            var op = TrainingGraph.Build(s.Job, s.Precision).Dense.Single(o => o.Pass == Pass.Forward && o.Op.Name == "mlp_up").Op;
            return timer.Time(op).Point.Time.Value / op.Flops;
        }
        // 2048 rows × 49152 columns fill the 108 SMs; ÷ 8 columns leave part of the last wave idle.
        Assert.True(SecondsPerFlop(8) > SecondsPerFlop(1));
        Assert.True(SecondsPerFlop(8) < SecondsPerFlop(1) * 1.2);
    }

    [Fact]
    public void The_pipeline_bubble_runs_through_stages_without_the_logits()
    {
        // The logits sit on the last stage: a larger vocabulary lengthens the steady state, not the fill and drain.
        var small = TestSupport.Step(Gpt3(pp: 8, batch: 32) with { Model = "gpt-3-175b" });
        var setup = TestSupport.Setup(Gpt3(pp: 8, batch: 32));
        var bigVocab = setup.Job with { Arch = setup.Job.Arch with { Vocab = setup.Job.Arch.Vocab * 4 } };
        var big = StepEstimator.Estimate(bigVocab, setup.Cluster, setup.Precision, setup.Execution, setup.Collectives);
        Assert.Equal(small.Bubble.Value, big.Bubble.Value, small.Bubble.Value * 1e-9);
        Assert.True(big.Compute.Value > small.Compute.Value);
        double share = small.Bubble.Value / small.Time.Value;
        Assert.True(share < PipelineSchedule.BubbleFraction(8, small.Job.MicroBatches));
    }

    [Fact]
    public void Collectives_run_at_the_librarys_share_of_the_link()
    {
        var c = TestSupport.Setup(Gpt3(dp: 2, batch: 16)).Cluster;
        Assert.Equal(LinkLevel.AssumedCollectiveEfficiency, c.IntraNode.Efficiency);
        Assert.Equal(LinkLevel.AssumedCollectiveEfficiency, c.InterNode.Efficiency);
        Assert.Equal(c.IntraNode.Bandwidth.Value * 0.8, c.IntraNode.EffectiveBandwidth, 1);
    }
}

/// <summary>How the validator reads a row's software generation and which subset a Megatron-paper row belongs to.</summary>
public class MegatronSubsetTests
{
    static TrainingReferenceRow Row(string zero, string source, string notes) =>
        TrainingReferenceFile.Parse(
            "hardware,devices,model,params,layers,hidden,heads,seq_len,global_batch_tokens_or_sequences,tp,pp,dp,ep,zero,recompute,precision,metric,value,source,notes\n" +
            $"nvidia-a100-sxm-80gb,64,GPT-3 175B,175B,96,12288,96,2048,1536 seq,8,8,1,,{zero},full,mixed precision (16-bit),tflops_per_device,150,\"{source}\",\"{notes}\"\n", "t.csv").Rows[0];

    [Fact]
    public void DeepSpeed_ZeRO_3_comparison_rows_are_their_own_subset()
    {
        var zero3 = Row("3", "Narayanan et al. 2021 (SC21) Table 2", "DeepSpeed ZeRO-3 integrated in Megatron codebase, no model parallelism");
        var ptdp = Row("", "Narayanan et al. 2021 (SC21) Table 2", "PTD-P; microbatch 1");
        Assert.True(TrainingValidator.IsMegatronPaper(zero3) && TrainingValidator.IsMegatronPaper(ptdp));
        Assert.True(TrainingValidator.IsDeepSpeedBaseline(zero3));
        Assert.False(TrainingValidator.IsDeepSpeedBaseline(ptdp));
    }

    [Theory]
    [InlineData("Narayanan et al. 2021 (SC21)", "", false)]
    [InlineData("Korthikanti et al. 2022 (arXiv:2205.05198)", "", true)]
    [InlineData("Smith et al. 2022", "DeepSpeed pipeline", false)]
    public void Gradient_accumulation_is_fused_in_Megatron_LM_from_2022(string source, string notes, bool fused)
    {
        var r = TrainingValidator.RequestFor(TestSupport.Catalog, Row("", source, notes), out var why);
        Assert.Equal(fused, r.FusedGradientAccumulation);
        if (!fused) Assert.Contains(why, n => n.Contains("gradient accumulation by a separate kernel"));
    }
}

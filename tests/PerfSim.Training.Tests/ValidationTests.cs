using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Training.Tests;

public class ValidationTests
{
    static string Sample => Path.Combine(AppContext.BaseDirectory, "Fixtures", "training-sample.csv");

    [Fact]
    public void The_training_schema_is_recognised_by_its_header()
    {
        Assert.True(TrainingReferenceFile.IsTrainingFile(Sample));
        Assert.False(TrainingReferenceFile.IsTrainingHeader(ReferenceFile.Columns));
    }

    [Theory]
    [InlineData("175B", 175e9, null)]
    [InlineData("671B (37B active)", 671e9, 37e9)]
    [InlineData("1T", 1e12, null)]
    public void Parameters_are_read_with_their_suffix(string text, double total, double? active)
    {
        var (t, a) = TrainingReferenceFile.ParseParameters(text);
        Assert.Equal(total, t!.Value, 1);
        Assert.Equal(active, a);
    }

    [Fact]
    public void Batches_in_sequences_or_tokens()
    {
        Assert.Equal((512.0, (double?)null), TrainingReferenceFile.ParseBatch("512 seq"));
        Assert.Equal(((double?)null, 16e6), TrainingReferenceFile.ParseBatch("16M tok"));
    }

    [Fact]
    public void Every_row_is_predicted_or_listed_with_a_reason()
    {
        var file = TrainingReferenceFile.Load(Sample);
        var v = TrainingValidator.Run(TestSupport.Catalog, file);
        Assert.Equal(file.Rows.Count + file.Issues.Count, v.Rows.Count + v.Unpredicted.Count);
        Assert.Contains(v.Unpredicted, u => u.Reason.Contains("nvidia-h800"));
        Assert.True(v.Rows.Count >= 4);
        Assert.Contains("iteration_s", v.ByMetric.Keys);
        foreach (var r in v.Rows) Assert.True(double.IsFinite(r.Predicted) && r.Predicted > 0);
    }
}

public class ValidationConventionTests
{
    static TrainingReferenceRow Row(string hardware, string recompute, string metric, string source, string notes) =>
        TrainingReferenceFile.Parse(
            "hardware,devices,model,params,layers,hidden,heads,seq_len,global_batch_tokens_or_sequences,tp,pp,dp,ep,zero,recompute,precision,metric,value,source,notes\n" +
            $"{hardware},64,GPT-3 175B,175B,96,12288,96,2048,2048 seq,8,8,1,,,{recompute},bf16,{metric},10,\"{source}\",\"{notes}\"\n", "t.csv").Rows[0];

    [Fact]
    public void A_source_before_selective_recomputation_is_taken_to_recompute_every_layer()
    {
        var r = TrainingValidator.RequestFor(TestSupport.Catalog, Row("nvidia-a100-sxm-80gb", "", "iteration_s", "Smith et al. 2022", ""), out var notes);
        Assert.Equal(Recompute.Full, r.Recompute);
        Assert.Contains(notes, n => n.Contains("full recomputation"));
        var later = TrainingValidator.RequestFor(TestSupport.Catalog, Row("nvidia-a100-sxm-80gb", "", "iteration_s", "Megatron-Core 2024", ""), out _);
        Assert.Null(later.Recompute);
    }

    [Fact]
    public void An_MLPerf_GPT3_row_without_its_log_count_trains_the_benchmarks_usual_tokens()
    {
        var r = TrainingValidator.RequestFor(TestSupport.Catalog, Row("nvidia-h100-sxm", "none", "time_to_train_min", "mlcommons/training_results_v3.1:X/results/y/gpt3/result_*.txt 2023", ""), out var notes);
        Assert.Equal(TrainingValidator.MlperfGpt3Tokens, r.Tokens);
        Assert.Contains(notes, n => n.Contains("1.2B tokens"));
    }

    [Fact]
    public void A_hardware_ID_with_a_memory_suffix_maps_to_the_catalog_device()
    {
        var r = TrainingValidator.RequestFor(TestSupport.Catalog, Row("nvidia-h200-sxm-141gb (descriptive)", "none", "iteration_s", "2024", ""), out _);
        Assert.Equal("nvidia-h200-sxm", r.Hardware);
    }

    static TrainingReferenceRow Open(string hardware, int devices, string tp, string pp, string recompute, string metric, string source, string notes) =>
        TrainingReferenceFile.Parse(
            "hardware,devices,model,params,layers,hidden,heads,seq_len,global_batch_tokens_or_sequences,tp,pp,dp,ep,zero,recompute,precision,metric,value,source,notes\n" +
            $"{hardware},{devices},GPT-3 175B,175B,96,12288,96,2048,1536 seq,{tp},{pp},,,,{recompute},bf16,{metric},10,\"{source}\",\"{notes}\"\n", "t.csv").Rows[0];

    [Fact]
    public void Sequence_parallelism_is_searched_only_for_sources_from_2023_on()
    {
        var old = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 384, "", "", "full", "tflops_per_device", "Narayanan et al. 2021", ""), out var notes);
        Assert.False(old.SequenceParallel);
        Assert.Contains(notes, n => n.Contains("no sequence parallelism"));
        var stated = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 384, "", "", "full", "tflops_per_device", "X 2021", "sequence parallel on"), out _);
        Assert.True(stated.SequenceParallel);
        var later = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-h100-sxm", 384, "", "", "none", "tflops_per_device", "X 2024", ""), out _);
        Assert.Null(later.SequenceParallel);
    }

    [Fact]
    public void A_2021_Megatron_row_without_a_split_keeps_tensor_parallelism_in_a_server_and_the_whole_optimizer_state()
    {
        var r = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 1024, "", "", "full", "tflops_per_device", "Narayanan et al. 2021 Sec. 5.1", ""), out var notes);
        Assert.Equal(8, r.Tp);
        Assert.Null(r.Pp);
        Assert.Equal(0, r.Zero);
        Assert.Equal(1, r.Interleave);
        Assert.Contains(notes, n => n.Contains("takeaway"));
        var ds = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 1024, "", "", "full", "tflops_per_device", "X 2021", "DeepSpeed ZeRO"), out _);
        Assert.Null(ds.Tp);
        Assert.Null(ds.Zero);
    }

    [Fact]
    public void DeepSpeed_pipelines_do_not_interleave_and_a_virtual_pipeline_is_read()
    {
        var ds = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 384, "8", "12", "full", "iteration_s", "Using DeepSpeed and Megatron 2022", ""), out var notes);
        Assert.Equal(1, ds.Interleave);
        Assert.Contains(notes, n => n.Contains("DeepSpeed"));
        var v = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-h100-sxm", 512, "4", "8", "none", "iteration_s", "X 2023", "TP 4, PP 8, virtual PP 12; MBS 1"), out _);
        Assert.Equal(12, v.Interleave);
        var plain = TrainingValidator.RequestFor(TestSupport.Catalog, Open("nvidia-a100-sxm-80gb", 512, "8", "64", "full", "iteration_s", "X 2022", "non-interleaved"), out _);
        Assert.Equal(1, plain.Interleave);
    }

    [Fact]
    public void MLPerf_time_to_train_includes_the_evaluation_forward_passes()
    {
        var row = Open("nvidia-a100-sxm-80gb", 384, "8", "12", "full", "time_to_train_min", "mlcommons/training_results_v3.0@x:Y/results/z/gpt3/result_*.txt", "MBS 1");
        var p = TrainingValidator.Predict(TestSupport.Catalog, row);
        var step = p.Estimate.Step;
        double eval = TrainingValidator.EvaluationSeconds(row, step, p.Estimate.Run);
        // Forward FLOPs over the hardware FLOPs of a training token (full recomputation: 1/4), for 11,590 of every 24,576 sequences.
        double share = TrainingFlops.ForwardPerToken(step.Job.Parameters, 2048) / TrainingFlops.HardwarePerToken(step.Job.Parameters, 2048, Recompute.Full);
        Assert.Equal(TrainingValidator.MlperfGpt3EvalSequences / TrainingValidator.MlperfGpt3EvalIntervalSequences * share, eval / p.Estimate.Run.Seconds, 6);
        Assert.Equal((p.Estimate.Run.Seconds + eval) / 60, p.Value, 6);
        var paper = Open("nvidia-a100-sxm-80gb", 384, "8", "12", "full", "time_to_train_min", "X 2021", "300B tokens");
        Assert.Equal(0, TrainingValidator.EvaluationSeconds(paper, step, p.Estimate.Run));
    }

    [Fact]
    public void A_TPU_slice_is_one_ICI_domain_up_to_a_pod()
    {
        var slice = TrainingValidator.RequestFor(TestSupport.Catalog, Open("google-tpu-v5p (descriptive)", 1024, "", "", "none", "iteration_s", "X 2024", ""), out _);
        Assert.Equal(1024, slice.DevicesPerNode);
        var ex = Assert.Throws<InvalidOperationException>(() => TrainingValidator.RequestFor(TestSupport.Catalog, Open("google-tpu-v5e (descriptive)", 4096, "", "", "none", "iteration_s", "X 2023", ""), out _));
        Assert.Contains("pod", ex.Message);
    }
}

public class TrainingFitTests
{
    const string Header = "hardware,devices,model,params,layers,hidden,heads,seq_len,global_batch_tokens_or_sequences,tp,pp,dp,ep,zero,recompute,precision,metric,value,source,notes\n";

    static string Row(string hardware, string recompute, double seconds, string source) =>
        $"{hardware},8,GPT 22B,22B,48,6144,64,2048,4 seq,8,1,1,,,{recompute},mixed precision (16-bit),iteration_s,{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"{source}\",\"micro-batch 4; non-interleaved; V=51200\"\n";

    [Fact]
    public void One_efficiency_per_device_class_with_leave_one_device_out_and_leave_one_source_out()
    {
        var text = Header
            + Row("nvidia-a100-sxm-80gb", "full", 1.42, "Alpha et al. 2022") + Row("nvidia-a100-sxm-80gb", "selective", 1.10, "Alpha et al. 2022")
            + Row("nvidia-a100-sxm-80gb", "selective", 1.08, "Alpha et al. 2022") + Row("nvidia-a100-sxm-80gb", "full", 1.45, "Beta et al. 2023")
            + Row("nvidia-a100-sxm-80gb", "selective", 1.12, "Beta et al. 2023") + Row("nvidia-h100-sxm", "full", 0.60, "Gamma et al. 2024");
        var file = TrainingReferenceFile.Parse(text, "fit.csv");
        var fit = TrainingFitter.Run(TestSupport.Catalog, file);

        // The A100 class has 5 rows from 2 sources: fitted; the H100 class (1 row) is not.
        Assert.Equal(["nvidia-a100-sxm-80gb 16-bit"], fit.Efficiency.Keys);
        Assert.Equal(6, fit.InSample.Count);
        // Leave-one-device-out: the H100 row gets the efficiency fitted on the A100 rows alone, which is the A100 class's.
        var h100 = Assert.Single(fit.LeaveOneDeviceOut.Rows, r => r.Row.Hardware == "nvidia-h100-sxm");
        var expected = TrainingValidator.Predict(TestSupport.Catalog, h100.Row, fit.Efficiency["nvidia-a100-sxm-80gb 16-bit"]).Value;
        Assert.Equal(expected, h100.Predicted, expected * 1e-9);
        // Leave-one-source-out: every A100 row has another source to fit on; the H100 class was never fitted, so it keeps its prediction.
        Assert.Equal(6, fit.LeaveOneSourceOut.Count);
        Assert.All(fit.LeaveOneSourceOut.Rows.Where(r => r.Row.Hardware != "nvidia-h100-sxm"), r => Assert.Contains("without this source", r.Note));
    }
}

using System.Globalization;
using PerfSim.Cli.Rendering;
using PerfSim.Composition;
using PerfSim.Training;

namespace PerfSim.Cli.Commands;

/// <summary>Maps a training estimate (or sweep) to report rows; keys are the stable JSON names.</summary>
public static class TrainingReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Report Build(TrainingEstimate e)
    {
        var s = e.Step;
        var job = s.Job;
        var L = job.Layout;
        var run = e.Run;
        var m = s.Memory;
        var c = s.Communication;
        var rows = new List<ReportRow>
        {
            new("setup", "hardware", "hardware", e.Setup.Cluster.HardwareId),
            new("setup", "cluster", "cluster", e.Setup.Cluster.Description),
            new("setup", "devices", "devices", s.Devices),
            new("setup", "precision", "matmul precision", e.Setup.Precision.Id),
            new("setup", "tokens", "training tokens", job.TrainingTokens, "tokens"),
            new("setup", "seq_len", "sequence length", job.SeqLen, "tokens"),
            new("setup", "global_batch", "global batch", (double)job.GlobalBatch, "sequences"),
            new("layout", "layout.tp", "tensor parallel", L.Tp),
            new("layout", "layout.pp", "pipeline stages", L.Pp),
            new("layout", "layout.dp", "data parallel", L.Dp),
            new("layout", "layout.ep", "expert parallel", L.Ep),
            new("layout", "layout.cp", "context parallel", L.Cp),
            new("layout", "layout.interleave", "chunks per stage", L.Interleave),
            new("layout", "layout.sequence_parallel", "sequence parallel", L.SequenceParallel),
            new("layout", "layout.micro_batch", "micro-batch", job.MicroBatch, "sequences"),
            new("layout", "layout.micro_batches", "micro-batches per step", (double)job.MicroBatches),
            new("layout", "layout.zero", "ZeRO stage", job.Zero),
            new("layout", "layout.recompute", "recomputation", job.Recompute.ToString().ToLowerInvariant()),
            new("layout", "layout.searched", "layout searched", e.Searched),

            new("step", "step_s.total", "step time", s.Time.Value, "s"),
            new("step", "step_s.compute", "  compute (incl. optimizer)", s.Compute.Value, "s"),
            new("step", "step_s.communication", "  exposed communication", s.ExposedCommunication.Value, "s"),
            new("step", "step_s.bubble", "  pipeline bubble", s.Bubble.Value, "s"),
            new("step", "step_s.optimizer", "  of compute: optimizer step", s.Optimizer.Value, "s"),
            new("step", "communication_s.tensor_parallel", "TP collectives (per step, all)", c.TensorParallel, "s"),
            new("step", "communication_s.pipeline", "pipeline send/recv", c.Pipeline, "s"),
            new("step", "communication_s.data_parallel", "data-parallel gradient sync", c.DataParallel, "s"),
            new("step", "communication_s.expert_parallel", "expert all-to-all", c.ExpertParallel, "s"),
            new("step", "communication_s.context_parallel", "context-parallel KV exchange", c.ContextParallel, "s"),
            new("step", "comm_to_compute_ratio", "communication : compute", s.CommToComputeRatio),

            new("throughput", "tokens_per_s", "tokens per second", s.TokensPerSecond, "tok/s"),
            new("throughput", "mfu", "model FLOPs utilization", s.Mfu),
            new("throughput", "hfu", "hardware FLOPs utilization", s.Hfu),
            new("throughput", "model_tflops_per_device", "model FLOP/s per device", s.ModelFlopsPerDevicePerSecond / 1e12, "TFLOP/s"),
            new("throughput", "flops_total", "model FLOPs of the run", s.ModelFlops * job.Steps, "FLOP"),

            new("run", "days", "wall-clock", run.Days, "days"),
            new("run", "device_hours", "device-hours", run.DeviceHours, "h"),
            new("run", "energy_mwh", "energy (with PUE)", run.EnergyMWh, "MWh"),
            new("run", "cost_usd", "cost", run.CostUsd ?? double.NaN, "USD"),
            new("run", "cost_basis", "cost basis", run.CostBasis),

            new("memory", "memory_per_device_bytes", "total per device", m.Total.Value, "B"),
            new("memory", "memory.weights_bytes", "  16-bit weights", m.Weights.Value, "B"),
            new("memory", "memory.gradients_bytes", "  16-bit gradients", m.Gradients.Value, "B"),
            new("memory", "memory.optimizer_bytes", "  optimizer (fp32 master + Adam m, v)", m.OptimizerState.Value, "B"),
            new("memory", "memory.activations_bytes", "  activations", m.Activations.Value, "B"),
            new("memory", "memory.capacity_bytes", "device memory", m.Capacity.Value, "B"),
            new("memory", "fits", "fits", m.Fits),
        };
        var notes = e.Setup.Notes.Concat(s.Notes).Append("model state: 16 bytes per parameter (2 weights + 2 gradients + 4 fp32 master + 4 Adam m + 4 Adam v), sharded by ZeRO over the data-parallel group");
        var title = $"train {e.Setup.Request.Model} on {s.Devices} × {e.Setup.Cluster.Device.Device.Id} · {L}";
        return Report.Of(title, rows, null, notes);
    }

    public static Report Sweep(TrainingSweep sw)
    {
        var r = sw.Replica.Layout;
        var table = new DetailTable("sweep", ["devices", "dp", "step_s", "compute_s", "communication_s", "bubble_s", "comm_to_compute_ratio", "tokens_per_s", "mfu", "scaling_efficiency"],
            sw.Points.Select(p => (IReadOnlyList<string>)new[]
            {
                p.Devices.ToString(Inv), p.Step.Job.Layout.Dp.ToString(Inv), N(p.Step.Time.Value), N(p.Step.Compute.Value), N(p.Step.ExposedCommunication.Value),
                N(p.Step.Bubble.Value), N(p.Step.CommToComputeRatio), N(p.Step.TokensPerSecond), N(p.Step.Mfu), N(p.ScalingEfficiency),
            }).ToArray());
        var rows = new List<ReportRow>
        {
            new("setup", "hardware", "hardware", sw.Setup.Cluster.HardwareId),
            new("setup", "cluster", "cluster", sw.Setup.Cluster.Description),
            new("setup", "replica", "replica layout", $"tp{r.Tp} pp{r.Pp} cp{r.Cp}, micro-batch {sw.Replica.MicroBatch}, ZeRO {sw.Replica.Zero}, recompute {sw.Replica.Recompute.ToString().ToLowerInvariant()}"),
            new("setup", "global_batch", "global batch (fixed)", (double)sw.Replica.GlobalBatch, "sequences"),
            new("sweep", "comm_equals_compute_devices", "devices where communication = compute", sw.CommEqualsComputeDevices ?? double.NaN),
        };
        var notes = sw.Setup.Notes.Append("communication = every collective of the step (hidden or exposed); compute = forward, backward, recompute and the optimizer step");
        return Report.Of($"train sweep {sw.Setup.Request.Model} on {sw.Setup.Cluster.Device.Device.Id}", rows, [table], notes);
    }

    static string N(double v) => v.ToString("G4", Inv);
}

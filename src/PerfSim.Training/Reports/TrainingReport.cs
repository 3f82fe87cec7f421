using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Training.Reports;

/// <summary>
/// A training estimate or a scale sweep as a report. JSON keys are the documented ones: `days`, `device_hours`,
/// `cost_usd`, `energy_mwh`, `tokens_per_s`, `mfu`, `memory_per_device_bytes`, `fits`, `layout.*`,
/// `step_s.{compute,communication,bubble}`, `comm_to_compute_ratio`.
/// </summary>
public static class TrainingReport
{
    public static Report Build(TrainingOutcome e)
    {
        var s = e.Step;
        var job = s.Job;
        var L = job.Layout;
        var run = e.Run;
        var m = s.Memory;
        var c = s.Communication;
        var b = new ReportBuilder($"train {e.Model} on {s.Devices} × {e.Cluster.Device.Device.Id} · {L}");
        b.Section("setup")
            .Add("hardware", "hardware", Cell.Text(e.Cluster.HardwareId))
            .Add("cluster", "cluster", Cell.Text(e.Cluster.Description))
            .Add("devices", "devices", Cell.Count(s.Devices))
            .Add("precision", "matmul precision", Cell.Text(e.Precision))
            .Add("tokens", "training tokens", Cell.Quantity(job.TrainingTokens, Unit.Tokens))
            .Add("seq_len", "sequence length", Cell.Count(job.SeqLen))
            .Add("global_batch", "global batch (sequences)", Cell.Count(job.GlobalBatch))
            .Add("steps", "optimizer steps", Cell.Number(job.Steps));
        b.Section(e.Searched ? "layout (fastest that fits)" : "layout")
            .Add("layout.tp", "tensor parallel", Cell.Count(L.Tp))
            .Add("layout.pp", "pipeline stages", Cell.Count(L.Pp))
            .Add("layout.dp", "data parallel", Cell.Count(L.Dp))
            .Add("layout.ep", "expert parallel", Cell.Count(L.Ep))
            .Add("layout.cp", "context parallel", Cell.Count(L.Cp))
            .Add("layout.interleave", "model chunks per stage", Cell.Count(L.Interleave))
            .Add("layout.sequence_parallel", "sequence parallel", Cell.Bool(L.SequenceParallel))
            .Add("layout.micro_batch", "micro-batch (sequences)", Cell.Count(job.MicroBatch))
            .Add("layout.micro_batches", "micro-batches per step", Cell.Count(job.MicroBatches))
            .Add("layout.zero", "ZeRO stage", Cell.Count(job.Zero))
            .Add("layout.recompute", "recomputation", Cell.Text(job.Recompute.ToString().ToLowerInvariant()))
            .Add("layout.searched", "layout searched", Cell.Bool(e.Searched));
        b.Section("step")
            .Add("step_s.total", "step time", Cell.Quantity(s.Time.Value, Unit.Seconds))
            .Add("step_s.compute", "compute (forward, backward, recompute, optimizer)", Cell.Quantity(s.Compute.Value, Unit.Seconds))
            .Add("step_s.communication", "exposed communication", Cell.Quantity(s.ExposedCommunication.Value, Unit.Seconds))
            .Add("step_s.bubble", "pipeline bubble", Cell.Quantity(s.Bubble.Value, Unit.Seconds))
            .Add("step_s.optimizer", "of compute: optimizer step", Cell.Quantity(s.Optimizer.Value, Unit.Seconds))
            .Add("communication_s.tensor_parallel", "all TP collectives", Cell.Quantity(c.TensorParallel, Unit.Seconds))
            .Add("communication_s.pipeline", "all pipeline send/recv", Cell.Quantity(c.Pipeline, Unit.Seconds))
            .Add("communication_s.data_parallel", "all data-parallel gradient/parameter sync", Cell.Quantity(c.DataParallel, Unit.Seconds))
            .Add("communication_s.expert_parallel", "all expert all-to-all", Cell.Quantity(c.ExpertParallel, Unit.Seconds))
            .Add("communication_s.context_parallel", "all context-parallel KV exchange", Cell.Quantity(c.ContextParallel, Unit.Seconds))
            .Add("comm_to_compute_ratio", "communication : compute (all collectives ÷ compute)", Cell.Number(s.CommToComputeRatio));
        b.Section("throughput")
            .Add("tokens_per_s", "tokens per second", Cell.Quantity(s.TokensPerSecond, Unit.TokensPerSecond))
            .Add("mfu", "model FLOPs utilization (dense 16-bit peak)", Cell.Ratio(s.Mfu))
            .Add("hfu", "hardware FLOPs utilization (with recomputation)", Cell.Ratio(s.Hfu))
            .Add("model_flops_per_device_s", "model FLOP/s per device", Cell.Quantity(s.ModelFlopsPerDevicePerSecond, Unit.FlopPerSecond))
            .Add("model_flops_total", "model FLOPs of the run", Cell.Quantity(s.ModelFlops * job.Steps, Unit.Flop));
        b.Section("run")
            .Add("days", "wall-clock days", Cell.Quantity(run.Days, Unit.Days))
            .Add("device_hours", "device-hours", Cell.Quantity(run.DeviceHours, Unit.Hours))
            .Add("energy_mwh", "energy at the facility (MWh, with PUE)", Cell.Number(run.EnergyMWh))
            .Add("cost_usd", "cost", run.CostUsd is { } cost ? Cell.Quantity(cost, Unit.Usd) : Cell.Missing(run.CostBasis))
            .Add("cost_basis", "cost basis", Cell.Text(run.CostBasis));
        b.Section("memory per device (busiest stage)")
            .Add("memory_per_device_bytes", "total", Cell.Quantity(m.Total.Value, Unit.Bytes))
            .Add("memory.weights_bytes", "16-bit weights", Cell.Quantity(m.Weights.Value, Unit.Bytes))
            .Add("memory.gradients_bytes", "16-bit gradients", Cell.Quantity(m.Gradients.Value, Unit.Bytes))
            .Add("memory.optimizer_bytes", "optimizer state (fp32 master, Adam m and v)", Cell.Quantity(m.OptimizerState.Value, Unit.Bytes))
            .Add("memory.activations_bytes", "activations", Cell.Quantity(m.Activations.Value, Unit.Bytes))
            .Add("memory.capacity_bytes", "device memory", Cell.Quantity(m.Capacity.Value, Unit.Bytes))
            .Add("fits", "fits", Cell.Bool(m.Fits));
        if (!m.Fits) b.Warn($"does not fit: {m.Total} per device, device memory is {m.Capacity}");
        b.Note(e.Notes);
        b.Note("model state: 16 bytes per parameter = 2 (16-bit weights) + 2 (16-bit gradients) + 4 (fp32 master) + 4 (Adam m) + 4 (Adam v); ZeRO 1/2/3 shard the last 12, then the gradients, then the weights over the data-parallel group");
        b.Note("FLOPs: forward = 2 × matmul weights per token + attention 4 · seq · width per layer; model FLOPs = 3 × forward; MFU against the dense 16-bit peak");
        return b.Build();
    }

    public static Report Sweep(TrainingSweep sw)
    {
        var r = sw.Replica;
        var b = new ReportBuilder($"train sweep {sw.Model} on {sw.Cluster.Device.Device.Id}");
        b.Section("setup")
            .Add("hardware", "hardware", Cell.Text(sw.Cluster.HardwareId))
            .Add("cluster", "cluster", Cell.Text(sw.Cluster.Description))
            .Add("replica", "replica layout (kept)", Cell.Text($"tp{r.Layout.Tp} pp{r.Layout.Pp} cp{r.Layout.Cp} v{r.Layout.Interleave}, micro-batch {r.MicroBatch}, ZeRO {r.Zero}, recompute {r.Recompute.ToString().ToLowerInvariant()}" + (r.OverlapGradientReduce ? ", gradient reduce overlapped" : "")))
            .Add("global_batch", "global batch (fixed, sequences)", Cell.Count(r.GlobalBatch));
        b.Section("crossover")
            .Add("comm_equals_compute_devices", "devices where communication = compute",
                sw.CommEqualsComputeDevices is { } x ? Cell.Number(x) : Cell.Missing("communication stays below compute over the range swept"));
        var cols = new Column[]
        {
            new("devices", "devices"), new("dp", "dp"), new("step_s", "step (s)"), new("compute_s", "compute (s)"), new("communication_s", "exposed comm (s)"),
            new("all_communication_s", "all comm (s)"), new("bubble_s", "bubble (s)"), new("comm_to_compute_ratio", "comm : compute"),
            new("tokens_per_s", "tokens/s"), new("mfu", "MFU"), new("scaling_efficiency", "scaling efficiency"),
        };
        b.Table(ReportTable.Of("sweep", "data-parallel scaling at a fixed global batch", cols, sw.Points.Select(p => (IReadOnlyList<Cell>)
        [
            Cell.Count(p.Devices), Cell.Count(p.Step.Job.Layout.Dp), Cell.Quantity(p.Step.Time.Value, Unit.Seconds), Cell.Quantity(p.Step.Compute.Value, Unit.Seconds),
            Cell.Quantity(p.Step.ExposedCommunication.Value, Unit.Seconds), Cell.Quantity(p.Step.Communication.Total, Unit.Seconds),
            Cell.Quantity(p.Step.Bubble.Value, Unit.Seconds), Cell.Number(p.Step.CommToComputeRatio), Cell.Quantity(p.Step.TokensPerSecond, Unit.TokensPerSecond),
            Cell.Ratio(p.Step.Mfu), Cell.Ratio(p.ScalingEfficiency),
        ])), primary: true);
        b.Note(sw.Notes);
        b.Note("communication = every collective of the step, hidden or exposed; compute = forward, backward, recompute and the optimizer step; scaling efficiency = tokens/s per device ÷ that of the smallest count");
        return b.Build();
    }
}

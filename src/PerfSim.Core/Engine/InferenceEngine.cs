using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// The model: a pure function from (hardware deployment, workload, execution model, assumptions) to a prediction.
/// Prefill runs every prompt token of the batch in one pass; decode is one step per generated token, evaluated at
/// the mean context length (attention cost is linear in context, so the mean step is the step at the mean).
/// </summary>
public static class InferenceEngine
{
    /// <summary>Assumed: prefill runs in chunks of at most this many tokens, which bounds activation memory.</summary>
    public const int PrefillChunkTokens = 8192;

    public static Prediction Predict(Deployment d, Workload w, ExecutionModel? execution = null, Assumptions? assumptions = null)
    {
        var exec = execution ?? ExecutionModel.Ideal(d.Engine);
        var asm = assumptions ?? Assumptions.Default;
        var s = w.Scenario;
        var a = w.Arch;
        var layout = d.Layout;
        var sh = Sharding.Of(layout, a, asm.ExpertImbalance);
        var p = ParameterCount.Of(a);
        var warnings = new List<string>();

        var memory = Footprint(d, w, p, sh, exec, asm);
        if (!memory.Runnable)
            warnings.Add($"does not fit: needs {memory.Total} per device, device memory is {memory.Capacity}");
        else if (!memory.Fits)
            warnings.Add($"does not fit in device memory: {(1 - memory.ResidentFraction) * 100:0.#}% of the streamed bytes cross the host link ({d.HostLink})");

        var prefill = EvaluatePipelined(d, w, exec, asm, Stage.Prefill, s.PromptTokens, sh, p, memory);
        double meanContext = Math.Max(1, s.PromptTokens + s.GeneratedTokens / 2.0);
        var decode = EvaluatePipelined(d, w, exec, asm, Stage.Decode, meanContext, sh, p, memory);

        // The power model may lower the clock (power cap): it returns the stages with their compute-bound time stretched.
        var energy = Energy(d, w, asm, ref prefill, ref decode);
        var ttft = prefill.Time;
        var tpot = decode.Time;
        var e2e = new Seconds(ttft.Value + Math.Max(0, s.GeneratedTokens - 1) * tpot.Value);

        var decodeUtil = Utilize(d, w, decode);
        var prefillUtil = Utilize(d, w, prefill);
        if (energy.CapBinds)
            warnings.Add($"power cap binds ({energy.Cap}): clock held at {energy.DecodeClockScale * 100:0.#}% in decode, {energy.PrefillClockScale * 100:0.#}% in prefill; compute-bound time stretched to match");
        var cost = Cost(d, w, asm, energy, e2e, warnings);
        if (exec.IsIdeal) warnings.Add("no backend given: ideal backend (roofline with the profile's efficiency factors, no software overheads)");

        return PredictionChecks.Finite(new Prediction(d.HardwareId, d.Engine.Id, d.Devices, w, exec, asm, prefill, decode, ttft, tpot, e2e,
            decodeUtil, prefillUtil, energy, cost, memory, warnings, layout));
    }

    /// <summary>
    /// Per-device memory of a layout: attention and dense weights ÷ TP (KV projections ÷ their shards), routed experts
    /// ÷ their shards, layers ÷ PP (the busiest stage: ⌈layers ÷ PP⌉, with the embedding or the head at its end), the KV
    /// cache ÷ its shards, activations of one prefill chunk, and the backend's runtime reserve.
    /// </summary>
    static MemoryFootprint Footprint(Deployment d, Workload w, ParameterBreakdown p, Sharding sh, ExecutionModel exec, Assumptions asm)
    {
        var a = w.Arch;
        var q = w.Quant;
        var s = w.Scenario;
        int tp = sh.Tp, pp = d.Layout.Pp;
        double layerShare = pp > 1 ? Math.Ceiling(a.Layers / (double)pp) / a.Layers : 1;
        double body = p.Total - p.Embedding - p.LmHead;
        double attention = p.AttentionPerLayer * a.Layers;
        double experts = a.Moe is { } moe ? p.RoutedExpertPerExpert * moe.Experts * a.MoeLayers : 0;
        double rest = body - attention - experts;
        double kvProj = (a.Mla is { } mla ? a.Hidden * (double)(mla.KvLoraRank + mla.QkRopeHeadDim) : 2.0 * a.KvWidth * a.Hidden) * a.Layers;
        double attnBytes = attention * q.AttentionBytesPerWeight / tp + kvProj * q.AttentionBytesPerWeight * (1.0 / sh.KvShards - 1.0 / tp);
        double layerBytes = (attnBytes + experts * q.BytesPerWeight / sh.ExpertShards + rest * q.BytesPerWeight / tp) * layerShare;
        double emb = p.Embedding * q.EmbeddingBytesPerWeight / tp, head = p.LmHead * q.LmHeadBytesPerWeight / tp;
        double weights = layerBytes + (pp > 1 ? Math.Max(emb, head) : emb + head);
        double kv = KvBytes(w, (double)s.PromptTokens + s.GeneratedTokens) * layerShare / sh.KvShards;
        double rows = Math.Min((double)s.Batch * s.PromptTokens, PrefillChunkTokens);
        double actPerRow = (2.0 * a.Hidden + (a.QueryWidth + 2.0 * a.KvWidth) / tp + 3.0 * Math.Max(a.Intermediate, a.Moe?.ExpertIntermediate ?? 0) / tp) * q.ActivationType.Bytes();
        double act = rows * actPerRow;
        double reserve = exec.RuntimeReserve.Value;
        double streamed = weights - (pp > 1 ? 0 : emb) + kv;
        var placement = MemoryPlacement.Decide(d.Device, new Bytes(streamed), new Bytes(weights + kv + act + reserve),
            new Bytes(act), asm.CacheUsableFraction, cyclicCacheReuse: d.Engine.Kind == EngineKind.Cpu);
        bool offload = d.Device.AllowOffload && d.HostLinkBandwidth.Value > 0;
        // Without offload a model that does not fit is still timed as if it did (reported as not runnable).
        double resident = placement.Fits || !offload ? 1 : placement.ResidentFraction;
        // The largest batch whose KV cache fits beside the weights, a full prefill chunk of activations and the reserve.
        double capacity = d.Device.DeviceMemory.Capacity.Value.Value;
        double kvPerSequence = kv / Math.Max(1, s.Batch);
        double free = capacity - weights - PrefillChunkTokens * actPerRow - reserve;
        int maxBatch = kvPerSequence > 0 && free > 0 ? (int)Math.Min(int.MaxValue / 2.0, Math.Floor(free / kvPerSequence)) : 0;
        return new MemoryFootprint(new Bytes(weights), new Bytes(kv), new Bytes(act), d.Device.DeviceMemory.Capacity.Value,
            placement.Fits, offload, resident, placement.StreamLevel.Id, placement.ActivationLevel.Id, new Bytes(reserve), maxBatch, sh.KvShards, sh.KvReplicated,
            placement.CachedLevel?.Id, placement.CachedShare);
    }

    /// <summary>KV-cache bytes for the whole batch at a context length (sliding-window layers keep only the window).</summary>
    public static double KvBytes(Workload w, double context)
    {
        var a = w.Arch;
        int windowed = a.Window is { } sw ? a.Layers / sw.EveryNthLayer : 0;
        double perToken = a.KvElementsPerTokenPerLayer * w.Kv.BytesPerElement;
        double tokens = (a.Layers - windowed) * context + windowed * Math.Min(context, a.Window?.Window ?? 0);
        return w.Scenario.Batch * tokens * perToken;
    }

    /// <summary>
    /// A stage through the pipeline. One stage (PP = 1) is the graph itself. A sequential pipeline (llama.cpp layer
    /// split) runs the stages in turn: the whole model at one device's speed, plus the hand-offs. A micro-batched
    /// pipeline splits the batch into M = min(batch, PP) micro-batches: decode runs max(M, PP) stage-times per step,
    /// prefill M + PP − 1 (the bubble is PP − 1 of them); the busiest stage has ⌈layers ÷ PP⌉ layers.
    /// </summary>
    static StageResult EvaluatePipelined(Deployment d, Workload w, ExecutionModel exec, Assumptions asm, Stage stage,
        double context, Sharding sh, ParameterBreakdown p, MemoryFootprint memory)
    {
        int pp = d.Layout.Pp;
        if (pp <= 1) return EvaluateStage(d, w, exec, asm, stage, context, sh, p, memory);
        var a = w.Arch;
        var s = w.Scenario;
        int batch = s.Batch;
        double seq = stage == Stage.Prefill ? s.PromptTokens : 1;
        var link = d.CollectiveFabric.HandOff(d.Layout.ModelParallel);
        double Hand(double rows) => (pp - 1) * Collectives.Collective.SendRecv(rows * a.Hidden * OperatorGraph.CollectiveElementBytes(w.Quant), link).Time.Value;
        double tokens = stage == Stage.Prefill ? (double)batch * s.PromptTokens : batch;
        StageResult st;
        double time, scale, handoff;
        if (d.Schedule == PipelineSchedule.Sequential)
        {
            st = EvaluateStage(d, w, exec, asm, stage, context, sh, p, memory);
            handoff = Hand(batch * seq);
            time = st.Time.Value + handoff;
            scale = 1.0 / pp;                     // each device does its share of the work per step
        }
        else
        {
            int m = Math.Min(batch, pp);
            int micro = (batch + m - 1) / m;
            st = EvaluateStage(d, w with { Scenario = Scenario.Of(micro, s.PromptTokens, s.GeneratedTokens) }, exec, asm, stage, context, sh, p, memory);
            double layerImbalance = Math.Ceiling(a.Layers / (double)pp) * pp / a.Layers;
            double stageTime = st.Time.Value * layerImbalance / pp;
            double slots = stage == Stage.Decode ? Math.Max(m, pp) : m + pp - 1;
            handoff = Hand(micro * seq);
            time = slots * stageTime + handoff;
            scale = (double)m / pp;
        }
        double ratio = time > 0 ? (time - handoff) / st.Time.Value : 1;
        var byBound = st.TimeByBound.ToDictionary(kv => kv.Key, kv => kv.Value * ratio);
        byBound[Bound.Interconnect] = (byBound.TryGetValue(Bound.Interconnect, out var ic) ? ic : Seconds.Zero) + new Seconds(handoff);
        var bound = byBound.OrderByDescending(kv => kv.Value.Value).First().Key;
        return st with
        {
            Time = new Seconds(time),
            Tokens = tokens,
            Bound = bound,
            Flops = st.Flops * scale,
            BytesByLevel = st.BytesByLevel.ToDictionary(kv => kv.Key, kv => kv.Value * scale, StringComparer.Ordinal),
            TimeByBound = byBound,
            Communication = new Seconds(st.Communication.Value * ratio + handoff),
            PipelineHandOff = new Seconds(handoff),
        };
    }

    static StageResult EvaluateStage(Deployment d, Workload w, ExecutionModel exec, Assumptions asm, Stage stage,
        double context, Sharding sh, ParameterBreakdown p, MemoryFootprint memory)
    {
        var ops = OperatorGraph.Build(w, stage, context, sh, p);
        var device = d.Device;
        var (stream, actLevel, cached) = memory.LevelsOn(device);
        var timer = new OperatorTimer(d, exec, w.Quant, stream, actLevel, memory.ResidentFraction, asm.CommunicationOverlap, cached, memory.CachedShare);

        var results = new List<OperatorResult>(ops.Count);
        var byBound = new Dictionary<Bound, Seconds>();
        var bytesByLevel = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0, flops = 0, communication = 0;
        foreach (var op in ops)
        {
            var (point, streamedBytes, overHost) = timer.Time(op);
            var opTotal = point.Time * op.Repeat;
            total += opTotal.Value;
            flops += op.Flops * op.Repeat;
            // Communication is the part of the operator's time the collective adds beyond its own work.
            double bodyTime = Math.Max(point.Compute.Value, Math.Max(point.Memory.Value, point.Kernel.Value));
            communication += Math.Max(0, point.Time.Value - bodyTime) * op.Repeat;
            byBound[point.Bound] = (byBound.TryGetValue(point.Bound, out var t) ? t : Seconds.Zero) + opTotal;
            Add(bytesByLevel, stream.Id, (streamedBytes - overHost) * (1 - timer.CachedShare) * op.Repeat);
            if (cached is not null) Add(bytesByLevel, cached.Id, (streamedBytes - overHost) * timer.CachedShare * op.Repeat);
            Add(bytesByLevel, actLevel.Id, op.ActivationBytes * op.Repeat);
            if (overHost > 0) Add(bytesByLevel, "host-link", overHost * op.Repeat);
            results.Add(new OperatorResult(op, point, opTotal, op.WeightBytes > 0 ? (overHost > 0 ? stream.Id + "+host-link" : stream.Id) : "-", timer.Collective(op)));
        }
        // Host time of the step: fixed, per layer, and per sequence (a prefill pass carries the whole batch's prompts too).
        var overhead = new Seconds(exec.OverheadPerStep.Value + exec.OverheadPerLayer.Value * w.Arch.Layers
            + exec.OverheadPerSequence.Value * w.Scenario.Batch + exec.OverheadPerCollective.Value * CollectiveCalls(ops));
        if (overhead.Value > 0) byBound[Bound.Overhead] = overhead;
        total += overhead.Value;
        var bound = byBound.OrderByDescending(kv => kv.Value.Value).First().Key;
        double tokens = stage == Stage.Prefill ? (double)w.Scenario.Batch * w.Scenario.PromptTokens : w.Scenario.Batch;
        return new StageResult(stage, new Seconds(total), tokens, context, bound, flops, bytesByLevel, byBound, overhead, results,
            new Seconds(communication));
    }

    /// <summary>Collective calls in one pass of the graph (each operator that moves bytes between devices, times its repeat).</summary>
    public static double CollectiveCalls(IEnumerable<Operator> ops) => ops.Where(o => o.CollectiveBytes > 0).Sum(o => (double)o.Repeat);

    static void Add(Dictionary<string, double> d, string key, double v)
    {
        if (v <= 0) return;
        d[key] = d.TryGetValue(key, out var x) ? x + v : v;
    }

    /// <summary>An all-reduce of `bytes` over `n` devices of the deployment's fabric, by the fastest algorithm (α–β model).</summary>
    public static double AllReduceSeconds(Deployment d, double bytes, int n) =>
        Collectives.Collective.Cost(Collectives.CollectiveOp.AllReduce, bytes, d.CollectiveFabric.Group(n)).Time.Value;

    static Utilization Utilize(Deployment d, Workload w, StageResult st)
    {
        var (_, peak) = d.Engine.PeakFor(w.Quant.ComputeType);
        var devMem = d.Device.DeviceMemory;
        double fromDram = st.BytesByLevel.TryGetValue(devMem.Id, out var b) ? b : 0;
        double t = st.Time.Value;
        return new Utilization(st.Flops / (t * peak.Value), fromDram / (t * d.PeakBandwidth(devMem).Value));
    }

    /// <summary>
    /// Energy and power of both stages through <see cref="Power.PowerModel"/>: dynamic energy (per FLOP by data type, per
    /// byte at every level including the last-level cache every device-memory byte crosses and the register-file /
    /// shared-memory operand traffic, per link byte) plus idle and the active baseline over the stage's time, with the
    /// clock lowered where the group's power limit binds (the stage is returned stretched).
    /// </summary>
    static EnergyResult Energy(Deployment d, Workload w, Assumptions asm, ref StageResult prefill, ref StageResult decode)
    {
        var cls = Power.PowerClasses.Of(d.Device, d.Engine);
        var par = asm.PowerParameters.For(cls);
        // The sustained limit applies to sustained load only (asm.SustainedPower); a burst is held at the TDP.
        bool sustained = asm.SustainedPower && d.Device.Power.Sustained is not null;
        double capDevice = sustained ? d.Device.Power.Sustained!.Value.Value.Value : d.Device.Power.Tdp.Value.Value;
        double groupCap = d.GroupTdp.Value * capDevice / Math.Max(1e-9, d.Device.Power.Tdp.Value.Value);
        var onChip = d.Device.Memory.FirstOrDefault(m => m != d.Device.DeviceMemory && m.Kind is MemoryKind.L2 or MemoryKind.L3 or MemoryKind.Slc or MemoryKind.Sram);

        (EnergyBreakdown, StageResult, Power.PowerPoint) Of(StageResult st, double perUnits)
        {
            double arith = 0, flops = 0;
            foreach (var r in st.Operators)
            {
                double f = r.Operator.Flops * r.Operator.Repeat;
                flops += f;
                arith += f * EnergyDefaults.For(d.Engine, r.Operator.ComputeType, d.Device.Power.Tdp.Value, d.Device.Power.Idle.Value).Value;
            }
            var moves = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (level, bytes) in st.BytesByLevel)
            {
                var l = d.Device.Memory.FirstOrDefault(m => m.Id == level);
                double jpb = l is not null ? EnergyDefaults.For(l).Value : EnergyDefaults.PerByte(MemoryKind.Ddr5).Energy.Value;
                moves[level] = bytes * jpb;
            }
            // On chip: device-memory bytes also cross the last-level cache / NoC; operands cross the register file.
            double dram = st.BytesByLevel.TryGetValue(d.Device.DeviceMemory.Id, out var db) ? db : 0;
            if (par.L2PassThrough && onChip is not null && dram > 0)
                moves[onChip.Id] = (moves.TryGetValue(onChip.Id, out var x) ? x : 0) + dram * EnergyDefaults.For(onChip).Value;
            moves["register-file"] = flops * par.OnChipBytesPerFlop * par.OnChipEnergy.Value;
            double collective = st.Operators.Sum(r => r.Operator.CollectiveBytes * r.Operator.Repeat);
            // Each device sends and receives its share; counted only when the link profile gives an energy per bit.
            double links = collective * 2.0 * (d.Devices - 1) / d.Devices * (d.CollectiveEnergy?.Value ?? 0) * d.Devices;
            double dynamic = (arith + moves.Values.Sum()) * d.Devices + links;
            var util = Utilize(d, w, st);
            var spans = st.Operators.Select(r => new Power.ClockedSpan(r.PerOccurrence.Compute.Value,
                Math.Max(r.PerOccurrence.Memory.Value, r.PerOccurrence.Kernel.Value), r.Operator.Repeat)).ToArray();
            // While the host works (the stage's overhead) no kernel runs: the devices draw idle power, not the busy baseline.
            var pt = Power.PowerModel.Evaluate(new Power.PowerInput(st.Time.Value, dynamic,
                Math.Max(util.Compute, util.MemoryBandwidth), d.GroupIdle.Value, d.GroupTdp.Value, groupCap, sustained, st.Overhead.Value), spans, par);
            var stretched = st;
            if (pt.Seconds != st.Time.Value)
            {
                var byBound = st.TimeByBound.ToDictionary(kv => kv.Key, kv => kv.Value);
                byBound[Bound.Compute] = new Seconds((byBound.TryGetValue(Bound.Compute, out var c) ? c.Value : 0) + pt.Seconds - st.Time.Value);
                stretched = st with { Time = new Seconds(pt.Seconds), TimeByBound = byBound };
            }
            var breakdown = new EnergyBreakdown(new Joules(arith * d.Devices / perUnits),
                moves.ToDictionary(kv => kv.Key, kv => new Joules(kv.Value * d.Devices / perUnits), StringComparer.Ordinal),
                new Joules(links / perUnits), new Joules(pt.IdleJoules / perUnits), new Joules(pt.BaselineJoules / perUnits));
            return (breakdown, stretched, pt);
        }
        var (dec, decSt, decPt) = Of(decode, w.Scenario.Batch);
        var (pre, preSt, prePt) = Of(prefill, (double)w.Scenario.Batch * w.Scenario.PromptTokens);
        decode = decSt;
        prefill = preSt;
        double perQuery = (pre.Total.Value * w.Scenario.PromptTokens + dec.Total.Value * Math.Max(0, w.Scenario.GeneratedTokens - 1));
        return new EnergyResult(dec, pre, new Joules(perQuery), new Watts(decPt.Watts), new Watts(prePt.Watts), false,
            new Watts(groupCap), decPt.CapBinds, prePt.CapBinds, decPt.ClockScale, prePt.ClockScale, Power.PowerClasses.Name(cls));
    }

    static CostResult? Cost(Deployment d, Workload w, Assumptions asm, EnergyResult energy, Seconds e2e, List<string> warnings)
    {
        var s = w.Scenario;
        double busyKw = Math.Min(energy.DecodePower.Value, d.GroupTdp.Value) / 1000;
        double electricityPerHour = busyKw * asm.Pue * asm.UsdPerKwh;
        bool useCloud = asm.Pricing == Pricing.Cloud || (asm.Pricing == Pricing.Auto && d.GroupPurchase is null);
        double hourly;
        string basis;
        if (useCloud)
        {
            if (d.GroupCloudHourly is not { } c) { warnings.Add("no price in the hardware profile: cost not computed"); return null; }
            hourly = c.Value / asm.FleetUtilization;
            basis = $"cloud {c} for the group ÷ {asm.FleetUtilization:0.##} fleet utilization";
        }
        else
        {
            if (d.GroupPurchase is not { } pr) { warnings.Add("no purchase price in the hardware profile: cost not computed"); return null; }
            double capitalPerHour = pr.Value / (asm.LifetimeYears * 8766);
            hourly = capitalPerHour / asm.FleetUtilization + electricityPerHour;
            basis = $"purchase {pr} over {asm.LifetimeYears:0.##} years ÷ {asm.FleetUtilization:0.##} utilization + {busyKw:0.###} kW × PUE {asm.Pue:0.##} × {asm.UsdPerKwh:0.###} USD/kWh";
        }
        double perQuery = hourly / 3600 * e2e.Value / s.Batch;
        double perMillion = perQuery / Math.Max(1, s.GeneratedTokens) * 1e6;
        return new CostResult(hourly, perMillion, perQuery, basis);
    }
}

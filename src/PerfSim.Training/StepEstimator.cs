using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;
using PerfSim.Training.Communication;

using CommGroup = PerfSim.Training.Communication.CommGroup;

namespace PerfSim.Training;

/// <summary>
/// Times one training step: every operator of the training graph through the shared operator timer (roofline of
/// its own shapes on the device), the collectives through the collective model, the pipeline schedule on top.
/// Order of ranks (innermost first): tp, cp, dp (ep inside dp), pp — Megatron-LM's default — decides which groups
/// stay inside a node. Tensor-parallel traffic is on the critical path unless `OverlapTensorComm`; expert all-to-all is;
/// pipeline sends block each micro-batch slot; the data-parallel gradient reduction is exposed unless
/// `OverlapGradientReduce` (then it hides behind the last micro-batch's backward, all but one layer's bucket);
/// ZeRO-3 gathers and reduce-scatters overlap each micro-batch's compute (prefetch) except the first layer's.
/// </summary>
public static class StepEstimator
{
    /// <summary>The Adam kernel's traffic per locally updated parameter: read the fp32 master weight, gradient, m and v
    /// (16 bytes), write master, m and v (12).</summary>
    public const double AdamBytesPerParameter = 28;

    /// <summary>
    /// The optimizer step's traffic per locally updated parameter, kernel by kernel, as mixed-precision Adam runs it
    /// (Megatron-LM's Float16Optimizer and DeepSpeed's fp16 optimizer keep fp32 master weights and step on an fp32 copy
    /// of the gradient; recalled from their sources, not in the reference material): the 16-bit gradient copied to fp32
    /// (read 2, write 4); with fp16 only, the loss-scale unscale and inf/NaN check (read 4, write 4); the gradient norm
    /// for clipping (read 4); Adam (<see cref="AdamBytesPerParameter"/>); the new 16-bit weights from the master (read 4,
    /// write 2); zeroing the gradient buffer for the next step (write 2).
    /// </summary>
    public static double OptimizerBytesPerParameter(DataType precision) =>
        (2 + 4) + (precision == DataType.Fp16 ? 4 + 4 : 0) + 4 + AdamBytesPerParameter + (4 + 2) + TrainingMemory.GradientBytes;

    /// <summary>Gradient accumulation by a separate kernel, per parameter and micro-batch: read the micro-batch's 16-bit
    /// gradient, read and write the 16-bit buffer it is added to (6 bytes). A fused weight-gradient GEMM adds in place.</summary>
    public const double UnfusedAccumulationBytesPerParameter = 3 * TrainingMemory.GradientBytes;

    public static TrainingStep Estimate(TrainingJob job, ClusterTopology cluster, QuantScheme precision, ExecutionModel exec, ICollectiveModel comm)
    {
        Check(job, cluster);
        var notes = new List<string>();
        var a = job.Arch;
        var L = job.Layout;
        var d = cluster.Device;
        var hbm = d.Device.DeviceMemory;
        var timer = new OperatorTimer(d, exec, precision, hbm, hbm, 1);
        var ops = TrainingGraph.Build(job, precision);

        double Sum(IEnumerable<TrainingOperator> list, Pass pass) => list.Where(o => o.Pass == pass).Sum(o => timer.Time(o.Op).Point.Time.Value);
        double SumKind(IEnumerable<TrainingOperator> list, OperatorKind kind) => list.Where(o => o.Op.Kind == kind).Sum(o => timer.Time(o.Op).Point.Time.Value);
        double AttentionTime(IEnumerable<TrainingOperator> list, Pass pass) => list.Where(o => o.Pass == pass && o.Op.Kind == OperatorKind.Attention).Sum(o => timer.Time(o.Op).Point.Time.Value);

        int layersPerStage = (int)Math.Ceiling((double)a.Layers / L.Pp);
        double moeShare = a.Layers == 0 ? 0 : (double)a.MoeLayers / a.Layers;
        double denseLayers = layersPerStage * (1 - moeShare), moeLayers = layersPerStage * moeShare;
        double Layer(Pass p) => denseLayers * Sum(ops.Dense, p) + (moeLayers > 0 ? moeLayers * Sum(ops.Moe, p) : 0);
        double localParams = TrainingMemory.ParametersOnBusiestStage(job);
        double hbmBw = d.PeakBandwidth(hbm).Value * exec.MemoryBandwidthEfficiency;
        // Unfused gradient accumulation: each micro-batch's weight gradients added into the buffer by a kernel of its own
        // (over the gradient shard a device keeps: all its parameters, or 1/dp of them when ZeRO 2–3 reduce-scatters
        // every micro-batch).
        double accumulate = job.FusedGradientAccumulation ? 0
            : localParams / (job.Zero >= 2 ? L.Dp : 1) * UnfusedAccumulationBytesPerParameter / hbmBw;
        double fwd = Layer(Pass.Forward) + Sum(ops.Logits, Pass.Forward);
        double bwd = Layer(Pass.Backward) + Sum(ops.Logits, Pass.Backward) + accumulate;
        double rec = Layer(Pass.Recompute);
        // A stage without the logits (the pipeline's fill and drain run through these; the last stage's extra work
        // sets the steady state only).
        double plainStageSlot = Layer(Pass.Forward) + Layer(Pass.Backward) + accumulate + rec;

        // Collectives inside each micro-batch.
        int node = cluster.DevicesPerNode;
        double tokens = (double)job.MicroBatch * job.SeqLen / L.Cp;
        double ab = 2;
        int passesWithForward = job.Recompute == Recompute.Full ? 3 : 2;           // forward, backward (+ recomputed forward)
        var tpGroup = CommGroup.Of(L.Tp, 1, node);
        double tpPerLayer = 2 * comm.AllReduce(tokens * a.Hidden * ab, tpGroup).Value;  // SP: all-gather + reduce-scatter, the same bytes
        double tpComm = tpPerLayer * passesWithForward * layersPerStage;
        if (tpGroup.Size > 1 && !tpGroup.IntraNodeOnly) notes.Add($"tensor parallelism over {L.Tp} devices crosses nodes of {node}");

        double epComm = 0;
        if (a.Moe is { } moe && L.Ep > 1)
        {
            var epGroup = CommGroup.Of(L.Ep, L.Tp * L.Cp, node);
            double bytes = tokens * moe.Active * a.Hidden * ab / (L.SequenceParallel ? L.Tp : 1);
            epComm = 2 * comm.AllToAll(bytes, epGroup).Value * passesWithForward * moeLayers;
        }

        double cpComm = 0, cpExposed = 0;
        if (L.Cp > 1)
        {
            var cpGroup = CommGroup.Of(L.Cp, L.Tp, node);
            double kvBytes = (double)job.MicroBatch * job.SeqLen * 2 * a.KvWidth * ab / L.Tp;
            double perLayer = comm.AllGather(kvBytes, cpGroup).Value;
            cpComm = perLayer * passesWithForward * layersPerStage;
            // Ring attention overlaps the KV exchange with the attention of the blocks already received.
            double attn = AttentionTime(ops.Dense, Pass.Forward);
            cpExposed = Math.Max(0, perLayer - attn) * passesWithForward * layersPerStage;
        }

        long m = job.MicroBatches;
        int v = Math.Max(1, L.Interleave);
        double perMicroBatch = fwd + bwd + rec;

        // Pipeline: activations forward and their gradients backward at every chunk boundary (1/tp of them over the
        // network: Megatron's scatter/gather optimization), blocking each slot.
        double p2p = 0, p2pSteady = 0, p2pBubble = 0;
        if (L.Pp > 1)
        {
            var ppGroup = CommGroup.Of(L.Pp, L.Tp * L.Cp * L.Dp, node);
            p2p = comm.SendRecv(tokens * a.Hidden * ab / L.Tp, crossesNodes: ppGroup.PerNode == 1).Value;
            p2pSteady = 2 * p2p * v * m;
            p2pBubble = 2 * p2p * (L.Pp - 1);
        }
        double bubbleSlots = PipelineSchedule.BubbleMicroBatches(L.Pp, v);
        // With --tp-comm-overlap the TP collectives hide behind the GEMMs next to them; what exceeds them stays exposed.
        double matmuls = denseLayers * (SumKind(ops.Dense, OperatorKind.Matmul)) + moeLayers * SumKind(ops.Moe, OperatorKind.Matmul);
        double tpExposed = job.OverlapTensorComm ? Math.Max(0, tpComm - matmuls) : tpComm;
        double inMicroBatchComm = tpExposed + epComm + cpExposed;
        double bubble = bubbleSlots * (plainStageSlot + inMicroBatchComm) + p2pBubble;

        // Data parallelism.
        double expertParams = a.Moe is { } mo ? a.MoeLayers * mo.Experts * job.Parameters.RoutedExpertPerExpert * ((double)layersPerStage / a.Layers) / L.Ep / L.Tp : 0;
        double denseParams = localParams - expertParams;
        var dpGroup = CommGroup.Of(L.Dp, L.Tp * L.Cp, node);
        var edpGroup = CommGroup.Of(Math.Max(1, L.Dp / L.Ep), L.Tp * L.Cp * L.Ep, node);
        double gb = TrainingMemory.GradientBytes, wbytes = TrainingMemory.WeightBytes;
        double dpComm, dpExposed;
        if (job.Zero >= 3)
        {
            // ZeRO-3/FSDP shard every parameter flatly over all data-parallel ranks and gather it per module: a flat
            // ring whose every hop, once the group spans nodes, runs at the device's NIC share (no NVLink stage).
            // Narayanan et al. 2021 Table 2 shows that signature: at 768–2240 A100s the ZeRO-3 step time stops
            // falling with N (bandwidth-bound ring), at 21–24 GB/s per GPU, about one HDR NIC each.
            dpGroup = FlatOverNetwork(dpGroup);
            edpGroup = FlatOverNetwork(edpGroup);
            double gathers = (job.Recompute == Recompute.Full ? 3 : 2);
            double perMb = gathers * (comm.AllGather(denseParams * wbytes, dpGroup).Value + comm.AllGather(expertParams * wbytes, edpGroup).Value)
                           + comm.ReduceScatter(denseParams * gb, dpGroup).Value + comm.ReduceScatter(expertParams * gb, edpGroup).Value;
            dpComm = perMb * m;
            double hidden = perMicroBatch;
            dpExposed = m * (Math.Max(0, perMb - hidden) + perMb / Math.Max(1, layersPerStage) / gathers);
            notes.Add("ZeRO-3: parameters gathered before each use and gradients reduce-scattered every micro-batch, overlapped with compute by prefetch");
        }
        else
        {
            dpComm = job.Zero == 0
                ? comm.AllReduce(denseParams * gb, dpGroup).Value + comm.AllReduce(expertParams * gb, edpGroup).Value
                : comm.ReduceScatter(denseParams * gb, dpGroup).Value + comm.AllGather(denseParams * wbytes, dpGroup).Value
                  + comm.ReduceScatter(expertParams * gb, edpGroup).Value + comm.AllGather(expertParams * wbytes, edpGroup).Value;
            dpExposed = job.OverlapGradientReduce && dpComm > 0
                ? Math.Max(dpComm - (bwd + rec), dpComm / Math.Max(1, layersPerStage))
                : dpComm;
        }

        // Optimizer step: a streaming update of the locally owned parameters; with CPU/NVMe offload the gradients go
        // down and the new weights come back over the host link (the host's Adam itself assumed hidden behind it).
        double owned = job.Zero >= 1 ? localParams / L.Dp : localParams;
        double optimizer;
        if (job.Offload == Offload.None)
            optimizer = owned * OptimizerBytesPerParameter(job.Precision) / hbmBw;
        else
        {
            double host = d.HostLinkBandwidth.Value;
            optimizer = host > 0 ? owned * (gb + wbytes) / host : double.PositiveInfinity;
            notes.Add($"optimizer offloaded to {job.Offload.ToString().ToLowerInvariant()}: gradients and weights cross the host link each step; the host's Adam is assumed hidden behind it");
        }

        double compute = m * perMicroBatch + optimizer;
        double exposed = m * inMicroBatchComm + p2pSteady + dpExposed;
        var commTimes = new CommunicationTimes(m * tpComm, m * epComm, m * cpComm, p2pSteady + p2pBubble, dpComm, exposed);

        var peak = d.Engine.PeakFor(DataType.Bf16).Peak.Value;
        double modelFlops = TrainingFlops.ModelPerToken(job.Parameters, job.SeqLen) * job.TokensPerStep;
        double hardwareFlops = TrainingFlops.HardwarePerToken(job.Parameters, job.SeqLen, job.Recompute) * job.TokensPerStep;
        return new TrainingStep(job, new(compute), new(exposed), new(bubble), new(optimizer), commTimes, modelFlops, hardwareFlops, peak,
            TrainingMemory.Of(job, cluster.DeviceMemory), notes);
    }

    /// <summary>A group that spans nodes, run as one flat ring over the network (every hop at the NIC share).</summary>
    static CommGroup FlatOverNetwork(CommGroup g) => g.IntraNodeOnly ? g : new CommGroup(g.Size, 1);

    /// <summary>Refuses a job that the layout cannot run, with one line naming the option.</summary>
    public static void Check(TrainingJob job, ClusterTopology cluster)
    {
        var a = job.Arch;
        var L = job.Layout;
        if (L.Tp < 1 || L.Pp < 1 || L.Dp < 1 || L.Ep < 1 || L.Cp < 1 || L.Interleave < 1) throw new ArgumentException("--tp, --pp, --dp, --ep, --cp must each be at least 1");
        if (job.SeqLen < 1) throw new ArgumentException($"--seq-len must be at least 1, got {job.SeqLen}");
        if (job.MicroBatch < 1) throw new ArgumentException($"--micro-batch must be at least 1, got {job.MicroBatch}");
        if (job.Zero is < 0 or > 3) throw new ArgumentException($"--zero must be 0, 1, 2 or 3, got {job.Zero}");
        if (a.Heads % L.Tp != 0) throw new ArgumentException($"--tp {L.Tp} must divide the model's {a.Heads} attention heads");
        if (L.Pp > a.Layers) throw new ArgumentException($"--pp {L.Pp} exceeds the model's {a.Layers} layers");
        if (L.Interleave > 1 && L.Pp * L.Interleave > a.Layers) throw new ArgumentException($"interleaving {L.Interleave} chunks on {L.Pp} stages needs at least {L.Pp * L.Interleave} layers; the model has {a.Layers}");
        if (L.Ep > 1 && (a.Moe is null || a.Moe.Experts % L.Ep != 0 || L.Dp % L.Ep != 0))
            throw new ArgumentException($"--ep {L.Ep} needs a mixture-of-experts model whose experts and --dp it divides");
        if (job.GlobalBatch < L.Dp)
            throw new ArgumentException($"--global-batch {job.GlobalBatch} gives some of the {L.Dp} data-parallel replicas no sequence");
        if (cluster.DevicesPerNode < 1) throw new ArgumentException("a node must hold at least one device");
    }
}

using PerfSim.Core.Collectives;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;
using PerfSim.Data.Catalog;
using PerfSim.Training;
using PerfSim.Training.Communication;

namespace PerfSim.Composition;

/// <summary>A resolved training request: the cluster, the job (layout possibly still open), the arithmetic and the notes.</summary>
public sealed record TrainingSetup(TrainingRequest Request, ClusterTopology Cluster, TrainingJob Job, int Devices, QuantScheme Precision,
    ExecutionModel Execution, IReadOnlyList<string> Notes)
{
    public ICollectiveModel Collectives => new SharedCollectives(Cluster);
}

/// <summary>A training estimate: the setup, the fastest (or given) step, and the whole run.</summary>
public sealed record TrainingEstimate(TrainingSetup Setup, TrainingStep Step, TrainingRun Run, bool Searched)
{
    public TrainingOutcome Outcome => new(Setup.Request.Architecture?.Id ?? Setup.Request.Model, Setup.Precision.Id, Setup.Cluster, Step, Run, Searched,
        Setup.Notes.Concat(Step.Notes).ToArray());
}

/// <summary>
/// Training request → cluster and job → estimate. Resolves hardware (a device, or a system whose node it takes),
/// the model, the precision and the network; the only place training IDs are resolved.
/// </summary>
public static class TrainingComposer
{
    /// <summary>Assumed when a profile gives no latency: 5 µs per collective step (NCCL launch + hop, order of magnitude).</summary>
    public static readonly Seconds AssumedLatency = Deployment.AssumedLinkLatency;

    public static TrainingEstimate Estimate(ProfileCatalog catalog, TrainingRequest request)
    {
        var setup = Compose(catalog, request);
        var L = setup.Job.Layout;
        bool fixedLayout = request.Tp is not null && request.Pp is not null && request.Dp is not null && request.MicroBatch is not null
                           && request.Recompute is not null && request.Zero is not null && (request.Interleave is not null || request.Pp == 1);
        TrainingStep step;
        if (fixedLayout)
            step = Wrap(() => StepEstimator.Estimate(setup.Job, setup.Cluster, setup.Precision, setup.Execution, setup.Collectives));
        else
        {
            var fix = new PerfSim.Training.LayoutSearch.SearchFixed(request.Tp, request.Pp, request.Dp, request.Ep, request.Zero, request.Recompute, request.MicroBatch,
                request.Interleave, request.SequenceParallel, request.Cp);
            step = PerfSim.Training.LayoutSearch.Fastest(setup.Job, setup.Devices, fix, setup.Cluster, setup.Precision, setup.Execution, setup.Collectives)
                   ?? throw new DoesNotFitException($"no layout of {setup.Devices} × {setup.Cluster.Device.Device.Id} holds the model with the options given ({setup.Cluster.DeviceMemory} per device)");
        }
        var run = TrainingRun.Of(step, setup.Cluster, request.Assumptions, request.Pricing, request.CloudUsdPerDeviceHour);
        return new TrainingEstimate(setup, step, run, !fixedLayout);
    }

    /// <summary>
    /// Data-parallel scaling at the request's global batch: the replica (tp, pp, micro-batch, recomputation, ZeRO) as
    /// given, or as the layout search picks it at the smallest device count, repeated on every count.
    /// </summary>
    public static TrainingSweep Sweep(ProfileCatalog catalog, TrainingRequest request, IReadOnlyList<int> deviceCounts)
    {
        if (deviceCounts.Count == 0) throw new UsageException("--sweep-devices: no device counts");
        int first = deviceCounts.Min();
        var start = Estimate(catalog, request with { Devices = first, Dp = request.Dp is null ? null : first / ((request.Tp ?? 1) * (request.Pp ?? 1) * request.Cp) });
        var replica = start.Step.Job;
        var points = DeviceSweep.Run(replica, deviceCounts, start.Setup.Cluster, start.Setup.Precision, start.Setup.Execution, c => new SharedCollectives(c));
        return new TrainingSweep(request.Model, start.Setup.Cluster, replica, points, DeviceSweep.CommunicationEqualsCompute(points), start.Setup.Notes);
    }

    public static TrainingSetup Compose(ProfileCatalog catalog, TrainingRequest r)
    {
        RequestChecks.Assumptions(r.Assumptions);
        var notes = new List<string>();
        var model = r.Architecture ?? ModelSource.Load(catalog, r.Model).Model;
        var arch = model.Architecture;
        var precision = catalog.GetQuant(r.Precision);
        if (precision.ComputeType is not (DataType.Bf16 or DataType.Fp16 or DataType.Fp8))
            throw new UsageException($"--precision must be bf16, fp16 or fp8 (16-bit weights and gradients, fp32 master weights), got '{r.Precision}'");
        var cluster = Cluster(catalog, r, notes);

        int seq = r.SeqLen ?? Math.Min(arch.MaxContext, 4096);
        if (seq < 1) throw new UsageException($"--seq-len must be at least 1, got {seq}");
        if (r.SeqLen is null) notes.Add($"sequence length {seq}: the model's context (at most 4096)");
        long global = r.GlobalBatch ?? Math.Max(1, 3_145_728L / seq);
        if (global < 1) throw new UsageException($"--global-batch must be at least 1, got {global}");
        if (r.GlobalBatch is null) notes.Add($"global batch {global} sequences (about 3.1M tokens, GPT-3's batch): --global-batch to change");
        if (!(r.Tokens > 0 && double.IsFinite(r.Tokens))) throw new UsageException($"--tokens must be a positive number, got {r.Tokens}");

        int tp = r.Tp ?? 1, pp = r.Pp ?? 1, cp = r.Cp;
        int devices = r.Devices ?? (r.Tp is not null && r.Pp is not null && r.Dp is not null ? tp * pp * r.Dp.Value * cp : cluster.DevicesPerNode);
        if (devices < 1) throw new UsageException($"--devices must be at least 1, got {devices}");
        int dp = r.Dp ?? Math.Max(1, devices / (tp * pp * cp));
        if (r.Tp is not null && r.Pp is not null && r.Dp is not null && tp * pp * dp * cp != devices)
            throw new UsageException($"--tp × --pp × --dp × --cp = {tp * pp * dp * cp} must equal --devices {devices}");
        if (devices > cluster.DevicesPerNode && cluster.InterNode.Bandwidth.Value <= 0)
            throw new UsageException($"--devices {devices} spans nodes of {cluster.DevicesPerNode} but {cluster.HardwareId} has no scale-out network: give --network (an interconnect ID)");
        var layout = new TrainingLayout(tp, pp, dp, r.Ep ?? 1, cp, r.Interleave ?? 1, r.SequenceParallel ?? tp > 1);
        var job = new TrainingJob(arch, ParameterCount.Of(arch), seq, global, r.MicroBatch ?? 1, layout, r.Zero ?? 0,
            r.Recompute ?? Recompute.None, r.Offload, precision.ComputeType, r.OverlapGradientReduce, r.Tokens, r.FlashAttention, r.OverlapTensorComm,
            r.FusedGradientAccumulation);
        var device = cluster.Device;
        var exec = r.Execution ?? ExecutionModel.Ideal(device.Engine);
        if (r.GemmEfficiency is { } g)
        {
            if (!(g > 0 && g <= 1)) throw new UsageException($"GEMM efficiency must be in (0, 1], got {g}");
            exec = exec with { Id = "fitted", IsIdeal = false, GemmEfficiency = g, Description = $"fitted GEMM efficiency {g:0.###} for {device.Device.Id}" };
        }
        return new TrainingSetup(r, cluster, job, devices, precision, exec, notes);
    }

    /// <summary>
    /// The cluster: a system profile gives the node (its device, count, fabric, NICs, power and price per device);
    /// a device profile takes the node of the first system built from it, else a node of one device.
    /// </summary>
    public static ClusterTopology Cluster(ProfileCatalog catalog, TrainingRequest r, List<string> notes)
    {
        var hw = catalog.GetHardware(r.Hardware);
        var system = hw.System is not null ? hw
            : catalog.Hardware.Values.Where(h => h.System?.Device == hw.Id).OrderBy(h => h.Id, StringComparer.Ordinal).FirstOrDefault();
        var deviceId = system?.System!.Device ?? hw.Id;
        var deployment = DeploymentResolver.Resolve(catalog, deviceId, 1);
        var dev = deployment.Device;
        // Without a system profile, an NVLink device is taken to sit on an 8-GPU baseboard (HGX-style; assumed).
        int perNode = r.DevicesPerNode ?? system?.System!.Count ?? (dev.DeviceLink is not null ? 8 : 1);
        if (system is null && r.DevicesPerNode is null && dev.DeviceLink is not null) notes.Add("node: 8 devices on their NVLink (assumed: an HGX-style baseboard; --devices-per-node to change)");
        if (perNode < 1) throw new UsageException($"--devices-per-node must be at least 1, got {perNode}");
        if (system is not null && hw.System is null) notes.Add($"node: {system.Id} ({system.System!.Count} × {deviceId}), its fabric and NICs");

        LinkLevel Level(string interconnect, int count, double share, bool allPairs, bool reduce)
        {
            var ic = catalog.GetInterconnect(interconnect);
            // The β term at the collective library's share of the link's peak, as the inference fabric prices it.
            return new LinkLevel($"{count} × {ic.Id}" + (share != 1 ? $" ÷ {1 / share:0.#}" : ""), ic.Latency?.Value ?? AssumedLatency,
                new BytesPerSecond(ic.BandwidthPerDirection.Value.Value * count * share), allPairs, reduce, LinkLevel.AssumedCollectiveEfficiency);
        }

        LinkLevel intra;
        if (system?.System is { } s)
        {
            var kind = catalog.GetInterconnect(s.Fabric.Interconnect).Kind;
            intra = Level(s.Fabric.Interconnect, s.Fabric.Count, 1, kind is InterconnectKind.Nvswitch or InterconnectKind.InfinityFabric or InterconnectKind.Ethernet, false);
        }
        else if (dev.DeviceLink is { } dl) intra = Level(dl.Interconnect, dl.Count, 1, false, false);
        else if (dev.HostLink is { } hl) intra = Level(hl.Interconnect, hl.Count, 1, false, false);
        else intra = new LinkLevel("none", AssumedLatency, new BytesPerSecond(0), false, false);

        bool sharp = r.InNetworkReduction ?? false;
        LinkLevel inter;
        if (r.Network is { } net)
        {
            int nics = r.NicsPerNode ?? perNode;
            if (nics < 1) throw new UsageException($"--nics-per-node must be at least 1, got {nics}");
            if (r.NicsPerNode is null) notes.Add($"network: {nics} × {net} per node (one NIC per device, assumed)");
            inter = Level(net, nics, 1.0 / perNode, false, sharp);
        }
        else if (system?.System?.ScaleOut is { } so)
            inter = Level(so.Interconnect, so.Count, 1.0 / (r.DevicesPerNode ?? system.System.Count), false, sharp);
        else
        {
            inter = new LinkLevel("none", AssumedLatency, new BytesPerSecond(0), false, false);
            notes.Add($"no scale-out network known for {hw.Id}: a job spanning nodes needs --network (an interconnect ID)");
        }

        Watts power = system is not null ? new Watts(system.Power.Tdp.Value.Value / system.System!.Count) : dev.Power.Tdp.Value;
        Usd? purchase = system?.Price.Purchase is { } sp ? new Usd(sp.Value.Value / system.System!.Count) : dev.Price.Purchase?.Value;
        UsdPerHour? cloud = system?.Price.CloudHourly is { } sc ? new UsdPerHour(sc.Value.Value / system.System!.Count) : dev.Price.CloudHourly?.Value;
        notes.Add(system is not null
            ? $"power per device: {system.Id} rated {system.Power.Tdp.Value} ÷ {system.System!.Count} (assumed: training runs near rated power)"
            : $"power per device: its TDP {dev.Power.Tdp.Value} (assumed: training runs near rated power; host and network not included)");
        string desc = $"{perNode} × {deviceId} per node over {intra.Name}; nodes over {inter.Name}" + (sharp ? " with in-network reduction" : "");
        return new ClusterTopology(deployment, perNode, intra, inter, power, purchase, cloud, hw.Id, desc);
    }

    static TrainingStep Wrap(Func<TrainingStep> f)
    {
        try { return f(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }
}

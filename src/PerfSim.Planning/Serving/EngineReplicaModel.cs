using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;

namespace PerfSim.Planning.Serving;

/// <summary>
/// The replica model on the existing engine: step costs from <see cref="Composer.Predict"/> (prefill of one prompt,
/// decode steps at batch 1, 2, 4, …), served under <see cref="QueueEstimate"/>. Step tables are cached per
/// hardware × quantization × layout × request shape, so a search evaluates each only once.
/// </summary>
/// With `pessimistic`, every step time is the slow end of its 80 % interval (<see cref="Uncertainty"/>): a fleet sized
/// so that it still meets the targets if the hardware runs as slowly as the model's out-of-sample error allows.
public sealed class EngineReplicaModel(ProfileCatalog catalog, string model, Assumptions? assumptions = null, string? backend = null,
    bool pessimistic = false) : IReplicaModel
{
    /// <summary>Largest batch tried: serving stacks' schedulers stop growing the batch around here.</summary>
    public const int MaxBatchTried = 1024;

    readonly Dictionary<(string, string, ReplicaLayout, int, int), (StepTable? Table, ReplicaCapability Capability)> cache = [];

    readonly Dictionary<(StepTable, int, int), double> saturation = new(ReferenceKeyComparer.Instance);

    public string Method => pessimistic ? QueueEstimate.Method + ", at the slow end of each step time's 80 % interval (--pessimistic)" : QueueEstimate.Method;

    public ReplicaCapability Capability(string hardware, string quant, ReplicaLayout layout, Traffic shape) =>
        Table(hardware, quant, layout, shape).Capability;

    public ReplicaOutcome Serve(ReplicaSetup setup, Traffic perReplica, double quantile)
    {
        var (table, cap) = Table(setup.Hardware, setup.Quant, setup.Layout, perReplica);
        if (table is null || !cap.Fits) throw new InvalidOperationException($"{setup.Hardware} {setup.Quant} {setup.Layout}: {cap.Reason}");
        int batchCap = Math.Min(setup.BatchCap, table.MaxBatch);
        var satKey = (table, batchCap, perReplica.GenTokens);
        if (!saturation.TryGetValue(satKey, out var sat)) saturation[satKey] = sat = QueueEstimate.SaturationRate(table, batchCap, perReplica.GenTokens);
        return QueueEstimate.Serve(table, batchCap, perReplica.RatePerSecond, perReplica.GenTokens, quantile, sat);
    }

    /// <summary>The step table behind a replica, or null with the reason when the model does not fit at batch 1.</summary>
    public StepTable? StepTableOf(string hardware, string quant, ReplicaLayout layout, Traffic shape) => Table(hardware, quant, layout, shape).Table;

    (StepTable? Table, ReplicaCapability Capability) Table(string hardware, string quant, ReplicaLayout layout, Traffic shape)
    {
        var key = (hardware, quant, layout, shape.PromptTokens, shape.GenTokens);
        if (cache.TryGetValue(key, out var hit)) return hit;
        var built = Build(hardware, quant, layout, shape);
        cache[key] = built;
        return built;
    }

    (StepTable?, ReplicaCapability) Build(string hardware, string quant, ReplicaLayout layout, Traffic shape)
    {
        if (layout.Pp != 1) throw new ArgumentException("pipeline layouts need the scale-out layout model (not merged yet)");
        ComposedPrediction At(int batch) => Composer.Predict(catalog, new PredictionRequest
        {
            Hardware = hardware,
            Model = model,
            Quant = quant,
            Backend = backend,
            Devices = layout.Tp,
            Scenario = new ScenarioRequest(Batch: batch, Prompt: shape.PromptTokens, Gen: shape.GenTokens),
            Assumptions = assumptions ?? Assumptions.Default,
        });

        var first = At(1);
        var p1 = first.Prediction;
        // The slow end of a step's interval (TTFT and TPOT hi), or the point estimate.
        (double Ttft, double Tpot) Times(ComposedPrediction c)
        {
            if (!pessimistic) return (c.Prediction.Ttft.Value, c.Prediction.Tpot.Value);
            var f = Uncertainty.For(catalog, c).For(c.Prediction, c.Configuration.Replicas);
            return (f.Ttft?.Hi ?? c.Prediction.Ttft.Value, f.Tpot?.Hi ?? c.Prediction.Tpot.Value);
        }
        var notes = p1.Warnings.Where(w => !w.StartsWith("no backend", StringComparison.Ordinal)).ToList();
        if (!p1.Memory.Fits)
            return (null, new ReplicaCapability(false, 0, p1.Ttft, p1.Tpot,
                $"does not fit: needs {p1.Memory.Total} per device at {layout} (batch 1), device memory is {p1.Memory.Capacity}", notes));

        var batches = new List<int> { 1 };
        var steps = new List<double> { Times(first).Tpot };
        var watts = new List<double> { p1.Energy.DecodePower.Value };
        for (int b = 2; b <= MaxBatchTried; b *= 2)
        {
            var at = At(b);
            var p = at.Prediction;
            if (!p.Memory.Fits) break;
            batches.Add(b);
            steps.Add(Times(at).Tpot);
            watts.Add(p.Energy.DecodePower.Value);
        }
        var idle = first.Configuration.Deployment.GroupIdle.Value;
        // A device cannot draw more than its TDP for long (it throttles); the engine flags such cases in its warnings.
        double tdp = first.Configuration.Deployment.GroupTdp.Value;
        var table = new StepTable(Times(first).Ttft, Math.Min(tdp, p1.Energy.PrefillPower.Value), batches, steps, watts.Select(w => Math.Min(tdp, w)).ToList(), idle);
        return (table, new ReplicaCapability(true, table.MaxBatch, p1.Ttft, p1.Tpot, null, notes));
    }

    /// <summary>Step tables are compared by identity in the saturation cache (records would compare their lists by reference anyway).</summary>
    sealed class ReferenceKeyComparer : IEqualityComparer<(StepTable, int, int)>
    {
        public static readonly ReferenceKeyComparer Instance = new();
        public bool Equals((StepTable, int, int) x, (StepTable, int, int) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2 && x.Item3 == y.Item3;
        public int GetHashCode((StepTable, int, int) k) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(k.Item1), k.Item2, k.Item3);
    }
}

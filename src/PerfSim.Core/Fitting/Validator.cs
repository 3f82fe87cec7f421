using PerfSim.Core.Backends;
using PerfSim.Core.Catalog;
using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Fitting;

/// <summary>A predicted row: signed error in percent, (predicted − measured) ÷ measured × 100.</summary>
public sealed record ValidatedRow(ReferenceRow Row, double Predicted, string? Note)
{
    public double Measured => Row.Value;
    public double ErrorPercent => (Predicted - Measured) / Measured * 100;
    /// <summary>ln(predicted ÷ measured): the quantity the fit minimises (symmetric in over/under-prediction).</summary>
    public double LogError => Math.Log(Predicted / Measured);
}

public sealed record ErrorStats(int Count, double Mape);

public sealed record ValidationSummary(int Count, int Unpredicted, double Mape,
    IReadOnlyDictionary<string, ErrorStats> ByMetric, IReadOnlyDictionary<string, ErrorStats> ByBackend);

public sealed record ValidationResult(IReadOnlyList<ValidatedRow> Rows, IReadOnlyList<ReferenceIssue> Unpredicted, ValidationSummary Summary)
{
    public IReadOnlyList<ValidatedRow> Worst(int n) => Rows.OrderByDescending(r => Math.Abs(r.ErrorPercent)).Take(n).ToList();
}

/// <summary>
/// Predicts every row of a measurement file with the engine and the named backend. A row that cannot be predicted
/// (unknown ID, a metric the engine cannot compute) becomes an issue with the reason; it never stops the others.
/// </summary>
public static class Validator
{
    /// <summary>Offline (empty batch) runs are capped here: beyond this, serving stacks' schedulers stop growing the batch.</summary>
    public const int MaxOfflineBatch = 1024;

    public static ValidationResult Run(ProfileCatalog catalog, ReferenceFile file,
        IReadOnlyDictionary<string, BackendProfile>? backendOverride = null)
    {
        var rows = new List<ValidatedRow>();
        var issues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows)
        {
            try
            {
                var backend = backendOverride is not null && backendOverride.TryGetValue(row.Backend, out var o) ? o : catalog.GetBackend(row.Backend);
                var (value, note) = PredictRow(catalog, row, backend);
                if (!double.IsFinite(value) || value <= 0)
                    issues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), $"prediction is not a positive number ({value})"));
                else rows.Add(new ValidatedRow(row, value, note));
            }
            catch (Exception e) when (e is UnknownIdException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                issues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), e.Message));
            }
        }
        issues.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ValidationResult(rows, issues, Summarize(rows, issues.Count));
    }

    public static ValidationSummary Summarize(IReadOnlyList<ValidatedRow> rows, int unpredicted)
    {
        static ErrorStats Stats(IEnumerable<ValidatedRow> rs)
        {
            var list = rs.ToList();
            return new ErrorStats(list.Count, list.Count == 0 ? double.NaN : list.Average(r => Math.Abs(r.ErrorPercent)));
        }
        var byMetric = rows.GroupBy(r => r.Row.Metric.Name()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var byBackend = rows.GroupBy(r => r.Row.Backend).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var all = Stats(rows);
        return new ValidationSummary(all.Count, unpredicted, all.Mape, byMetric, byBackend);
    }

    /// <summary>The predicted value of the row's metric, and a note on any choice made (offline batch).</summary>
    public static (double Value, string? Note) PredictRow(ProfileCatalog catalog, ReferenceRow row, BackendProfile backend)
    {
        var model = catalog.GetModel(row.Model);
        var quant = catalog.GetQuant(row.Quant);
        var kv = catalog.GetKv(backend.KvCacheFor(quant) ?? quant.KvCache);
        int prompt = Math.Max(1, row.PromptTokens);
        int gen = Math.Max(1, row.GenTokens);
        string? note = null;
        int batch;
        int replicas = 1;
        Deployment deployment;
        if (row.Batch is { } b)
        {
            batch = b;
            deployment = Resolve(catalog, row.Hardware, row.Devices, backend, row.Threads);
        }
        else
        {
            // Offline: the group may run several data-parallel replicas; try every split and keep the best rate.
            (double Rate, Deployment D, int Batch, int Replicas)? best = null;
            for (int tp = 1; tp <= row.Devices; tp *= 2)
            {
                if (row.Devices % tp != 0) continue;
                var d = Resolve(catalog, row.Hardware, tp, backend, row.Threads);
                int bb = OfflineBatch(d, model, quant, kv, prompt, gen);
                var pp = InferenceEngine.Predict(d, new Workload(model, quant, kv, Scenario.Of(bb, prompt, gen)), ExecutionModel.From(backend));
                if (!pp.Memory.Fits) continue;
                double rate = (double)bb * gen / (pp.Ttft.Value + Math.Max(0, gen - 1) * pp.Tpot.Value) * (row.Devices / tp);
                if (best is null || rate > best.Value.Rate) best = (rate, d, bb, row.Devices / tp);
            }
            if (best is not { } bst) throw new InvalidOperationException("does not fit in memory at batch 1 on any split of the devices");
            (deployment, batch, replicas) = (bst.D, bst.Batch, bst.Replicas);
            note = $"offline: largest batch that fits in memory (cap {MaxOfflineBatch}): {batch} per replica, {replicas} replica(s) of {row.Devices / replicas} device(s)";
        }
        var exec = ExecutionModel.From(backend);
        var workload = new Workload(model, quant, kv, Scenario.Of(batch, prompt, gen));
        var p = InferenceEngine.Predict(deployment, workload, exec);
        if (!p.Memory.Runnable) throw new InvalidOperationException($"does not fit: needs {p.Memory.Total} per device, device memory is {p.Memory.Capacity}");
        double v = row.Metric switch
        {
            Metric.PrefillTokensPerS => (double)batch * prompt / p.Ttft.Value,
            Metric.DecodeTokensPerS => batch / p.Tpot.Value,
            Metric.ThroughputTokensPerS => (double)batch * gen / (p.Ttft.Value + Math.Max(0, gen - 1) * p.Tpot.Value) * replicas,
            Metric.TtftS => p.Ttft.Value,
            Metric.TpotS => p.Tpot.Value,
            _ => throw new InvalidOperationException($"metric {row.Metric} cannot be computed"),
        };
        return (v, note);
    }

    /// <summary>
    /// The deployment for a row. A layer-split backend (llama.cpp) runs the devices one after another, each holding its
    /// share of the layers: one device's speed with the group's memory capacity (the activation hand-off is ignored).
    /// </summary>
    public static Deployment Resolve(ProfileCatalog catalog, string hardware, int devices, BackendProfile backend, int? threads)
    {
        if (!backend.SplitsByLayer || devices == 1) return Deployment.Resolve(catalog, hardware, devices, backend.Engine, threads);
        var d = Deployment.Resolve(catalog, hardware, 1, backend.Engine, threads);
        var mem = d.Device.Memory.ToList();
        var last = mem[^1];
        mem[^1] = last with { Capacity = new PerfSim.Core.Hardware.Sourced<PerfSim.Core.Units.Bytes>(new PerfSim.Core.Units.Bytes(last.Capacity.Value.Value * devices), last.Capacity.Source) };
        return d with { Device = d.Device with { Memory = mem }, GroupTdp = new PerfSim.Core.Units.Watts(d.GroupTdp.Value * devices), GroupIdle = new PerfSim.Core.Units.Watts(d.GroupIdle.Value * devices) };
    }

    /// <summary>The largest batch whose weights, KV cache (prompt + gen per sequence) and activations fit in device memory.</summary>
    public static int OfflineBatch(Deployment d, ModelProfile model, QuantScheme quant, KvCacheFormat kv, int prompt, int gen)
    {
        int lo = 1, hi = MaxOfflineBatch;
        bool Fits(int b)
        {
            var w = new Workload(model, quant, kv, Scenario.Of(b, prompt, gen));
            var p = InferenceEngine.Predict(d, w, ExecutionModel.Ideal(d.Engine));
            return p.Memory.Fits;
        }
        if (!Fits(1)) return 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Fits(mid)) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}

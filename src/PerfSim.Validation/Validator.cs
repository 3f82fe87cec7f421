using PerfSim.Composition;
using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Engine.Power;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

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
    public static ValidationResult Run(ProfileCatalog catalog, ReferenceFile file,
        IReadOnlyDictionary<string, BackendProfile>? backendOverride = null, PowerParameterSet? power = null)
    {
        var rows = new List<ValidatedRow>();
        var issues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows)
        {
            try
            {
                string id = RowAliases.Backend(row);
                var backend = backendOverride is not null && backendOverride.TryGetValue(id, out var o) ? o : catalog.GetBackend(id);
                var (value, note) = PredictRow(catalog, row, backend, power);
                if (!double.IsFinite(value) || value <= 0)
                    issues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), $"prediction is not a positive number ({value})"));
                else rows.Add(new ValidatedRow(row, value, note));
            }
            catch (Exception e) when (IsRowProblem(e))
            {
                issues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), e.Message));
            }
        }
        issues.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ValidationResult(rows, issues, Summarize(rows, issues.Count));
    }

    /// <summary>
    /// The failures that make one row unpredictable (an unknown ID, a request out of range, a model that does not fit)
    /// and never stop the others; the validator and the fitter share this one list.
    /// </summary>
    public static bool IsRowProblem(Exception e) =>
        e is UnknownIdException or UsageException or DoesNotFitException or ArgumentException or InvalidOperationException or KeyNotFoundException
            or PerfSim.Data.Profiles.ProfileException or PerfSim.Data.Importers.ModelImportException or PerfSim.Data.InputFileException;

    public static ValidationSummary Summarize(IReadOnlyList<ValidatedRow> rows, int unpredicted)
    {
        static ErrorStats Stats(IEnumerable<ValidatedRow> rs)
        {
            var list = rs.ToList();
            return new ErrorStats(list.Count, list.Count == 0 ? double.NaN : list.Average(r => Math.Abs(r.ErrorPercent)));
        }
        var byMetric = rows.GroupBy(r => r.Row.Metric.Name()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var byBackend = rows.GroupBy(r => RowAliases.Reported(r.Row)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var all = Stats(rows);
        return new ValidationSummary(all.Count, unpredicted, all.Mape, byMetric, byBackend);
    }

    /// <summary>The request a measurement row stands for: what `perfsim predict` would be asked for the same run.</summary>
    public static PredictionRequest RequestFor(ReferenceRow row, PowerParameterSet? power = null) => new()
    {
        Hardware = row.Hardware,
        Model = row.Model,
        Quant = RowAliases.Quant(row.Quant),
        Backend = RowAliases.Backend(row),
        Assumptions = power is null ? Assumptions.Default : Assumptions.Default with { Power = power },
        Devices = row.Devices,
        // A measured multi-device run served one batch on all its devices (tensor or layer split as the backend does);
        // offline rows leave the layout to the search, as MLPerf submitters choose theirs.
        Layout = row.Devices > 1 && row.Batch is not null ? new LayoutRequest(Dp: 1) : null,
        Threads = row.Threads,
        Scenario = new ScenarioRequest(Batch: row.Batch, Prompt: RowAliases.Prompt(row), Gen: RowAliases.Gen(row), Offline: row.Batch is null),
    };

    /// <summary>
    /// A server running `batch` sequences on average holds each at a uniformly spread point of its life: its KV cache
    /// holds prompt + gen ÷ 2 tokens per sequence on average, where the static check counts the last step's prompt + gen.
    /// </summary>
    static bool FitsAtMeanOccupancy(Prediction p)
    {
        var s = p.Workload.Scenario;
        double share = (s.PromptTokens + s.GeneratedTokens / 2.0) / Math.Max(1.0, s.PromptTokens + s.GeneratedTokens);
        var m = p.Memory;
        return m.Weights.Value + m.KvCache.Value * share + m.Activations.Value + m.RuntimeReserve.Value <= m.Capacity.Value;
    }

    /// <summary>The predicted value of the row's metric, and a note on any choice made (offline batch).</summary>
    public static (double Value, string? Note) PredictRow(ProfileCatalog catalog, ReferenceRow row, BackendProfile backend, PowerParameterSet? power = null)
    {
        var composed = Composer.Predict(catalog.WithBackend(backend), RequestFor(row, power));
        var p = composed.Prediction;
        if (!p.Memory.Runnable && !(RowAliases.ServerSweep(row) && FitsAtMeanOccupancy(p)))
            throw new InvalidOperationException($"does not fit: needs {p.Memory.Total} per device, device memory is {p.Memory.Capacity}");
        var s = p.Workload.Scenario;
        double v = row.Metric switch
        {
            Metric.PrefillTokensPerS => p.PrefillTokensPerSecond,
            Metric.DecodeTokensPerS => p.DecodeTokensPerSecond,
            Metric.ThroughputTokensPerS => composed.ThroughputTokensPerSecond,
            Metric.TtftS => p.Ttft.Value,
            Metric.TpotS when RowAliases.TpotIncludesPrefills(row) => p.Tpot.Value + p.Ttft.Value / Math.Max(1, s.GeneratedTokens),
            Metric.TpotS => p.Tpot.Value,
            Metric.JoulesPerToken or Metric.PowerW => EnergyPrediction.Value(composed, row),
            _ => throw new InvalidOperationException($"metric {row.Metric} cannot be computed"),
        };
        return (v, composed.Configuration.Notes.Count > 0 ? string.Join("; ", composed.Configuration.Notes) : null);
    }
}

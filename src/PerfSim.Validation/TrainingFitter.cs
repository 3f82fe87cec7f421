using System.Text.RegularExpressions;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Training;

namespace PerfSim.Validation;

/// <summary>
/// The fit: one GEMM efficiency per device class (hardware × 16-bit or FP8 matmuls), the in-sample error, the
/// leave-one-device-out error (each device predicted with ONE efficiency fitted on the other devices' rows) and the
/// leave-one-source-out error (each row predicted with its class's efficiency fitted without its publication).
/// </summary>
public sealed record TrainingFit(IReadOnlyDictionary<string, double> Efficiency, TrainingValidationResult InSample,
    TrainingValidationResult LeaveOneDeviceOut, TrainingValidationResult LeaveOneSourceOut);

/// <summary>
/// Fits ONE parameter per device class (hardware ID × matmul arithmetic: 16-bit or FP8): the large-GEMM efficiency
/// that replaces the hardware profile's assumed one, minimizing the median |ln(predicted ÷ measured)| over that class's
/// rows (the median, so rows whose error has another cause do not drag it). Each row keeps the layout chosen at the
/// assumed efficiency; the efficiency is scanned on a grid (0.30–0.95, step 0.005). A class is fitted only with at
/// least <see cref="MinRows"/> rows from at least two sources; otherwise its rows keep the profile's efficiency.
/// Leave-one-device-out: a device's rows (all its classes) get one efficiency fitted on every other device's rows
/// pooled — what a device with no published training run would get. Leave-one-source-out: each row is predicted
/// with its class's efficiency fitted on the rows of the other sources (papers, MLPerf rounds) only.
/// </summary>
public static class TrainingFitter
{
    /// <summary>A device class is fitted only with at least this many rows from at least two sources.</summary>
    public const int MinRows = 5;

    static readonly double[] Grid = Enumerable.Range(0, 131).Select(i => Math.Round(0.30 + 0.005 * i, 3)).ToArray();

    sealed record Case(TrainingReferenceRow Row, TrainingValidator.RowPrediction P, string Device, string Class, double[] ByEfficiency);

    public static TrainingFit Run(ProfileCatalog catalog, TrainingReferenceFile file)
    {
        var cases = new List<Case>();
        var issues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows)
        {
            try
            {
                var p = TrainingValidator.Predict(catalog, row, siblings: file.Rows);
                var s = p.Estimate.Setup;
                var values = Grid.Select(g =>
                {
                    var exec = s.Execution with { GemmEfficiency = g };
                    var step = StepEstimator.Estimate(p.Estimate.Step.Job, s.Cluster, s.Precision, exec, s.Collectives);
                    var run = TrainingRun.Of(step, s.Cluster, s.Request.Assumptions, s.Request.Pricing, s.Request.CloudUsdPerDeviceHour);
                    return TrainingValidator.MetricValue(row, step, run);
                }).ToArray();
                cases.Add(new Case(row, p, s.Request.Hardware, TrainingValidator.DeviceClassOf(s), values));
            }
            catch (Exception e) when (e is UnknownIdException or Composition.UsageException or Composition.DoesNotFitException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                issues.Add(new ReferenceIssue(row.Line, row.Hardware, "", row.Metric, e.Message));
            }
        }

        int Best(IEnumerable<Case> rows)
        {
            var list = rows.ToList();
            int best = -1; double bestCost = double.PositiveInfinity;
            for (int g = 0; g < Grid.Length; g++)
            {
                var errs = list.Select(c => Math.Abs(Math.Log(c.ByEfficiency[g] / c.Row.Value))).Where(double.IsFinite).Order().ToList();
                if (errs.Count == 0) continue;
                double median = errs.Count % 2 == 1 ? errs[errs.Count / 2] : (errs[errs.Count / 2 - 1] + errs[errs.Count / 2]) / 2;
                if (median < bestCost) { bestCost = median; best = g; }
            }
            return best;
        }
        static bool Fittable(IReadOnlyCollection<Case> rows) => rows.Count >= MinRows && rows.Select(c => SourceOf(c.Row)).Distinct().Count() >= 2;

        var fitted = new Dictionary<string, double>(StringComparer.Ordinal);
        var inSample = new List<TrainingValidatedRow>();
        var loso = new List<TrainingValidatedRow>();
        var losoIssues = new List<ReferenceIssue>(issues);
        foreach (var g in cases.GroupBy(c => c.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = g.ToList();
            int best = Fittable(members) ? Best(members) : -1;
            if (best < 0)
            {
                // Too few rows or a single source: no fit (the row keeps the hardware profile's assumed efficiency).
                foreach (var c in members)
                {
                    var row = new TrainingValidatedRow(c.Row, c.P.Value, c.P.Layout, "not fitted: too few rows or sources for this device class");
                    inSample.Add(row);
                    loso.Add(row);
                }
                continue;
            }
            fitted[g.Key] = Grid[best];
            foreach (var c in members)
            {
                inSample.Add(new TrainingValidatedRow(c.Row, c.ByEfficiency[best], c.P.Layout, c.P.Note));
                var others = members.Where(o => SourceOf(o.Row) != SourceOf(c.Row)).ToList();
                int b = others.Count == 0 ? -1 : Best(others);
                if (b < 0) losoIssues.Add(new ReferenceIssue(c.Row.Line, c.Row.Hardware, "", c.Row.Metric, "no other source for this device class to fit on"));
                else loso.Add(new TrainingValidatedRow(c.Row, c.ByEfficiency[b], c.P.Layout, $"efficiency {Grid[b]:0.###} fitted without this source"));
            }
        }

        var lodo = new List<TrainingValidatedRow>();
        var lodoIssues = new List<ReferenceIssue>(issues);
        foreach (var g in cases.GroupBy(c => c.Device))
        {
            var others = cases.Where(c => c.Device != g.Key).ToList();
            int b = others.Count == 0 ? -1 : Best(others);
            foreach (var c in g)
            {
                if (b < 0) lodoIssues.Add(new ReferenceIssue(c.Row.Line, c.Row.Hardware, "", c.Row.Metric, "no other device to fit on"));
                else lodo.Add(new TrainingValidatedRow(c.Row, c.ByEfficiency[b], c.P.Layout, $"efficiency {Grid[b]:0.###} fitted on the other devices"));
            }
        }
        return new TrainingFit(fitted, TrainingValidator.Summarize(inSample, new List<ReferenceIssue>(issues)),
            TrainingValidator.Summarize(lodo, lodoIssues), TrainingValidator.Summarize(loso, losoIssues));
    }

    /// <summary>The publication a row comes from: authors and year ("Narayanan et al. 2021"), the MLPerf round, or the
    /// citation before its first parenthesis ("Llama Team, 'The Llama 3 Herd of Models'").</summary>
    public static string SourceOf(TrainingReferenceRow row)
    {
        var m = Regex.Match(row.Source, @"^[^@(,]*?20\d\d");
        if (m.Success) return m.Value.Trim();
        int at = row.Source.IndexOf('@');
        if (at > 0) return row.Source[..at];
        int paren = row.Source.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 ? row.Source[..paren].Trim() : row.Source;
    }
}

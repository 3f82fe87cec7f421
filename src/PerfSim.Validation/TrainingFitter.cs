using System.Text.RegularExpressions;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Training;

namespace PerfSim.Validation;

/// <summary>The fit: one GEMM efficiency per device class, the in-sample error, and the leave-one-source-out error.</summary>
public sealed record TrainingFit(IReadOnlyDictionary<string, double> Efficiency, TrainingValidationResult InSample, TrainingValidationResult LeaveOneSourceOut);

/// <summary>
/// Fits ONE parameter per device class (hardware ID): the large-GEMM efficiency that replaces the hardware profile's
/// assumed one, minimizing the median |ln(predicted ÷ measured)| over that device's rows (the median, so rows whose
/// error has another cause — DeepSpeed ZeRO-3's network use — do not drag it). Each row keeps the layout chosen at
/// the assumed efficiency; the efficiency is scanned on a grid (0.30–0.95, step 0.005). Leave-one-source-out: each
/// row is predicted with the efficiency fitted on the rows of the other sources (papers, MLPerf rounds) only.
/// </summary>
public static class TrainingFitter
{
    /// <summary>A device class is fitted only with at least this many rows from at least two sources.</summary>
    public const int MinRows = 5;

    static readonly double[] Grid = Enumerable.Range(0, 131).Select(i => 0.30 + 0.005 * i).ToArray();

    public static TrainingFit Run(ProfileCatalog catalog, TrainingReferenceFile file)
    {
        var cases = new List<(TrainingReferenceRow Row, TrainingValidator.RowPrediction P, double[] ByEfficiency)>();
        var issues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows)
        {
            try
            {
                var p = TrainingValidator.Predict(catalog, row);
                var s = p.Estimate.Setup;
                var values = Grid.Select(g =>
                {
                    var exec = s.Execution with { GemmEfficiency = g };
                    var step = StepEstimator.Estimate(p.Estimate.Step.Job, s.Cluster, s.Precision, exec, s.Collectives);
                    var run = TrainingRun.Of(step, s.Cluster, s.Request.Assumptions, s.Request.Pricing, s.Request.CloudUsdPerDeviceHour);
                    return TrainingValidator.MetricValue(row, step, run);
                }).ToArray();
                cases.Add((row, p, values));
            }
            catch (Exception e) when (e is UnknownIdException or Composition.UsageException or Composition.DoesNotFitException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                issues.Add(new ReferenceIssue(row.Line, row.Hardware, "", row.Metric, e.Message));
            }
        }

        int Best(IEnumerable<int> rows)
        {
            var list = rows.ToList();
            int best = -1; double bestCost = double.PositiveInfinity;
            for (int g = 0; g < Grid.Length; g++)
            {
                var errs = list.Select(i => Math.Abs(Math.Log(cases[i].ByEfficiency[g] / cases[i].Row.Value))).Where(double.IsFinite).Order().ToList();
                if (errs.Count == 0) continue;
                double median = errs.Count % 2 == 1 ? errs[errs.Count / 2] : (errs[errs.Count / 2 - 1] + errs[errs.Count / 2]) / 2;
                if (median < bestCost) { bestCost = median; best = g; }
            }
            return best;
        }

        var byHw = Enumerable.Range(0, cases.Count).GroupBy(i => cases[i].P.Estimate.Setup.Request.Hardware).ToList();
        var fitted = new Dictionary<string, double>(StringComparer.Ordinal);
        var inSample = new List<TrainingValidatedRow>();
        var loso = new List<TrainingValidatedRow>();
        var losoIssues = new List<ReferenceIssue>(issues);
        foreach (var g in byHw)
        {
            // Too few rows or a single source: no fit (the row keeps the hardware profile's assumed efficiency).
            int best = g.Count() >= MinRows && g.Select(i => SourceOf(cases[i].Row)).Distinct().Count() >= 2 ? Best(g) : -1;
            if (best < 0)
            {
                foreach (int i in g)
                {
                    var c = cases[i];
                    var row = new TrainingValidatedRow(c.Row, c.P.Value, c.P.Layout, "not fitted: too few rows or sources for this device class");
                    inSample.Add(row);
                    loso.Add(row);
                }
                continue;
            }
            fitted[g.Key] = Grid[best];
            foreach (int i in g)
            {
                var c = cases[i];
                inSample.Add(new TrainingValidatedRow(c.Row, c.ByEfficiency[best], c.P.Layout, c.P.Note));
                var others = g.Where(j => SourceOf(cases[j].Row) != SourceOf(c.Row)).ToList();
                int b = others.Count == 0 ? -1 : Best(others);
                if (b < 0) losoIssues.Add(new ReferenceIssue(c.Row.Line, c.Row.Hardware, "", c.Row.Metric, "no other source for this device class to fit on"));
                else loso.Add(new TrainingValidatedRow(c.Row, c.ByEfficiency[b], c.P.Layout, $"efficiency {Grid[b]:0.###} fitted without this source"));
            }
        }
        return new TrainingFit(fitted, TrainingValidator.Summarize(inSample, new List<ReferenceIssue>(issues)), TrainingValidator.Summarize(loso, losoIssues));
    }

    /// <summary>The publication a row comes from: authors and year ("Narayanan et al. 2021"), or the MLPerf round.</summary>
    public static string SourceOf(TrainingReferenceRow row)
    {
        var m = Regex.Match(row.Source, @"^[^@(,]*?20\d\d");
        if (m.Success) return m.Value.Trim();
        int at = row.Source.IndexOf('@');
        return at > 0 ? row.Source[..at] : row.Source;
    }
}

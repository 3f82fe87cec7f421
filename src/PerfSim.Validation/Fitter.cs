using PerfSim.Core.Fitting;
using PerfSim.Core.Backends;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Core.Hardware;

namespace PerfSim.Validation;

/// <summary>The fitted parameters of one backend, and what the fit achieved.</summary>
public sealed record BackendFit(BackendProfile Fitted, IReadOnlyDictionary<string, double> Values, int Rows, int Devices, double Rms);

/// <summary>One device left out: the backend refitted on the other devices, and that device's rows predicted.</summary>
public sealed record LeaveOneOut(string Backend, string Device, IReadOnlyList<ValidatedRow> Rows, bool PriorOnly);

public sealed record FitResult(IReadOnlyList<BackendFit> Backends, ValidationResult Fit, ValidationResult LeaveOneDeviceOut,
    IReadOnlyList<LeaveOneOut> Folds, EnergyFit? Energy = null);

/// <summary>
/// Least squares on log error: each backend's `fit:` parameters (a handful, shared by all its devices) minimise
/// Σ ln(predicted ÷ measured)² over that backend's rows, plus a weak pull towards the profile's prior values so a
/// parameter the data cannot see keeps its prior. Leave-one-device-out refits without each device in turn and
/// predicts it; a backend measured on a single device then falls back to its prior (reported as such).
/// </summary>
public static class Fitter
{
    /// <summary>Weight of the prior pull, per parameter, in units of the parameter's bounded logit scale.</summary>
    public const double PriorWeight = 1e-3;

    /// <summary>How many backend fits <see cref="Run"/> does: per backend in the catalog, the full fit and one per left-out device.</summary>
    public static long Fits(ProfileCatalog catalog, ReferenceFile file) =>
        file.Rows.GroupBy(r => r.Backend).Where(g => catalog.Backends.ContainsKey(g.Key))
            .Sum(g => 1L + g.Select(r => r.Hardware).Distinct(StringComparer.Ordinal).Count());

    /// <summary>`progress` receives the number of backend fits done so far, out of <see cref="Fits"/> (a front end draws it).</summary>
    public static FitResult Run(ProfileCatalog catalog, ReferenceFile file, int maxEvaluations = 1500, IProgress<long>? progress = null)
    {
        long done = 0;
        var fits = new List<BackendFit>();
        var fitted = new Dictionary<string, BackendProfile>(StringComparer.Ordinal);
        var folds = new List<LeaveOneOut>();
        var lodoRows = new List<ValidatedRow>();
        var lodoIssues = new List<ReferenceIssue>();
        // Energy rows: the power parameters of each class are refitted without the held-out device too.
        var energy = file.Rows.Any(r => r.Metric.IsEnergy()) ? EnergyFitter.Run(catalog, file) : null;
        foreach (var group in file.Rows.GroupBy(r => RowAliases.Backend(r.Backend)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!catalog.Backends.TryGetValue(group.Key, out var current)) continue;
            var prior = current.AtPrior();
            var rows = group.ToList();
            var fit = FitBackend(catalog, prior, rows, maxEvaluations);
            progress?.Report(++done);
            fits.Add(fit);
            fitted[prior.Id] = fit.Fitted;
            foreach (var device in rows.Select(r => r.Hardware).Distinct(StringComparer.Ordinal))
            {
                var train = rows.Where(r => r.Hardware != device).ToList();
                var test = rows.Where(r => r.Hardware == device).ToList();
                var model = train.Count > 0 ? FitBackend(catalog, prior, train, maxEvaluations).Fitted : prior;
                progress?.Report(++done);
                var predicted = new List<ValidatedRow>();
                foreach (var row in test)
                {
                    try
                    {
                        var (v, note) = Validator.PredictRow(catalog, row, model, row.Metric.IsEnergy() ? energy?.ForFold(device) : null);
                        predicted.Add(new ValidatedRow(row, v, note));
                    }
                    catch (Exception e) when (Validator.IsRowProblem(e))
                    {
                        lodoIssues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), e.Message));
                    }
                }
                folds.Add(new LeaveOneOut(prior.Id, device, predicted, train.Count == 0));
                lodoRows.AddRange(predicted);
            }
        }
        var fitValidation = Validator.Run(catalog, file, fitted);
        lodoRows.Sort((a, b) => a.Row.Line.CompareTo(b.Row.Line));
        var lodo = new ValidationResult(lodoRows, lodoIssues, Validator.Summarize(lodoRows, lodoIssues.Count));
        return new FitResult(fits, fitValidation, lodo, folds, energy);
    }

    public static BackendFit FitBackend(ProfileCatalog catalog, BackendProfile prior, IReadOnlyList<ReferenceRow> rows, int maxEvaluations)
    {
        prior = prior.AtPrior();
        var names = prior.Fitted.ToArray();
        var specs = names.Select(BackendProfile.Spec).ToArray();
        var lo = specs.Select(s => s.Min).ToArray();
        var hi = specs.Select(s => s.Max).ToArray();
        var x0 = names.Select(prior.Value).ToArray();
        // Rows the engine cannot predict (unknown IDs) are left out of the fit; the validator lists them.
        var usable = rows.Where(r => TryPredict(catalog, r, prior) is not null).ToList();
        double Logit(double x, int i)
        {
            double t = Math.Clamp((x - lo[i]) / (hi[i] - lo[i]), 1e-6, 1 - 1e-6);
            return Math.Log(t / (1 - t));
        }
        var z0 = x0.Select(Logit).ToArray();
        double Objective(double[] x)
        {
            var candidate = With(prior, names, x, Basis.Fitted, "fit");
            double sum = 0;
            foreach (var r in usable)
            {
                var p = TryPredict(catalog, r, candidate);
                if (p is not { } v || v <= 0 || !double.IsFinite(v)) return double.MaxValue;
                double e = Math.Log(v / r.Value);
                sum += e * e;
            }
            for (int i = 0; i < x.Length; i++) { double d = Logit(x[i], i) - z0[i]; sum += PriorWeight * d * d; }
            return sum;
        }
        var (best, f) = usable.Count == 0 ? (x0, 0.0) : NelderMead.Minimize(Objective, x0, lo, hi, maxEvaluations);
        var values = names.Select((n, i) => (n, best[i])).ToDictionary(t => t.n, t => t.Item2, StringComparer.Ordinal);
        var profile = With(prior, names, best, Basis.Fitted, "fit");
        double rms = usable.Count == 0 ? double.NaN : Math.Sqrt(usable.Sum(r => Math.Pow(Math.Log(TryPredict(catalog, r, profile)!.Value / r.Value), 2)) / usable.Count);
        return new BackendFit(profile, values, usable.Count, usable.Select(r => r.Hardware).Distinct().Count(), rms);
    }

    static BackendProfile With(BackendProfile prior, string[] names, double[] x, Basis basis, string why) =>
        prior.With(names.Select((n, i) => (n, x[i])).ToDictionary(t => t.n, t => t.Item2), basis, why);

    static double? TryPredict(ProfileCatalog catalog, ReferenceRow row, BackendProfile backend)
    {
        try { return Validator.PredictRow(catalog, row, backend).Value; }
        catch (Exception e) when (Validator.IsRowProblem(e)) { return null; }
    }
}

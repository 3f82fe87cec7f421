using PerfSim.Core.Backends;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Engine.Power;
using PerfSim.Core.Fitting;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>One energy row with the class its device belongs to.</summary>
sealed record EnergyRowCase(ReferenceRow Row, PowerClass Class, ProfileCatalog Catalog);

/// <summary>The power parameters fitted on all energy rows, and per held-out device (leave-one-device-out).</summary>
public sealed record EnergyFit(PowerParameterSet InSample, IReadOnlyDictionary<string, PowerParameterSet> WithoutDevice,
    IReadOnlyDictionary<PowerClass, (double Floor, double Slope, double Wait, int Rows, int Devices)> Fitted)
{
    public PowerParameterSet ForFold(string device) => WithoutDevice.TryGetValue(device, out var p) ? p : PowerParameterSet.Priors;
}

/// <summary>
/// Fits the busy floor, slope and wait share of each device class (three parameters per class, never per device) on the
/// joules_per_token and power_w rows: Nelder–Mead on log error with a weak pull to the assumed priors, every
/// evaluation a full prediction (the cap makes power non-linear in the parameters). Leave-one-device-out refits the
/// held-out device's class without it (the other classes' fits never saw it); a class left with no device keeps the priors.
/// </summary>
public static class EnergyFitter
{
    public const double PriorWeight = 0.05;
    public const int MaxEvaluations = 90;
    /// <summary>The file the shipped <see cref="PowerParameterSet.Defaults"/> were fitted on.</summary>
    public const string ShippedOn = "energy-measurements.csv";

    /// <summary>The fitted parameters per class, for the report's "fitted parameters" section.</summary>
    public static IReadOnlyList<(string Backend, string Parameters)> Describe(EnergyFit fit) =>
        fit.Fitted.OrderBy(kv => kv.Key).Select(kv => ($"power model, {kv.Key.Name()}", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"busy floor {kv.Value.Floor:0.###}, busy slope {kv.Value.Slope:0.###} of (TDP − idle), wait share {kv.Value.Wait:0.###}, on {kv.Value.Rows} rows of {kv.Value.Devices} devices"))).ToList();

    /// <summary>
    /// `foldBackends`: per held-out device, the speed backends fitted without it (leave-one-device-out); a fold then
    /// predicts the other devices' rows with those, so the held-out device's measurements shape neither its speed nor
    /// its power. Without it (or for a backend it does not name) the catalog's profiles are used.
    /// </summary>
    public static EnergyFit Run(ProfileCatalog catalog, ReferenceFile file, IReadOnlyDictionary<string, Dictionary<string, BackendProfile>>? foldBackends = null)
    {
        var cases = new List<EnergyRowCase>();
        foreach (var row in file.Rows.Where(r => r.Metric.IsEnergy()))
            if (Case(catalog, row) is { } c) cases.Add(c);
        var fitted = new Dictionary<PowerClass, (double, double, double, int, int)>();
        var all = PowerParameterSet.Priors;
        foreach (var g in cases.GroupBy(c => c.Class))
        {
            var (f, k, w) = FitClass(g.ToList(), all, g.Key);
            all = all.With(g.Key, f, k, w, $"fitted on {Path.GetFileName(file.Path)}");
            fitted[g.Key] = (f, k, w, g.Count(), g.Select(c => c.Row.Hardware).Distinct().Count());
        }
        var folds = new Dictionary<string, PowerParameterSet>(StringComparer.Ordinal);
        foreach (var device in cases.Select(c => c.Row.Hardware).Distinct(StringComparer.Ordinal))
        {
            var cls = cases.First(c => c.Row.Hardware == device).Class;
            var train = cases.Where(c => c.Class == cls && c.Row.Hardware != device)
                .Select(c => foldBackends is not null && foldBackends.TryGetValue(device, out var fb) && fb.TryGetValue(RowAliases.Backend(c.Row), out var b)
                    ? c with { Catalog = catalog.WithBackend(b) } : c).ToList();
            var prior = PowerParameterSet.Priors.For(cls);
            var (f, k, w) = train.Count > 0 ? FitClass(train, all, cls) : (prior.BusyFloor, prior.BusySlope, prior.WaitShare);
            folds[device] = all.With(cls, f, k, w, train.Count > 0 ? $"fitted without {device}" : "assumed prior (no other device of the class)");
        }
        return new EnergyFit(all, folds, fitted);
    }

    static EnergyRowCase? Case(ProfileCatalog catalog, ReferenceRow row)
    {
        try
        {
            var cat = catalog.WithBackend(catalog.GetBackend(RowAliases.Backend(row)));
            var composed = Composer.Predict(cat, Validator.RequestFor(row));
            // The same rows the validator predicts (it decides what fits).
            Validator.PredictRow(cat, row, cat.GetBackend(RowAliases.Backend(row)));
            var d = composed.Configuration.Deployment;
            return new EnergyRowCase(row, PowerClasses.Of(d.Device, d.Engine), cat);
        }
        catch (Exception e) when (Validator.IsRowProblem(e)) { return null; }
    }

    static (double Floor, double Slope, double Wait) FitClass(IReadOnlyList<EnergyRowCase> rows, PowerParameterSet set, PowerClass cls)
    {
        var p0 = PowerParameterSet.Priors.For(cls);
        double Objective(double[] x)
        {
            var candidate = set.With(cls, x[0], x[1], x[2], "fit");
            double s = 0;
            foreach (var r in rows)
            {
                double v;
                try { v = EnergyPrediction.Value(Composer.Predict(r.Catalog, Validator.RequestFor(r.Row, candidate)), r.Row); }
                catch (Exception e) when (Validator.IsRowProblem(e)) { continue; }
                if (!(v > 0) || !double.IsFinite(v)) return double.MaxValue;
                double err = Math.Log(v / r.Row.Value);
                s += err * err;
            }
            return s + PriorWeight * (Math.Pow(x[0] - p0.BusyFloor, 2) + Math.Pow(x[1] - p0.BusySlope, 2) + Math.Pow(x[2] - p0.WaitShare, 2));
        }
        var (best, _) = NelderMead.Minimize(Objective, [p0.BusyFloor, p0.BusySlope, p0.WaitShare], [0, 0, 0], [1, 1, 1], MaxEvaluations, 1e-6, 0);
        return (best[0], best[1], best[2]);
    }
}

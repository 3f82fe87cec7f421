using PerfSim.Core.Fitting;
using PerfSim.Core.Backends;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Core.Hardware;

namespace PerfSim.Validation;

/// <summary>The fitted parameters of one backend, and what the fit achieved.</summary>
public sealed record BackendFit(BackendProfile Fitted, IReadOnlyDictionary<string, double> Values, int Rows, int Devices, double Rms);

/// <summary>One device left out: the backend refitted on the other devices, and that device's rows predicted.</summary>
/// <summary>`PriorOnly`: no other device was measured under this backend, so its own parameters are the priors (a
/// backend sharing another's kernels still takes those fitted).</summary>
/// <summary>`PooledFrom`: for a prior-only fold, the backends whose fitted shares its pooled prior took (<see cref="PooledPrior"/>; null: the hand prior).</summary>
public sealed record LeaveOneOut(string Backend, string Device, IReadOnlyList<ValidatedRow> Rows, bool PriorOnly,
    IReadOnlyDictionary<string, double>? Values = null, IReadOnlyList<string>? PooledFrom = null);

public sealed record FitResult(IReadOnlyList<BackendFit> Backends, ValidationResult Fit, ValidationResult LeaveOneDeviceOut,
    IReadOnlyList<LeaveOneOut> Folds, EnergyFit? Energy = null);

/// <summary>
/// Least squares on log error: each backend's `fit:` parameters (a handful, shared by all its devices) minimise
/// Σ ln(predicted ÷ measured)² over that backend's rows, plus a weak pull towards the profile's prior values so a
/// parameter the data cannot see keeps its prior. Leave-one-device-out refits without each device in turn and
/// predicts it; a backend measured on a single device then falls back to its prior (reported as such). Versions of a
/// backend that share its device kernels (`kernels_of`) are fitted with it: the kernel parameters on all their rows,
/// each version's host-side parameters on its own, so a device measured under one version informs the other's kernels.
/// </summary>
public static class Fitter
{
    /// <summary>Weight of the prior pull, per parameter, in units of the parameter's bounded logit scale.</summary>
    public const double PriorWeight = 1e-3;

    /// <summary>
    /// The backends of a file grouped into families: a backend and the versions that declare `kernels_of` it share
    /// the device-kernel parameters, so they are fitted together (each keeps its own host-side parameters).
    /// </summary>
    static List<(string Root, List<(BackendProfile Prior, List<ReferenceRow> Rows)> Members)> Families(ProfileCatalog catalog, ReferenceFile file)
    {
        var byId = file.Rows.GroupBy(RowAliases.Backend).Where(g => catalog.Backends.ContainsKey(g.Key))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        string RootOf(string id) => catalog.Backends[id].KernelsOf is { } k && catalog.Backends.ContainsKey(k) ? k : id;
        var families = new List<(string, List<(BackendProfile, List<ReferenceRow>)>)>();
        foreach (var fam in byId.Keys.GroupBy(RootOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The root first (with no rows of its own if only a version of it was measured): its slots hold the kernels.
            var ids = fam.Prepend(fam.Key).Distinct(StringComparer.Ordinal);
            families.Add((fam.Key, ids.Select(id => (catalog.Backends[id].AtPrior(), byId.TryGetValue(id, out var rs) ? rs : [])).ToList()));
        }
        return families;
    }

    /// <summary>How many backend fits <see cref="Run"/> does: per backend family, the full fit and one per left-out device.</summary>
    public static long Fits(ProfileCatalog catalog, ReferenceFile file) =>
        Families(catalog, file).Sum(f => 1L + f.Members.SelectMany(m => m.Rows).Select(r => r.Hardware).Distinct(StringComparer.Ordinal).Count());

    /// <summary>Each backend's parameters as fitted on this file (in-sample), for a report's "fitted parameters" section.</summary>
    public static IReadOnlyList<(string Backend, string Parameters)> Describe(FitResult fit) =>
        fit.Backends.Select(b => ($"backend {b.Fitted.Id} (refit here)", string.Join(", ", b.Values.Select(kv => $"{kv.Key} {Show(kv.Key, kv.Value)}"))
            + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; on {b.Rows} speed rows of {b.Devices} devices, rms log error {b.Rms:0.###}")))
        .Concat(fit.Folds.Where(f => f.Rows.Count > 0).Select(f => ($"backend {f.Backend} without {f.Device}",
            f.Values is { Count: > 0 } v && !f.PriorOnly ? string.Join(", ", v.Select(kv => $"{kv.Key} {Show(kv.Key, kv.Value)}"))
            : f.Values is { Count: > 0 } pv && f.PooledFrom is { Count: > 0 } from ? "priors (no other device measured), pooled from " + string.Join(", ", from)
                + ": " + string.Join(", ", pv.Select(kv => $"{kv.Key} {Show(kv.Key, kv.Value)}"))
            : f.Values is { Count: > 0 } k ? "own parameters at their priors (no other device measured); kernels " + string.Join(", ", k.Select(kv => $"{kv.Key} {Show(kv.Key, kv.Value)}"))
            : "priors (no other device measured)"))).ToList();

    static string Show(string name, double v) => BackendProfile.Spec(name).Unit == "s"
        ? (v * 1e6).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " us"
        : v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Speed factors are fitted on speed rows; energy rows fit the power model (<see cref="EnergyFitter"/>) and are predicted with both.</summary>
    static List<ReferenceRow> SpeedRows(IEnumerable<ReferenceRow> rows) => rows.Where(r => !r.Metric.IsEnergy()).ToList();

    /// <summary>`progress` receives the number of backend fits done so far, out of <see cref="Fits"/> (a front end draws it).</summary>
    public static FitResult Run(ProfileCatalog catalog, ReferenceFile file, int maxEvaluations = 1500, IProgress<long>? progress = null)
    {
        long done = 0;
        var fits = new List<BackendFit>();
        var fitted = new Dictionary<string, BackendProfile>(StringComparer.Ordinal);
        var folds = new List<LeaveOneOut>();
        var lodoRows = new List<ValidatedRow>();
        // The same rows as the in-sample pass cannot be predicted out of sample either: the file's own issues and rows
        // whose backend has no profile (so both blocks of the report count them alike).
        var lodoIssues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows.Where(r => !catalog.Backends.ContainsKey(RowAliases.Backend(r))))
        {
            try { catalog.GetBackend(RowAliases.Backend(row)); }
            catch (Exception e) when (Validator.IsRowProblem(e)) { lodoIssues.Add(new ReferenceIssue(row.Line, row.Hardware, row.Backend, row.Metric.Name(), e.Message)); }
        }
        var pending = new List<(List<(BackendProfile Prior, List<ReferenceRow> Rows)> Members, string Device, List<List<ReferenceRow>> Train,
            IReadOnlyList<BackendProfile> Models, IReadOnlyList<BackendFit>? Fits)>();
        // Per family: its full fit, and its fit without each device it measured (null: no other device).
        var fullFits = new List<(List<(BackendProfile Prior, List<ReferenceRow> Rows)> Members, IReadOnlyList<BackendFit> Full,
            Dictionary<string, IReadOnlyList<BackendFit>?> Without)>();
        foreach (var (_, members) in Families(catalog, file))
        {
            var full = FitFamily(catalog, members.Select(m => (m.Prior, SpeedRows(m.Rows))).ToList(), maxEvaluations);
            progress?.Report(++done);
            foreach (var (m, f) in members.Zip(full))
            {
                if (m.Rows.Count == 0) continue;
                fits.Add(f);
                fitted[m.Prior.Id] = f.Fitted;
            }
            var without = new Dictionary<string, IReadOnlyList<BackendFit>?>(StringComparer.Ordinal);
            foreach (var device in members.SelectMany(m => m.Rows).Select(r => r.Hardware).Distinct(StringComparer.Ordinal))
            {
                var train = members.Select(m => SpeedRows(m.Rows.Where(r => r.Hardware != device))).ToList();
                bool priorOnly = train.All(t => t.Count == 0);
                // A device with no speed rows in the family (energy rows only) leaves the training rows as they are: the
                // fold's fit is the full one (the fit is deterministic), so it is reused rather than run again.
                bool sameAsFull = members.Zip(train).All(t => t.Second.Count == SpeedRows(t.First.Rows).Count);
                var foldFits = priorOnly ? null : sameAsFull ? full : FitFamily(catalog, members.Select((m, i) => (m.Prior, train[i])).ToList(), maxEvaluations);
                progress?.Report(++done);
                without[device] = foldFits;
                pending.Add((members, device, train, foldFits?.Select(f => f.Fitted).ToList() ?? members.Select(m => m.Prior).ToList(), foldFits));
            }
            fullFits.Add((members, full, without));
        }
        // A family with no other device measured takes, per member, the pooled prior of its class (PooledPrior): the
        // other families' fits without the held-out device are its donors, so that device's figures never reach it.
        var pooledFrom = new Dictionary<(string Backend, string Device), IReadOnlyList<string>>();
        for (int p = 0; p < pending.Count; p++)
        {
            var (members, device, train, models, foldFits) = pending[p];
            if (foldFits is not null) continue;
            var peers = PeersWithout(catalog, fullFits, members, device).ToList();
            var pooled = new List<BackendProfile>();
            foreach (var m in members)
            {
                var (prior, donors) = PooledPrior.For(m.Prior, PooledPrior.ClassOf(catalog, m.Prior, m.Rows.Where(r => r.Hardware == device)), peers);
                pooled.Add(prior);
                if (donors.Count > 0) pooledFrom[(m.Prior.Id, device)] = donors;
            }
            pending[p] = (members, device, train, pooled, null);
        }
        var foldModels = new Dictionary<string, Dictionary<string, BackendProfile>>(StringComparer.Ordinal);
        foreach (var (_, device, _, models, _) in pending)
        {
            var byId = foldModels.TryGetValue(device, out var d) ? d : foldModels[device] = new(StringComparer.Ordinal);
            foreach (var model in models) byId[model.Id] = model;
        }
        // Energy rows: the power parameters of each class are refitted without the held-out device too, the other
        // devices' rows predicted with the speed fitted without it (so no figure of the held-out device leaks in).
        var energy = file.Rows.Any(r => r.Metric.IsEnergy()) ? EnergyFitter.Run(catalog, file, foldModels) : null;
        foreach (var (members, device, train, models, foldFits) in pending)
            for (int i = 0; i < members.Count; i++)
            {
                var (m, model) = (members[i], models[i]);
                var test = m.Rows.Where(r => r.Hardware == device).ToList();
                if (test.Count == 0) continue;
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
                folds.Add(new LeaveOneOut(m.Prior.Id, device, predicted, train[i].Count == 0,
                    foldFits?[i].Values ?? PooledValues(model, m.Prior.Id, device), pooledFrom.GetValueOrDefault((m.Prior.Id, device))));
                lodoRows.AddRange(predicted);
            }
        var fitValidation = Validator.Run(catalog, file, fitted);
        lodoRows.Sort((a, b) => a.Row.Line.CompareTo(b.Row.Line));
        lodoIssues.Sort((a, b) => a.Line.CompareTo(b.Line));
        var lodo = new ValidationResult(lodoRows, lodoIssues, Validator.Summarize(lodoRows, lodoIssues.Count));
        return new FitResult(fits, fitValidation, lodo, folds, energy);
    }

    /// <summary>The pooled shares a prior-only fold ran on (null: none pooled, the hand prior).</summary>
    static IReadOnlyDictionary<string, double>? PooledValues(BackendProfile model, string id, string device) =>
        PooledPrior.Pooled.Where(n => model.Parameters.TryGetValue(n, out var p) && p.Why.StartsWith("pooled prior", StringComparison.Ordinal))
            .ToDictionary(n => n, model.Value, StringComparer.Ordinal) is { Count: > 0 } v ? v : null;

    /// <summary>
    /// Every backend of the other families as fitted without <paramref name="device"/>: the family's fold fit if it
    /// measured that device (none if that fold was prior-only), else its full fit; a member with no row left that sees the
    /// matmul rate is no peer.
    /// </summary>
    static IEnumerable<PeerFit> PeersWithout(ProfileCatalog catalog,
        IEnumerable<(List<(BackendProfile Prior, List<ReferenceRow> Rows)> Members, IReadOnlyList<BackendFit> Full, Dictionary<string, IReadOnlyList<BackendFit>?> Without)> families,
        List<(BackendProfile Prior, List<ReferenceRow> Rows)> self, string device)
    {
        foreach (var (members, full, without) in families)
        {
            if (ReferenceEquals(members, self)) continue;
            var fits = without.TryGetValue(device, out var w) ? w : full;
            if (fits is null) continue;
            for (int i = 0; i < members.Count; i++)
            {
                var rows = SpeedRows(members[i].Rows.Where(r => r.Hardware != device));
                if (!rows.Any(PooledPrior.SeesGemm) || PooledPrior.ClassOf(catalog, members[i].Prior, rows) is not { } cls) continue;
                yield return new PeerFit(fits[i].Fitted, cls);
            }
        }
    }

    /// <summary>
    /// Fits a family of backends together: the first member's `fit:` parameters, plus each other member's own ones;
    /// a member's kernel parameters (<see cref="BackendProfile.KernelParameters"/>) are the first member's. With one
    /// member this is <see cref="FitBackend"/>.
    /// </summary>
    public static IReadOnlyList<BackendFit> FitFamily(ProfileCatalog catalog, IReadOnlyList<(BackendProfile Prior, List<ReferenceRow> Rows)> members, int maxEvaluations)
    {
        if (members.Count == 1) return [FitBackend(catalog, members[0].Prior, members[0].Rows, maxEvaluations)];
        var priors = members.Select(m => m.Prior.AtPrior()).ToList();
        var root = priors[0];
        // Slots: the root's fitted parameters, then each other member's fitted parameters that are not kernel parameters.
        var slots = new List<(int Member, string Name)>();
        foreach (var n in root.Fitted) slots.Add((0, n));
        for (int i = 1; i < priors.Count; i++)
            foreach (var n in priors[i].Fitted.Where(n => !BackendProfile.KernelParameters.Contains(n))) slots.Add((i, n));
        var specs = slots.Select(sl => BackendProfile.Spec(sl.Name)).ToArray();
        var lo = specs.Select(sp => sp.Min).ToArray();
        var hi = specs.Select(sp => sp.Max).ToArray();
        var x0 = slots.Select(sl => priors[sl.Member].Value(sl.Name)).ToArray();
        BackendProfile[] Candidates(double[] x)
        {
            var result = new BackendProfile[priors.Count];
            for (int i = 0; i < priors.Count; i++)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int k = 0; k < slots.Count; k++)
                    if (slots[k].Member == i || i > 0 && slots[k].Member == 0 && BackendProfile.KernelParameters.Contains(slots[k].Name))
                        values[slots[k].Name] = x[k];
                result[i] = priors[i].With(values, Basis.Fitted, "fit");
            }
            return result;
        }
        var usable = members.Select((m, i) => m.Rows.Where(r => TryPredict(catalog, r, priors[i]) is not null).ToList()).ToList();
        double Logit(double v, int k)
        {
            double t = Math.Clamp((v - lo[k]) / (hi[k] - lo[k]), 1e-6, 1 - 1e-6);
            return Math.Log(t / (1 - t));
        }
        var z0 = x0.Select(Logit).ToArray();
        double Objective(double[] x)
        {
            var c = Candidates(x);
            double sum = 0;
            for (int i = 0; i < c.Length; i++)
                foreach (var r in usable[i])
                {
                    var p = TryPredict(catalog, r, c[i]);
                    if (p is not { } v || v <= 0 || !double.IsFinite(v)) return double.MaxValue;
                    double e = Math.Log(v / r.Value);
                    sum += e * e;
                }
            for (int k = 0; k < x.Length; k++) { double d = Logit(x[k], k) - z0[k]; sum += PriorWeight * d * d; }
            return sum;
        }
        var (best, _) = usable.All(u => u.Count == 0) ? (x0, 0.0) : NelderMead.Minimize(Objective, x0, lo, hi, maxEvaluations);
        var profiles = Candidates(best);
        return profiles.Select((prof, i) =>
        {
            var values = slots.Select((sl, k) => (sl, k)).Where(t => t.sl.Member == i || i > 0 && t.sl.Member == 0 && BackendProfile.KernelParameters.Contains(t.sl.Name))
                .ToDictionary(t => t.sl.Name, t => best[t.k], StringComparer.Ordinal);
            var rows = usable[i];
            double rms = rows.Count == 0 ? double.NaN : Math.Sqrt(rows.Sum(r => Math.Pow(Math.Log(TryPredict(catalog, r, prof)!.Value / r.Value), 2)) / rows.Count);
            return new BackendFit(prof, values, rows.Count, rows.Select(r => r.Hardware).Distinct().Count(), rms);
        }).ToList();
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

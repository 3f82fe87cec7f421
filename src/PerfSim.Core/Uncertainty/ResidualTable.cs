namespace PerfSim.Core.Uncertainty;

/// <summary>
/// Interval half-widths per backend and regime, from out-of-sample residuals, with pooled groups to fall back on where a
/// group has too few residuals. The half-width is the split-conformal quantile of |ln(predicted ÷ measured)|: the
/// ⌈(n + 1)·coverage⌉-th smallest of n residuals (Vovk et al. 2005; Lei et al. 2018, "Distribution-free predictive
/// inference for regression"), which covers a new exchangeable row with probability ≥ coverage; with fewer than
/// ⌈1 ÷ (1 − coverage)⌉ − 1 residuals that rank does not exist and the next pooled group is used.
/// </summary>
public sealed record ResidualTable(double Coverage, IReadOnlyList<ResidualGroup> Groups)
{
    /// <summary>The nominal coverage of every interval PerfSim prints.</summary>
    public const double DefaultCoverage = 0.8;

    public static ResidualTable From(IEnumerable<Residual> residuals, double coverage = DefaultCoverage)
    {
        var list = residuals.Where(r => double.IsFinite(r.LogError)).ToList();
        var groups = new List<ResidualGroup>();
        void Add(string backend, string stage, string batch, IEnumerable<Residual> rs)
        {
            var abs = rs.Select(r => Math.Abs(r.LogError)).Order().ToArray();
            if (ConformalQuantile(abs, coverage) is { } h) groups.Add(new ResidualGroup(backend, stage, batch, abs.Length, h));
        }
        foreach (var g in list.GroupBy(r => (r.Backend, r.Regime.Stage, r.Regime.Batch))) Add(g.Key.Backend, g.Key.Stage, g.Key.Batch, g);
        foreach (var g in list.GroupBy(r => (r.Backend, r.Regime.Stage))) Add(g.Key.Backend, g.Key.Stage, Regime.Any, g);
        foreach (var g in list.GroupBy(r => r.Backend)) Add(g.Key, Regime.Any, Regime.Any, g);
        foreach (var g in list.GroupBy(r => (r.Regime.Stage, r.Regime.Batch))) Add(Regime.Any, g.Key.Stage, g.Key.Batch, g);
        foreach (var g in list.GroupBy(r => r.Regime.Stage)) Add(Regime.Any, g.Key, Regime.Any, g);
        Add(Regime.Any, Regime.Any, Regime.Any, list);
        groups.Sort((a, b) => string.CompareOrdinal(Key(a), Key(b)));
        return new ResidualTable(coverage, groups);
    }

    static string Key(ResidualGroup g) => $"{g.Backend}\u0001{g.Stage}\u0001{g.Batch}";

    /// <summary>The ⌈(n + 1)·coverage⌉-th smallest of sorted values; null when n is too small for that rank.</summary>
    public static double? ConformalQuantile(IReadOnlyList<double> sortedAscending, double coverage)
    {
        int n = sortedAscending.Count;
        int k = (int)Math.Ceiling((n + 1) * coverage - 1e-9);
        return n == 0 || k > n ? null : sortedAscending[Math.Max(k, 1) - 1];
    }

    /// <summary>
    /// The most specific group with a half-width for this backend and regime: the backend's own regime, its stage at any
    /// batch, all its rows, then every backend's regime, stage, and all rows. Null when the table is empty.
    /// </summary>
    public ResidualGroup? Lookup(string backend, Regime regime)
    {
        (string B, string S, string C)[] order =
        [
            (backend, regime.Stage, regime.Batch), (backend, regime.Stage, Regime.Any), (backend, Regime.Any, Regime.Any),
            (Regime.Any, regime.Stage, regime.Batch), (Regime.Any, regime.Stage, Regime.Any), (Regime.Any, Regime.Any, Regime.Any),
        ];
        foreach (var (b, s, c) in order)
            if (Groups.FirstOrDefault(g => g.Backend == b && g.Stage == s && g.Batch == c) is { } hit) return hit;
        return null;
    }

    /// <summary>True when a group of the backend itself (not a pooled one) answered.</summary>
    public static bool IsOwn(ResidualGroup g, string backend) => g.Backend == backend;
}

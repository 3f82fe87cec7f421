namespace PerfSim.Core.Uncertainty;

/// <summary>
/// Turns residual statistics and a backend's coverage envelope into the spreads of one request: the most specific
/// residual group of each stage, widened by whatever the request leaves the envelope on.
/// </summary>
public static class IntervalModel
{
    /// <summary>The stage the energy figures' residuals are filed under (the validation metric's name).</summary>
    public const string EnergyStage = "joules_per_token";

    /// <summary>
    /// Extra ln half-width for the ideal backend (no backend named; assumed: a factor 2, the ideal execution is a bound
    /// that no measured backend reaches, so the residuals of real backends do not describe it).
    /// </summary>
    public static readonly double IdealBackend = Math.Log(2);

    public static PredictionIntervals For(ResidualTable table, IReadOnlyDictionary<string, CoverageEnvelope> envelopes, string? backend, RequestPoint point)
    {
        if (table.Groups.Count == 0) return PredictionIntervals.None("no residual statistics (run perfsim fit)");
        var (extra, reasons) = Widening(envelopes, backend, point);
        string batch = Regime.BatchClass(point.Batch);
        return new PredictionIntervals(table.Coverage,
            Spread(table, backend, new Regime(Regime.Prefill, batch), extra),
            Spread(table, backend, new Regime(Regime.Decode, batch), extra),
            Spread(table, backend, new Regime(Regime.Throughput, batch), extra),
            Spread(table, backend, new Regime(EnergyStage, batch), extra, ownStageOnly: true), reasons);
    }

    /// <summary>
    /// The extra ln half-width a request needs beyond its residual group, and why: outside the backend's envelope, a
    /// backend never measured, or the ideal backend.
    /// </summary>
    public static (double Extra, IReadOnlyList<string> Reasons) Widening(IReadOnlyDictionary<string, CoverageEnvelope> envelopes, string? backend, RequestPoint point)
    {
        if (backend is null)
            return (IdealBackend, ["no backend named (--backend): the ideal execution was never fitted; intervals pool every backend's residuals, widened ×2 (assumed)"]);
        if (envelopes.TryGetValue(backend, out var env)) return env.Outside(point);
        return (CoverageEnvelope.UnseenDeviceClass, [$"extrapolated: no measurement of {backend} at all; intervals pool other backends' residuals, widened ×2 (assumed)"]);
    }

    /// <summary>
    /// The spread of one regime: its most specific residual group plus the widening. `ownStageOnly`: only a group of
    /// that very stage counts (energy never borrows speed residuals). Null when no group answers.
    /// </summary>
    public static Spread? Spread(ResidualTable table, string? backend, Regime regime, double extra, bool ownStageOnly = false)
    {
        string id = backend ?? "ideal";
        var g = table.Lookup(id, regime);
        if (g is null || (ownStageOnly && g.Stage != regime.Stage)) return null;
        string basis = $"{g.Count} leave-one-device-out residuals of {g.Describe()}";
        if (backend is not null && !ResidualTable.IsOwn(g, backend)) basis += $" (pooled: too few of {backend})";
        if (extra > 0) basis += ", widened for extrapolation";
        return new Spread(g.HalfWidth + extra, basis);
    }
}

namespace PerfSim.Core.Uncertainty;

/// <summary>
/// What `perfsim fit` leaves for `predict` to build intervals from without refitting: the residual half-widths per
/// backend and regime, the coverage envelope of each backend, and the fit that produced them.
/// </summary>
public sealed record ResidualStatistics(ResidualTable Table, IReadOnlyDictionary<string, CoverageEnvelope> Envelopes, string Source)
{
    public PredictionIntervals For(string? backend, RequestPoint point) => IntervalModel.For(Table, Envelopes, backend, point);
}

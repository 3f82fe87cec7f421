using PerfSim.Composition;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>
/// A row's energy figure from the composed prediction at its batch (for server sweeps the measured average running
/// batch), at the row's power boundary: J per output token = the energy of one sequence (its prompt's prefill share
/// and its decode steps) ÷ its output tokens; average power = that energy × batch ÷ the end-to-end time; a peak figure
/// is the higher of the prefill and decode power. A wall boundary adds the host and the power supply's loss.
/// </summary>
public static class EnergyPrediction
{
    public static double Value(ComposedPrediction composed, ReferenceRow row)
    {
        var p = composed.Prediction;
        var s = p.Workload.Scenario;
        var boundary = PowerBoundaries.Of(row);
        var kind = composed.Configuration.Deployment.Device.Kind;
        double gen = Math.Max(1, s.GeneratedTokens);
        double averageWatts = p.Energy.PerQuery.Value * s.Batch / p.EndToEnd.Value;
        double deviceWatts = boundary.Peak ? Math.Max(p.Energy.DecodePower.Value, p.Energy.PrefillPower.Value) : averageWatts;
        if (row.Metric == Metric.PowerW) return PowerBoundaries.AtBoundary(boundary, deviceWatts, kind);
        double joules = p.Energy.PerQuery.Value / gen;
        if (boundary.Kind == PowerBoundaryKind.Wall)
            joules = PowerBoundaries.AtBoundary(boundary, averageWatts, kind) * p.EndToEnd.Value / (s.Batch * gen);
        return joules;
    }
}

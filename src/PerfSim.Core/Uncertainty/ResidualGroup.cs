namespace PerfSim.Core.Uncertainty;

/// <summary>
/// The residuals of one backend × regime (either may be <see cref="Regime.Any"/> for a pooled group): how many, and the
/// half-width in ln units of the interval that covers the target share of them, ln(predicted ÷ measured) ∈ [−h, h].
/// </summary>
public sealed record ResidualGroup(string Backend, string Stage, string Batch, int Count, double HalfWidth)
{
    public string Describe() =>
        (Backend == Regime.Any ? "all backends" : Backend)
        + (Stage == Regime.Any ? ", all stages" : $", {Stage}")
        + (Batch == Regime.Any ? "" : Batch == Regime.Batch1 ? " at batch 1" : " batched");
}

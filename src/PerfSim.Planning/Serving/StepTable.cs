namespace PerfSim.Planning.Serving;

/// <summary>
/// The engine's step costs for one replica at one prompt/gen shape: the time to prefill one prompt alone, the decode
/// step time and power at batch sizes 1, 2, 4, … up to the largest that fits (linear in between), and idle power.
/// </summary>
public sealed record StepTable(double PrefillSeconds, double PrefillWatts, IReadOnlyList<int> Batches, IReadOnlyList<double> StepSeconds,
    IReadOnlyList<double> StepWatts, double IdleWatts)
{
    public int MaxBatch => Batches[^1];

    /// <summary>Decode step time with `n` sequences in the batch (n ≥ 1; beyond the table, extended on its last slope).</summary>
    public double Step(double n) => Interpolate(StepSeconds, Math.Max(1, n));

    public double StepPower(double n) => Interpolate(StepWatts, Math.Max(1, n));

    double Interpolate(IReadOnlyList<double> ys, double n)
    {
        if (Batches.Count == 1) return ys[0];
        int i = 1;
        while (i < Batches.Count - 1 && Batches[i] < n) i++;
        double x0 = Batches[i - 1], x1 = Batches[i];
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (n - x0) / (x1 - x0);
    }
}

namespace PerfSim.Serving;

/// <summary>
/// Weighted samples of positive durations in logarithmic bins 0.1 % wide, from 10 ns to 10⁵ s: percentiles of
/// tens of millions of inter-token gaps without storing them (quantile error under 0.1 %).
/// </summary>
sealed class LogHistogram
{
    const double Min = 1e-8;
    static readonly double LogStep = Math.Log(1.001);
    static readonly int Bins = (int)Math.Ceiling(Math.Log(1e5 / Min) / LogStep) + 1;
    readonly long[] counts = new long[Bins];
    long total;
    double sum, max;

    public void Add(double seconds, long weight = 1)
    {
        if (weight <= 0) return;
        int i = seconds <= Min ? 0 : Math.Min(Bins - 1, (int)(Math.Log(seconds / Min) / LogStep));
        counts[i] += weight;
        total += weight;
        sum += seconds * weight;
        if (seconds > max) max = seconds;
    }

    public Distribution Summary()
    {
        if (total == 0) return Distribution.Empty;
        return new Distribution((int)Math.Min(total, int.MaxValue), sum / total, Quantile(0.5), Quantile(0.9), Quantile(0.99), max);
    }

    double Quantile(double q)
    {
        long rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (int i = 0; i < Bins; i++)
        {
            seen += counts[i];
            if (seen >= Math.Max(1, rank)) return Math.Min(max, Min * Math.Exp((i + 0.5) * LogStep));
        }
        return max;
    }
}

namespace PerfSim.Serving;

/// <summary>Summary of a sample: mean and percentiles (linear interpolation between order statistics).</summary>
public sealed record Distribution(int Count, double Mean, double P50, double P90, double P99, double Max)
{
    public static readonly Distribution Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Distribution Of(List<double> values)
    {
        if (values.Count == 0) return Empty;
        var v = values.ToArray();
        Array.Sort(v);
        double sum = 0;
        foreach (var x in v) sum += x;
        return new Distribution(v.Length, sum / v.Length, Quantile(v, 0.5), Quantile(v, 0.9), Quantile(v, 0.99), v[^1]);
    }

    public static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }
}

/// <summary>One point of the time series for plots: averages over the interval ending at `TimeSeconds`.</summary>
public sealed record TimeSeriesPoint(double TimeSeconds, double RunningBatch, double KvOccupancy, double Waiting);

/// <summary>
/// Little's law, L = λW, over the whole run: the time-average number of requests in the system against the arrival
/// rate times the mean time in system. It checks the simulator's bookkeeping (every request's time is accounted once).
/// </summary>
public sealed record LittleLawCheck(double MeanInSystem, double ArrivalRate, double MeanSojournSeconds)
{
    public double RelativeError => MeanInSystem > 0 ? Math.Abs(MeanInSystem - ArrivalRate * MeanSojournSeconds) / MeanInSystem : 0;
}

/// <summary>Energy and cost over the measurement window, for the whole set of servers.</summary>
public sealed record ServingEconomics(
    double Joules,
    double AverageWatts,
    double JoulesPerRequest,
    double JoulesPerOutputToken,
    double? Usd,
    double? UsdPerRequest,
    double? UsdPerMillionOutputTokens,
    string CostBasis);

/// <summary>
/// What a serving run measured. Latencies are over requests that arrived in the measurement window and finished;
/// throughput, occupancy, busy fraction and energy over the window itself (warm-up excluded).
/// TPOT is each request's mean gap between output tokens; ITL is every gap between consecutive tokens.
/// </summary>
public sealed record ServingResult(
    string Traffic,
    double WindowSeconds,
    int Arrived,
    int Completed,
    int Incomplete,
    int Rejected,
    int ClippedLengths,
    double RequestsPerSecond,
    double OutputTokensPerSecond,
    double PromptTokensPerSecond,
    Distribution TtftSeconds,
    Distribution TpotSeconds,
    Distribution ItlSeconds,
    Distribution EndToEndSeconds,
    Distribution QueueSeconds,
    double? Goodput,
    double MeanRunningBatch,
    int PeakRunningBatch,
    double MeanKvOccupancy,
    double PeakKvOccupancy,
    IReadOnlyList<TimeSeriesPoint> TimeSeries,
    int Preemptions,
    double BusyFraction,
    ServingEconomics Economics,
    bool Saturated,
    string? SaturationReason,
    LittleLawCheck LittleLaw,
    long Steps,
    double SimulatedSeconds,
    IReadOnlyList<string> Notes);

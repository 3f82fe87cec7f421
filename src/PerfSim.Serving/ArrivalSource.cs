namespace PerfSim.Serving;

/// <summary>Generates the open-loop arrival times and each request's lengths, lazily and from its own random streams.</summary>
sealed class ArrivalSource
{
    readonly Traffic traffic;
    readonly Rng gaps, prompts, outputs;
    readonly int maxContext;
    int traceIndex, offlineLeft;
    double next;
    public int Clipped;

    public ArrivalSource(Traffic t, long seed, int maxContext)
    {
        traffic = t;
        this.maxContext = maxContext;
        gaps = Rng.Stream(seed, 1); prompts = Rng.Stream(seed, 2); outputs = Rng.Stream(seed, 3);
        offlineLeft = t.Arrivals is OfflineArrivals o ? o.Requests : 0;
        next = t.Arrivals switch
        {
            PoissonArrivals or GammaArrivals => Gap(),
            TraceArrivals tr => tr.Requests.Count > 0 ? tr.Requests[0].ArrivalSeconds : double.PositiveInfinity,
            OfflineArrivals => offlineLeft > 0 ? 0 : double.PositiveInfinity,
            _ => double.PositiveInfinity,
        };
    }

    /// <summary>Time of the next open-loop arrival (∞ when there is none).</summary>
    public double NextTime => next;

    double Gap() => traffic.Arrivals switch
    {
        PoissonArrivals p => gaps.Exponential(1 / p.RatePerSecond),
        // Gamma gaps with mean 1/rate and CV c: shape 1/c², scale c²/rate.
        GammaArrivals g => gaps.Gamma(1 / (g.Cv * g.Cv), g.Cv * g.Cv / g.RatePerSecond),
        _ => 0,
    };

    /// <summary>Lengths for a new request: from the trace, else sampled; clipped so prompt + output fit the context.</summary>
    public (int Prompt, int Output) Lengths(TraceRequest? fromTrace)
    {
        int p = fromTrace?.PromptTokens ?? traffic.Prompt.Sample(prompts);
        int o = fromTrace?.OutputTokens ?? traffic.Output.Sample(outputs);
        if ((long)p + o > maxContext)
        {
            Clipped++;
            p = Math.Min(p, maxContext - 1);
            o = Math.Max(1, maxContext - p);
        }
        return (p, o);
    }

    /// <summary>Consumes the next open-loop arrival: its time and lengths.</summary>
    public (double Time, int Prompt, int Output) Take()
    {
        double t = next;
        switch (traffic.Arrivals)
        {
            case TraceArrivals tr:
            {
                var req = tr.Requests[traceIndex++];
                next = traceIndex < tr.Requests.Count ? tr.Requests[traceIndex].ArrivalSeconds : double.PositiveInfinity;
                var (p, o) = Lengths(req);
                return (t, p, o);
            }
            case OfflineArrivals:
                next = --offlineLeft > 0 ? 0 : double.PositiveInfinity;
                break;
            default:
                next = t + Gap();
                break;
        }
        var (pp, oo) = Lengths(null);
        return (t, pp, oo);
    }

    public double ThinkTime(double mean) => mean > 0 ? gaps.Exponential(mean) : 0;
}

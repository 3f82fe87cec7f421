namespace PerfSim.Serving;

/// <summary>How requests arrive.</summary>
public abstract record ArrivalProcess
{
    public abstract string Describe();
}

/// <summary>Poisson arrivals at a mean rate (exponential gaps).</summary>
public sealed record PoissonArrivals(double RatePerSecond) : ArrivalProcess
{
    public override string Describe() => $"Poisson {RatePerSecond:0.###} req/s";
}

/// <summary>Bursty arrivals: gamma-distributed gaps with a stated coefficient of variation (cv 1 is Poisson, above 1 bursty).</summary>
public sealed record GammaArrivals(double RatePerSecond, double Cv) : ArrivalProcess
{
    public override string Describe() => $"gamma {RatePerSecond:0.###} req/s, cv {Cv:0.##}";
}

/// <summary>A closed loop: `Users` users each send a request, wait for its last token, think (exponential, mean `ThinkSeconds`), repeat.</summary>
public sealed record ClosedLoopArrivals(int Users, double ThinkSeconds) : ArrivalProcess
{
    public override string Describe() => $"closed loop {Users} users, think {ThinkSeconds:0.###} s";
}

/// <summary>Offline: `Requests` requests all present at time 0; the run lasts until the last finishes.</summary>
public sealed record OfflineArrivals(int Requests) : ArrivalProcess
{
    public override string Describe() => $"offline {Requests} requests at once";
}

/// <summary>A recorded trace: each request's arrival time and lengths (the traffic's length distributions are not used).</summary>
public sealed record TraceArrivals(IReadOnlyList<TraceRequest> Requests, string Source) : ArrivalProcess
{
    public override string Describe() => $"trace {Source} ({Requests.Count} requests)";
}

/// <summary>One traced request; `Line` is its line in the source file (0 if not from a file).</summary>
public readonly record struct TraceRequest(double ArrivalSeconds, int PromptTokens, int OutputTokens, int Line = 0);

/// <summary>
/// The traffic offered to the servers: arrivals, prompt and output lengths, how long requests keep arriving, and the
/// warm-up excluded from the statistics. Prefix caching: `PrefixHitRate` of every prompt is already in the cache.
/// </summary>
public sealed record Traffic(
    ArrivalProcess Arrivals,
    LengthDistribution Prompt,
    LengthDistribution Output,
    double DurationSeconds,
    double WarmupSeconds = 0,
    double PrefixHitRate = 0)
{
    public string Describe() => $"{Arrivals.Describe()}; prompt {Prompt.Describe()}; output {Output.Describe()}; {DurationSeconds:0.###} s"
                                + (WarmupSeconds > 0 ? $" (first {WarmupSeconds:0.###} s warm-up)" : "")
                                + (PrefixHitRate > 0 ? $"; prefix cache hit {PrefixHitRate:P0}" : "");
}

using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;
using PerfSim.Serving;

namespace PerfSim.Plots.Studies;

/// <summary>One simulated run at an offered load (requests/s): what the chart's X axis is, and what the simulator measured there.</summary>
public sealed record LoadRun(double OfferedRequestsPerSecond, ServingResult Result);

/// <summary>
/// The serving studies behind the serving charts: one server, composed through <see cref="Composer"/> like `serve`
/// (the scenario it checks is the scheduler's full batch at the request's prompt and generated lengths), run by the
/// serving simulator with Poisson arrivals at each offered rate. Every rate uses the same seed, so the runs share their
/// random draws and differ only by load (common random numbers).
/// </summary>
public static class ServingStudy
{
    public const double DefaultDurationSeconds = 120;

    /// <summary>The step cost of one server for the request's hardware, model and quantization, at the scheduler's batch cap.</summary>
    public static StepCost Cost(ProfileCatalog catalog, PredictionRequest request, SchedulerOptions scheduler)
    {
        var s = request.Scenario;
        var c = Composer.Compose(catalog, request with { Scenario = s with { Batch = Math.Max(1, scheduler.MaxRunningBatch), Offline = false } });
        return StepCost.For(c.Deployment, c.Workload, c.Execution, c.Assumptions);
    }

    /// <summary>The traffic of a run: Poisson arrivals at `rate` for `duration` seconds, fixed prompt and output lengths.</summary>
    public static Traffic TrafficAt(double rate, int prompt, int gen, double durationSeconds) =>
        new(new PoissonArrivals(rate), LengthDistribution.Fixed(prompt), LengthDistribution.Fixed(gen), durationSeconds);

    /// <summary>
    /// One run per offered rate, in the order given. `progress` receives the runs finished so far (0…rates), for a
    /// front end's progress bar; the library itself draws nothing.
    /// </summary>
    public static IReadOnlyList<LoadRun> Loads(ProfileCatalog catalog, PredictionRequest request, IReadOnlyList<double> rates, int prompt, int gen,
        double durationSeconds = DefaultDurationSeconds, long seed = 1, SchedulerOptions? scheduler = null, IProgress<long>? progress = null)
    {
        if (rates.Count == 0) throw new ArgumentException("serving-load: no rates");
        foreach (var r in rates)
            if (!(r > 0) || !double.IsFinite(r)) throw new ArgumentException($"serving-load: rates must be positive finite requests/s, got {r}");
        scheduler ??= new SchedulerOptions();
        var config = ServingConfig.Single(Cost(catalog, request, scheduler), scheduler);
        var runs = new List<LoadRun>(rates.Count);
        foreach (var rate in rates)
        {
            runs.Add(new LoadRun(rate, ServingSimulator.Run(config, TrafficAt(rate, prompt, gen, durationSeconds), new ServingOptions(seed))));
            progress?.Report(runs.Count);
        }
        return runs;
    }

    /// <summary>One run at one offered rate (the KV-occupancy and batch timeline).</summary>
    public static ServingResult Run(ProfileCatalog catalog, PredictionRequest request, double rate, int prompt, int gen,
        double durationSeconds = DefaultDurationSeconds, long seed = 1, SchedulerOptions? scheduler = null, Action<double>? progress = null)
    {
        if (!(rate > 0) || !double.IsFinite(rate)) throw new ArgumentException($"serving: the rate must be a positive finite requests/s, got {rate}");
        scheduler ??= new SchedulerOptions();
        var config = ServingConfig.Single(Cost(catalog, request, scheduler), scheduler);
        return ServingSimulator.Run(config, TrafficAt(rate, prompt, gen, durationSeconds), new ServingOptions(seed, Progress: progress));
    }
}

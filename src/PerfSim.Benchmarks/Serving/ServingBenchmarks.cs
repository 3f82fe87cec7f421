using BenchmarkDotNet.Attributes;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;
using PerfSim.Serving;

namespace PerfSim.Benchmarks.Serving;

/// <summary>
/// Issue 10's goals: one hour of Poisson traffic at 100 requests/s with chat-like lengths (lognormal prompts of mean
/// 256 tokens and outputs of mean 128, cv 1) on one replica (Llama 3.1 8B FP8 on one H100 SXM, vLLM default
/// scheduler), under 2 s on one core; and one step-cost evaluation under 1 µs. The simulation is single-threaded,
/// so its time is one core's. Deployment composition is in the setup, not the measured body.
/// </summary>
[WarmupCount(1)]
[IterationCount(5)]
public class ServingBenchmarks
{
    public const double RatePerSecond = 100, HourSeconds = 3600;
    StepCost cost = null!;
    Traffic traffic = null!;
    StepBatch mixed, decode;

    [GlobalSetup]
    public void Setup()
    {
        var config = Composer.Compose(ProfileCatalog.Load(), new PredictionRequest
        {
            Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Quant = "fp8",
            Scenario = new ScenarioRequest(Batch: 64, Prompt: 256, Gen: 128),
        });
        cost = StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
        traffic = new Traffic(new PoissonArrivals(RatePerSecond), new LogNormalLength(256, 1), new LogNormalLength(128, 1), HourSeconds);
        // A typical continuous-batching step: 60 decodes averaging 400 tokens of context and one 512-token prefill chunk.
        decode = StepCost.Decode(60, 60 * 400.0, cost.WindowContext(400) * 60);
        mixed = decode + cost.Chunk(256, 512);
    }

    [Benchmark(Description = "step cost: 60 decodes + one 512-token chunk")]
    public double StepCostMixed() => cost.Seconds(mixed);

    [Benchmark(Description = "step cost: 60 decodes")]
    public double StepCostDecode() => cost.Seconds(decode);

    [Benchmark(Description = "1 h at 100 req/s, chat lengths, 1 replica (one core)")]
    public long OneHourAt100PerSecond()
    {
        var r = ServingSimulator.Run(ServingConfig.Single(cost), traffic, new ServingOptions(Seed: 1));
        if (r.Saturated) throw new InvalidOperationException("the benchmark scenario saturated; it must measure a steady state");
        return r.Completed;
    }
}

/// <summary>
/// `serving-goal [RUNS]`: the hour-long simulation timed by the process's CPU time as well as wall time. On a shared
/// host (load far above the core count) wall time mostly measures waiting for a core; CPU time is the work the one
/// simulation thread does (it includes GC threads, so it can only overstate the one-core figure).
/// </summary>
public static class ServingGoalRun
{
    public static void Run(int runs, TextWriter output)
    {
        var bench = new ServingBenchmarks();
        bench.Setup();
        bench.OneHourAt100PerSecond(); // warm-up: JIT and the step-cost memo
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var wall = new List<double>(); var cpu = new List<double>();
        long completed = 0;
        for (int i = 0; i < runs; i++)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            completed = bench.OneHourAt100PerSecond();
            sw.Stop();
            process.Refresh();
            wall.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((process.TotalProcessorTime - c0).TotalSeconds);
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"1 h at {ServingBenchmarks.RatePerSecond} req/s, {completed} requests completed, {runs} runs after one warm-up"));
        output.WriteLine(string.Create(inv, $"  CPU time  s: min {cpu.Min():0.000}  median {Median(cpu):0.000}  max {cpu.Max():0.000}  -> {ServingBenchmarks.HourSeconds / Median(cpu):0}x real time (median)"));
        output.WriteLine(string.Create(inv, $"  wall time s: min {wall.Min():0.000}  median {Median(wall):0.000}  max {wall.Max():0.000}  -> {ServingBenchmarks.HourSeconds / Median(wall):0}x real time (median)"));
        output.WriteLine(string.Create(inv, $"  load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    static double Median(List<double> v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}

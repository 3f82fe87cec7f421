using System.Text;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Serving;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// The serving inputs (trace CSVs, length histograms) read from a real file, as `perfsim serve` reads them, and an accepted
/// one simulated on a small deployment: every reported figure must be finite and non-negative.
/// </summary>
public static class ServingChecks
{
    static readonly Lazy<StepCost> cost = new(() =>
    {
        var config = Composer.Compose(FuzzRepo.Catalog, new PredictionRequest
        {
            Hardware = "nvidia-h100-sxm", Model = "llama-3.2-1b", Quant = "fp16",
            Scenario = new ScenarioRequest(Batch: 8, Prompt: 256, Gen: 64),
        });
        return StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
    });

    public static string? WithTempFile(byte[] bytes, Func<string, string?> body)
    {
        string path = Path.Combine(Path.GetTempPath(), $"perfsim-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.csv");
        File.WriteAllBytes(path, bytes);
        try { return body(path); }
        finally { File.Delete(path); }
    }

    /// <summary>Simulates a trace (its first requests) or Poisson traffic with histogram prompt lengths for a short window.</summary>
    public static string? Simulate(TraceArrivals? trace, EmpiricalLength? prompts)
    {
        // A handful of requests exercises every path; a mutated long trace would only repeat them.
        var arrivals = trace is null ? (ArrivalProcess)new PoissonArrivals(4) : trace with { Requests = trace.Requests.Take(20).ToArray() };
        var traffic = new Traffic(arrivals, (LengthDistribution?)prompts ?? LengthDistribution.Fixed(128), LengthDistribution.Fixed(16), 5);
        var r = ServingSimulator.Run(ServingConfig.Single(cost.Value), traffic, new ServingOptions(Seed: 7, MaxDrainSeconds: 600));
        return Problem(r);
    }

    static string? Problem(ServingResult r)
    {
        var figures = new (string Name, double Value)[]
        {
            ("window_s", r.WindowSeconds), ("requests_per_s", r.RequestsPerSecond), ("output_tokens_per_s", r.OutputTokensPerSecond),
            ("batch.mean", r.MeanRunningBatch), ("kv.peak", r.PeakKvOccupancy), ("busy", r.BusyFraction),
            ("energy.joules", r.Economics.Joules), ("energy.watts", r.Economics.AverageWatts),
        };
        var distributions = new (string Name, Distribution D)[] { ("ttft", r.TtftSeconds), ("tpot", r.TpotSeconds), ("e2e", r.EndToEndSeconds), ("queue", r.QueueSeconds) };
        foreach (var (name, d) in distributions.Where(x => x.D.Count > 0))
            figures = [.. figures, ($"{name}.p50", d.P50), ($"{name}.p99", d.P99), ($"{name}.mean", d.Mean)];
        foreach (var (name, v) in figures)
            if (!double.IsFinite(v) || v < 0) return $"{name} = {v}";
        return r.LittleLaw.RelativeError < 1e-6 ? null : $"Little's law off by {r.LittleLaw.RelativeError:P3}";
    }

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static byte[][] TraceSeeds() =>
    [
        Utf8("arrival_s,prompt_tokens,output_tokens\n0,128,16\n0.25,512,64\n0.5,64,8\n1.5,2048,128\n"),
        Utf8("# chat-like\narrival_s,prompt_tokens,output_tokens\n0.0,900,200\n0.1,300,40\n0.1,1200,300\n"),
    ];

    public static byte[][] HistogramSeeds() =>
    [
        Utf8("low,high,weight\n1,128,0.5\n129,1024,0.4\n1025,4096,0.1\n"),
        Utf8("low,high,weight\n64,64,1\n"),
    ];
}

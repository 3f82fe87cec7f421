using Xunit.Abstractions;

namespace PerfSim.Serving.Tests;

/// <summary>
/// The analytic estimate (for sweeps and the planner's screening) against the simulation over a grid of deployments,
/// lengths and loads (20 %, 50 % and 80 % of the capacity the estimate states): the error per metric is written to the
/// test output (docs/serving.md quotes it) and held to a bound; beyond the stated capacity the simulation must agree that the server saturates.
/// </summary>
public class EstimateAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string, int, int> Grid => new()
    {
        { "nvidia-h100-sxm", "llama-3.1-8b", "fp16", 512, 256 },
        { "nvidia-h100-sxm", "llama-3.1-8b", "fp8", 2048, 128 },
        { "nvidia-rtx-4090", "llama-3.2-3b", "fp16", 256, 512 },
        { "nvidia-h100-sxm", "llama-3.2-1b", "fp16", 1024, 64 },
    };

    [Theory]
    [MemberData(nameof(Grid))]
    public void Estimate_tracks_the_simulation_below_capacity_and_agrees_on_saturation(string hw, string model, string quant, int prompt, int gen)
    {
        var cost = Fixtures.Cost(hw, model, quant, prompt: prompt, gen: gen);
        var config = ServingConfig.Single(cost);
        Traffic At(double rate, double seconds) => new(new PoissonArrivals(rate), new LogNormalLength(prompt, 0.5), new LogNormalLength(gen, 0.5), seconds, seconds / 4);
        double capacity = ServingEstimate.Estimate(config, At(1, 100)).MaxRequestsPerSecond;
        Assert.True(capacity > 0 && double.IsFinite(capacity));
        output.WriteLine($"{hw} {model} {quant} prompt {prompt} gen {gen}: estimated capacity {capacity:0.###} req/s");
        output.WriteLine("load | metric | estimate | simulated | error");
        foreach (double load in new[] { 0.2, 0.5, 0.8 })
        {
            double rate = load * capacity;
            // Enough requests for stable means (about 4,000 after the warm-up), whatever the rate.
            var traffic = At(rate, Math.Max(60, 5_000 / rate));
            var e = ServingEstimate.Estimate(config, traffic);
            var s = Sim.Run(config, traffic, new ServingOptions(Seed: 3));
            Assert.False(s.Saturated, $"load {load}: the simulation saturated below the estimated capacity ({s.SaturationReason})");
            Assert.False(e.Saturated);
            void Check(string metric, double est, double sim, double bound)
            {
                double err = (est - sim) / sim;
                output.WriteLine($"{load:P0} | {metric} | {est:G4} | {sim:G4} | {err:+0.0%;-0.0%}");
                Assert.True(Math.Abs(err) <= bound, $"{hw} {model} load {load:P0}: {metric} estimate {est:G4} vs simulated {sim:G4} ({err:P1}, bound {bound:P0})");
            }
            Check("requests/s", e.RequestsPerSecond, s.RequestsPerSecond, 0.05);
            Check("output tokens/s", e.OutputTokensPerSecond, s.OutputTokensPerSecond, 0.05);
            // Means of batch and latency: within 40 % up to half load. Nearer capacity the estimate is optimistic (it
            // ignores the decode stalls that prefill chunks cause, so the simulated batch grows faster): there it must
            // stay on the optimistic side, which the planner's simulated confirmation then corrects. The worst case at
            // half load, H100 fp8 with 2048-token prompts, was −34.9 % before the GEMM fill term (MatmulFill) and is
            // −35.7 % with it (its long prefill steps stall decodes more): 40 % holds it with that stated margin.
            double bound = load <= 0.5 ? 0.40 : double.PositiveInfinity;
            Check("mean batch", e.MeanRunningBatch, s.MeanRunningBatch, bound);
            Check("mean TPOT", e.TpotSeconds, s.TpotSeconds.Mean, bound);
            Check("mean TTFT", e.TtftSeconds, s.TtftSeconds.Mean, bound);
            if (load > 0.5)
                Assert.True(e.TpotSeconds <= s.TpotSeconds.Mean * 1.05 && e.MeanRunningBatch <= s.MeanRunningBatch * 1.05,
                    $"{hw} {model} load {load:P0}: the estimate should be optimistic near capacity (TPOT {e.TpotSeconds:G4} vs {s.TpotSeconds.Mean:G4})");
        }
        // Offered 1.5 × the stated capacity, the simulated queue must grow without bound.
        var over = Sim.Run(config, At(1.5 * capacity, Math.Max(60, 8_000 / capacity)), new ServingOptions(Seed: 3));
        Assert.True(over.Saturated, $"1.5 × the estimated capacity ({1.5 * capacity:0.##} req/s) did not saturate the simulation");
    }
}

using PerfSim.Validation;
using Xunit.Abstractions;

namespace PerfSim.Serving.Tests;

/// <summary>
/// A short slice of the serving validation (the full run is `dotnet run -c Release --project src/PerfSim.Benchmarks --
/// serving-validation`): three points of the H100 Llama 3.1 8B vLLM sweep and the static TensorRT-LLM batches.
/// </summary>
public class ValidationSliceTests(ITestOutputHelper output)
{
    static string Dir => new[] { Path.Combine(Fixtures.Root, "..", "shared", "validation"), "/work/shared/validation", Path.Combine(Fixtures.Root, "validation") }
        .First(d => File.Exists(Path.Combine(d, "energy-measurements.csv")));

    [Fact]
    public void A_closed_loop_at_the_server_cap_runs_the_measured_average_batch()
    {
        var cases = ServingValidation.ServerSweeps(Path.Combine(Dir, "energy-measurements.csv"))
            .Where(c => c.Hardware == "nvidia-h100-sxm" && c.Devices == 1 && c.Model == "llama-3.1-8b" && c.Cap is 8 or 64 or 256).ToList();
        Assert.Equal(3, cases.Count);
        var results = cases.Select(c => ServingValidation.Run(Fixtures.Catalog, c)).ToList();
        output.WriteLine(ServingValidation.Table(results));
        foreach (var r in results)
        {
            Assert.Null(r.Unpredicted);
            // The sweep's measured running batch sits at the cap; the simulated closed loop must keep it there too.
            Assert.InRange(r.Simulated["batch"] / r.Case.Measured["batch"], 0.9, 1.05);
            foreach (var v in r.Simulated.Values) Assert.True(double.IsFinite(v) && v > 0);
        }
        // Larger caps give more throughput and longer inter-token gaps, as measured.
        Assert.True(results[2].Simulated["throughput_tokens_per_s"] > results[0].Simulated["throughput_tokens_per_s"]);
        Assert.True(results[2].Simulated["tpot_s"] > results[0].Simulated["tpot_s"]);
    }

    [Fact]
    public void Static_batches_reproduce_the_engine_static_batch_throughput()
    {
        var cases = ServingValidation.StaticBatches(Path.Combine(Dir, "public-measurements.csv")).Where(c => c.Kind == "static batch").ToList();
        Assert.NotEmpty(cases);
        var results = cases.Select(c => ServingValidation.Run(Fixtures.Catalog, c)).ToList();
        output.WriteLine(ServingValidation.Table(results));
        foreach (var r in results)
        {
            Assert.Null(r.Unpredicted);
            // The simulator's static batch is the engine's: batch × gen ÷ (prefill + (gen − 1) decode steps), steps timed at each context.
            var p = Composition.Composer.Predict(Fixtures.Catalog, new Composition.PredictionRequest
            {
                Hardware = r.Case.Hardware, Model = r.Case.Model, Quant = r.Case.Quant, Backend = r.Case.Backend, Devices = r.Case.Devices,
                Scenario = new Composition.ScenarioRequest(Batch: r.Case.Cap, Prompt: r.Case.Prompt, Gen: (int)r.Case.Gen),
            });
            Assert.InRange(r.Simulated["throughput_tokens_per_s"] / p.ThroughputTokensPerSecond, 0.99, 1.01);
        }
    }
}

using Xunit.Abstractions;

namespace PerfSim.Serving.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Runs()
    {
        var cost = Fixtures.Cost();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = ServingSimulator.Run(ServingConfig.Single(cost), new Traffic(new PoissonArrivals(10), new LogNormalLength(300, 1), new LogNormalLength(200, 1), 120));
        output.WriteLine($"{sw.ElapsedMilliseconds} ms; completed {r.Completed} thr {r.RequestsPerSecond:0.##} tok/s {r.OutputTokensPerSecond:0} ttft p50 {r.TtftSeconds.P50:0.####} p99 {r.TtftSeconds.P99:0.####} tpot p50 {r.TpotSeconds.P50:0.#####} itl p50 {r.ItlSeconds.P50:0.#####} batch {r.MeanRunningBatch:0.#} kv {r.PeakKvOccupancy:0.###} busy {r.BusyFraction:0.###} sat {r.Saturated} little {r.LittleLaw.RelativeError:E2} J/req {r.Economics.JoulesPerRequest:0.#} $/Mtok {r.Economics.UsdPerMillionOutputTokens:0.###} steps {r.Steps}");
        foreach (var n in r.Notes) output.WriteLine(n);
        Assert.True(r.Completed > 0);
    }
}

using PerfSim.Planning.Serving;

namespace PerfSim.Planning.Tests;

public class QueueEstimateTests
{
    // A memory-bound replica: 20 ms per step plus 0.1 ms per sequence, 0.2 s per prefill.
    static readonly StepTable Table = new(0.2, 600, [1, 2, 4, 8, 16, 32, 64], [0.0201, 0.0202, 0.0204, 0.0208, 0.0216, 0.0232, 0.0264],
        [400, 410, 420, 440, 480, 520, 560], 70);

    [Fact]
    public void Mean_batch_solves_littles_law_with_the_step_time()
    {
        foreach (double rate in new[] { 0.1, 1, 2, 3 })
        {
            var n = QueueEstimate.MeanBatch(Table, 64, rate, 256);
            Assert.NotNull(n);
            double rho = rate * Table.PrefillSeconds;
            Assert.Equal(rate * 256 * Table.Step(n!.Value) / (1 - rho), n.Value, 6);
        }
    }

    [Fact]
    public void Latency_rises_with_the_rate_and_the_replica_saturates()
    {
        double sat = QueueEstimate.SaturationRate(Table, 64, 256);
        Assert.True(sat > 0 && sat < 1 / Table.PrefillSeconds);
        double lastTtft = 0, lastTpot = 0;
        for (double f = 0.05; f < 1; f += 0.1)
        {
            var o = QueueEstimate.Serve(Table, 64, f * sat, 256, 0.99, sat);
            Assert.True(o.Stable);
            Assert.True(o.TtftQuantile.Value >= lastTtft && o.TpotQuantile.Value >= lastTpot);
            Assert.True(o.TtftQuantile.Value >= Table.PrefillSeconds && o.TpotQuantile.Value >= Table.Step(1));
            Assert.InRange(o.EngineBusy, 0, 1);
            Assert.InRange(o.Power.Value, Table.IdleWatts, 600);
            lastTtft = o.TtftQuantile.Value; lastTpot = o.TpotQuantile.Value;
        }
        Assert.False(QueueEstimate.Serve(Table, 64, sat * 1.01, 256, 0.99, sat).Stable);
    }

    [Fact]
    public void A_lower_batch_cap_saturates_earlier()
    {
        Assert.True(QueueEstimate.SaturationRate(Table, 8, 256) < QueueEstimate.SaturationRate(Table, 64, 256));
    }

    [Fact]
    public void Unloaded_replica_answers_at_its_floor()
    {
        var o = QueueEstimate.Serve(Table, 64, 1e-9, 256, 0.99, QueueEstimate.SaturationRate(Table, 64, 256));
        Assert.Equal(Table.PrefillSeconds, o.TtftQuantile.Value, 4);
        Assert.Equal(Table.Step(1), o.TpotQuantile.Value, 5);
    }

    [Theory]
    [InlineData(3.0, 0.99)]
    [InlineData(50.0, 0.99)]
    [InlineData(500.0, 0.9)]
    public void Poisson_quantile_brackets_the_probability(double mean, double q)
    {
        double k = QueueEstimate.PoissonQuantile(mean, q);
        Assert.True(k >= mean);
        Assert.True(k <= mean + 4 * Math.Sqrt(mean) + 2);
    }
}

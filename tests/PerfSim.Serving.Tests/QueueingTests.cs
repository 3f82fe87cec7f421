namespace PerfSim.Serving.Tests;

/// <summary>
/// With one request at a time the server is a single FIFO queue, so queueing theory applies: Poisson arrivals with a
/// constant service time (one prefill step, one output token) wait as M/D/1 says; memoryless output lengths as M/M/1.
/// </summary>
public class QueueingTests
{
    static readonly SchedulerOptions OneAtATime = new(MaxRunningBatch: 1);

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.7)]
    public void Constant_service_with_Poisson_arrivals_waits_as_M_D_1(double rho)
    {
        var cost = Fixtures.Cost();
        double service = cost.Seconds(cost.Chunk(0, 512));
        double rate = rho / service;
        int requests = 100_000;
        var r = Sim.Run(cost, OneAtATime, new Traffic(new PoissonArrivals(rate), LengthDistribution.Fixed(512), LengthDistribution.Fixed(1), requests / rate),
            new ServingOptions(Seed: 7));
        double expected = rho * service / (2 * (1 - rho));
        Assert.Equal(1, r.TtftSeconds.Count > 0 ? 1 : 0);
        Assert.InRange(r.QueueSeconds.Mean / expected, 0.95, 1.05);
        // Service is the prefill step: TTFT = wait + service exactly.
        Assert.Equal(r.QueueSeconds.Mean + service, r.TtftSeconds.Mean, service * 1e-6);
    }

    // Three seeds and 100,000 requests each: the mean wait's standard error is ~1.5 % at ρ = 0.5 (autocorrelated waits),
    // so 5 % is more than three standard errors on every seed, not one lucky draw.
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Memoryless_output_lengths_wait_as_M_M_1(long seed)
    {
        var cost = Fixtures.Cost();
        double decode = cost.Seconds(Core.Engine.StepCost.Decode(1, 30, 30));
        double meanService = 50 * decode;
        double rho = 0.5, rate = rho / meanService;
        var r = Sim.Run(cost, OneAtATime, new Traffic(new PoissonArrivals(rate), LengthDistribution.Fixed(1), new GeometricLength(50), 100_000 / rate),
            new ServingOptions(Seed: seed));
        // Service per request = its time from first scheduling to completion; M/M/1 wait ρ/(μ − λ) with μ from the measured mean.
        double mu = 1 / (r.EndToEndSeconds.Mean - r.QueueSeconds.Mean);
        double expected = (rate / mu) / (mu - rate);
        Assert.InRange(r.QueueSeconds.Mean / expected, 0.95, 1.05);
    }

    [Fact]
    public void Throughput_equals_the_arrival_rate_below_saturation()
    {
        var cost = Fixtures.Cost();
        var r = Sim.Run(cost, new SchedulerOptions(), new Traffic(new PoissonArrivals(8), new LogNormalLength(400, 0.8), new LogNormalLength(200, 0.8), 900));
        Assert.False(r.Saturated);
        Assert.InRange(r.RequestsPerSecond / 8, 0.96, 1.04);   // Poisson count over 900 s: ±1.2 % standard error
        Assert.InRange(r.OutputTokensPerSecond / (8 * 200), 0.92, 1.08);
        Assert.Equal(r.Arrived, r.Completed);
    }

    [Fact]
    public void At_very_low_load_TTFT_is_the_engine_prefill_time_and_TPOT_its_decode_time()
    {
        var cost = Fixtures.Cost();
        var r = Sim.Run(cost, new SchedulerOptions(), new Traffic(new PoissonArrivals(0.02), LengthDistribution.Fixed(512), LengthDistribution.Fixed(128), 5000));
        var p = Fixtures.Predict(cost, 1, 512, 128);
        Assert.True(r.Completed > 50);
        Assert.Equal(p.Ttft.Value, r.TtftSeconds.P50, p.Ttft.Value * 1e-9);
        Assert.Equal(p.Tpot.Value, r.TpotSeconds.P50, p.Tpot.Value * 1e-6);
        Assert.True(r.MeanRunningBatch < 0.1);
        Assert.True(r.BusyFraction < 0.05);
    }

    [Fact]
    public void Offered_load_beyond_capacity_is_reported_as_saturated()
    {
        var cost = Fixtures.Cost();
        var r = Sim.Run(cost, new SchedulerOptions(), new Traffic(new PoissonArrivals(200), new LogNormalLength(500, 1), new LogNormalLength(300, 1), 120),
            new ServingOptions(MaxDrainSeconds: 5));
        Assert.True(r.Saturated, "200 req/s of 500 + 300 tokens on one H100 with an 8B fp16 model cannot be served");
        Assert.NotNull(r.SaturationReason);
        Assert.InRange(r.BusyFraction, 0.99, 1);
    }

    [Fact]
    public void Bursty_arrivals_wait_longer_than_Poisson_at_the_same_rate()
    {
        var cost = Fixtures.Cost();
        var lengths = (Prompt: new LogNormalLength(400, 1), Output: new LogNormalLength(150, 1));
        var poisson = Sim.Run(cost, new SchedulerOptions(MaxRunningBatch: 16), new Traffic(new PoissonArrivals(6), lengths.Prompt, lengths.Output, 300));
        var bursty = Sim.Run(cost, new SchedulerOptions(MaxRunningBatch: 16), new Traffic(new GammaArrivals(6, 3), lengths.Prompt, lengths.Output, 300));
        Assert.True(bursty.TtftSeconds.P99 > poisson.TtftSeconds.P99);
    }
}

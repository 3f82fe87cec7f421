namespace PerfSim.Serving.Tests;

/// <summary>Bad input gets one line naming the file and line (or the option) and what was expected.</summary>
public class InputTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("perfsim-serving-").FullName;
    public void Dispose() => Directory.Delete(dir, true);

    string Write(string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    static ServingException Fails(Action a)
    {
        var e = Assert.Throws<ServingException>(a);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void A_good_trace_reads_in_order_with_its_line_numbers()
    {
        var t = TraceFile.Read(Write("t.csv", "arrival_s,prompt_tokens,output_tokens\n0,100,20\n0.5,200,30\n\n1.25,50,5\n"));
        Assert.Equal(3, t.Requests.Count);
        Assert.Equal(new TraceRequest(1.25, 50, 5, 5), t.Requests[2]);
    }

    [Fact]
    public void A_negative_arrival_time_names_its_line()
    {
        var p = Write("neg.csv", "arrival_s,prompt_tokens,output_tokens\n0,100,20\n-1,100,20\n");
        var e = Fails(() => TraceFile.Read(p));
        Assert.StartsWith($"{p}:3: arrival_s: expected", e.Message);
        Assert.Equal(ServingError.InvalidInput, e.Kind);
    }

    [Fact]
    public void Unsorted_arrivals_name_the_line()
    {
        var p = Write("unsorted.csv", "arrival_s,prompt_tokens,output_tokens\n2,100,20\n1,100,20\n");
        Assert.StartsWith($"{p}:3: arrival_s: expected arrivals in time order", Fails(() => TraceFile.Read(p)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n")]
    public void An_empty_file_says_so(string text)
    {
        var p = Write("empty.csv", text);
        Assert.Contains("empty file", Fails(() => TraceFile.Read(p)).Message);
    }

    [Theory]
    [InlineData("time,prompt,output\n0,1,1\n", ":1: header: expected 'arrival_s,prompt_tokens,output_tokens'")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0,abc,1\n", ":2: prompt_tokens: expected a whole number")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0,10,0\n", ":2: output_tokens: expected a whole number of tokens, at least 1")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\nNaN,10,5\n", ":2: arrival_s: expected")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0,10\n", ":2: expected 3 fields")]
    public void Malformed_rows_name_line_and_field(string text, string expected)
    {
        var p = Write("bad.csv", text);
        Assert.Contains(expected, Fails(() => TraceFile.Read(p)).Message);
    }

    [Fact]
    public void A_missing_file_names_it() => Assert.Contains("no such file", Fails(() => TraceFile.Read(Path.Combine(dir, "nope.csv"))).Message);

    [Fact]
    public void Trace_lengths_beyond_the_model_context_name_the_line()
    {
        var p = Write("long.csv", "arrival_s,prompt_tokens,output_tokens\n0,100,20\n1,130000,2000\n");
        var trace = TraceFile.Read(p);
        var e = Fails(() => ServingSimulator.Run(ServingConfig.Single(Fixtures.Cost()), new Traffic(trace, LengthDistribution.Fixed(1), LengthDistribution.Fixed(1), 0)));
        Assert.StartsWith($"{p}:3: prompt_tokens + output_tokens: expected at most 131072", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_positive_is_refused(double rate)
    {
        var e = Fails(() => ServingSimulator.Run(ServingConfig.Single(Fixtures.Cost()), new Traffic(new PoissonArrivals(rate), LengthDistribution.Fixed(10), LengthDistribution.Fixed(10), 10)));
        Assert.StartsWith("--rate: expected a positive number", e.Message);
        Assert.Equal(ServingError.Usage, e.Kind);
    }

    [Fact]
    public void Fixed_lengths_beyond_the_context_are_refused()
    {
        var e = Fails(() => ServingSimulator.Run(ServingConfig.Single(Fixtures.Cost()), new Traffic(new PoissonArrivals(1), LengthDistribution.Fixed(130_000), LengthDistribution.Fixed(2000), 10)));
        Assert.StartsWith("--prompt + --output: expected at most 131072", e.Message);
    }

    [Fact]
    public void A_histogram_reads_and_samples_inside_its_bins()
    {
        var h = HistogramFile.Read(Write("h.csv", "low,high,weight\n1,10,1\n100,200,3\n"));
        var rng = new Rng(3);
        for (int i = 0; i < 1000; i++)
        {
            int v = h.Sample(rng);
            Assert.True(v is >= 1 and <= 10 or >= 100 and <= 200, $"{v}");
        }
        Assert.Equal((5.5 * 1 + 150 * 3) / 4, h.Mean, 1e-9);
    }

    [Theory]
    [InlineData("low,high,weight\n10,5,1\n", ":2: high: expected at least low (10)")]
    [InlineData("low,high,weight\n1,5,-1\n", ":2: weight: expected a relative weight")]
    [InlineData("low,high,weight\n1,5,0\n", "weight: expected at least one bin with a positive weight")]
    [InlineData("low,high,weight\n", "empty file")]
    public void Bad_histograms_name_line_and_field(string text, string expected)
    {
        var p = Write("hb.csv", text);
        Assert.Contains(expected, Fails(() => HistogramFile.Read(p)).Message);
    }
}

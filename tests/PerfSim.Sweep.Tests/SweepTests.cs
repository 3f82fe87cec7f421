using System.Globalization;
using PerfSim.Composition;
using PerfSim.Plots.Tests;

namespace PerfSim.Sweep.Tests;

public class SweepTests
{
    static readonly SweepGrid Grid = new(
        ["nvidia-h100-sxm", "apple-m2-max-38c"], ["llama-3.2-1b", "llama-3.1-8b"], ["fp16", "q4_0"], [1, 2],
        [1, 4, 32], [128, 1024], [64, 256]);

    static string Run(Shard shard, int threads = 2, SweepGrid? grid = null)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        SweepRunner.Run(TestRepo.Catalog, new PredictionRequest(), grid ?? Grid, shard, w, threads: threads);
        return w.ToString();
    }

    [Fact]
    public void Grid_index_walks_the_cross_product_in_nesting_order()
    {
        Assert.Equal(2L * 2 * 2 * 2 * 3 * 2 * 2, Grid.Count);
        var seen = new HashSet<(string, string, string?, int?, int, int, int)>();
        for (long i = 0; i < Grid.Count; i++)
        {
            var p = Grid[i];
            Assert.Equal(i, p.Index);
            Assert.True(seen.Add((p.Hardware, p.Model, p.Quant, p.Devices, p.Batch, p.Prompt, p.Gen)), $"point {i} repeats");
        }
        Assert.Equal(("nvidia-h100-sxm", 64), (Grid[0].Hardware, Grid[0].Gen));
        Assert.Equal(256, Grid[1].Gen);                              // gen is innermost
        Assert.Equal("apple-m2-max-38c", Grid[Grid.Count / 2].Hardware); // hardware outermost
    }

    [Theory]
    [InlineData(10L, 3)]
    [InlineData(7L, 7)]
    [InlineData(5L, 8)]
    [InlineData(100_000L, 13)]
    public void Shards_partition_the_grid_without_overlap(long total, int n)
    {
        long next = 0;
        for (int k = 1; k <= n; k++)
        {
            var (s, e) = new Shard(k, n).Range(total);
            Assert.Equal(next, s);
            Assert.True(e >= s);
            next = e;
        }
        Assert.Equal(total, next);
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("a/b")]
    [InlineData("3")]
    [InlineData("-1/2")]
    public void A_bad_shard_is_refused_with_one_line(string text)
    {
        var e = Assert.Throws<UsageException>(() => Shard.Parse(text));
        Assert.StartsWith("--shard:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Shards_concatenate_to_the_whole_output_byte_for_byte_and_threads_do_not_change_it()
    {
        var whole = Run(Shard.Whole);
        Assert.Equal(whole, Run(Shard.Whole, threads: 1));
        foreach (int n in new[] { 2, 3, 7 })
            Assert.Equal(whole, string.Concat(Enumerable.Range(1, n).Select(k => Run(new Shard(k, n)))));
        var lines = whole.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Grid.Count + 1, lines.Length);
        Assert.Equal(string.Join(',', SweepRunner.Columns), lines[0].TrimEnd('\r'));
    }

    [Fact]
    public void Each_row_holds_the_engines_numbers_for_its_point()
    {
        var lines = Run(new Shard(1, 4)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var col = SweepRunner.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var p = Grid[long.Parse(f[col["index"]], CultureInfo.InvariantCulture)];
            var c = Composer.Predict(TestRepo.Catalog, SweepGrid.RequestFor(new PredictionRequest(), p));
            Assert.Equal(c.Prediction.Tpot.Value, double.Parse(f[col["tpot_s"]], CultureInfo.InvariantCulture));
            Assert.Equal(c.Prediction.DecodeTokensPerSecond, double.Parse(f[col["decode_tokens_per_s"]], CultureInfo.InvariantCulture));
            Assert.Equal(c.Prediction.Energy.JoulesPerToken, double.Parse(f[col["joules_per_token"]], CultureInfo.InvariantCulture));
            Assert.Equal(p.Hardware, f[col["hardware"]]);
            Assert.Equal("", f[col["error"]]);
        }
    }

    [Fact]
    public void A_point_that_cannot_be_predicted_is_a_row_with_its_error_and_the_sweep_goes_on()
    {
        // A prompt beyond the model's context is refused for that point; the other point still runs.
        var grid = new SweepGrid(["nvidia-rtx-4090"], ["llama-3.2-1b"], ["fp16"], [1], [1], [128, 1_000_000], [64]);
        var lines = Run(Shard.Whole, grid: grid).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(",", lines[1].TrimEnd('\r'));
        Assert.Contains("context", lines[2]);
        Assert.Contains(",,,", lines[2]);
    }

    [Fact]
    public void An_unknown_id_fails_the_sweep_before_any_row()
    {
        var grid = Grid with { Hardware = ["nvidia-h100-sxm", "nvidia-h1000"] };
        var w = new StringWriter();
        Assert.ThrowsAny<Exception>(() => SweepRunner.Run(TestRepo.Catalog, new PredictionRequest(), grid, Shard.Whole, w));
        Assert.Equal("", w.ToString());
    }
}

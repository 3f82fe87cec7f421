using System.Globalization;
using CsvHelper;
using PerfSim.Composition;
using PerfSim.Data.Catalog;

namespace PerfSim.Sweep;

/// <summary>
/// Predicts a grid (or one shard of it) through <see cref="Composer"/> and streams one CSV row per point, in grid
/// order whatever the thread count: points are predicted in parallel a block at a time and written block by block.
/// A point that cannot be predicted (a device count the hardware does not have, a context beyond the model's) is a
/// row with its error and no figures; it never stops the sweep. The header is written by the first shard only, so
/// the shards' files concatenate to the whole grid's file byte for byte.
/// </summary>
public static class SweepRunner
{
    public const int BlockSize = 2048;

    public static readonly IReadOnlyList<string> Columns =
    [
        "index", "hardware", "model", "quant", "devices", "batch", "prompt", "gen",
        "fits", "ttft_s", "tpot_s", "e2e_s", "prefill_tokens_per_s", "decode_tokens_per_s", "throughput_tokens_per_s",
        "decode_bound", "decode_mbu", "prefill_mfu", "joules_per_token", "usd_per_million_tokens",
        "weights_gb", "kv_cache_gb", "error",
    ];

    /// <summary>Runs the shard; returns the number of rows written. `progress` receives the count of points done.</summary>
    public static long Run(ProfileCatalog catalog, PredictionRequest baseRequest, SweepGrid grid, Shard shard, TextWriter output,
        IProgress<long>? progress = null, int? threads = null, CancellationToken cancel = default)
    {
        grid.Check(catalog);
        var (start, end) = shard.Range(grid.Count);
        using var csv = CsvWriter.Create(output, null, leaveOpen: true);
        if (shard.K == 1)
        {
            foreach (var c in Columns) csv.WriteField(c);
            csv.EndRecord();
        }
        var rows = new string[BlockSize][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancel };
        long done = 0;
        for (long block = start; block < end; block += BlockSize)
        {
            int n = (int)Math.Min(BlockSize, end - block);
            Parallel.For(0, n, options, j => rows[j] = Row(catalog, baseRequest, grid[block + j]));
            for (int j = 0; j < n; j++)
            {
                foreach (var f in rows[j]) csv.WriteField(f);
                csv.EndRecord();
            }
            done += n;
            progress?.Report(done);
        }
        csv.Flush();
        return done;
    }

    /// <summary>The CSV fields of one point (culture-invariant, round-trip precision).</summary>
    public static string[] Row(ProfileCatalog catalog, PredictionRequest baseRequest, SweepPoint p)
    {
        var head = new[]
        {
            I(p.Index), p.Hardware, p.Model, p.Quant ?? "", p.Devices is { } d ? I(d) : "", I(p.Batch), I(p.Prompt), I(p.Gen),
        };
        try
        {
            var c = Composer.Predict(catalog, SweepGrid.RequestFor(baseRequest, p));
            var r = c.Prediction;
            var quant = r.Workload.Quant.Id;
            head[3] = quant;
            head[4] = I(c.Configuration.DevicesUsed);
            return
            [
                .. head,
                r.Memory.Fits ? "true" : "false", F(r.Ttft.Value), F(r.Tpot.Value), F(r.EndToEnd.Value),
                F(r.PrefillTokensPerSecond), F(r.DecodeTokensPerSecond), F(c.ThroughputTokensPerSecond),
                r.Decode.Bound.ToString().ToLowerInvariant(), F(r.DecodeUtilization.MemoryBandwidth), F(r.PrefillUtilization.Compute),
                F(r.Energy.JoulesPerToken), r.Cost is { } cost ? F(cost.UsdPerMillionTokens) : "",
                F(r.Memory.Weights.GB), F(r.Memory.KvCache.GB), "",
            ];
        }
        catch (Exception e) when (e is UsageException or DoesNotFitException or ArgumentException)
        {
            return [.. head, "", "", "", "", "", "", "", "", "", "", "", "", "", "", e.Message];
        }
    }

    static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
    static string F(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}

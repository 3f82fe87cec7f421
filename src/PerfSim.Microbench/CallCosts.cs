using System.Diagnostics;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Microbench;

/// <summary>
/// What a decode step pays beyond streaming weights, measured by microbenchmarks (not by the decoder):
/// the fixed cost of one GEMV call (activation quantization, hand-off to the worker pool, join) and the rate of the
/// host's attention kernel on a DRAM-resident fp32 KV cache, as a fixed cost per layer plus KV bytes per second.
/// </summary>
public sealed record CallCosts(
    double GemvCallSeconds, int Threads,
    double AttentionKvBytesPerSecond, double AttentionFixedSeconds, int AttentionContextLow, int AttentionContextHigh)
{
    /// <summary>Attention time of one layer at a context of <paramref name="context"/> positions.</summary>
    public double AttentionSeconds(DecoderConfig c, double context) => AttentionFixedSeconds + KvBytes(c, context) / AttentionKvBytesPerSecond;

    /// <summary>K and V rows read by one layer's decode attention (fp32 cache, as in <see cref="SyntheticDecoder"/>).</summary>
    public static double KvBytes(DecoderConfig c, double context) => 2.0 * context * c.KvDim * 4;
}

public static class CallCostBench
{
    /// <summary>GEMV calls per decoder layer (Q, K, V, O, gate, up, down).</summary>
    public const int GemvCallsPerLayer = 7;

    public static CallCosts Measure(int threads, DecoderConfig? shape = null)
    {
        var c = (shape ?? new DecoderConfig()) with { Threads = threads };
        double call = GemvCallSeconds(threads);
        const int lo = 256, hi = 1024;
        double tLo = AttentionSecondsPerLayer(c, lo), tHi = AttentionSecondsPerLayer(c, hi);
        double bLo = CallCosts.KvBytes(c, lo), bHi = CallCosts.KvBytes(c, hi);
        // t = t0 + bytes / rate from two context lengths; if noise inverted them, fall back to the long one alone.
        double rate = tHi > tLo ? (bHi - bLo) / (tHi - tLo) : bHi / tHi;
        double t0 = Math.Max(0, tLo - bLo / rate);
        return new CallCosts(call, RowParallelThreads(threads), rate, t0, lo, hi);
    }

    /// <summary>
    /// Seconds per call of a 32×4096 q4_0 GEMV (72 KiB of weights, L2-resident): almost no arithmetic, so the time is
    /// the per-call cost every decoder GEMV also pays.
    /// </summary>
    public static double GemvCallSeconds(int threads)
    {
        using var w = QuantizedMatrix.Random(QuantFormat.Q4_0, 32, 4096, 3).ToPreferredLayout();
        var x = new float[4096];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 17 - 8) * 0.01f;
        var y = new float[32];
        return Timing.BestSecondsPerCall(() => MM.Gemv(w, x, y, KernelPath.Auto, threads), samples: 15, minSampleSeconds: 0.005);
    }

    /// <summary>
    /// One layer's decode attention (the decoder's own routine) cycling over enough distinct KV caches (≥ 128 MiB in
    /// all) that each is read from DRAM, as in the decoder, where a layer's weights evict its KV cache between steps.
    /// </summary>
    public static double AttentionSecondsPerLayer(DecoderConfig c, int context)
    {
        long cacheFloats = (long)context * c.KvDim;
        int caches = (int)Math.Max(2, (128L << 20) / (2 * cacheFloats * 4));
        var rng = new Random(5);
        var k = new float[caches][]; var v = new float[caches][];
        for (int i = 0; i < caches; i++)
        {
            k[i] = new float[cacheFloats]; v[i] = new float[cacheFloats];
            for (long j = 0; j < cacheFloats; j++) { k[i][j] = (float)(rng.NextDouble() - 0.5); v[i][j] = (float)(rng.NextDouble() - 0.5); }
        }
        var q = new float[c.Hidden];
        for (int j = 0; j < q.Length; j++) q[j] = (float)(rng.NextDouble() - 0.5);
        var o = new float[c.Hidden];
        var scores = SyntheticDecoder.ScoreBuffers(c, context);
        double best = double.MaxValue;
        for (int round = 0; round < 6; round++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < caches; i++) SyntheticDecoder.RunAttention(q, k[i], v[i], o, context, c, scores);
            double per = Stopwatch.GetElapsedTime(t0).TotalSeconds / caches;
            if (round > 0) best = Math.Min(best, per);   // round 0 warms the JIT and first-touches the caches
        }
        return best;
    }

    private static int RowParallelThreads(int threads) => PerfSim.Kernels.MatMul.RowParallel.ThreadCount(threads);
}

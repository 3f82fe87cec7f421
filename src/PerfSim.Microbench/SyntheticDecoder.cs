using System.Diagnostics;
using System.Numerics;
using PerfSim.Kernels.MatMul;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Microbench;

/// <summary>Shape of a Llama-style decoder. Defaults: Llama-3-8B widths with 4 layers so it runs quickly.</summary>
/// <summary>
/// The decoder's shape and how it is timed: `Rounds` timed rounds of `DecodeSteps` steps each (with a DRAM probe
/// between rounds when <see cref="SyntheticDecoder.Run"/> is given one). The result's figures are the median round's,
/// and it lists every round (`DecoderResult.Rounds`), which the calibration check compares one by one with its probes.
/// </summary>
public sealed record DecoderConfig(
    int Hidden = 4096, int Heads = 32, int KvHeads = 8, int Ffn = 14336, int Layers = 4,
    QuantFormat Format = QuantFormat.Q4_0, int ContextLength = 512, int DecodeSteps = 8, int Threads = 0, int Rounds = 1)
{
    public int HeadDim => Hidden / Heads;
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Decode steps over all rounds (the KV cache grows by one position per step).</summary>
    public int TotalSteps => DecodeSteps * Math.Max(1, Rounds);

    /// <summary>Full-depth Llama-3-8B body (32 layers; no LM head).</summary>
    public static DecoderConfig Llama8BFull(QuantFormat format) => new(Layers: 32, Format: format);
}

/// <summary>Decode measurement. WeightBytesPerToken counts every layer weight once (all are read per token).</summary>
public sealed record DecoderResult(
    DecoderConfig Config, string Format, double TokensPerSecond, double MillisecondsPerToken,
    long WeightBytesPerToken, long KvCacheBytesPerToken, int ContextLengthAtEnd, double EffectiveGBps,
    double AttentionMillisecondsPerToken, double BestMillisecondsPerToken, double MatmulMillisecondsPerToken = 0,
    double BesideReadGBpsOneThread = 0, double BesideReadGBpsAllThreads = 0, double CpuShare = 1,
    IReadOnlyList<DecoderRound>? Rounds = null)
{
    /// <summary>
    /// Whether the DRAM read rate was probed right before and after this run (Beside…: their means), so the check can
    /// predict it with the bandwidth of the same minute.
    /// </summary>
    public bool HasBesideRead => BesideReadGBpsOneThread > 0 && BesideReadGBpsAllThreads > 0;

    /// <summary>Tokens/s of the fastest step: on a shared host the mean includes time other processes took.</summary>
    public double BestTokensPerSecond => 1e3 / BestMillisecondsPerToken;
}

/// <summary>One timed round of a decoder run: its speed, the GEMV and attention time per token, CPU share and the DRAM probes beside it (mean of before and after; 0: no probe).</summary>
public sealed record DecoderRound(double TokensPerSecond, double MatmulMilliseconds, double AttentionMilliseconds, double CpuShare,
    double BesideReadGBpsOneThread, double BesideReadGBpsAllThreads);

/// <summary>
/// A Llama-shaped stack with random weights running real decode steps through our kernels: RMSNorm,
/// Q/K/V projections, simplified RoPE, GQA attention over an fp32 KV cache, output projection, SwiGLU FFN.
/// </summary>
public sealed class SyntheticDecoder : IDisposable
{
    private readonly DecoderConfig _c;
    private readonly QuantizedMatrix[] _wq, _wk, _wv, _wo, _wg, _wu, _wd;
    private readonly float[][] _kCache, _vCache;
    private readonly float[][] _scores;
    // Per-step vectors, allocated once: allocating them every step put GC pauses into the decoder's time.
    private readonly float[] _norm, _q, _k, _v, _att, _o, _g, _u, _cos, _sin;
    private int _pos;

    public SyntheticDecoder(DecoderConfig config)
    {
        _c = config;
        int L = config.Layers, h = config.Hidden, kv = config.KvDim, f = config.Ffn;
        _wq = new QuantizedMatrix[L]; _wk = new QuantizedMatrix[L]; _wv = new QuantizedMatrix[L]; _wo = new QuantizedMatrix[L];
        _wg = new QuantizedMatrix[L]; _wu = new QuantizedMatrix[L]; _wd = new QuantizedMatrix[L];
        _kCache = new float[L][]; _vCache = new float[L][];
        int maxCtx = config.ContextLength + config.TotalSteps + 1;
        var rng = new Random(3);
        for (int l = 0; l < L; l++)
        {
            ulong s = (ulong)l * 16;
            _wq[l] = QuantizedMatrix.Random(config.Format, h, h, s + 1).ToPreferredLayout();
            _wk[l] = QuantizedMatrix.Random(config.Format, kv, h, s + 2).ToPreferredLayout();
            _wv[l] = QuantizedMatrix.Random(config.Format, kv, h, s + 3).ToPreferredLayout();
            _wo[l] = QuantizedMatrix.Random(config.Format, h, h, s + 4).ToPreferredLayout();
            _wg[l] = QuantizedMatrix.Random(config.Format, f, h, s + 5).ToPreferredLayout();
            _wu[l] = QuantizedMatrix.Random(config.Format, f, h, s + 6).ToPreferredLayout();
            _wd[l] = QuantizedMatrix.Random(config.Format, h, f, s + 7).ToPreferredLayout();
            _kCache[l] = new float[(long)maxCtx * kv];
            _vCache[l] = new float[(long)maxCtx * kv];
            // Pretend a prompt of ContextLength tokens was already processed.
            for (long i = 0; i < (long)config.ContextLength * kv; i++)
            {
                _kCache[l][i] = (float)(rng.NextDouble() - 0.5);
                _vCache[l][i] = (float)(rng.NextDouble() - 0.5);
            }
        }
        _pos = config.ContextLength;
        _scores = ScoreBuffers(config, maxCtx);
        _norm = new float[h]; _q = new float[h]; _att = new float[h]; _o = new float[h];
        _k = new float[kv]; _v = new float[kv];
        _g = new float[f]; _u = new float[f];
        _cos = new float[config.HeadDim / 2]; _sin = new float[config.HeadDim / 2];
    }

    /// <summary>Seconds spent in attention (KV-cache reads) during all steps so far; the rest is mostly GEMV.</summary>
    public double AttentionSeconds { get; private set; }

    /// <summary>Seconds spent in the weight GEMVs during all steps so far.</summary>
    public double MatmulSeconds { get; private set; }

    private void Gemv(QuantizedMatrix w, float[] x, float[] y)
    {
        long t0 = Stopwatch.GetTimestamp();
        MM.Gemv(w, x, y, threads: _c.Threads);
        MatmulSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    public long WeightBytes => new[] { _wq, _wk, _wv, _wo, _wg, _wu, _wd }.Sum(a => a.Sum(m => m.TotalBytes));

    /// <summary>
    /// Decodes `Rounds` rounds of `DecodeSteps` tokens and reports the round of median speed. With a
    /// <paramref name="probe"/> (DRAM read GB/s, one thread and all), it runs before the first round and after each, and
    /// the result carries the median over rounds of the probes beside each (Beside…): a shared host's DRAM rate and its
    /// neighbours move within seconds, so one short run beside one probe was off by ±20 %.
    /// </summary>
    public static DecoderResult Run(DecoderConfig config, Func<(double OneThreadGBps, double AllThreadsGBps)>? probe = null)
    {
        using var d = new SyntheticDecoder(config);
        var x = new float[config.Hidden];
        var rng = new Random(9);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
        d.Step(x); // warm-up (JIT, first-touch)
        int threads = config.Threads > 0 ? config.Threads : Environment.ProcessorCount;
        var rounds = new List<Round>();
        var before = probe?.Invoke();
        for (int r = 0; r < Math.Max(1, config.Rounds); r++)
        {
            double att0 = d.AttentionSeconds, mm0 = d.MatmulSeconds;
            // The process's CPU time over wall time × threads: below 1 when other processes took our cores (workers spin
            // while they wait for work, so an idle host gives close to 1).
            var cpu0 = Environment.CpuUsage.TotalTime;
            var sw = Stopwatch.StartNew();
            double best = double.MaxValue;
            for (int s = 0; s < config.DecodeSteps; s++)
            {
                long t0 = Stopwatch.GetTimestamp();
                d.Step(x);
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
            double wall = sw.Elapsed.TotalSeconds;
            double cpuShare = Math.Clamp((Environment.CpuUsage.TotalTime - cpu0).TotalSeconds / (wall * threads), 0, 1);
            var after = probe?.Invoke();
            rounds.Add(new Round(wall / config.DecodeSteps, (d.AttentionSeconds - att0) / config.DecodeSteps, (d.MatmulSeconds - mm0) / config.DecodeSteps,
                best, cpuShare, before is { } b && after is { } a ? ((b.OneThreadGBps + a.OneThreadGBps) / 2, (b.AllThreadsGBps + a.AllThreadsGBps) / 2) : (0, 0)));
            before = after;
        }
        var median = rounds.OrderBy(r => r.Seconds).ElementAt((rounds.Count - 1) / 2);
        double Median(Func<Round, double> f) => rounds.Select(f).Order().ElementAt((rounds.Count - 1) / 2);
        double sec = median.Seconds;
        long kvBytes = 2L * config.Layers * config.KvDim * 4 * d._pos;
        return new DecoderResult(config, QuantFormatTraits.Of(config.Format).Name, 1 / sec, sec * 1e3, d.WeightBytes, kvBytes, d._pos,
            (d.WeightBytes + kvBytes) / sec / 1e9, median.AttentionSeconds * 1e3, rounds.Min(r => r.BestSeconds) * 1e3, median.MatmulSeconds * 1e3,
            Median(r => r.Probe.One), Median(r => r.Probe.All), median.CpuShare,
            rounds.Select(r => new DecoderRound(1 / r.Seconds, r.MatmulSeconds * 1e3, r.AttentionSeconds * 1e3, r.CpuShare, r.Probe.One, r.Probe.All)).ToList());
    }

    /// <summary>One timed round: seconds per step (mean, and of attention and the GEMVs), fastest step, CPU share, DRAM probes beside it.</summary>
    private sealed record Round(double Seconds, double AttentionSeconds, double MatmulSeconds, double BestSeconds, double CpuShare, (double One, double All) Probe);

    /// <summary>One decode step: consumes hidden state x (updated in place), appends one position to the KV cache.</summary>
    public void Step(float[] x)
    {
        DecoderConfig c = _c;
        int kvDim = c.KvDim, hd = c.HeadDim;
        float[] norm = _norm, q = _q, k = _k, v = _v, att = _att, o = _o, g = _g, u = _u;
        DecoderOps.RopeAngles(_pos, hd, _cos, _sin);
        for (int l = 0; l < c.Layers; l++)
        {
            DecoderOps.RmsNorm(x, norm);
            Gemv(_wq[l], norm, q);
            Gemv(_wk[l], norm, k);
            Gemv(_wv[l], norm, v);
            DecoderOps.Rope(q, hd, _cos, _sin);
            DecoderOps.Rope(k, hd, _cos, _sin);
            Array.Copy(k, 0, _kCache[l], (long)_pos * kvDim, kvDim);
            Array.Copy(v, 0, _vCache[l], (long)_pos * kvDim, kvDim);
            long t0 = Stopwatch.GetTimestamp();
            Attention(q, _kCache[l], _vCache[l], att, _pos + 1);
            AttentionSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Gemv(_wo[l], att, o);
            DecoderOps.AddInPlace(x, o);
            DecoderOps.RmsNorm(x, norm);
            Gemv(_wg[l], norm, g);
            Gemv(_wu[l], norm, u);
            DecoderOps.SwiGlu(g, u);
            Gemv(_wd[l], g, o);
            DecoderOps.AddInPlace(x, o);
        }
        _pos++;
    }

    // GQA-aware: the query heads of one KV group share each K and V row, so every cached row is read once per layer
    // (reading it once per query head quadrupled the KV traffic on Llama-3 shapes). KV heads go to the kernels'
    // worker pool; dot products, softmax (vectorized exp) and the weighted V sum use SIMD, and the score buffers are
    // allocated once, so the step times memory traffic rather than scalar exp calls and fork/join.
    private void Attention(float[] q, float[] kc, float[] vc, float[] outp, int ctx) =>
        RunAttention(q, kc, vc, outp, ctx, _c, _scores);

    /// <summary>One layer's decode attention over ctx cached positions (public for the attention microbenchmark).</summary>
    public static void RunAttention(float[] q, float[] kc, float[] vc, float[] outp, int ctx, DecoderConfig c, float[][] scores)
    {
        RowParallel.ForEach(c.KvHeads, c.Threads, kvh => AttentionHead(q, kc, vc, outp, ctx, c, scores[kvh], kvh));
    }

    /// <summary>Score buffers for <see cref="RunAttention"/>: one per KV head, group × maxContext floats.</summary>
    public static float[][] ScoreBuffers(DecoderConfig c, int maxContext) =>
        Enumerable.Range(0, c.KvHeads).Select(_ => new float[c.Heads / c.KvHeads * maxContext]).ToArray();

    private static unsafe void AttentionHead(float[] q, float[] kc, float[] vc, float[] outp, int ctx, DecoderConfig c, float[] sc, int kvh)
    {
        int hd = c.HeadDim, kvDim = c.KvDim, group = c.Heads / c.KvHeads;
        float scale = 1f / MathF.Sqrt(hd);
        fixed (float* pq = q, pk = kc, pv = vc, po = outp, ps = sc)
        {
            float* qh = pq + kvh * group * hd, oh = po + kvh * group * hd;
            for (int t = 0; t < ctx; t++)
            {
                float* krow = pk + (long)t * kvDim + kvh * hd;
                for (int g = 0; g < group; g++) ps[g * ctx + t] = Dot(qh + g * hd, krow, hd) * scale;
            }
            for (int g = 0; g < group; g++) Softmax(ps + g * ctx, ctx);
            new Span<float>(oh, group * hd).Clear();
            for (int t = 0; t < ctx; t++)
            {
                float* vrow = pv + (long)t * kvDim + kvh * hd;
                for (int g = 0; g < group; g++) Axpy(vrow, ps[g * ctx + t], oh + g * hd, hd);
            }
        }
    }

    private static unsafe float Dot(float* a, float* b, int n)
    {
        var acc0 = Vector<float>.Zero; var acc1 = Vector<float>.Zero;
        int w = Vector<float>.Count, i = 0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            acc0 = Vector.FusedMultiplyAdd(Vector.Load(a + i), Vector.Load(b + i), acc0);
            acc1 = Vector.FusedMultiplyAdd(Vector.Load(a + i + w), Vector.Load(b + i + w), acc1);
        }
        float s = Vector.Sum(acc0 + acc1);
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    private static unsafe void Axpy(float* x, float alpha, float* y, int n)
    {
        var va = new Vector<float>(alpha);
        int w = Vector<float>.Count, i = 0;
        for (; i + w <= n; i += w) Vector.FusedMultiplyAdd(Vector.Load(x + i), va, Vector.Load(y + i)).Store(y + i);
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    private static unsafe void Softmax(float* s, int n)
    {
        int w = Vector<float>.Count, i = 0;
        var vmax = new Vector<float>(float.NegativeInfinity);
        for (; i + w <= n; i += w) vmax = Vector.Max(vmax, Vector.Load(s + i));
        float max = float.NegativeInfinity;
        for (int j = 0; j < w; j++) max = MathF.Max(max, vmax[j]);
        for (; i < n; i++) max = MathF.Max(max, s[i]);
        var vm = new Vector<float>(max);
        var vsum = Vector<float>.Zero;
        float sum = 0;
        for (i = 0; i + w <= n; i += w)
        {
            var e = Vector.Exp(Vector.Load(s + i) - vm);
            e.Store(s + i);
            vsum += e;
        }
        for (; i < n; i++) { s[i] = MathF.Exp(s[i] - max); sum += s[i]; }
        sum += Vector.Sum(vsum);
        var inv = new Vector<float>(1 / sum);
        for (i = 0; i + w <= n; i += w) (Vector.Load(s + i) * inv).Store(s + i);
        for (; i < n; i++) s[i] *= 1 / sum;
    }

    public void Dispose()
    {
        foreach (var arr in new[] { _wq, _wk, _wv, _wo, _wg, _wu, _wd })
            foreach (var m in arr) m?.Dispose();
    }
}

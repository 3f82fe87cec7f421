using System.Diagnostics;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Microbench;

/// <summary>Shape of a Llama-style decoder. Defaults: Llama-3-8B widths with 4 layers so it runs quickly.</summary>
public sealed record DecoderConfig(
    int Hidden = 4096, int Heads = 32, int KvHeads = 8, int Ffn = 14336, int Layers = 4,
    QuantFormat Format = QuantFormat.Q4_0, int ContextLength = 512, int DecodeSteps = 8, int Threads = 0)
{
    public int HeadDim => Hidden / Heads;
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Full-depth Llama-3-8B body (32 layers; no LM head).</summary>
    public static DecoderConfig Llama8BFull(QuantFormat format) => new(Layers: 32, Format: format);
}

/// <summary>Decode measurement. WeightBytesPerToken counts every layer weight once (all are read per token).</summary>
public sealed record DecoderResult(
    DecoderConfig Config, string Format, double TokensPerSecond, double MillisecondsPerToken,
    long WeightBytesPerToken, long KvCacheBytesPerToken, int ContextLengthAtEnd, double EffectiveGBps,
    double AttentionMillisecondsPerToken, double BestMillisecondsPerToken, double MatmulMillisecondsPerToken = 0)
{
    /// <summary>Tokens/s of the fastest step: on a shared host the mean includes time other processes took.</summary>
    public double BestTokensPerSecond => 1e3 / BestMillisecondsPerToken;
}

/// <summary>
/// A Llama-shaped stack with random weights running real decode steps through our kernels: RMSNorm,
/// Q/K/V projections, simplified RoPE, GQA attention over an fp32 KV cache, output projection, SwiGLU FFN.
/// </summary>
public sealed class SyntheticDecoder : IDisposable
{
    private readonly DecoderConfig _c;
    private readonly QuantizedMatrix[] _wq, _wk, _wv, _wo, _wg, _wu, _wd;
    private readonly float[][] _kCache, _vCache;
    private int _pos;

    public SyntheticDecoder(DecoderConfig config)
    {
        _c = config;
        int L = config.Layers, h = config.Hidden, kv = config.KvDim, f = config.Ffn;
        _wq = new QuantizedMatrix[L]; _wk = new QuantizedMatrix[L]; _wv = new QuantizedMatrix[L]; _wo = new QuantizedMatrix[L];
        _wg = new QuantizedMatrix[L]; _wu = new QuantizedMatrix[L]; _wd = new QuantizedMatrix[L];
        _kCache = new float[L][]; _vCache = new float[L][];
        int maxCtx = config.ContextLength + config.DecodeSteps + 1;
        var rng = new Random(3);
        for (int l = 0; l < L; l++)
        {
            ulong s = (ulong)l * 16;
            _wq[l] = QuantizedMatrix.Random(config.Format, h, h, s + 1);
            _wk[l] = QuantizedMatrix.Random(config.Format, kv, h, s + 2);
            _wv[l] = QuantizedMatrix.Random(config.Format, kv, h, s + 3);
            _wo[l] = QuantizedMatrix.Random(config.Format, h, h, s + 4);
            _wg[l] = QuantizedMatrix.Random(config.Format, f, h, s + 5);
            _wu[l] = QuantizedMatrix.Random(config.Format, f, h, s + 6);
            _wd[l] = QuantizedMatrix.Random(config.Format, h, f, s + 7);
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

    public static DecoderResult Run(DecoderConfig config)
    {
        using var d = new SyntheticDecoder(config);
        var x = new float[config.Hidden];
        var rng = new Random(9);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
        d.Step(x); // warm-up (JIT, first-touch)
        double att0 = d.AttentionSeconds, mm0 = d.MatmulSeconds;
        var sw = Stopwatch.StartNew();
        double best = double.MaxValue;
        for (int s = 0; s < config.DecodeSteps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            d.Step(x);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        double sec = sw.Elapsed.TotalSeconds / config.DecodeSteps;
        double attMs = (d.AttentionSeconds - att0) / config.DecodeSteps * 1e3;
        long kvBytes = 2L * config.Layers * config.KvDim * 4 * d._pos;
        return new DecoderResult(config, QuantFormatTraits.Of(config.Format).Name, 1 / sec, sec * 1e3, d.WeightBytes, kvBytes, d._pos,
            (d.WeightBytes + kvBytes) / sec / 1e9, attMs, best * 1e3, (d.MatmulSeconds - mm0) / config.DecodeSteps * 1e3);
    }

    /// <summary>One decode step: consumes hidden state x (updated in place), appends one position to the KV cache.</summary>
    public void Step(float[] x)
    {
        DecoderConfig c = _c;
        int h = c.Hidden, kvDim = c.KvDim, hd = c.HeadDim;
        var norm = new float[h];
        var q = new float[h];
        var k = new float[kvDim];
        var v = new float[kvDim];
        var att = new float[h];
        var o = new float[h];
        var g = new float[c.Ffn];
        var u = new float[c.Ffn];
        var scores = new float[_pos + 1];
        for (int l = 0; l < c.Layers; l++)
        {
            RmsNorm(x, norm);
            Gemv(_wq[l], norm, q);
            Gemv(_wk[l], norm, k);
            Gemv(_wv[l], norm, v);
            Rope(q, hd, _pos);
            Rope(k, hd, _pos);
            Array.Copy(k, 0, _kCache[l], (long)_pos * kvDim, kvDim);
            Array.Copy(v, 0, _vCache[l], (long)_pos * kvDim, kvDim);
            long t0 = Stopwatch.GetTimestamp();
            Attention(q, _kCache[l], _vCache[l], att, scores, _pos + 1, c);
            AttentionSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Gemv(_wo[l], att, o);
            for (int i = 0; i < h; i++) x[i] += o[i];
            RmsNorm(x, norm);
            Gemv(_wg[l], norm, g);
            Gemv(_wu[l], norm, u);
            for (int i = 0; i < g.Length; i++) g[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i]; // SwiGLU
            Gemv(_wd[l], g, o);
            for (int i = 0; i < h; i++) x[i] += o[i];
        }
        _pos++;
    }

    private static void RmsNorm(float[] x, float[] y)
    {
        double ss = 0;
        foreach (float v in x) ss += v * v;
        float inv = 1f / MathF.Sqrt((float)(ss / x.Length) + 1e-5f);
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * inv;
    }

    // Rotary embedding on adjacent pairs (simplified frequency schedule; cost, not accuracy, matters here).
    // The per-pair angles are the same for every head, so they are computed once per vector.
    private static void Rope(float[] v, int headDim, int pos)
    {
        Span<float> cos = stackalloc float[headDim / 2], sin = stackalloc float[headDim / 2];
        for (int d = 0; d < headDim; d += 2)
            (sin[d / 2], cos[d / 2]) = MathF.SinCos(pos * MathF.Pow(10000f, -(float)d / headDim));
        for (int i = 0; i < v.Length; i += 2)
        {
            int p = (i % headDim) / 2;
            float a = v[i], b = v[i + 1];
            v[i] = a * cos[p] - b * sin[p];
            v[i + 1] = a * sin[p] + b * cos[p];
        }
    }

    // GQA-aware: the query heads of one KV group share each K and V row, so every cached row is read once per layer
    // (reading it once per query head quadrupled the KV traffic on Llama-3 shapes). Work is split over KV heads.
    private static void Attention(float[] q, float[] kc, float[] vc, float[] outp, float[] scores, int ctx, DecoderConfig c)
    {
        int hd = c.HeadDim, kvDim = c.KvDim, group = c.Heads / c.KvHeads;
        float scale = 1f / MathF.Sqrt(hd);
        Parallel.For(0, c.KvHeads, new ParallelOptions { MaxDegreeOfParallelism = PerfSim.Kernels.MatMul.RowParallel.ThreadCount(c.Threads) }, () => new float[group * ctx], (kvh, _, sc) =>
        {
            for (int t = 0; t < ctx; t++)
            {
                var krow = new ReadOnlySpan<float>(kc, t * kvDim + kvh * hd, hd);
                for (int g = 0; g < group; g++)
                    sc[g * ctx + t] = Dot(new ReadOnlySpan<float>(q, (kvh * group + g) * hd, hd), krow) * scale;
            }
            for (int g = 0; g < group; g++)
            {
                var s = new Span<float>(sc, g * ctx, ctx);
                float max = float.NegativeInfinity;
                foreach (var v in s) max = MathF.Max(max, v);
                float sum = 0;
                for (int t = 0; t < ctx; t++) { s[t] = MathF.Exp(s[t] - max); sum += s[t]; }
                float inv = 1 / sum;
                for (int t = 0; t < ctx; t++) s[t] *= inv;
                new Span<float>(outp, (kvh * group + g) * hd, hd).Clear();
            }
            for (int t = 0; t < ctx; t++)
            {
                var vrow = new ReadOnlySpan<float>(vc, t * kvDim + kvh * hd, hd);
                for (int g = 0; g < group; g++)
                    Axpy(vrow, sc[g * ctx + t], new Span<float>(outp, (kvh * group + g) * hd, hd));
            }
            return sc;
        }, _ => { });
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(a);
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(b);
        var acc = System.Numerics.Vector<float>.Zero;
        for (int i = 0; i < va.Length; i++) acc += va[i] * vb[i];
        float s = System.Numerics.Vector.Sum(acc);
        for (int i = va.Length * System.Numerics.Vector<float>.Count; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        var vx = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var va = new System.Numerics.Vector<float>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * System.Numerics.Vector<float>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    public void Dispose()
    {
        foreach (var arr in new[] { _wq, _wk, _wv, _wo, _wg, _wu, _wd })
            foreach (var m in arr) m?.Dispose();
    }
}

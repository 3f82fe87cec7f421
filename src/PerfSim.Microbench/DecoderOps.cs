using System.Numerics;

namespace PerfSim.Microbench;

/// <summary>
/// The synthetic decoder's element-wise steps, vectorized as a real engine's are. Why: with scalar loops and buffers
/// allocated per step these took ≈ 0.6–0.8 ms of a 14 ms q4_0 token (4 layers; timed per segment on the earlier AMD host, under load) that no kernel model accounts for, so
/// `calibrate --check` read part of the decoder's own overhead as a modelling error.
/// </summary>
public static class DecoderOps
{
    /// <summary>y = x / rms(x) (no learned gain: the decoder's weights are random anyway).</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, Span<float> y)
    {
        int w = Vector<float>.Count, i = 0;
        Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero;
        for (; i + 2 * w <= x.Length; i += 2 * w)
        {
            var v0 = new Vector<float>(x[i..]); var v1 = new Vector<float>(x[(i + w)..]);
            a0 = Vector.FusedMultiplyAdd(v0, v0, a0);
            a1 = Vector.FusedMultiplyAdd(v1, v1, a1);
        }
        float ss = Vector.Sum(a0 + a1);
        for (; i < x.Length; i++) ss += x[i] * x[i];
        Scale(x, 1f / MathF.Sqrt(ss / x.Length + 1e-5f), y);
    }

    /// <summary>y = x · s.</summary>
    public static void Scale(ReadOnlySpan<float> x, float s, Span<float> y)
    {
        int w = Vector<float>.Count, i = 0;
        var vs = new Vector<float>(s);
        for (; i + w <= x.Length; i += w) (new Vector<float>(x[i..]) * vs).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] = x[i] * s;
    }

    /// <summary>x += d (the residual connection).</summary>
    public static void AddInPlace(Span<float> x, ReadOnlySpan<float> d)
    {
        int w = Vector<float>.Count, i = 0;
        for (; i + w <= x.Length; i += w) (new Vector<float>(x[i..]) + new Vector<float>(d[i..])).CopyTo(x[i..]);
        for (; i < x.Length; i++) x[i] += d[i];
    }

    /// <summary>g ← silu(g) · u (measured 9 µs per layer at ffn 14336 against 33 µs for the scalar exp loop).</summary>
    public static void SwiGlu(Span<float> g, ReadOnlySpan<float> u)
    {
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= g.Length; i += w)
        {
            var x = new Vector<float>(g[i..]);
            (x / (Vector<float>.One + Vector.Exp(-x)) * new Vector<float>(u[i..])).CopyTo(g[i..]);
        }
        for (; i < g.Length; i++) g[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i];
    }

    /// <summary>The rotary angles' cos and sin for one position (pair p of every head turns by pos · base^(−2p/headDim)).</summary>
    public static void RopeAngles(int pos, int headDim, Span<float> cos, Span<float> sin)
    {
        for (int p = 0; p < headDim / 2; p++)
            (sin[p], cos[p]) = MathF.SinCos(pos * MathF.Pow(10000f, -2f * p / headDim));
    }

    /// <summary>Rotates adjacent pairs of every head of v by the angles of <see cref="RopeAngles"/>.</summary>
    public static void Rope(Span<float> v, int headDim, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        for (int h0 = 0; h0 < v.Length; h0 += headDim)
        {
            Span<float> head = v.Slice(h0, headDim);
            for (int p = 0; p < headDim / 2; p++)
            {
                float a = head[2 * p], b = head[2 * p + 1];
                head[2 * p] = a * cos[p] - b * sin[p];
                head[2 * p + 1] = a * sin[p] + b * cos[p];
            }
        }
    }
}

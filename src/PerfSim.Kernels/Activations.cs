using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels;

/// <summary>
/// Pointers to one activation column quantized to q8_0 (as GGML quantizes activations), kept in several
/// layouts prepared once per call so the weight-streaming inner loops do only weight work:
/// natural int8 codes, a q4_0-friendly permutation (per group of 4 blocks: the low halves of the 4 blocks,
/// then the high halves, matching how nibbles unpack), scales replicated per SIMD lane, and the
/// block sums GGML's q4_0 trick needs (Σ(u−8)·x = Σu·x − 8·Σx).
/// </summary>
internal unsafe readonly struct ActCol
{
    public readonly sbyte* Qs;      // [k] natural order
    public readonly sbyte* QsQ4;    // [kPad] permuted in groups of 128
    public readonly float* D;       // [nbPad] block scales (fp16-rounded, as stored by ggml)
    public readonly float* DRep8;   // [nbPad*8] each scale repeated 8× (one per int32 lane of a 32-byte block)
    public readonly float* DRep4;   // [nbPad*4] each scale repeated 4× (one per int32 lane of a 16-byte half-block pair)
    public readonly int* Corr4;     // [nbPad*4] {8·Σq, 0, 0, 0} per block
    public readonly int* Sum;       // [nbPad] Σq per block
    public readonly float* X;       // [k] the original fp32 values (for fp16 weights)
    public readonly float* Sum2F;   // [nbPad] 2·Σq as float: a quarter of the q4_0 correction, one per int32 lane

    public ActCol(sbyte* qs, sbyte* qsQ4, float* d, float* dRep8, float* dRep4, int* corr4, int* sum, float* x, float* sum2F)
    {
        Qs = qs; QsQ4 = qsQ4; D = d; DRep8 = dRep8; DRep4 = dRep4; Corr4 = corr4; Sum = sum; X = x; Sum2F = sum2F;
    }

    /// <summary>Offset of block b's low half in the q4 permuted layout (its high half is 64 bytes later).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Q4Offset(int b) => (b >> 2) * 128 + (b & 3) * 16;
}

/// <summary>Which parts of an activation a kernel reads, so a call prepares only those.</summary>
internal enum ActivationParts
{
    /// <summary>Every layout (what the public <see cref="QuantizedActivations.Load"/> prepares).</summary>
    All,
    /// <summary>Natural-order codes, block scales and sums: all the interleaved kernels read.</summary>
    Codes,
    /// <summary>Only the fp32 copy: all f16 kernels read.</summary>
    Floats,
}

/// <summary>
/// A reusable, 64-byte aligned buffer of n activation columns of length k quantized to q8_0.
/// Reused across calls (grown on demand) so GEMV/GEMM do not allocate in steady state.
/// </summary>
public sealed unsafe class QuantizedActivations : IDisposable
{
    private byte* _buf;
    private long _capacity;

    public int K { get; private set; }
    public int N { get; private set; }
    internal int Blocks => K / 32;
    internal int BlocksPadded => (Blocks + 3) & ~3;

    private long _strideQs, _strideQ4, _strideD, _strideRep8, _strideRep4, _strideCorr, _strideSum, _strideX, _strideS2;
    private long _offQs, _offQ4, _offD, _offRep8, _offRep4, _offCorr, _offSum, _offX, _offS2;

    public QuantizedActivations() { }

    private static long Align(long v) => (v + 63) & ~63L;

    /// <summary>Quantizes n columns of x (column c at x[c·k .. c·k+k)) to q8_0.</summary>
    public void Load(ReadOnlySpan<float> x, int n, int k, int threads = 1) => Load(x, n, k, threads, ActivationParts.All);

    internal void Load(ReadOnlySpan<float> x, int n, int k, int threads, ActivationParts parts)
    {
        if (k % 32 != 0) throw new ArgumentException($"k={k} must be a multiple of 32.", nameof(k));
        if (x.Length < (long)n * k) throw new ArgumentException("x is shorter than n × k.", nameof(x));
        Reserve(n, k);
        fixed (float* px = x)
        {
            float* p = px;
            if (threads <= 1 || n < 4)
                for (int c = 0; c < n; c++) QuantizeColumn(p + (long)c * k, c, parts);
            else
            {
                nint pp = (nint)p;
                Parallel.For(0, threads, t =>
                {
                    int c0 = (int)((long)n * t / threads), c1 = (int)((long)n * (t + 1) / threads);
                    for (int c = c0; c < c1; c++) QuantizeColumn((float*)pp + (long)c * k, c, parts);
                });
            }
        }
    }

    /// <summary>Loads one column from ggml q8_0 blocks as they are (no requantization).</summary>
    public void LoadQ8Blocks(ReadOnlySpan<byte> blocks, int k)
    {
        Reserve(1, k);
        ActCol a = Column(0);
        int nb = k / 32;
        if (blocks.Length < nb * BlockQ8_0.BytesPerBlock) throw new ArgumentException("Too few q8_0 blocks.", nameof(blocks));
        var dq = new float[k];
        BlockQ8_0.Dequantize(blocks[..(nb * BlockQ8_0.BytesPerBlock)], dq);
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<byte> blk = blocks.Slice(b * 34, 34);
            float d = Fp16.ToSingle((ushort)(blk[0] | (blk[1] << 8)));
            int sum = 0;
            for (int j = 0; j < 32; j++) { a.Qs[b * 32 + j] = (sbyte)blk[2 + j]; sum += (sbyte)blk[2 + j]; }
            FinishBlock(a, b, d, sum);
        }
        fixed (float* s = dq) Buffer.MemoryCopy(s, a.X, (long)k * 4, (long)k * 4);
    }

    private void Reserve(int n, int k)
    {
        int nb = k / 32, nbPad = (nb + 3) & ~3;
        long kPad = (long)nbPad * 32;
        _strideQs = Align(k); _strideQ4 = Align(kPad); _strideD = Align(nbPad * 4L); _strideRep8 = Align(nbPad * 32L);
        _strideRep4 = Align(nbPad * 16L); _strideCorr = Align(nbPad * 16L); _strideSum = Align(nbPad * 4L); _strideX = Align(k * 4L);
        _offQs = 0;
        _offQ4 = _offQs + _strideQs * n;
        _offD = _offQ4 + _strideQ4 * n;
        _offRep8 = _offD + _strideD * n;
        _offRep4 = _offRep8 + _strideRep8 * n;
        _offCorr = _offRep4 + _strideRep4 * n;
        _offSum = _offCorr + _strideCorr * n;
        _offX = _offSum + _strideSum * n;
        _strideS2 = Align(nbPad * 4L);
        _offS2 = _offX + _strideX * n;
        long total = _offS2 + _strideS2 * n;
        bool fresh = false;
        if (total > _capacity)
        {
            if (_buf != null) NativeBuffer.Free(_buf);
            _buf = NativeBuffer.Alloc((nuint)total);
            _capacity = total;
            fresh = true;
        }
        // Padding blocks must read as zeros so the 4-block SIMD groups can run past the end harmlessly. Nothing ever
        // writes padding, so clearing is needed only when the buffer or its layout changes (not on every GEMV).
        if (fresh || n != N || k != K) NativeMemory.Clear(_buf, (nuint)total);
        N = n; K = k;
    }

    internal ActCol Column(int c) => new(
        (sbyte*)(_buf + _offQs + _strideQs * c),
        (sbyte*)(_buf + _offQ4 + _strideQ4 * c),
        (float*)(_buf + _offD + _strideD * c),
        (float*)(_buf + _offRep8 + _strideRep8 * c),
        (float*)(_buf + _offRep4 + _strideRep4 * c),
        (int*)(_buf + _offCorr + _strideCorr * c),
        (int*)(_buf + _offSum + _strideSum * c),
        (float*)(_buf + _offX + _strideX * c),
        (float*)(_buf + _offS2 + _strideS2 * c));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void QuantizeColumn(float* x, int c, ActivationParts parts)
    {
        ActCol a = Column(c);
        int nb = K / 32;
        if (parts == ActivationParts.Floats) { Buffer.MemoryCopy(x, a.X, (long)K * 4, (long)K * 4); return; }
        if (Vector256.IsHardwareAccelerated)
        {
            bool all = parts == ActivationParts.All;
            for (int b = 0; b < nb; b++) QuantizeBlockVector(x + b * 32, a, b, all);
            if (!all) return;
        }
        else
        {
            for (int b = 0; b < nb; b++)
            {
                float* xb = x + b * 32;
                float amax = 0f;
                for (int j = 0; j < 32; j++) amax = MathF.Max(amax, MathF.Abs(xb[j]));
                float d = amax / 127f;
                float id = d != 0f ? 1f / d : 0f;
                int sum = 0;
                for (int j = 0; j < 32; j++)
                {
                    sbyte q = (sbyte)MathF.Round(xb[j] * id, MidpointRounding.ToEven);
                    a.Qs[b * 32 + j] = q;
                    sum += q;
                }
                FinishBlock(a, b, Fp16.RoundTrip(d), sum);
            }
        }
        Buffer.MemoryCopy(x, a.X, (long)K * 4, (long)K * 4);
    }

    /// <summary>
    /// One block with 256-bit vectors. Rounds half to even like GGML's SIMD quantize_row_q8_0
    /// (its scalar reference rounds half away from zero; the two differ only on exact ties).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeBlockVector(float* xb, ActCol a, int b, bool all)
    {
        Vector256<float> v0 = Vector256.Load(xb), v1 = Vector256.Load(xb + 8), v2 = Vector256.Load(xb + 16), v3 = Vector256.Load(xb + 24);
        Vector256<float> m = Vector256.Max(Vector256.Max(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.Max(Vector256.Abs(v2), Vector256.Abs(v3)));
        Vector128<float> m4 = Vector128.Max(m.GetLower(), m.GetUpper());
        float amax = MathF.Max(MathF.Max(m4[0], m4[1]), MathF.Max(m4[2], m4[3]));
        float d = amax / 127f;
        Vector256<float> id = Vector256.Create(d != 0f ? 1f / d : 0f);
        Vector256<int> q0 = Vector256.ConvertToInt32(Vector256.Round(v0 * id)), q1 = Vector256.ConvertToInt32(Vector256.Round(v1 * id));
        Vector256<int> q2 = Vector256.ConvertToInt32(Vector256.Round(v2 * id)), q3 = Vector256.ConvertToInt32(Vector256.Round(v3 * id));
        Vector256<sbyte> q = Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3));
        q.Store(a.Qs + b * 32);
        int sum = Vector256.Sum((q0 + q1) + (q2 + q3));
        float dh = Fp16.RoundTripScale(d);
        if (all) FinishBlock(a, b, dh, sum);
        else { a.D[b] = dh; a.Sum[b] = sum; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishBlock(ActCol a, int b, float d, int sum)
    {
        sbyte* q = a.Qs + b * 32;
        int o = ActCol.Q4Offset(b);
        Unsafe.CopyBlockUnaligned(a.QsQ4 + o, q, 16);
        Unsafe.CopyBlockUnaligned(a.QsQ4 + o + 64, q + 16, 16);
        a.D[b] = d;
        Vector256.Create(d).Store(a.DRep8 + b * 8);
        Vector128.Create(d).Store(a.DRep4 + b * 4);
        Vector128.Create(8 * sum, 0, 0, 0).Store(a.Corr4 + b * 4);
        a.Sum[b] = sum;
        a.Sum2F[b] = 2 * sum;
    }

    public void Dispose()
    {
        if (_buf != null) { NativeBuffer.Free(_buf); _buf = null; _capacity = 0; }
        GC.SuppressFinalize(this);
    }

    ~QuantizedActivations() { if (_buf != null) NativeBuffer.Free(_buf); }
}

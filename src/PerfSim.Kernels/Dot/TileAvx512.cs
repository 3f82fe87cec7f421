using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// GEMM micro-kernels: one weight row against 4 activation columns. Each weight vector is loaded and
/// unpacked once and reused for 4 columns, which turns prefill from bandwidth-bound into compute-bound.
/// </summary>
internal static unsafe class TileAvx512
{
    public const int Cols = 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StepQ8(Vector512<byte> ax, Vector512<sbyte> neg, Vector512<sbyte> x, Vector512<float> dw, float* dRep, Vector512<float> acc)
    {
        Vector512<sbyte> sx = Vector512.ConditionalSelect(neg, Vector512<sbyte>.Zero - x, x);
        Vector512<int> p = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(ax, sx), Vector512.Create((short)1));
        return Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p), dw * Vector512.Load(dRep), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotQ8x4(byte* w, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int nb, float* y, long yStride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int b = 0;
        for (; b + 1 < nb; b += 2)
        {
            byte* blk = w + b * 34;
            Vector512<float> dw = Vector512.Create(
                Vector256.Create(Fp16.ScaleToSingle(*(ushort*)blk)), Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(blk + 34))));
            Vector512<sbyte> wv = DotAvx512.LoadQ8Pair(blk);
            Vector512<byte> ax = Avx512BW.Abs(wv);
            Vector512<sbyte> neg = Vector512.LessThan(wv, Vector512<sbyte>.Zero);
            int xo = b * 32, ro = b * 8;
            a0 = StepQ8(ax, neg, Vector512.Load(c0.Qs + xo), dw, c0.DRep8 + ro, a0);
            a1 = StepQ8(ax, neg, Vector512.Load(c1.Qs + xo), dw, c1.DRep8 + ro, a1);
            a2 = StepQ8(ax, neg, Vector512.Load(c2.Qs + xo), dw, c2.DRep8 + ro, a2);
            a3 = StepQ8(ax, neg, Vector512.Load(c3.Qs + xo), dw, c3.DRep8 + ro, a3);
        }
        float s0 = Vector512.Sum(a0), s1 = Vector512.Sum(a1), s2 = Vector512.Sum(a2), s3 = Vector512.Sum(a3);
        if (b < nb)
        {
            // Odd block count: finish the last block column by column.
            s0 += DotScalar.DotQ8(w + b * 34, Shift(c0, b), 1);
            s1 += DotScalar.DotQ8(w + b * 34, Shift(c1, b), 1);
            s2 += DotScalar.DotQ8(w + b * 34, Shift(c2, b), 1);
            s3 += DotScalar.DotQ8(w + b * 34, Shift(c3, b), 1);
        }
        y[0] = s0; y[yStride] = s1; y[2 * yStride] = s2; y[3 * yStride] = s3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StepQ4(Vector512<byte> lo, Vector512<byte> hi, sbyte* xq, int* corr, Vector512<float> dw, float* dRep, Vector512<float> acc)
    {
        Vector512<short> p = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load(xq)) + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load(xq + 64));
        Vector512<int> q = Avx512BW.MultiplyAddAdjacent(p, Vector512.Create((short)1)) - Vector512.Load(corr);
        return Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(q), dw * Vector512.Load(dRep), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotQ4x4(byte* w, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int nb, float* y, long yStride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        int b = 0;
        for (; b + 3 < nb; b += 4)
        {
            byte* blk = w + b * 18;
            Vector512<byte> v = DotAvx512.LoadQ4Quad(blk);
            Vector512<byte> lo = v & mask, hi = (v.AsUInt16() >> 4).AsByte() & mask;
            Vector512<float> dw = Avx512F.PermuteVar16x32(DotAvx512.Scales4(blk, 18).ToVector256Unsafe().ToVector512Unsafe(), DotAvx512.Rep4);
            int xo = b * 32, ro = b * 4;
            a0 = StepQ4(lo, hi, c0.QsQ4 + xo, c0.Corr4 + ro, dw, c0.DRep4 + ro, a0);
            a1 = StepQ4(lo, hi, c1.QsQ4 + xo, c1.Corr4 + ro, dw, c1.DRep4 + ro, a1);
            a2 = StepQ4(lo, hi, c2.QsQ4 + xo, c2.Corr4 + ro, dw, c2.DRep4 + ro, a2);
            a3 = StepQ4(lo, hi, c3.QsQ4 + xo, c3.Corr4 + ro, dw, c3.DRep4 + ro, a3);
        }
        float s0 = Vector512.Sum(a0), s1 = Vector512.Sum(a1), s2 = Vector512.Sum(a2), s3 = Vector512.Sum(a3);
        if (b < nb)
        {
            int rest = nb - b;
            s0 += DotScalar.DotQ4(w + b * 18, Shift(c0, b), rest);
            s1 += DotScalar.DotQ4(w + b * 18, Shift(c1, b), rest);
            s2 += DotScalar.DotQ4(w + b * 18, Shift(c2, b), rest);
            s3 += DotScalar.DotQ4(w + b * 18, Shift(c3, b), rest);
        }
        y[0] = s0; y[yStride] = s1; y[2 * yStride] = s2; y[3 * yStride] = s3;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotF16x4(byte* w, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int k, float* y, long yStride)
    {
        ushort* h = (ushort*)w;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int j = 0; j < k; j += 16)
        {
            Vector512<float> wf = Fp16.Load16(h + j);
            a0 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c0.X + j), a0);
            a1 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c1.X + j), a1);
            a2 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c2.X + j), a2);
            a3 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c3.X + j), a3);
        }
        y[0] = Vector512.Sum(a0); y[yStride] = Vector512.Sum(a1); y[2 * yStride] = Vector512.Sum(a2); y[3 * yStride] = Vector512.Sum(a3);
    }

    /// <summary>
    /// Two q4_0 weight rows × 4 columns: every activation load now feeds 2 rows, halving activation traffic
    /// per multiply (the GEMM's limiter once weights sit in L2). Outputs: y0 for row 0, y1 for row 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotQ4x2x4(byte* w0, byte* w1, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int nb, float* y, long yStride)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        int b = 0;
        for (; b + 3 < nb; b += 4)
        {
            byte* k0 = w0 + b * 18, k1 = w1 + b * 18;
            Vector512<byte> v0 = DotAvx512.LoadQ4Quad(k0), v1 = DotAvx512.LoadQ4Quad(k1);
            Vector512<byte> lo0 = v0 & mask, hi0 = (v0.AsUInt16() >> 4).AsByte() & mask;
            Vector512<byte> lo1 = v1 & mask, hi1 = (v1.AsUInt16() >> 4).AsByte() & mask;
            Vector512<float> dw0 = Avx512F.PermuteVar16x32(DotAvx512.Scales4(k0, 18).ToVector256Unsafe().ToVector512Unsafe(), DotAvx512.Rep4);
            Vector512<float> dw1 = Avx512F.PermuteVar16x32(DotAvx512.Scales4(k1, 18).ToVector256Unsafe().ToVector512Unsafe(), DotAvx512.Rep4);
            int xo = b * 32, ro = b * 4;
            Step2Q4(lo0, hi0, lo1, hi1, c0, xo, ro, dw0, dw1, ref a00, ref a10);
            Step2Q4(lo0, hi0, lo1, hi1, c1, xo, ro, dw0, dw1, ref a01, ref a11);
            Step2Q4(lo0, hi0, lo1, hi1, c2, xo, ro, dw0, dw1, ref a02, ref a12);
            Step2Q4(lo0, hi0, lo1, hi1, c3, xo, ro, dw0, dw1, ref a03, ref a13);
        }
        float s00 = Vector512.Sum(a00), s01 = Vector512.Sum(a01), s02 = Vector512.Sum(a02), s03 = Vector512.Sum(a03);
        float s10 = Vector512.Sum(a10), s11 = Vector512.Sum(a11), s12 = Vector512.Sum(a12), s13 = Vector512.Sum(a13);
        if (b < nb)
        {
            int rest = nb - b;
            s00 += DotScalar.DotQ4(w0 + b * 18, Shift(c0, b), rest); s10 += DotScalar.DotQ4(w1 + b * 18, Shift(c0, b), rest);
            s01 += DotScalar.DotQ4(w0 + b * 18, Shift(c1, b), rest); s11 += DotScalar.DotQ4(w1 + b * 18, Shift(c1, b), rest);
            s02 += DotScalar.DotQ4(w0 + b * 18, Shift(c2, b), rest); s12 += DotScalar.DotQ4(w1 + b * 18, Shift(c2, b), rest);
            s03 += DotScalar.DotQ4(w0 + b * 18, Shift(c3, b), rest); s13 += DotScalar.DotQ4(w1 + b * 18, Shift(c3, b), rest);
        }
        y[0] = s00; y[yStride] = s01; y[2 * yStride] = s02; y[3 * yStride] = s03;
        y[1] = s10; y[yStride + 1] = s11; y[2 * yStride + 1] = s12; y[3 * yStride + 1] = s13;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step2Q4(Vector512<byte> lo0, Vector512<byte> hi0, Vector512<byte> lo1, Vector512<byte> hi1, ActCol c, int xo, int ro,
        Vector512<float> dw0, Vector512<float> dw1, ref Vector512<float> acc0, ref Vector512<float> acc1)
    {
        Vector512<sbyte> xl = Vector512.Load(c.QsQ4 + xo), xh = Vector512.Load(c.QsQ4 + xo + 64);
        Vector512<int> corr = Vector512.Load(c.Corr4 + ro);
        Vector512<float> dx = Vector512.Load(c.DRep4 + ro);
        Vector512<short> one = Vector512.Create((short)1);
        Vector512<int> p0 = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(lo0, xl) + Avx512BW.MultiplyAddAdjacent(hi0, xh), one) - corr;
        Vector512<int> p1 = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(lo1, xl) + Avx512BW.MultiplyAddAdjacent(hi1, xh), one) - corr;
        acc0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p0), dw0 * dx, acc0);
        acc1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p1), dw1 * dx, acc1);
    }

    /// <summary>
    /// Four fp16 rows × 4 columns: each weight vector converted once serves 4 columns and each activation load
    /// serves 4 rows, so the loop is bound by FMAs rather than by conversions and loads (16 accumulators).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotF16x4x4(byte* w0, long rowBytes, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int k, float* y, long yStride)
    {
        ushort* h0 = (ushort*)w0, h1 = (ushort*)(w0 + rowBytes), h2 = (ushort*)(w0 + 2 * rowBytes), h3 = (ushort*)(w0 + 3 * rowBytes);
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int j = 0; j < k; j += 16)
        {
            Vector512<float> x0 = Vector512.Load(c0.X + j), x1 = Vector512.Load(c1.X + j), x2 = Vector512.Load(c2.X + j), x3 = Vector512.Load(c3.X + j);
            Vector512<float> wf = Fp16.Load16(h0 + j);
            a00 = Avx512F.FusedMultiplyAdd(wf, x0, a00); a01 = Avx512F.FusedMultiplyAdd(wf, x1, a01);
            a02 = Avx512F.FusedMultiplyAdd(wf, x2, a02); a03 = Avx512F.FusedMultiplyAdd(wf, x3, a03);
            wf = Fp16.Load16(h1 + j);
            a10 = Avx512F.FusedMultiplyAdd(wf, x0, a10); a11 = Avx512F.FusedMultiplyAdd(wf, x1, a11);
            a12 = Avx512F.FusedMultiplyAdd(wf, x2, a12); a13 = Avx512F.FusedMultiplyAdd(wf, x3, a13);
            wf = Fp16.Load16(h2 + j);
            a20 = Avx512F.FusedMultiplyAdd(wf, x0, a20); a21 = Avx512F.FusedMultiplyAdd(wf, x1, a21);
            a22 = Avx512F.FusedMultiplyAdd(wf, x2, a22); a23 = Avx512F.FusedMultiplyAdd(wf, x3, a23);
            wf = Fp16.Load16(h3 + j);
            a30 = Avx512F.FusedMultiplyAdd(wf, x0, a30); a31 = Avx512F.FusedMultiplyAdd(wf, x1, a31);
            a32 = Avx512F.FusedMultiplyAdd(wf, x2, a32); a33 = Avx512F.FusedMultiplyAdd(wf, x3, a33);
        }
        y[0] = Vector512.Sum(a00); y[yStride] = Vector512.Sum(a01); y[2 * yStride] = Vector512.Sum(a02); y[3 * yStride] = Vector512.Sum(a03);
        y[1] = Vector512.Sum(a10); y[yStride + 1] = Vector512.Sum(a11); y[2 * yStride + 1] = Vector512.Sum(a12); y[3 * yStride + 1] = Vector512.Sum(a13);
        y[2] = Vector512.Sum(a20); y[yStride + 2] = Vector512.Sum(a21); y[2 * yStride + 2] = Vector512.Sum(a22); y[3 * yStride + 2] = Vector512.Sum(a23);
        y[3] = Vector512.Sum(a30); y[yStride + 3] = Vector512.Sum(a31); y[2 * yStride + 3] = Vector512.Sum(a32); y[3 * yStride + 3] = Vector512.Sum(a33);
    }

    /// <summary>Rows of a packed f16 GEMM panel (four 16-lane vectors per k).</summary>
    public const int PanelRows = 64;

    /// <summary>
    /// Columns per pass over a packed panel: 4 × 5 = 20 accumulators, 4 weight vectors and a broadcast (with 6 columns,
    /// 24 accumulators, the JIT spilled them all on every k).
    /// </summary>
    public const int PanelCols = 5;

    /// <summary>
    /// Converts <paramref name="rows"/> (≤ 64) fp16 rows of a k-slice to fp32 and transposes them into
    /// panel[kk·64 + r], 16 rows × 16 k at a time in registers; rows past <paramref name="rows"/> are zero, so a short
    /// block runs the same kernel. (A scalar transpose, one store per weight into 16 different lines, cost more than
    /// the FMAs it fed at 256 columns.)
    /// </summary>
    public static void PackF16Panel(ushort* h, long rowStride, int rows, int len, float* panel)
    {
        Vector512<float>* v = stackalloc Vector512<float>[16];
        for (int rg = 0; rg < PanelRows; rg += 16)
        {
            int inGroup = Math.Clamp(rows - rg, 0, 16);
            for (int j = 0; j < len; j += 16)
            {
                for (int i = 0; i < 16; i++) v[i] = i < inGroup ? Fp16.Load16(h + (rg + i) * rowStride + j) : default;
                Transpose16(v);
                float* dst = panel + (long)j * PanelRows + rg;
                for (int i = 0; i < 16; i++) v[i].Store(dst + i * PanelRows);
            }
        }
    }

    // Index vectors for the block-swap transpose: for block size b, the row with bit b clear keeps its lanes with
    // (c & b) == 0 and takes the partner's lane c − b elsewhere; the partner takes lane c + b, and keeps the rest.
    private static readonly Vector512<int>[] SwapLo = [Swap(8, false), Swap(4, false), Swap(2, false), Swap(1, false)];
    private static readonly Vector512<int>[] SwapHi = [Swap(8, true), Swap(4, true), Swap(2, true), Swap(1, true)];

    private static Vector512<int> Swap(int b, bool partner)
    {
        var idx = new int[16];
        for (int c = 0; c < 16; c++)
            idx[c] = partner ? ((c & b) == 0 ? c + b : 16 + c) : ((c & b) == 0 ? c : 16 + c - b);
        return Vector512.Create(idx);
    }

    /// <summary>In-place 16 × 16 transpose (v[i] lane c ↔ v[c] lane i): swap off-diagonal blocks of 8, 4, 2, 1.</summary>
    private static void Transpose16(Vector512<float>* v)
    {
        for (int s = 0; s < 4; s++)
        {
            int b = 8 >> s;
            Vector512<int> lo = SwapLo[s], hi = SwapHi[s];
            for (int i = 0; i < 16; i++)
            {
                if ((i & b) != 0) continue;
                Vector512<float> a = v[i], c = v[i + b];
                v[i] = Avx512F.PermuteVar16x32x2(a, lo, c);
                v[i + b] = Avx512F.PermuteVar16x32x2(a, hi, c);
            }
        }
    }

    /// <summary>
    /// 64 rows × 5 columns over a packed panel: y[c·yStride + r] (+)= Σ_kk panel[kk·64 + r] · x[c][kk], each output a
    /// sequential FMA chain over the slice. Only <paramref name="cols"/> columns and <paramref name="rows"/> rows are stored;
    /// <paramref name="scratch"/> holds 64 × 5 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel64x5(float* panel, int len, float** x, int cols, float* y, long yStride, int rows, bool accumulate, float* scratch)
    {
        float* x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        for (int kk = 0; kk < len; kk++)
        {
            float* p = panel + (long)kk * PanelRows;
            Vector512<float> w0 = Vector512.Load(p), w1 = Vector512.Load(p + 16), w2 = Vector512.Load(p + 32), w3 = Vector512.Load(p + 48);
            Vector512<float> b = Vector512.Create(x0[kk]);
            a00 = Avx512F.FusedMultiplyAdd(w0, b, a00); a10 = Avx512F.FusedMultiplyAdd(w1, b, a10);
            a20 = Avx512F.FusedMultiplyAdd(w2, b, a20); a30 = Avx512F.FusedMultiplyAdd(w3, b, a30);
            b = Vector512.Create(x1[kk]);
            a01 = Avx512F.FusedMultiplyAdd(w0, b, a01); a11 = Avx512F.FusedMultiplyAdd(w1, b, a11);
            a21 = Avx512F.FusedMultiplyAdd(w2, b, a21); a31 = Avx512F.FusedMultiplyAdd(w3, b, a31);
            b = Vector512.Create(x2[kk]);
            a02 = Avx512F.FusedMultiplyAdd(w0, b, a02); a12 = Avx512F.FusedMultiplyAdd(w1, b, a12);
            a22 = Avx512F.FusedMultiplyAdd(w2, b, a22); a32 = Avx512F.FusedMultiplyAdd(w3, b, a32);
            b = Vector512.Create(x3[kk]);
            a03 = Avx512F.FusedMultiplyAdd(w0, b, a03); a13 = Avx512F.FusedMultiplyAdd(w1, b, a13);
            a23 = Avx512F.FusedMultiplyAdd(w2, b, a23); a33 = Avx512F.FusedMultiplyAdd(w3, b, a33);
            b = Vector512.Create(x4[kk]);
            a04 = Avx512F.FusedMultiplyAdd(w0, b, a04); a14 = Avx512F.FusedMultiplyAdd(w1, b, a14);
            a24 = Avx512F.FusedMultiplyAdd(w2, b, a24); a34 = Avx512F.FusedMultiplyAdd(w3, b, a34);
        }
        // Through the caller's scratch, with no call while the accumulators are live: every SIMD register is
        // caller-saved on x64, and a call after the loop made the JIT spill every accumulator on every k.
        float* o = scratch;
        a00.Store(o); a10.Store(o + 16); a20.Store(o + 32); a30.Store(o + 48);
        a01.Store(o + 64); a11.Store(o + 80); a21.Store(o + 96); a31.Store(o + 112);
        a02.Store(o + 128); a12.Store(o + 144); a22.Store(o + 160); a32.Store(o + 176);
        a03.Store(o + 192); a13.Store(o + 208); a23.Store(o + 224); a33.Store(o + 240);
        a04.Store(o + 256); a14.Store(o + 272); a24.Store(o + 288); a34.Store(o + 304);
        for (int c = 0; c < cols; c++)
        {
            float* src = o + c * PanelRows, dst = y + c * yStride;
            if (accumulate) for (int r = 0; r < rows; r++) dst[r] += src[r];
            else for (int r = 0; r < rows; r++) dst[r] = src[r];
        }
    }

    /// <summary>View of a column starting at block b (only the natural-layout fields the scalar code reads).</summary>
    private static ActCol Shift(ActCol c, int b) =>
        new(c.Qs + b * 32, c.QsQ4, c.D + b, c.DRep8, c.DRep4, c.Corr4, c.Sum + b, c.X + b * 32, c.Sum2F + b);
}

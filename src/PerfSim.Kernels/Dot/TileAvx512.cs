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
            Vector512<float> wf = Fp16.ToSingle(Avx512F.ConvertToVector512Int32(Vector256.Load(h + j)));
            a0 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c0.X + j), a0);
            a1 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c1.X + j), a1);
            a2 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c2.X + j), a2);
            a3 = Avx512F.FusedMultiplyAdd(wf, Vector512.Load(c3.X + j), a3);
        }
        y[0] = Vector512.Sum(a0); y[yStride] = Vector512.Sum(a1); y[2 * yStride] = Vector512.Sum(a2); y[3 * yStride] = Vector512.Sum(a3);
    }

    /// <summary>View of a column starting at block b (only the natural-layout fields the scalar code reads).</summary>
    private static ActCol Shift(ActCol c, int b) =>
        new(c.Qs + b * 32, c.QsQ4, c.D + b, c.DRep8, c.DRep4, c.Corr4, c.Sum + b, c.X + b * 32, c.Sum2F + b);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// AVX-512 (F+BW) path. .NET 10 exposes no AVX512-VNNI (vpdpbusd) intrinsic and Zen 4 has no VEX AVX-VNNI,
/// so int8 products use vpmaddubsw + vpmaddwd like GGML's AVX2 code, but on 4 blocks per step:
/// q4_0 as one 512-bit vector of 4×16 nibble bytes that unpack into low/high halves matching the activation's
/// permuted layout. The 4 fp16 weight scales of a step are converted together and spread to lanes.
/// q8_0 GEMV has no 512-bit kernel here: two 512-bit variants (VBMI gather; 256-bit halves + inserts) both
/// streamed from DRAM at 8–15 GB/s per core where the AVX2 kernel reaches 13–21, so the AVX-512 path uses
/// <see cref="DotAvx2.DotQ8"/> for q8_0 GEMV (see <see cref="DotKernels"/>). The 512-bit q8_0 GEMM tile stays.
/// </summary>
internal static unsafe class DotAvx512
{
    // Properties, not static readonly fields: a constant Create is folded into the code, whereas a static
    // field read inside a loop kept a class-init check there that forced every vector to spill.
    internal static Vector512<int> Rep8Lo
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    internal static Vector512<int> Rep8Hi
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    }

    internal static Vector512<int> Rep4
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    }

    /// <summary>Scales of 4 consecutive blocks (stride in bytes) as fp32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Scales4(byte* blk, int stride) =>
        Fp16.ToSingle(Vector128.Create((int)*(ushort*)blk, *(ushort*)(blk + stride), *(ushort*)(blk + 2 * stride), *(ushort*)(blk + 3 * stride)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<sbyte> LoadQ8Pair(byte* blk) =>
        Vector512.Create(Vector256.Load((sbyte*)(blk + 2)), Vector256.Load((sbyte*)(blk + 36)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<byte> LoadQ4Quad(byte* blk) =>
        Vector512.Create(Vector256.Create(Vector128.Load(blk + 2), Vector128.Load(blk + 20)),
                         Vector256.Create(Vector128.Load(blk + 38), Vector128.Load(blk + 56)));

    /// <summary>Σ over the 4 blocks of a q4_0 quad: int32 lanes (4 per block) already corrected by −8·Σx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> MulQ4(Vector512<byte> lo, Vector512<byte> hi, sbyte* xq, int* corr)
    {
        Vector512<short> p = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load(xq))
                           + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load(xq + 64));
        return Avx512BW.MultiplyAddAdjacent(p, Vector512.Create((short)1)) - Vector512.Load(corr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> MulQ4Raw(Vector512<byte> lo, Vector512<byte> hi, sbyte* xq)
    {
        Vector512<short> p = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load(xq))
                           + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load(xq + 64));
        return Avx512BW.MultiplyAddAdjacent(p, Vector512.Create((short)1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ4(byte* w, ActCol a, int nb)
    {
        Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        int b = 0;
        if (VbmiGather.IsSupported)
        {
            Vector512<byte> codes = VbmiGather.Q4QuadCodes, scales = VbmiGather.Q4QuadScales;
            Vector512<int> rep4 = Rep4, rep4b = Rep4 + Vector512.Create(4);
            for (; b + 7 < nb; b += 8)
            {
                byte* blk = w + b * 18;
                Vector512<byte> a0 = Vector512.Load(blk), a1 = Vector512.Load(blk + 72);
                Vector512<byte> v0 = Avx512Vbmi.PermuteVar64x8x2(a0, codes, Vector512.Load(blk + 8));
                Vector512<byte> v1 = Avx512Vbmi.PermuteVar64x8x2(a1, codes, Vector512.Load(blk + 80));
                // Activation data stays compact (scale and 2·Σx per block, spread to lanes by vpermps) so a
                // 14336-long activation fits L1 next to the streaming weights.
                Vector512<float> dx = Vector256.Load(a.D + b).ToVector512Unsafe(), sx = Vector256.Load(a.Sum2F + b).ToVector512Unsafe();
                Vector512<float> d0 = VbmiGather.HalfHighToSingle(Avx512Vbmi.PermuteVar64x8(a0, scales).AsUInt32()) * Avx512F.PermuteVar16x32(dx, rep4);
                Vector512<float> d1 = VbmiGather.HalfHighToSingle(Avx512Vbmi.PermuteVar64x8(a1, scales).AsUInt32()) * Avx512F.PermuteVar16x32(dx, rep4b);
                Vector512<float> p0 = Avx512F.ConvertToVector512Single(MulQ4Raw(v0 & mask, (v0.AsUInt16() >> 4).AsByte() & mask, a.QsQ4 + b * 32)) - Avx512F.PermuteVar16x32(sx, rep4);
                Vector512<float> p1 = Avx512F.ConvertToVector512Single(MulQ4Raw(v1 & mask, (v1.AsUInt16() >> 4).AsByte() & mask, a.QsQ4 + b * 32 + 128)) - Avx512F.PermuteVar16x32(sx, rep4b);
                acc0 = Avx512F.FusedMultiplyAdd(p0, d0, acc0);
                acc1 = Avx512F.FusedMultiplyAdd(p1, d1, acc1);
            }
        }
        for (; b + 7 < nb; b += 8)
        {
            byte* blk = w + b * 18;
            Vector512<byte> v0 = LoadQ4Quad(blk), v1 = LoadQ4Quad(blk + 72);
            Vector512<int> p0 = MulQ4(v0 & mask, (v0.AsUInt16() >> 4).AsByte() & mask, a.QsQ4 + b * 32, a.Corr4 + b * 4);
            Vector512<int> p1 = MulQ4(v1 & mask, (v1.AsUInt16() >> 4).AsByte() & mask, a.QsQ4 + b * 32 + 128, a.Corr4 + b * 4 + 16);
            Vector512<float> s0 = (Scales4(blk, 18) * Vector128.Load(a.D + b)).ToVector256Unsafe().ToVector512Unsafe();
            Vector512<float> s1 = (Scales4(blk + 72, 18) * Vector128.Load(a.D + b + 4)).ToVector256Unsafe().ToVector512Unsafe();
            acc0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p0), Avx512F.PermuteVar16x32(s0, Rep4), acc0);
            acc1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p1), Avx512F.PermuteVar16x32(s1, Rep4), acc1);
        }
        for (; b + 3 < nb; b += 4)
        {
            byte* blk = w + b * 18;
            Vector512<byte> v0 = LoadQ4Quad(blk);
            Vector512<int> p0 = MulQ4(v0 & mask, (v0.AsUInt16() >> 4).AsByte() & mask, a.QsQ4 + b * 32, a.Corr4 + b * 4);
            Vector512<float> s0 = (Scales4(blk, 18) * Vector128.Load(a.D + b)).ToVector256Unsafe().ToVector512Unsafe();
            acc0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p0), Avx512F.PermuteVar16x32(s0, Rep4), acc0);
        }
        float sum = Vector512.Sum(acc0 + acc1);
        for (; b < nb; b++)
        {
            byte* blk = w + b * 18;
            Vector256<int> s = DotAvx2.MulQ4(blk + 2, a.Qs + b * 32);
            sum += (Vector256.Sum(s) - 8 * a.Sum[b]) * (Fp16.ScaleToSingle(*(ushort*)blk) * a.D[b]);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotF16(byte* w, ActCol a, int k)
    {
        ushort* h = (ushort*)w;
        float* x = a.X;
        Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero, acc2 = Vector512<float>.Zero, acc3 = Vector512<float>.Zero;
        int j = 0;
        for (; j + 63 < k; j += 64)
        {
            acc0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j), Vector512.Load(x + j), acc0);
            acc1 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 16), Vector512.Load(x + j + 16), acc1);
            acc2 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 32), Vector512.Load(x + j + 32), acc2);
            acc3 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 48), Vector512.Load(x + j + 48), acc3);
        }
        for (; j < k; j += 16)
            acc0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j), Vector512.Load(x + j), acc0);
        return Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    /// <summary>
    /// Software prefetch distance of <see cref="DotF16Pair"/>: 3072 bytes (1536 halves) ahead in each row. Measured on
    /// DRAM-resident weights (1 thread, per thread-CPU-second, A/B in one process against the probe loop): 0.86 of the
    /// probe without, 0.92 at 1024 bytes, 0.95–0.97 at 2048, 1.01 at 3072, 0.95 at 4096. Prefetches past the end of
    /// the buffer are harmless (they never fault).
    /// </summary>
    internal const int F16PairPrefetchHalves = 1536;

    /// <summary>
    /// Two fp16 rows (anywhere in the matrix) against one activation, each with exactly <see cref="DotF16"/>'s operations
    /// in its order (so the results are bit-identical to it): each activation load serves both rows. The GEMV gives it
    /// rows from the two halves of a thread's chunk, so the weights are two long sequential streams (one row at a time
    /// measured 0.77 of the probe with the same prefetch; 4 adjacent rows, <see cref="DotF16Rows4"/>, 0.57).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotF16Pair(byte* w0, byte* w1, ActCol a, int k, float* y0, float* y1)
    {
        ushort* h = (ushort*)w0, g = (ushort*)w1;
        float* x = a.X;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        int j = 0;
        for (; j + 63 < k; j += 64)
        {
            Sse.Prefetch0(h + j + F16PairPrefetchHalves); Sse.Prefetch0(h + j + F16PairPrefetchHalves + 32);
            Sse.Prefetch0(g + j + F16PairPrefetchHalves); Sse.Prefetch0(g + j + F16PairPrefetchHalves + 32);
            Vector512<float> x0 = Vector512.Load(x + j), x1 = Vector512.Load(x + j + 16), x2 = Vector512.Load(x + j + 32), x3 = Vector512.Load(x + j + 48);
            a0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j), x0, a0);
            b0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(g + j), x0, b0);
            a1 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 16), x1, a1);
            b1 = Avx512F.FusedMultiplyAdd(Fp16.Load16(g + j + 16), x1, b1);
            a2 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 32), x2, a2);
            b2 = Avx512F.FusedMultiplyAdd(Fp16.Load16(g + j + 32), x2, b2);
            a3 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j + 48), x3, a3);
            b3 = Avx512F.FusedMultiplyAdd(Fp16.Load16(g + j + 48), x3, b3);
        }
        for (; j < k; j += 16)
        {
            Vector512<float> x0 = Vector512.Load(x + j);
            a0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h + j), x0, a0);
            b0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(g + j), x0, b0);
        }
        *y0 = Vector512.Sum((a0 + a1) + (a2 + a3));
        *y1 = Vector512.Sum((b0 + b1) + (b2 + b3));
    }

    /// <summary>
    /// Four fp16 rows against one activation: each fp32 activation load (a 14336-long activation is 56 KiB, past L1)
    /// now serves 4 rows, so the loop stops being bound by L2 traffic for x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotF16Rows4(byte* w, long rowBytes, ActCol a, int k, float* y)
    {
        ushort* h0 = (ushort*)w, h1 = (ushort*)(w + rowBytes), h2 = (ushort*)(w + 2 * rowBytes), h3 = (ushort*)(w + 3 * rowBytes);
        float* x = a.X;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        int j = 0;
        for (; j + 31 < k; j += 32)
        {
            Vector512<float> x0 = Vector512.Load(x + j), x1 = Vector512.Load(x + j + 16);
            a0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h0 + j), x0, a0);
            a1 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h1 + j), x0, a1);
            a2 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h2 + j), x0, a2);
            a3 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h3 + j), x0, a3);
            b0 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h0 + j + 16), x1, b0);
            b1 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h1 + j + 16), x1, b1);
            b2 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h2 + j + 16), x1, b2);
            b3 = Avx512F.FusedMultiplyAdd(Fp16.Load16(h3 + j + 16), x1, b3);
        }
        y[0] = Vector512.Sum(a0 + b0); y[1] = Vector512.Sum(a1 + b1); y[2] = Vector512.Sum(a2 + b2); y[3] = Vector512.Sum(a3 + b3);
    }
}

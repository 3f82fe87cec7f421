using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// 256-bit kernels on the <see cref="WeightLayout.Interleaved16"/> layout: each 64-byte chunk is two vectors of
/// 8 rows (rows 0–7, rows 8–15); int32 lane r accumulates row r. With AVX-VNNI (vpdpbusd, exposed by .NET 10 as
/// <see cref="AvxVnni"/>) a 4-byte chunk of 8 rows times the broadcast activation chunk is one instruction; without
/// it the kernels fall back to vpmaddubsw + vpmaddwd (q8_0 with ggml's sign trick). The q8_0 codes are stored
/// offset by +128 so they are the unsigned operand; Σ(w+128)·x − 128·Σx = Σw·x.
/// </summary>
internal static unsafe class InterleavedAvx2
{
    private const int Q4Superblock = 576, Q8Superblock = 1088;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Bcast(sbyte* x) => Vector256.Create(*(int*)x).AsSByte();

    /// <summary>Σ u·x over one q4_0 block for 8 rows (codes = chunk 0 of this half; chunks 64 bytes apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> HalfQ4(byte* codes, sbyte* x)
    {
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> v0 = Vector256.Load(codes), v1 = Vector256.Load(codes + 64), v2 = Vector256.Load(codes + 128), v3 = Vector256.Load(codes + 192);
        Vector256<byte> h0 = (v0.AsUInt16() >> 4).AsByte() & mask, h1 = (v1.AsUInt16() >> 4).AsByte() & mask;
        Vector256<byte> h2 = (v2.AsUInt16() >> 4).AsByte() & mask, h3 = (v3.AsUInt16() >> 4).AsByte() & mask;
        if (AvxVnni.IsSupported)
        {
            Vector256<int> s0 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, v0 & mask, Bcast(x));
            Vector256<int> s1 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h0, Bcast(x + 16));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, v1 & mask, Bcast(x + 4));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, h1, Bcast(x + 20));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, v2 & mask, Bcast(x + 8));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, h2, Bcast(x + 24));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, v3 & mask, Bcast(x + 12));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, h3, Bcast(x + 28));
            return s0 + s1;
        }
        Vector256<short> p0 = Avx2.MultiplyAddAdjacent(v0 & mask, Bcast(x)) + Avx2.MultiplyAddAdjacent(v1 & mask, Bcast(x + 4));
        Vector256<short> p1 = Avx2.MultiplyAddAdjacent(v2 & mask, Bcast(x + 8)) + Avx2.MultiplyAddAdjacent(v3 & mask, Bcast(x + 12));
        Vector256<short> p2 = Avx2.MultiplyAddAdjacent(h0, Bcast(x + 16)) + Avx2.MultiplyAddAdjacent(h1, Bcast(x + 20));
        Vector256<short> p3 = Avx2.MultiplyAddAdjacent(h2, Bcast(x + 24)) + Avx2.MultiplyAddAdjacent(h3, Bcast(x + 28));
        return Avx2.MultiplyAddAdjacent((p0 + p1) + (p2 + p3), Vector256.Create((short)1));
    }

    /// <summary>Σ w·x over one q8_0 block for 8 rows; codes are offset binary (w + 128).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> HalfQ8(byte* codes, sbyte* x, int sum)
    {
        if (AvxVnni.IsSupported)
        {
            Vector256<int> s0 = Vector256.Create(-128 * sum), s1 = Vector256<int>.Zero;
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(codes), Bcast(x));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(codes + 64), Bcast(x + 4));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(codes + 128), Bcast(x + 8));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(codes + 192), Bcast(x + 12));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(codes + 256), Bcast(x + 16));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(codes + 320), Bcast(x + 20));
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(codes + 384), Bcast(x + 24));
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(codes + 448), Bcast(x + 28));
            return s0 + s1;
        }
        Vector256<int> acc = Vector256<int>.Zero;
        for (int c = 0; c < 8; c++)
            acc += DotAvx2.MulQ8((Vector256.Load(codes + 64 * c) ^ Vector256.Create((byte)0x80)).AsSByte(), Bcast(x + 4 * c));
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ4(byte* group, ActCol a, int nb, float* y)
    {
        // Two accumulators (rows 0–7, rows 8–15), one block per iteration: with four, the JIT kept them in stack slots.
        Vector256<float> lo = default, hi = default;
        for (int b = 0; b < nb; b++)
        {
            byte* sb = group + (long)(b >> 1) * Q4Superblock + (b & 1) * 32;
            byte* codes = group + (long)(b >> 1) * Q4Superblock + 64 + (b & 1) * 256;
            sbyte* x = a.Qs + b * 32;
            Vector256<int> corr = Vector256.Create(8 * a.Sum[b]);
            Vector256<float> dx = Vector256.Create(a.D[b]);
            Vector256<float> sl = Avx.ConvertToVector256Single(HalfQ4(codes, x) - corr);
            Vector256<float> sh = Avx.ConvertToVector256Single(HalfQ4(codes + 32, x) - corr);
            Vector256<float> dl = Fp16.Load8(sb) * dx, dh = Fp16.Load8(sb + 16) * dx;
            lo = Fma.MultiplyAdd(sl, dl, lo);
            hi = Fma.MultiplyAdd(sh, dh, hi);
        }
        lo.Store(y);
        hi.Store(y + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ8(byte* group, ActCol a, int nb, float* y)
    {
        Vector256<float> lo = default, hi = default;
        for (int b = 0; b < nb; b++)
        {
            byte* sb = group + (long)(b >> 1) * Q8Superblock + (b & 1) * 32;
            byte* codes = group + (long)(b >> 1) * Q8Superblock + 64 + (b & 1) * 512;
            sbyte* x = a.Qs + b * 32;
            Vector256<float> dx = Vector256.Create(a.D[b]);
            Vector256<float> sl = Avx.ConvertToVector256Single(HalfQ8(codes, x, a.Sum[b]));
            Vector256<float> sh = Avx.ConvertToVector256Single(HalfQ8(codes + 32, x, a.Sum[b]));
            Vector256<float> dl = Fp16.Load8(sb) * dx, dh = Fp16.Load8(sb + 16) * dx;
            lo = Fma.MultiplyAdd(sl, dl, lo);
            hi = Fma.MultiplyAdd(sh, dh, hi);
        }
        lo.Store(y);
        hi.Store(y + 8);
    }

    /// <summary>Σ w·x of one q8_0 block for the two 8-row halves of two groups (VNNI): the 8 activation broadcasts serve all four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockQ8PairVnni(byte* c0, byte* c1, sbyte* x, int sum,
        out Vector256<int> lo0, out Vector256<int> hi0, out Vector256<int> lo1, out Vector256<int> hi1)
    {
        Vector256<int> start = Vector256.Create(-128 * sum);
        Vector256<int> l0 = start, h0 = start, l1 = start, h1 = start;
        Vector256<int> l0b = Vector256<int>.Zero, h0b = Vector256<int>.Zero, l1b = Vector256<int>.Zero, h1b = Vector256<int>.Zero;
        for (int c = 0; c < 8; c += 2)
        {
            Vector256<sbyte> xa = Bcast(x + 4 * c), xb = Bcast(x + 4 * c + 4);
            l0 = AvxVnni.MultiplyWideningAndAdd(l0, Vector256.Load(c0 + 64 * c), xa);
            h0 = AvxVnni.MultiplyWideningAndAdd(h0, Vector256.Load(c0 + 64 * c + 32), xa);
            l1 = AvxVnni.MultiplyWideningAndAdd(l1, Vector256.Load(c1 + 64 * c), xa);
            h1 = AvxVnni.MultiplyWideningAndAdd(h1, Vector256.Load(c1 + 64 * c + 32), xa);
            l0b = AvxVnni.MultiplyWideningAndAdd(l0b, Vector256.Load(c0 + 64 * c + 64), xb);
            h0b = AvxVnni.MultiplyWideningAndAdd(h0b, Vector256.Load(c0 + 64 * c + 96), xb);
            l1b = AvxVnni.MultiplyWideningAndAdd(l1b, Vector256.Load(c1 + 64 * c + 64), xb);
            h1b = AvxVnni.MultiplyWideningAndAdd(h1b, Vector256.Load(c1 + 64 * c + 96), xb);
        }
        lo0 = l0 + l0b; hi0 = h0 + h0b; lo1 = l1 + l1b; hi1 = h1 + h1b;
    }

    /// <summary>
    /// Two q8_0 groups (32 rows) in one pass over the activation (AVX-VNNI only); each group's results are bit-identical
    /// to <see cref="GemvQ8"/>'s. Same reason as the q4_0 pair kernel: fewer instructions per weight byte and two
    /// streams let one core overlap its compute with its DRAM reads (DRAM-resident, 1 thread, per thread-CPU-second,
    /// A/B in one process: 0.94 → 1.00–1.02 of the probe loop; a software prefetch on top measured no better).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ8PairVnni(byte* g0, byte* g1, ActCol a, int nb, float* y0, float* y1)
    {
        Vector256<float> lo0 = default, hi0 = default, lo1 = default, hi1 = default;
        for (int b = 0; b < nb; b++)
        {
            long so = (long)(b >> 1) * Q8Superblock + (b & 1) * 32, co = (long)(b >> 1) * Q8Superblock + 64 + (b & 1) * 512;
            Vector256<float> dx = Vector256.Create(a.D[b]);
            BlockQ8PairVnni(g0 + co, g1 + co, a.Qs + b * 32, a.Sum[b], out var l0, out var h0, out var l1, out var h1);
            lo0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(l0), Fp16.Load8(g0 + so) * dx, lo0);
            hi0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(h0), Fp16.Load8(g0 + so + 16) * dx, hi0);
            lo1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(l1), Fp16.Load8(g1 + so) * dx, lo1);
            hi1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(h1), Fp16.Load8(g1 + so + 16) * dx, hi1);
        }
        lo0.Store(y0); hi0.Store(y0 + 8);
        lo1.Store(y1); hi1.Store(y1 + 8);
    }

    /// <summary>
    /// GEMM tile with AVX-VNNI: 16 rows of one q8_0 group × 4 activation columns. Each 32-byte code vector (8 rows) is
    /// loaded once and serves 4 columns, each broadcast activation chunk serves both row halves, so the loop is one
    /// vpdpbusd per 32 multiply-adds. The int32 sums start at −128·Σx (the offset-binary correction) and are scaled
    /// once per block. y points at row 0 of column 0; column c's 16 results go to y + c·yStride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileQ8x4Vnni(byte* group, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int nb, float* y, long yStride)
    {
        Vector256<float> f0l = default, f0h = default, f1l = default, f1h = default, f2l = default, f2h = default, f3l = default, f3h = default;
        for (int b = 0; b < nb; b++)
        {
            byte* sb = group + (long)(b >> 1) * Q8Superblock + (b & 1) * 32;
            byte* codes = group + (long)(b >> 1) * Q8Superblock + 64 + (b & 1) * 512;
            int xo = b * 32;
            sbyte* x0 = c0.Qs + xo, x1 = c1.Qs + xo, x2 = c2.Qs + xo, x3 = c3.Qs + xo;
            Vector256<int> s0l = Vector256.Create(-128 * c0.Sum[b]), s1l = Vector256.Create(-128 * c1.Sum[b]);
            Vector256<int> s2l = Vector256.Create(-128 * c2.Sum[b]), s3l = Vector256.Create(-128 * c3.Sum[b]);
            Vector256<int> s0h = s0l, s1h = s1l, s2h = s2l, s3h = s3l;
            for (int c = 0; c < 8; c++)
            {
                Vector256<byte> wl = Vector256.Load(codes + 64 * c), wh = Vector256.Load(codes + 64 * c + 32);
                Vector256<sbyte> b0 = Bcast(x0 + 4 * c), b1 = Bcast(x1 + 4 * c), b2 = Bcast(x2 + 4 * c), b3 = Bcast(x3 + 4 * c);
                s0l = AvxVnni.MultiplyWideningAndAdd(s0l, wl, b0); s0h = AvxVnni.MultiplyWideningAndAdd(s0h, wh, b0);
                s1l = AvxVnni.MultiplyWideningAndAdd(s1l, wl, b1); s1h = AvxVnni.MultiplyWideningAndAdd(s1h, wh, b1);
                s2l = AvxVnni.MultiplyWideningAndAdd(s2l, wl, b2); s2h = AvxVnni.MultiplyWideningAndAdd(s2h, wh, b2);
                s3l = AvxVnni.MultiplyWideningAndAdd(s3l, wl, b3); s3h = AvxVnni.MultiplyWideningAndAdd(s3h, wh, b3);
            }
            Vector256<float> dl = Fp16.Load8(sb), dh = Fp16.Load8(sb + 16);
            Vector256<float> d0 = Vector256.Create(c0.D[b]), d1 = Vector256.Create(c1.D[b]), d2 = Vector256.Create(c2.D[b]), d3 = Vector256.Create(c3.D[b]);
            f0l = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s0l), dl * d0, f0l); f0h = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s0h), dh * d0, f0h);
            f1l = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s1l), dl * d1, f1l); f1h = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s1h), dh * d1, f1h);
            f2l = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s2l), dl * d2, f2l); f2h = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s2h), dh * d2, f2h);
            f3l = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s3l), dl * d3, f3l); f3h = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s3h), dh * d3, f3h);
        }
        f0l.Store(y); f0h.Store(y + 8);
        f1l.Store(y + yStride); f1h.Store(y + yStride + 8);
        f2l.Store(y + 2 * yStride); f2h.Store(y + 2 * yStride + 8);
        f3l.Store(y + 3 * yStride); f3h.Store(y + 3 * yStride + 8);
    }
}

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
}

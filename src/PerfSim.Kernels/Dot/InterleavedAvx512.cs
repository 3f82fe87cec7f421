using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// AVX-512 kernels on the <see cref="WeightLayout.Interleaved16"/> layout: one 64-byte load is a 4-byte chunk of all
/// 16 rows, the activation chunk is broadcast to every lane, and int32 lane r accumulates row r, so there is no
/// horizontal reduction and one scale conversion (16 fp16 → fp32 in 4 ops) serves 16 rows. .NET 10 exposes no
/// 512-bit VNNI, so q4_0 multiplies with vpmaddubsw (unsigned nibbles × signed activations; eight products of at most
/// 2·15·127 sum safely in int16) and one vpmaddwd per block.
/// </summary>
internal static unsafe class InterleavedAvx512
{
    private const int Q4Superblock = 576;

    /// <summary>
    /// Software prefetch distance of the q4_0 GEMV: 4 superblocks (2304 bytes) ahead in each stream. Measured on
    /// DRAM-resident weights with the pair kernel, 1 thread, rate per thread-CPU-second (which a loaded host does not
    /// distort), interleaved A/B in one process against the probe loop: 0.77 of the probe without, 0.82 at 1152 bytes,
    /// 0.89–0.94 at 2304, 0.90 at 3456, 0.86 at 4608, 0.81 at 6912 (the old distance). Prefetches past the end of the
    /// buffer are harmless (they never fault).
    /// </summary>
    internal const int Q4PrefetchDistance = 4 * Q4Superblock;

    /// <summary>Prefetches the 9 cache lines of the superblock at p (unrolled: a loop here cost ~36 instructions per superblock).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchQ4Superblock(byte* p)
    {
        Sse.Prefetch0(p); Sse.Prefetch0(p + 64); Sse.Prefetch0(p + 128); Sse.Prefetch0(p + 192); Sse.Prefetch0(p + 256);
        Sse.Prefetch0(p + 320); Sse.Prefetch0(p + 384); Sse.Prefetch0(p + 448); Sse.Prefetch0(p + 512);
    }

    /// <summary>Σ u·x over one q4_0 block of 16 rows (raw nibbles, no −8 correction): int32 lane r = row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> BlockQ4(byte* codes, sbyte* x)
    {
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        Vector512<byte> v0 = Vector512.Load(codes), v1 = Vector512.Load(codes + 64), v2 = Vector512.Load(codes + 128), v3 = Vector512.Load(codes + 192);
        Vector512<short> p0 = Avx512BW.MultiplyAddAdjacent(v0 & mask, Vector512.Create(*(int*)x).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(v1 & mask, Vector512.Create(*(int*)(x + 4)).AsSByte());
        Vector512<short> p1 = Avx512BW.MultiplyAddAdjacent(v2 & mask, Vector512.Create(*(int*)(x + 8)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(v3 & mask, Vector512.Create(*(int*)(x + 12)).AsSByte());
        Vector512<short> p2 = Avx512BW.MultiplyAddAdjacent((v0.AsUInt16() >> 4).AsByte() & mask, Vector512.Create(*(int*)(x + 16)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent((v1.AsUInt16() >> 4).AsByte() & mask, Vector512.Create(*(int*)(x + 20)).AsSByte());
        Vector512<short> p3 = Avx512BW.MultiplyAddAdjacent((v2.AsUInt16() >> 4).AsByte() & mask, Vector512.Create(*(int*)(x + 24)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent((v3.AsUInt16() >> 4).AsByte() & mask, Vector512.Create(*(int*)(x + 28)).AsSByte());
        return Avx512BW.MultiplyAddAdjacent((p0 + p1) + (p2 + p3), Vector512.Create((short)1));
    }

    /// <summary>y[0..16) = the 16 rows of one q4_0 group · activation (nb blocks, even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ4(byte* group, ActCol a, int nb, float* y)
    {
        Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
        byte* sb = group;
        for (int b = 0; b < nb; b += 2, sb += Q4Superblock)
        {
            PrefetchQ4Superblock(sb + Q4PrefetchDistance);
            Vector512<float> d0 = Fp16.Load16(sb) * Vector512.Create(a.D[b]);
            Vector512<float> d1 = Fp16.Load16(sb + 32) * Vector512.Create(a.D[b + 1]);
            Vector512<int> s0 = BlockQ4(sb + 64, a.Qs + b * 32) - Vector512.Create(8 * a.Sum[b]);
            Vector512<int> s1 = BlockQ4(sb + 320, a.Qs + b * 32 + 32) - Vector512.Create(8 * a.Sum[b + 1]);
            acc0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(s0), d0, acc0);
            acc1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(s1), d1, acc1);
        }
        (acc0 + acc1).Store(y);
    }

    /// <summary>
    /// Σ u·x over one q4_0 block of two 16-row groups at once: each activation broadcast serves both groups. The int16
    /// partial sums are the same 8 products per lane as <see cref="BlockQ4"/>'s (integers: the order does not matter).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockQ4Pair(byte* c0, byte* c1, sbyte* x, out Vector512<int> s0, out Vector512<int> s1)
    {
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        Vector512<short> p0 = Vector512<short>.Zero, p1 = Vector512<short>.Zero;
        for (int j = 0; j < 4; j++)
        {
            Vector512<byte> v0 = Vector512.Load(c0 + 64 * j), v1 = Vector512.Load(c1 + 64 * j);
            Vector512<sbyte> xl = Vector512.Create(*(int*)(x + 4 * j)).AsSByte(), xh = Vector512.Create(*(int*)(x + 16 + 4 * j)).AsSByte();
            p0 += Avx512BW.MultiplyAddAdjacent(v0 & mask, xl) + Avx512BW.MultiplyAddAdjacent((v0.AsUInt16() >> 4).AsByte() & mask, xh);
            p1 += Avx512BW.MultiplyAddAdjacent(v1 & mask, xl) + Avx512BW.MultiplyAddAdjacent((v1.AsUInt16() >> 4).AsByte() & mask, xh);
        }
        s0 = Avx512BW.MultiplyAddAdjacent(p0, Vector512.Create((short)1));
        s1 = Avx512BW.MultiplyAddAdjacent(p1, Vector512.Create((short)1));
    }

    /// <summary>
    /// Two q4_0 groups (g0, g1: 32 rows) in one pass over the activation; each group's results are bit-identical to
    /// <see cref="GemvQ4"/>'s (same integer sums, same float operations in the same order). Why: on DRAM-resident
    /// weights one core overlapped almost none of its compute with its reads (rate ≈ 1 / (1/hot + 1/probe)); sharing
    /// the activation broadcasts between two groups cuts the instructions per weight byte and gives the prefetchers two
    /// streams. Measured (1 thread, per thread-CPU-second, A/B in one process): 0.81 → 0.98–1.03 of the probe loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ4Pair(byte* g0, byte* g1, ActCol a, int nb, float* y0, float* y1)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero;
        long off = 0;
        for (int b = 0; b < nb; b += 2, off += Q4Superblock)
        {
            byte* s = g0 + off, t = g1 + off;
            PrefetchQ4Superblock(s + Q4PrefetchDistance);
            PrefetchQ4Superblock(t + Q4PrefetchDistance);
            Vector512<float> dx0 = Vector512.Create(a.D[b]), dx1 = Vector512.Create(a.D[b + 1]);
            Vector512<int> c0 = Vector512.Create(8 * a.Sum[b]), c1 = Vector512.Create(8 * a.Sum[b + 1]);
            BlockQ4Pair(s + 64, t + 64, a.Qs + b * 32, out Vector512<int> sa, out Vector512<int> sb);
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sa - c0), Fp16.Load16(s) * dx0, a0);
            b0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sb - c0), Fp16.Load16(t) * dx0, b0);
            BlockQ4Pair(s + 320, t + 320, a.Qs + b * 32 + 32, out sa, out sb);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sa - c1), Fp16.Load16(s + 32) * dx1, a1);
            b1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sb - c1), Fp16.Load16(t + 32) * dx1, b1);
        }
        (a0 + a1).Store(y0);
        (b0 + b1).Store(y1);
    }

    /// <summary>
    /// GEMM tile: 16 rows of one q4_0 group × 4 activation columns. The nibbles of a block are unpacked once and
    /// serve 4 columns. y points at row 0 of column 0; column c's 16 results go to y + c·yStride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileQ4x4(byte* group, ActCol c0, ActCol c1, ActCol c2, ActCol c3, int nb, float* y, long yStride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        byte* sb = group;
        for (int b = 0; b < nb; b++)
        {
            if (b > 0 && (b & 1) == 0) sb += Q4Superblock;
            byte* codes = sb + 64 + (b & 1) * 256;
            Vector512<float> dw = Fp16.Load16(sb + (b & 1) * 32);
            Vector512<byte> w0 = Vector512.Load(codes), w1 = Vector512.Load(codes + 64), w2 = Vector512.Load(codes + 128), w3 = Vector512.Load(codes + 192);
            Vector512<byte> l0 = w0 & mask, l1 = w1 & mask, l2 = w2 & mask, l3 = w3 & mask;
            Vector512<byte> h0 = (w0.AsUInt16() >> 4).AsByte() & mask, h1 = (w1.AsUInt16() >> 4).AsByte() & mask;
            Vector512<byte> h2 = (w2.AsUInt16() >> 4).AsByte() & mask, h3 = (w3.AsUInt16() >> 4).AsByte() & mask;
            int xo = b * 32;
            a0 = StepQ4(l0, l1, l2, l3, h0, h1, h2, h3, c0.Qs + xo, c0.Sum[b], dw * Vector512.Create(c0.D[b]), a0);
            a1 = StepQ4(l0, l1, l2, l3, h0, h1, h2, h3, c1.Qs + xo, c1.Sum[b], dw * Vector512.Create(c1.D[b]), a1);
            a2 = StepQ4(l0, l1, l2, l3, h0, h1, h2, h3, c2.Qs + xo, c2.Sum[b], dw * Vector512.Create(c2.D[b]), a2);
            a3 = StepQ4(l0, l1, l2, l3, h0, h1, h2, h3, c3.Qs + xo, c3.Sum[b], dw * Vector512.Create(c3.D[b]), a3);
        }
        a0.Store(y); a1.Store(y + yStride); a2.Store(y + 2 * yStride); a3.Store(y + 3 * yStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StepQ4(Vector512<byte> l0, Vector512<byte> l1, Vector512<byte> l2, Vector512<byte> l3,
        Vector512<byte> h0, Vector512<byte> h1, Vector512<byte> h2, Vector512<byte> h3, sbyte* x, int sum, Vector512<float> d, Vector512<float> acc)
    {
        Vector512<short> p0 = Avx512BW.MultiplyAddAdjacent(l0, Vector512.Create(*(int*)x).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(l1, Vector512.Create(*(int*)(x + 4)).AsSByte());
        Vector512<short> p1 = Avx512BW.MultiplyAddAdjacent(l2, Vector512.Create(*(int*)(x + 8)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(l3, Vector512.Create(*(int*)(x + 12)).AsSByte());
        Vector512<short> p2 = Avx512BW.MultiplyAddAdjacent(h0, Vector512.Create(*(int*)(x + 16)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(h1, Vector512.Create(*(int*)(x + 20)).AsSByte());
        Vector512<short> p3 = Avx512BW.MultiplyAddAdjacent(h2, Vector512.Create(*(int*)(x + 24)).AsSByte())
                            + Avx512BW.MultiplyAddAdjacent(h3, Vector512.Create(*(int*)(x + 28)).AsSByte());
        Vector512<int> s = Avx512BW.MultiplyAddAdjacent((p0 + p1) + (p2 + p3), Vector512.Create((short)1)) - Vector512.Create(8 * sum);
        return Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(s), d, acc);
    }
}

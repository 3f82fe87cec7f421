using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// AVX2 path, one 32-value block per 256-bit vector. int8×int8 uses GGML's sign trick
/// (|w| as unsigned × sign-adjusted x through vpmaddubsw, then vpmaddwd with ones); q4_0 feeds the
/// unsigned nibbles directly and subtracts 8·Σx per block afterwards.
/// </summary>
internal static unsafe class DotAvx2
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> MulQ8(Vector256<sbyte> w, Vector256<sbyte> x)
    {
        Vector256<short> p = Avx2.MultiplyAddAdjacent(Avx2.Abs(w), Avx2.Sign(x, w));
        return Avx2.MultiplyAddAdjacent(p, Vector256.Create((short)1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> MulQ4(byte* qs, sbyte* x)
    {
        Vector128<byte> v = Vector128.Load(qs);
        Vector256<byte> u = Vector256.Create(v, Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte()) & Vector256.Create((byte)0x0F);
        Vector256<short> p = Avx2.MultiplyAddAdjacent(u, Vector256.Load(x));
        return Avx2.MultiplyAddAdjacent(p, Vector256.Create((short)1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ8(byte* w, ActCol a, int nb)
    {
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        int b = 0;
        for (; b + 1 < nb; b += 2)
        {
            byte* b0 = w + b * 34;
            Vector256<int> s0 = MulQ8(Vector256.Load((sbyte*)(b0 + 2)), Vector256.Load(a.Qs + b * 32));
            Vector256<int> s1 = MulQ8(Vector256.Load((sbyte*)(b0 + 36)), Vector256.Load(a.Qs + b * 32 + 32));
            acc0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s0), Vector256.Create(Fp16.ScaleToSingle(*(ushort*)b0) * a.D[b]), acc0);
            acc1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s1), Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(b0 + 34)) * a.D[b + 1]), acc1);
        }
        for (; b < nb; b++)
        {
            byte* b0 = w + b * 34;
            Vector256<int> s0 = MulQ8(Vector256.Load((sbyte*)(b0 + 2)), Vector256.Load(a.Qs + b * 32));
            acc0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(s0), Vector256.Create(Fp16.ScaleToSingle(*(ushort*)b0) * a.D[b]), acc0);
        }
        return Vector256.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ4(byte* w, ActCol a, int nb)
    {
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        float corr = 0f;
        int b = 0;
        for (; b + 1 < nb; b += 2)
        {
            byte* b0 = w + b * 18;
            float d0 = Fp16.ScaleToSingle(*(ushort*)b0) * a.D[b];
            float d1 = Fp16.ScaleToSingle(*(ushort*)(b0 + 18)) * a.D[b + 1];
            acc0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(MulQ4(b0 + 2, a.Qs + b * 32)), Vector256.Create(d0), acc0);
            acc1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(MulQ4(b0 + 20, a.Qs + b * 32 + 32)), Vector256.Create(d1), acc1);
            corr += d0 * a.Sum[b] + d1 * a.Sum[b + 1];
        }
        for (; b < nb; b++)
        {
            byte* b0 = w + b * 18;
            float d0 = Fp16.ScaleToSingle(*(ushort*)b0) * a.D[b];
            acc0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(MulQ4(b0 + 2, a.Qs + b * 32)), Vector256.Create(d0), acc0);
            corr += d0 * a.Sum[b];
        }
        return Vector256.Sum(acc0 + acc1) - 8f * corr;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotF16(byte* w, ActCol a, int k)
    {
        ushort* h = (ushort*)w;
        float* x = a.X;
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        for (int j = 0; j < k; j += 16)
        {
            acc0 = Fma.MultiplyAdd(Fp16.Load8(h + j), Vector256.Load(x + j), acc0);
            acc1 = Fma.MultiplyAdd(Fp16.Load8(h + j + 8), Vector256.Load(x + j + 8), acc1);
        }
        return Vector256.Sum(acc0 + acc1);
    }

    /// <summary>
    /// Four q8_0 rows against one activation: each activation load serves 4 rows (4 independent FMA chains).
    /// With k = 14336 the 14 KiB activation is evicted from L1 by the streaming weights; sharing loads cuts that refill traffic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotQ8Rows4(byte* w0, long rowBytes, ActCol a, int nb, float* y)
    {
        byte* w1 = w0 + rowBytes, w2 = w0 + 2 * rowBytes, w3 = w0 + 3 * rowBytes;
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero, acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
        for (int b = 0; b < nb; b++)
        {
            long o = b * 34L;
            Vector256<sbyte> x = Vector256.Load(a.Qs + b * 32);
            float dx = a.D[b];
            Vector256<float> f0 = Avx.ConvertToVector256Single(MulQ8(Vector256.Load((sbyte*)(w0 + o + 2)), x));
            Vector256<float> f1 = Avx.ConvertToVector256Single(MulQ8(Vector256.Load((sbyte*)(w1 + o + 2)), x));
            Vector256<float> f2 = Avx.ConvertToVector256Single(MulQ8(Vector256.Load((sbyte*)(w2 + o + 2)), x));
            Vector256<float> f3 = Avx.ConvertToVector256Single(MulQ8(Vector256.Load((sbyte*)(w3 + o + 2)), x));
            acc0 = Fma.MultiplyAdd(f0, Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(w0 + o)) * dx), acc0);
            acc1 = Fma.MultiplyAdd(f1, Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(w1 + o)) * dx), acc1);
            acc2 = Fma.MultiplyAdd(f2, Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(w2 + o)) * dx), acc2);
            acc3 = Fma.MultiplyAdd(f3, Vector256.Create(Fp16.ScaleToSingle(*(ushort*)(w3 + o)) * dx), acc3);
        }
        y[0] = Vector256.Sum(acc0); y[1] = Vector256.Sum(acc1); y[2] = Vector256.Sum(acc2); y[3] = Vector256.Sum(acc3);
    }
}

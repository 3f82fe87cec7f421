using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// Portable 128-bit path (x86 SSE or Arm AdvSimd) using only cross-platform Vector128 operations:
/// int8 codes are widened to int16, multiplied (|q·x| ≤ 127·127 fits), and widened again to int32.
/// </summary>
internal static unsafe class DotVector128
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> MulAdd16(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        (Vector128<short> a0, Vector128<short> a1) = Vector128.Widen(a);
        (Vector128<short> b0, Vector128<short> b1) = Vector128.Widen(b);
        Vector128<short> p = a0 * b0;
        Vector128<short> q = a1 * b1;
        (Vector128<int> p0, Vector128<int> p1) = Vector128.Widen(p);
        (Vector128<int> q0, Vector128<int> q1) = Vector128.Widen(q);
        return (p0 + p1) + (q0 + q1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ8(byte* w, ActCol a, int nb)
    {
        Vector128<float> acc = Vector128<float>.Zero;
        for (int b = 0; b < nb; b++)
        {
            byte* blk = w + b * BlockQ8_0.BytesPerBlock;
            sbyte* x = a.Qs + b * 32;
            Vector128<int> s = MulAdd16(Vector128.Load((sbyte*)(blk + 2)), Vector128.Load(x))
                             + MulAdd16(Vector128.Load((sbyte*)(blk + 18)), Vector128.Load(x + 16));
            float d = Fp16.ScaleToSingle(*(ushort*)blk) * a.D[b];
            acc = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(s), Vector128.Create(d), acc);
        }
        return Vector128.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ4(byte* w, ActCol a, int nb)
    {
        Vector128<float> acc = Vector128<float>.Zero;
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        Vector128<sbyte> eight = Vector128.Create((sbyte)8);
        for (int b = 0; b < nb; b++)
        {
            byte* blk = w + b * BlockQ4_0.BytesPerBlock;
            Vector128<byte> v = Vector128.Load(blk + 2);
            Vector128<sbyte> lo = (v & mask).AsSByte() - eight;
            Vector128<sbyte> hi = Vector128.ShiftRightLogical(v, 4).AsSByte() - eight;
            sbyte* x = a.Qs + b * 32;
            Vector128<int> s = MulAdd16(lo, Vector128.Load(x)) + MulAdd16(hi, Vector128.Load(x + 16));
            float d = Fp16.ScaleToSingle(*(ushort*)blk) * a.D[b];
            acc = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(s), Vector128.Create(d), acc);
        }
        return Vector128.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotF16(byte* w, ActCol a, int k)
    {
        ushort* h = (ushort*)w;
        float* x = a.X;
        Vector128<float> acc0 = Vector128<float>.Zero, acc1 = Vector128<float>.Zero;
        for (int j = 0; j < k; j += 8)
        {
            (Vector128<uint> h0, Vector128<uint> h1) = Vector128.Widen(Vector128.Load(h + j));
            acc0 = Vector128.FusedMultiplyAdd(Fp16.ToSingle(h0.AsInt32()), Vector128.Load(x + j), acc0);
            acc1 = Vector128.FusedMultiplyAdd(Fp16.ToSingle(h1.AsInt32()), Vector128.Load(x + j + 4), acc1);
        }
        return Vector128.Sum(acc0 + acc1);
    }
}

using System.Runtime.CompilerServices;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// Straight transcription of GGML's reference dot products. This is the test oracle for every SIMD path,
/// so it stays deliberately simple: per block, an exact int32 sum scaled by d_w·d_x, accumulated in fp32.
/// </summary>
internal static unsafe class DotScalar
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ8(byte* w, ActCol a, int nb)
    {
        float sum = 0f;
        for (int b = 0; b < nb; b++)
        {
            byte* blk = w + b * BlockQ8_0.BytesPerBlock;
            sbyte* q = (sbyte*)(blk + 2);
            sbyte* x = a.Qs + b * 32;
            int s = 0;
            for (int j = 0; j < 32; j++) s += q[j] * x[j];
            sum += s * (Fp16.ScaleToSingle(*(ushort*)blk) * a.D[b]);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotQ4(byte* w, ActCol a, int nb)
    {
        float sum = 0f;
        for (int b = 0; b < nb; b++)
        {
            byte* blk = w + b * BlockQ4_0.BytesPerBlock;
            byte* q = blk + 2;
            sbyte* x = a.Qs + b * 32;
            int s = 0;
            for (int j = 0; j < 16; j++)
                s += ((q[j] & 0x0F) - 8) * x[j] + ((q[j] >> 4) - 8) * x[j + 16];
            sum += s * (Fp16.ScaleToSingle(*(ushort*)blk) * a.D[b]);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float DotF16(byte* w, ActCol a, int k)
    {
        ushort* h = (ushort*)w;
        float sum = 0f;
        for (int j = 0; j < k; j++) sum += Fp16.ToSingle(h[j]) * a.X[j];
        return sum;
    }
}

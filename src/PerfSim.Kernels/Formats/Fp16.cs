using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PerfSim.Kernels.Formats;

/// <summary>
/// IEEE binary16 conversion. .NET 10 exposes no F16C intrinsics, so the vector paths use an exact
/// bit trick: shift the exponent/mantissa into float32 position and rescale by 2^112. It is exact for
/// normals, subnormals and zeros; Inf/NaN (never produced by quantization scales) are not preserved.
/// </summary>
public static class Fp16
{
    private const float Rescale = 5.192296858534828e33f; // 2^112

    /// <summary>Exact conversion including Inf/NaN (used by dequantization).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>
    /// Branch-free conversion for block scales in kernels (.NET's Half→float is an out-of-line call).
    /// Exact for all finite values; Inf/NaN are not preserved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScaleToSingle(ushort bits)
    {
        float mag = BitConverter.UInt32BitsToSingle((bits & 0x7FFFu) << 13) * Rescale;
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(mag) | ((bits & 0x8000u) << 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Rounds through fp16 and back, as GGML does when it stores a block scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RoundTrip(float value) => (float)(Half)value;

    /// <summary>Converts half bits held in the low 16 bits of each int32 lane to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<int> h)
    {
        Vector512<int> em = (h & Vector512.Create(0x7FFF)) << 13;
        Vector512<int> sign = (h & Vector512.Create(0x8000)) << 16;
        Vector512<float> mag = em.AsSingle() * Vector512.Create(Rescale);
        return (mag.AsInt32() | sign).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<int> h)
    {
        Vector256<int> em = (h & Vector256.Create(0x7FFF)) << 13;
        Vector256<int> sign = (h & Vector256.Create(0x8000)) << 16;
        Vector256<float> mag = em.AsSingle() * Vector256.Create(Rescale);
        return (mag.AsInt32() | sign).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ToSingle(Vector128<int> h)
    {
        Vector128<int> em = (h & Vector128.Create(0x7FFF)) << 13;
        Vector128<int> sign = (h & Vector128.Create(0x8000)) << 16;
        Vector128<float> mag = em.AsSingle() * Vector128.Create(Rescale);
        return (mag.AsInt32() | sign).AsSingle();
    }
}

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

    /// <summary>
    /// <see cref="RoundTrip"/> for a non-negative scale, inline and branch-light: .NET's Half conversions are two calls,
    /// about 5 ns per block scale, a fifth of quantizing an activation. Bit-exact with RoundTrip (round to nearest
    /// even): half subnormals round to multiples of 2⁻²⁴ by adding and removing 0.5 (whose ulp is 2⁻²⁴), normals drop
    /// 13 mantissa bits with a carry that may step the exponent, and what would overflow goes the slow way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RoundTripScale(float value)
    {
        if (value < 6.103515625e-05f) return value + 0.5f - 0.5f;   // below 2^-14: half subnormal (or zero)
        if (value >= 65520f || float.IsNaN(value)) return RoundTrip(value);
        uint b = BitConverter.SingleToUInt32Bits(value);
        b += 0xFFFu + ((b >> 13) & 1);
        return BitConverter.UInt32BitsToSingle(b & ~0x1FFFu);
    }

    // Exact fp16 → fp32 for finite values in 4 vector ops: put the half in the top 16 bits, arithmetic-shift it down so
    // exponent and mantissa land in fp32 position (the sign bit is smeared over bits 28–31), keep sign + exponent +
    // mantissa, and rescale the exponent bias by 2^112 with one multiply (which also normalizes fp16 subnormals).
    // The older bit trick took 6 ops plus the widening (separate masks and shifts for sign and magnitude).
    private const int KeepSignExpMantissa = unchecked((int)0x8FFFE000);

    /// <summary>Converts half bits held in the low 16 bits of each int32 lane (zero- or sign-extended) to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<int> h) =>
        (((h << 16) >> 3) & Vector512.Create(KeepSignExpMantissa)).AsSingle() * Vector512.Create(Rescale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<int> h) =>
        (((h << 16) >> 3) & Vector256.Create(KeepSignExpMantissa)).AsSingle() * Vector256.Create(Rescale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ToSingle(Vector128<int> h) =>
        (((h << 16) >> 3) & Vector128.Create(KeepSignExpMantissa)).AsSingle() * Vector128.Create(Rescale);

    /// <summary>
    /// Same for halves already sign-extended to int32 (vpmovsxwd): bits 28–31 already hold the sign, so one shift is
    /// enough (3 ops after the widening load).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SignExtendedToSingle(Vector512<int> h) =>
        ((h << 13) & Vector512.Create(KeepSignExpMantissa)).AsSingle() * Vector512.Create(Rescale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SignExtendedToSingle(Vector256<int> h) =>
        ((h << 13) & Vector256.Create(KeepSignExpMantissa)).AsSingle() * Vector256.Create(Rescale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SignExtendedToSingle(Vector128<int> h) =>
        ((h << 13) & Vector128.Create(KeepSignExpMantissa)).AsSingle() * Vector128.Create(Rescale);

    /// <summary>16 halves at p (any alignment) to fp32: one sign-extending widen + 3 ops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Load16(void* p) =>
        SignExtendedToSingle(System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)));

    /// <summary>8 halves at p to fp32 (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Load8(void* p) =>
        SignExtendedToSingle(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32((short*)p));
}

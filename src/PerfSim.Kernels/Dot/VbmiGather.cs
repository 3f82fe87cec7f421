using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// AVX-512 VBMI byte permutes that pull a group of ggml blocks apart in registers: two overlapping 64-byte
/// loads plus one vpermt2b yield all the int8/nibble codes of the group, and one vpermb places each fp16 scale
/// in the upper half of the int32 lanes that need it. This replaces 4 loads + 3 inserts for the codes and
/// 4 scalar loads + 3 vpinsrd + a lane permute for the scales, which dominated the q4_0 loop.
/// </summary>
internal static class VbmiGather
{
    public static bool IsSupported => Avx512Vbmi.IsSupported;

    /// <summary>q4_0 quad (4 blocks, 72 bytes): codes from A=blk[0..64) and B=blk[8..72).</summary>
    public static readonly Vector512<byte> Q4QuadCodes = Build(i =>
    {
        int src = 18 * (i / 16) + 2 + i % 16;
        return src < 64 ? src : 64 + src - 8;
    });

    /// <summary>q4_0 quad scales: int32 lane L holds block L/4's fp16 bits in its upper 16 bits.</summary>
    public static readonly Vector512<byte> Q4QuadScales = Build(i => (i % 4) switch
    {
        2 => 18 * (i / 16),
        3 => 18 * (i / 16) + 1,
        _ => 0,
    });

    private static Vector512<byte> Build(Func<int, int> f)
    {
        var b = new byte[64];
        for (int i = 0; i < 64; i++) b[i] = (byte)f(i);
        return Vector512.Create(b);
    }

    /// <summary>fp16 bits in the upper half of each int32 lane → fp32 (exact for finite values; see <see cref="Formats.Fp16"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HalfHighToSingle(Vector512<uint> v)
    {
        Vector512<uint> em = (v >> 3) & Vector512.Create(0x0FFFE000u);
        Vector512<float> mag = em.AsSingle() * Vector512.Create(5.192296858534828e33f);
        return (mag.AsUInt32() | (v & Vector512.Create(0x80000000u))).AsSingle();
    }
}

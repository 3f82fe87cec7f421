using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>Picks the row-dot function for a (format, path) pair once per call, not once per row.</summary>
internal static unsafe class DotKernels
{
    /// <summary>Row dot: weights of one row, one activation column, and the block count (or k for f16).</summary>
    public static delegate*<byte*, ActCol, int, float> Select(QuantFormat format, KernelPath path) => (format, path) switch
    {
        (QuantFormat.Q8_0, KernelPath.Scalar) => &DotScalar.DotQ8,
        (QuantFormat.Q8_0, KernelPath.Vector128) => &DotVector128.DotQ8,
        (QuantFormat.Q8_0, KernelPath.Avx2) => &DotAvx2.DotQ8,
        // Measured: the 256-bit q8_0 kernel streams faster than 512-bit variants on Zen 4 (see DotAvx512).
        (QuantFormat.Q8_0, KernelPath.Avx512) => &DotAvx2.DotQ8,
        (QuantFormat.Q4_0, KernelPath.Scalar) => &DotScalar.DotQ4,
        (QuantFormat.Q4_0, KernelPath.Vector128) => &DotVector128.DotQ4,
        (QuantFormat.Q4_0, KernelPath.Avx2) => &DotAvx2.DotQ4,
        (QuantFormat.Q4_0, KernelPath.Avx512) => &DotAvx512.DotQ4,
        (QuantFormat.F16, KernelPath.Scalar) => &DotScalar.DotF16,
        (QuantFormat.F16, KernelPath.Vector128) => &DotVector128.DotF16,
        (QuantFormat.F16, KernelPath.Avx2) => &DotAvx2.DotF16,
        (QuantFormat.F16, KernelPath.Avx512) => &DotAvx512.DotF16,
        _ => throw new NotSupportedException($"No {path} kernel for format {format}."),
    };

    /// <summary>4-column GEMM tile, or null when the path has none (then columns are done one by one).</summary>
    public static delegate*<byte*, ActCol, ActCol, ActCol, ActCol, int, float*, long, void> SelectTile(QuantFormat format, KernelPath path) =>
        path != KernelPath.Avx512 ? null : format switch
        {
            QuantFormat.Q8_0 => &TileAvx512.DotQ8x4,
            QuantFormat.Q4_0 => &TileAvx512.DotQ4x4,
            QuantFormat.F16 => &TileAvx512.DotF16x4,
            _ => null,
        };

    /// <summary>The length argument the row dot expects: blocks for block formats, values for f16.</summary>
    public static int Length(QuantFormat format, int k) => format == QuantFormat.F16 ? k : k / 32;

    /// <summary>
    /// Interleaved-layout GEMV kernel: 16 rows of one group → y[0..16). q8_0 on the AVX-512 path uses the 256-bit
    /// kernel: .NET 10 has no 512-bit VNNI, and 512-bit vpmaddubsw cannot take offset-binary codes (255·127 pairs
    /// saturate int16) nor has a vpsignb for ggml's sign trick.
    /// </summary>
    public static delegate*<byte*, ActCol, int, float*, void> SelectGroup(QuantFormat format, KernelPath path) => (format, path) switch
    {
        (QuantFormat.Q4_0, KernelPath.Scalar) => &InterleavedPortable.GemvQ4Scalar,
        (QuantFormat.Q4_0, KernelPath.Vector128) => &InterleavedPortable.GemvQ4Vector128,
        (QuantFormat.Q4_0, KernelPath.Avx2) => &InterleavedAvx2.GemvQ4,
        (QuantFormat.Q4_0, KernelPath.Avx512) => &InterleavedAvx512.GemvQ4,
        (QuantFormat.Q8_0, KernelPath.Scalar) => &InterleavedPortable.GemvQ8Scalar,
        (QuantFormat.Q8_0, KernelPath.Vector128) => &InterleavedPortable.GemvQ8Vector128,
        (QuantFormat.Q8_0, KernelPath.Avx2) => &InterleavedAvx2.GemvQ8,
        (QuantFormat.Q8_0, KernelPath.Avx512) => &InterleavedAvx2.GemvQ8,
        _ => throw new NotSupportedException($"No {path} interleaved kernel for format {format}."),
    };

    /// <summary>
    /// Interleaved-layout GEMV kernel for two groups per pass (32 rows → y0[0..16), y1[0..16)), bit-identical to two
    /// calls of <see cref="SelectGroup"/>'s kernel, or null where the path has none (then groups go one by one).
    /// </summary>
    public static delegate*<byte*, byte*, ActCol, int, float*, float*, void> SelectGroupPair(QuantFormat format, KernelPath path) =>
        (format, path) switch
        {
            (QuantFormat.Q4_0, KernelPath.Avx512) => &InterleavedAvx512.GemvQ4Pair,
            (QuantFormat.Q8_0, KernelPath.Avx512 or KernelPath.Avx2) when AvxVnni.IsSupported => &InterleavedAvx2.GemvQ8PairVnni,
            _ => null,
        };

    /// <summary>Interleaved-layout GEMM tile (16 rows × 4 columns), or null: then columns go one by one through the GEMV kernel.</summary>
    public static delegate*<byte*, ActCol, ActCol, ActCol, ActCol, int, float*, long, void> SelectGroupTile(QuantFormat format, KernelPath path) =>
        (format, path) switch
        {
            (QuantFormat.Q4_0, KernelPath.Avx512) => &InterleavedAvx512.TileQ4x4,
            // vpdpbusd: 32 multiply-adds per instruction; .NET 10 has no 512-bit VNNI, so the AVX-512 path uses it too.
            (QuantFormat.Q8_0, KernelPath.Avx512 or KernelPath.Avx2) when AvxVnni.IsSupported => &InterleavedAvx2.TileQ8x4Vnni,
            _ => null,
        };
}

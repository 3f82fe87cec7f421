using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PerfSim.Kernels;

/// <summary>SIMD code path of a kernel. <see cref="Auto"/> picks the widest one the host supports.</summary>
public enum KernelPath
{
    Auto = 0,
    Scalar,
    Vector128,
    Avx2,
    Avx512,
}

/// <summary>Run-time detection of which <see cref="KernelPath"/>s this host can execute.</summary>
public static class KernelPaths
{
    /// <summary>Portable 128-bit path (SSE on x86, AdvSimd on Arm).</summary>
    public static bool Vector128Supported => Vector128.IsHardwareAccelerated;

    public static bool Avx2Supported => Avx2.IsSupported && Fma.IsSupported;

    // AVX-512BW gives the 512-bit byte multiply-add (vpmaddubsw) the int8 kernels need.
    public static bool Avx512Supported => Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Auto or KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128Supported,
        KernelPath.Avx2 => Avx2Supported,
        KernelPath.Avx512 => Avx512Supported,
        _ => false,
    };

    /// <summary>The widest path this host supports.</summary>
    public static KernelPath Best =>
        Avx512Supported ? KernelPath.Avx512 :
        Avx2Supported ? KernelPath.Avx2 :
        Vector128Supported ? KernelPath.Vector128 : KernelPath.Scalar;

    /// <summary>Every concrete path (not Auto) this host supports, narrowest first.</summary>
    public static IReadOnlyList<KernelPath> Supported { get; } =
        new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Avx2, KernelPath.Avx512 }.Where(IsSupported).ToArray();

    /// <summary>Maps Auto to <see cref="Best"/> and rejects paths the host cannot run.</summary>
    public static KernelPath Resolve(KernelPath path)
    {
        if (path == KernelPath.Auto) return Best;
        if (!IsSupported(path))
            throw new PlatformNotSupportedException($"Kernel path {path} is not supported on this host.");
        return path;
    }
}

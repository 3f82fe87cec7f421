using System.Runtime.InteropServices;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// Single-row dot products on ggml-format spans. Convenient for tests and one-off use; the matrix
/// kernels in <see cref="MatMul.MatMul"/> avoid the per-call activation preparation done here.
/// </summary>
public static unsafe class QuantDot
{
    /// <summary>Σ w·x for q8_0 weight blocks and q8_0 activation blocks of equal length.</summary>
    public static float DotQ8_0Q8_0(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activationQ8, KernelPath path = KernelPath.Auto) =>
        DotBlocks(QuantFormat.Q8_0, weights, activationQ8, path);

    /// <summary>Σ w·x for q4_0 weight blocks and q8_0 activation blocks covering the same values.</summary>
    public static float DotQ4_0Q8_0(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activationQ8, KernelPath path = KernelPath.Auto) =>
        DotBlocks(QuantFormat.Q4_0, weights, activationQ8, path);

    /// <summary>Σ w·x for fp16 weights and fp32 activations (length a multiple of 32).</summary>
    public static float DotF16F32(ReadOnlySpan<Half> weights, ReadOnlySpan<float> x, KernelPath path = KernelPath.Auto)
    {
        if (weights.Length != x.Length) throw new ArgumentException("Lengths differ.", nameof(x));
        using var act = new QuantizedActivations();
        act.Load(x, 1, x.Length);
        var dot = DotKernels.Select(QuantFormat.F16, KernelPaths.Resolve(path));
        fixed (Half* w = weights) return dot((byte*)w, act.Column(0), x.Length);
    }

    private static float DotBlocks(QuantFormat format, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activationQ8, KernelPath path)
    {
        int nb = activationQ8.Length / BlockQ8_0.BytesPerBlock;
        if (activationQ8.Length % BlockQ8_0.BytesPerBlock != 0)
            throw new ArgumentException("Activation is not a whole number of q8_0 blocks.", nameof(activationQ8));
        if (weights.Length != nb * QuantFormatTraits.Of(format).BytesPerBlock)
            throw new ArgumentException($"Weights must hold {nb} {format} blocks.", nameof(weights));
        using var act = new QuantizedActivations();
        act.LoadQ8Blocks(activationQ8, nb * 32);
        var dot = DotKernels.Select(format, KernelPaths.Resolve(path));
        fixed (byte* w = weights) return dot(w, act.Column(0), nb);
    }
}

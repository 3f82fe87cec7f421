using System.Runtime.Intrinsics.X86;
using PerfSim.Kernels.Dot;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Tests;

/// <summary>
/// The GEMV kernels that read two groups (q4_0/q8_0 interleaved) or two rows (f16) per pass must give exactly the
/// results of the one-at-a-time kernels, so the results do not depend on how rows were paired (chunking, thread count).
/// </summary>
public unsafe class PairKernelTests
{
    private static float[] Values(int n, int seed)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    [Theory]
    [InlineData(QuantFormat.Q4_0)]
    [InlineData(QuantFormat.Q8_0)]
    public void GroupPair_IsBitIdenticalToOneGroupAtATime(QuantFormat format)
    {
        var pair = DotKernels.SelectGroupPair(format, KernelPaths.Best);
        bool expected = format == QuantFormat.Q4_0 ? KernelPaths.Best == KernelPath.Avx512
            : AvxVnni.IsSupported && KernelPaths.Best is KernelPath.Avx512 or KernelPath.Avx2;
        Assert.Equal(expected, pair != null);
        if (pair == null) return; // this host's best path has no pair kernel (one group at a time runs)
        const int m = 32, k = 640;
        using var plain = QuantizedMatrix.FromFloats(format, Values(m * k, 11), m, k);
        using var w = plain.ToLayout(WeightLayout.Interleaved16);
        var act = new QuantizedActivations();
        act.Load(Values(k, 12), 1, k);
        var single = DotKernels.SelectGroup(format, KernelPaths.Best);
        var y1 = new float[m]; var y2 = new float[m];
        fixed (float* p1 = y1, p2 = y2)
        {
            single(w.GroupPtr(0), act.Column(0), k / 32, p1);
            single(w.GroupPtr(16), act.Column(0), k / 32, p1 + 16);
            pair(w.GroupPtr(0), w.GroupPtr(16), act.Column(0), k / 32, p2, p2 + 16);
        }
        Assert.Equal(y1, y2);
        Assert.Contains(y1, v => v != 0f);
    }

    [Fact]
    public void F16Pair_IsBitIdenticalToOneRowAtATime()
    {
        if (!Avx512BW.IsSupported) return; // the pair kernel is AVX-512 only
        const int m = 2, k = 1056; // not a multiple of 64: the 16-wide tail runs too
        using var w = QuantizedMatrix.FromFloats(QuantFormat.F16, Values(m * k, 21), m, k);
        var act = new QuantizedActivations();
        act.Load(Values(k, 22), 1, k);
        float a, b;
        DotAvx512.DotF16Pair(w.RowPtr(0), w.RowPtr(1), act.Column(0), k, &a, &b);
        Assert.Equal(DotAvx512.DotF16(w.RowPtr(0), act.Column(0), k), a);
        Assert.Equal(DotAvx512.DotF16(w.RowPtr(1), act.Column(0), k), b);
        Assert.NotEqual(0f, a);
    }
}

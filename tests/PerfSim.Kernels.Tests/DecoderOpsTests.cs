using PerfSim.Microbench;
using Xunit;

namespace PerfSim.Kernels.Tests;

/// <summary>The synthetic decoder's vectorized element-wise steps against plain scalar definitions.</summary>
public class DecoderOpsTests
{
    private static float[] Values(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(37)]
    public void RmsNorm_MatchesScalar(int n)
    {
        float[] x = Values(n, 1), y = new float[n];
        DecoderOps.RmsNorm(x, y);
        double ss = x.Sum(v => (double)v * v);
        double inv = 1 / Math.Sqrt(ss / n + 1e-5);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] * inv, y[i], 1e-5);
    }

    [Theory]
    [InlineData(14336)]
    [InlineData(19)]
    public void SwiGlu_MatchesScalar(int n)
    {
        float[] g = Values(n, 2), u = Values(n, 3), expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = (float)(g[i] / (1 + Math.Exp(-g[i])) * u[i]);
        DecoderOps.SwiGlu(g, u);
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], g[i], 1e-5);
    }

    [Fact]
    public void AddInPlace_AddsEveryElement()
    {
        float[] x = Values(1001, 4), d = Values(1001, 5), expected = x.Zip(d, (a, b) => a + b).ToArray();
        DecoderOps.AddInPlace(x, d);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Rope_RotatesEachPairOfEveryHead_AndKeepsItsLength()
    {
        const int headDim = 128, heads = 4, pos = 517;
        float[] v = Values(headDim * heads, 6), before = (float[])v.Clone();
        float[] cos = new float[headDim / 2], sin = new float[headDim / 2];
        DecoderOps.RopeAngles(pos, headDim, cos, sin);
        DecoderOps.Rope(v, headDim, cos, sin);
        for (int h = 0; h < heads; h++)
            for (int p = 0; p < headDim / 2; p++)
            {
                int i = h * headDim + 2 * p;
                double angle = pos * Math.Pow(10000, -2.0 * p / headDim);
                double a = before[i], b = before[i + 1];
                Assert.Equal(a * Math.Cos(angle) - b * Math.Sin(angle), v[i], 1e-3);
                Assert.Equal(a * Math.Sin(angle) + b * Math.Cos(angle), v[i + 1], 1e-3);
            }
    }
}

using PerfSim.Kernels;
using PerfSim.Kernels.Dot;
using PerfSim.Kernels.Formats;
using PerfSim.Kernels.MatMul;

namespace PerfSim.Kernels.Tests;

public class KernelTests
{
    // SIMD paths reorder fp32 sums of exact int32 block products; relative to Σ|w·x| the difference is tiny.
    private const double PathRelativeTolerance = 1e-5;
    // Error of the quantized product vs. fp32 W·x, relative to sqrt(k)·rms(w)·rms(x)·... measured as ‖Δ‖/‖y‖.
    private const double Q8VsF32RelativeTolerance = 0.02;
    private const double Q4VsF32RelativeTolerance = 0.15;
    private const double F16VsF32RelativeTolerance = 2e-3;

    public static IEnumerable<object[]> PathsAndFormats()
    {
        foreach (KernelPath p in KernelPaths.Supported)
            foreach (QuantFormat f in new[] { QuantFormat.Q8_0, QuantFormat.Q4_0, QuantFormat.F16 })
                yield return new object[] { p, f };
    }

    private static float[] RandomValues(int n, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>Σ|W·x| per row, the natural scale for judging fp32 reordering error.</summary>
    private static double[] AbsProducts(QuantizedMatrix w, float[] x)
    {
        var res = new double[w.Rows];
        var row = new float[w.Cols];
        for (int r = 0; r < w.Rows; r++)
        {
            w.DequantizeRow(r, row);
            for (int j = 0; j < w.Cols; j++) res[r] += Math.Abs(row[j] * x[j]);
        }
        return res;
    }

    [Theory]
    [MemberData(nameof(PathsAndFormats))]
    public void Gemv_EveryPath_MatchesScalarOracle(KernelPath path, QuantFormat format)
    {
        int[] rowsSet = { 1, 3, 17, 33 };
        for (int blocks = 1; blocks <= 40; blocks++)
        {
            int k = blocks * 32, m = rowsSet[blocks % rowsSet.Length];
            float[] wf = RandomValues(m * k, blocks, 2f);
            if (blocks % 5 == 0) Array.Clear(wf, 0, Math.Min(wf.Length, 64)); // zero blocks (scale 0)
            float[] x = RandomValues(k, 100 + blocks);
            if (blocks % 7 == 0) Array.Clear(x, k - 32, 32);
            using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
            var yRef = new float[m];
            var y = new float[m];
            MatMul.MatMul.Gemv(w, x, yRef, KernelPath.Scalar, threads: 1);
            MatMul.MatMul.Gemv(w, x, y, path, threads: 1);
            double[] scale = AbsProducts(w, x);
            for (int r = 0; r < m; r++)
                Assert.True(Math.Abs(y[r] - yRef[r]) <= PathRelativeTolerance * scale[r] + 1e-6,
                    $"{path}/{format} k={k} row {r}: {y[r]} vs {yRef[r]}");
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndFormats))]
    public void Gemv_ExtremeValues_MatchScalarOracle(KernelPath path, QuantFormat format)
    {
        int k = 32 * 9, m = 5;
        var wf = new float[m * k];
        var x = new float[k];
        for (int i = 0; i < wf.Length; i++) wf[i] = (i % 3 == 0 ? -1 : 1) * (i % 2 == 0 ? 60000f : 1e-4f);
        for (int i = 0; i < k; i++) x[i] = i % 2 == 0 ? -1000f : 1000f; // codes hit ±127
        using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
        var yRef = new float[m];
        var y = new float[m];
        MatMul.MatMul.Gemv(w, x, yRef, KernelPath.Scalar, 1);
        MatMul.MatMul.Gemv(w, x, y, path, 1);
        double[] scale = AbsProducts(w, x);
        for (int r = 0; r < m; r++) Assert.True(Math.Abs(y[r] - yRef[r]) <= PathRelativeTolerance * scale[r] + 1e-3, $"row {r}: {y[r]} vs {yRef[r]}");
    }

    [Theory]
    [MemberData(nameof(PathsAndFormats))]
    public void Dot_SpanApi_MatchesScalar(KernelPath path, QuantFormat format)
    {
        int k = 32 * 13;
        float[] wf = RandomValues(k, 3), x = RandomValues(k, 4);
        float r, s;
        if (format == QuantFormat.F16)
        {
            var wh = wf.Select(v => (Half)v).ToArray();
            r = QuantDot.DotF16F32(wh, x, KernelPath.Scalar);
            s = QuantDot.DotF16F32(wh, x, path);
        }
        else
        {
            var wb = new byte[QuantFormatTraits.Of(format).RowBytes(k)];
            var xb = new byte[QuantFormatTraits.Q8_0.RowBytes(k)];
            Quantizer.Quantize(format, wf, wb);
            BlockQ8_0.Quantize(x, xb);
            r = format == QuantFormat.Q8_0 ? QuantDot.DotQ8_0Q8_0(wb, xb, KernelPath.Scalar) : QuantDot.DotQ4_0Q8_0(wb, xb, KernelPath.Scalar);
            s = format == QuantFormat.Q8_0 ? QuantDot.DotQ8_0Q8_0(wb, xb, path) : QuantDot.DotQ4_0Q8_0(wb, xb, path);
        }
        Assert.True(Math.Abs(r - s) <= 1e-4 * k, $"{s} vs {r}");
    }

    [Fact]
    public void Dot_ScalarMatchesDequantizedProduct()
    {
        // Oracle sanity: Σ dequant(w)·dequant(x) equals the block-scaled integer sum up to fp32 rounding.
        int k = 32 * 8;
        float[] wf = RandomValues(k, 11), x = RandomValues(k, 12);
        var wb = new byte[QuantFormatTraits.Q4_0.RowBytes(k)];
        var xb = new byte[QuantFormatTraits.Q8_0.RowBytes(k)];
        BlockQ4_0.Quantize(wf, wb);
        BlockQ8_0.Quantize(x, xb);
        var wd = new float[k]; var xd = new float[k];
        BlockQ4_0.Dequantize(wb, wd); BlockQ8_0.Dequantize(xb, xd);
        double expect = 0;
        for (int i = 0; i < k; i++) expect += (double)wd[i] * xd[i];
        Assert.Equal(expect, QuantDot.DotQ4_0Q8_0(wb, xb, KernelPath.Scalar), 1e-3);
    }

    [Theory]
    [InlineData(QuantFormat.Q8_0, Q8VsF32RelativeTolerance)]
    [InlineData(QuantFormat.Q4_0, Q4VsF32RelativeTolerance)]
    [InlineData(QuantFormat.F16, F16VsF32RelativeTolerance)]
    public void Gemv_CloseToF32Reference(QuantFormat format, double tolerance)
    {
        int m = 37, k = 32 * 24;
        float[] wf = RandomValues(m * k, 21), x = RandomValues(k, 22);
        using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
        var y = new float[m];
        MatMul.MatMul.Gemv(w, x, y);
        double num = 0, den = 0;
        for (int r = 0; r < m; r++)
        {
            double yr = 0;
            for (int j = 0; j < k; j++) yr += (double)wf[r * k + j] * x[j];
            num += (y[r] - yr) * (y[r] - yr); den += yr * yr;
        }
        Assert.True(Math.Sqrt(num / den) <= tolerance, $"relative error {Math.Sqrt(num / den)}");
    }

    [Theory]
    [MemberData(nameof(PathsAndFormats))]
    public void Gemm_MatchesPerColumnScalarGemv(KernelPath path, QuantFormat format)
    {
        foreach ((int m, int k, int n) in new[] { (17, 32 * 5, 7), (33, 32 * 8, 4), (3, 32 * 3, 9), (20, 32 * 13, 1) })
        {
            float[] wf = RandomValues(m * k, m + k), x = RandomValues(n * k, n + k);
            using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
            var y = new float[n * m];
            MatMul.MatMul.Gemm(w, x, n, y, path, threads: 2);
            AssertMatchesScalarGemv(w, x, n, y, $"{path}/{format} m={m} k={k} n={n}");
        }
    }

    /// <summary>Each column of a GEMM result against the scalar GEMV of that column, within the path tolerance.</summary>
    private static void AssertMatchesScalarGemv(QuantizedMatrix w, float[] x, int n, float[] y, string label)
    {
        int m = w.Rows, k = w.Cols;
        for (int c = 0; c < n; c++)
        {
            var xc = x.AsSpan(c * k, k).ToArray();
            var yc = new float[m];
            MatMul.MatMul.Gemv(w, xc, yc, KernelPath.Scalar, 1);
            double[] scale = AbsProducts(w, xc);
            for (int r = 0; r < m; r++)
                Assert.True(Math.Abs(y[c * m + r] - yc[r]) <= PathRelativeTolerance * scale[r] + 1e-6,
                    $"{label} col {c} row {r}: {y[c * m + r]} vs {yc[r]}");
        }
    }

    /// <summary>
    /// The packed f16 GEMM (AVX-512): a shape with a partial 64-row block and a partial 16-row group per thread chunk,
    /// a short last k-slice and a short last column tile, against the scalar GEMV, and equal for any thread count.
    /// </summary>
    [Fact]
    public void PackedF16Gemm_MatchesScalarGemv_AndIsThreadCountIndependent()
    {
        int m = 136, k = MatMul.MatMul.F16KSlice * 2 + 32 * 6, n = 13;
        float[] wf = RandomValues(m * k, 11), x = RandomValues(n * k, 12);
        using var w = QuantizedMatrix.FromFloats(QuantFormat.F16, wf, m, k);
        var y1 = new float[n * m]; var y2 = new float[n * m]; var y3 = new float[n * m];
        MatMul.MatMul.Gemm(w, x, n, y1, KernelPath.Auto, threads: 1);
        MatMul.MatMul.Gemm(w, x, n, y2, KernelPath.Auto, threads: 2);
        MatMul.MatMul.Gemm(w, x, n, y3, KernelPath.Auto, threads: 3);
        Assert.Equal(y1, y2);
        Assert.Equal(y1, y3);
        AssertMatchesScalarGemv(w, x, n, y1, "packed f16");
    }

    [Theory]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.Q4_0)]
    [InlineData(QuantFormat.F16)]
    public void Multithreaded_IsBitIdenticalToSingleThreaded(QuantFormat format)
    {
        int m = 203, k = 32 * 19, n = 6;
        float[] wf = RandomValues(m * k, 5), x = RandomValues(n * k, 6);
        using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
        var y1 = new float[m]; var y4 = new float[m];
        MatMul.MatMul.Gemv(w, x.AsSpan(0, k), y1, threads: 1);
        MatMul.MatMul.Gemv(w, x.AsSpan(0, k), y4, threads: 4);
        Assert.Equal(y1, y4);
        var g1 = new float[n * m]; var g4 = new float[n * m];
        MatMul.MatMul.Gemm(w, x, n, g1, threads: 1);
        MatMul.MatMul.Gemm(w, x, n, g4, threads: 3);
        Assert.Equal(g1, g4);
    }

    [Fact]
    public void Gemv_RejectsWrongLengths()
    {
        using var w = new QuantizedMatrix(QuantFormat.Q8_0, 4, 64);
        Assert.Throws<ArgumentException>(() => MatMul.MatMul.Gemv(w, new float[32], new float[4]));
        Assert.Throws<ArgumentException>(() => MatMul.MatMul.Gemv(w, new float[64], new float[3]));
    }

    [Fact]
    public void UnsupportedPath_IsReported()
    {
        foreach (KernelPath p in Enum.GetValues<KernelPath>())
            if (!KernelPaths.IsSupported(p)) Assert.Throws<PlatformNotSupportedException>(() => KernelPaths.Resolve(p));
        Assert.Contains(KernelPath.Scalar, KernelPaths.Supported);
    }
}

public class GemmReferenceTests
{
    [Theory]
    [InlineData(QuantFormat.Q8_0, 0.02)]
    [InlineData(QuantFormat.Q4_0, 0.15)]
    [InlineData(QuantFormat.F16, 2e-3)]
    public void Gemm_CloseToF32Reference(QuantFormat format, double relTolerance)
    {
        int m = 21, k = 32 * 10, n = 6;
        var rng = new Random(77);
        float[] wf = new float[m * k], x = new float[n * k];
        for (int i = 0; i < wf.Length; i++) wf[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
        var y = new float[n * m];
        MatMul.MatMul.Gemm(w, x, n, y);
        double num = 0, den = 0;
        for (int c = 0; c < n; c++)
            for (int r = 0; r < m; r++)
            {
                double e = 0;
                for (int j = 0; j < k; j++) e += (double)wf[r * k + j] * x[c * k + j];
                num += (y[c * m + r] - e) * (y[c * m + r] - e); den += e * e;
            }
        Assert.True(Math.Sqrt(num / den) <= relTolerance, $"relative error {Math.Sqrt(num / den)}");
    }
}

public class LongRowTests
{
    [Theory]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.Q4_0)]
    [InlineData(QuantFormat.F16)]
    public void Gemv_LongRows_EveryPathMatchesScalar(QuantFormat format)
    {
        // k past MatMul.Q8Rows4MinK exercises the multi-row GEMV kernels; 11 rows leaves a remainder group.
        int m = 11, k = MatMul.MatMul.Q8Rows4MinK + 96;
        var rng = new Random(5);
        float[] wf = new float[m * k], x = new float[k];
        for (int i = 0; i < wf.Length; i++) wf[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < k; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        using var w = QuantizedMatrix.FromFloats(format, wf, m, k);
        var yRef = new float[m];
        MatMul.MatMul.Gemv(w, x, yRef, KernelPath.Scalar, 1);
        foreach (KernelPath p in KernelPaths.Supported)
        {
            var y1 = new float[m];
            var y2 = new float[m];
            MatMul.MatMul.Gemv(w, x, y1, p, 1);
            MatMul.MatMul.Gemv(w, x, y2, p, 2);
            Assert.Equal(y1, y2);
            for (int r = 0; r < m; r++) Assert.True(Math.Abs(y1[r] - yRef[r]) <= 1e-3 * Math.Sqrt(k), $"{p} row {r}: {y1[r]} vs {yRef[r]}");
        }
    }
}

using System.Runtime.InteropServices;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Kernels.Tests;

/// <summary>
/// Every kernel path this process can run, on every format and layout, GEMV and GEMM, against the row-major scalar
/// oracle. Shared by the in-process tests and by the child processes started with ISA knobs turned off
/// (<see cref="PathLegTests"/>), so the AVX2, AVX2-without-VNNI, SSE-only and scalar-only code runs on an AVX-512 host.
/// With <c>guardPages</c> every weight, activation, input and output buffer ends at a PROT_NONE page, so a kernel that
/// reads or writes one byte past any of them crashes the process instead of passing.
/// </summary>
public static unsafe class PathEquivalence
{
    public sealed record Outcome(IReadOnlyList<KernelPath> Paths, KernelPath Best, int Checks, IReadOnlyList<string> Failures);

    // SIMD paths reorder fp32 sums of exact int32 block products: relative to Σ|w·x| the difference is tiny.
    private const double RelativeTolerance = 1e-5;

    /// <summary>(m, k, n): interleave-sized and ragged shapes; k = 1280 crosses the f16 GEMM's 1024-long k-slices.</summary>
    private static readonly (int M, int K, int N)[] Shapes =
        { (16, 64, 1), (32, 128, 5), (48, 320, 9), (64, 1280, 6), (17, 96, 4), (3, 32, 3), (20, 416, 8) };

    public static Outcome Run(bool guardPages)
    {
        var failures = new List<string>();
        int checks = 0;
        NativeBuffer.GuardPagesOnThisThread = guardPages;
        try
        {
            foreach (var format in new[] { QuantFormat.F16, QuantFormat.Q8_0, QuantFormat.Q4_0 })
                foreach (var (m, k, n) in Shapes)
                    checks += CheckShape(format, m, k, n, guardPages, failures);
        }
        finally { NativeBuffer.GuardPagesOnThisThread = false; }
        return new Outcome(KernelPaths.Supported, KernelPaths.Best, checks, failures);
    }

    private static int CheckShape(QuantFormat format, int m, int k, int n, bool guard, List<string> failures)
    {
        int checks = 0;
        var rng = new Random(m * 7919 + k * 31 + n);
        var wf = new float[m * k];
        for (int i = 0; i < wf.Length; i++) wf[i] = (float)(rng.NextDouble() * 4 - 2);
        Array.Clear(wf, 0, Math.Min(wf.Length, 32));   // one all-zero block (scale 0)
        using var plain = QuantizedMatrix.FromFloats(format, wf, m, k);
        using var oracleAct = new QuantizedActivations();
        using var buffers = new Buffers(n * k, n * m, guard);
        for (int i = 0; i < n * k; i++) buffers.X[i] = (float)(rng.NextDouble() * 2 - 1);
        // Reference: each column through the row-major scalar GEMV, and Σ|w·x| per output as the tolerance scale.
        var reference = new float[n * m];
        var scale = new double[n * m];
        var row = new float[k];
        for (int c = 0; c < n; c++)
        {
            oracleAct.Load(buffers.X.Slice(c * k, k), 1, k);
            MM.Gemv(plain, oracleAct, reference.AsSpan(c * m, m), KernelPath.Scalar, threads: 1);
            for (int r = 0; r < m; r++)
            {
                plain.DequantizeRow(r, row);
                for (int j = 0; j < k; j++) scale[c * m + r] += Math.Abs(row[j] * buffers.X[c * k + j]);
            }
        }
        var layouts = new List<QuantizedMatrix> { plain };
        if (Interleaved.Fits(format, m, k)) layouts.Add(plain.ToLayout(WeightLayout.Interleaved16));
        using var act = new QuantizedActivations();
        foreach (var w in layouts)
            foreach (KernelPath path in KernelPaths.Supported)
                foreach (int threads in new[] { 1, 2 })
                {
                    string what = $"{format} {w.Layout} {path} t={threads} {m}x{k}";
                    // One thread: a prepared activation (guard-paged in guard mode); two: the span overloads, which prepare
                    // only the activation parts the matrix's kernels read (codes for interleaved, floats for f16).
                    buffers.Y.Clear();
                    if (threads == 1) { act.Load(buffers.X[..k], 1, k); MM.Gemv(w, act, buffers.Y[..m], path, threads); }
                    else MM.Gemv(w, buffers.X[..k], buffers.Y[..m], path, threads);
                    checks += Compare(buffers.Y[..m], reference.AsSpan(0, m), scale.AsSpan(0, m), $"GEMV {what}", failures);
                    buffers.Y.Clear();
                    if (threads == 1) { act.Load(buffers.X, n, k); MM.Gemm(w, act, buffers.Y, path, threads); }
                    else MM.Gemm(w, buffers.X, n, buffers.Y, path, threads);
                    checks += Compare(buffers.Y, reference, scale, $"GEMM {what} n={n}", failures);
                }
        for (int i = 1; i < layouts.Count; i++) layouts[i].Dispose();
        return checks;
    }

    private static int Compare(ReadOnlySpan<float> y, ReadOnlySpan<float> reference, ReadOnlySpan<double> scale, string what, List<string> failures)
    {
        for (int i = 0; i < y.Length; i++)
            if (!(Math.Abs(y[i] - reference[i]) <= RelativeTolerance * scale[i] + 1e-6))
            {
                failures.Add($"{what}: output {i} = {y[i]}, oracle {reference[i]}");
                return 1;
            }
        return 1;
    }

    /// <summary>Input and output vectors, on guard pages when asked (so a kernel cannot read x or write y past the end).</summary>
    private sealed class Buffers : IDisposable
    {
        private readonly float* _x, _y;
        private readonly int _nx, _ny;

        public Buffers(int nx, int ny, bool guard)
        {
            _nx = nx; _ny = ny;
            bool was = NativeBuffer.GuardPagesOnThisThread;
            NativeBuffer.GuardPagesOnThisThread = guard;
            _x = (float*)NativeBuffer.Alloc((nuint)nx * 4);
            _y = (float*)NativeBuffer.Alloc((nuint)ny * 4);
            NativeBuffer.GuardPagesOnThisThread = was;
        }

        public Span<float> X => new(_x, _nx);
        public Span<float> Y => new(_y, _ny);

        public void Dispose()
        {
            NativeBuffer.Free((byte*)_x);
            NativeBuffer.Free((byte*)_y);
        }
    }

    /// <summary>Entry point of the child process: prints one summary line, the failures, and exits 0 only if none.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "--path-check")
        {
            Console.Error.WriteLine("usage: PerfSim.Kernels.Tests --path-check");
            return 2;
        }
        var plain = Run(guardPages: false);
        var guarded = Run(guardPages: OperatingSystem.IsLinux());
        var failures = plain.Failures.Concat(guarded.Failures).ToList();
        Console.WriteLine($"paths={string.Join(",", plain.Paths)} best={plain.Best} vnni={System.Runtime.Intrinsics.X86.AvxVnni.IsSupported} " +
                          $"checks={plain.Checks + guarded.Checks} failures={failures.Count}");
        foreach (var f in failures.Take(20)) Console.WriteLine(f);
        return failures.Count == 0 ? 0 : 1;
    }
}

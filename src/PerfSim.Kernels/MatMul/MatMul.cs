using System.Runtime.CompilerServices;
using PerfSim.Kernels.Dot;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.MatMul;

/// <summary>
/// Quantized-weight matrix products. Activations are quantized to q8_0 once per call (as GGML does),
/// then rows are split into one contiguous chunk per thread so each core streams its own part of the weights.
/// Every output element is computed by the same code regardless of the thread count, so results are
/// bit-identical for any <c>threads</c>.
/// </summary>
public static unsafe class MatMul
{
    // One scratch activation buffer per calling thread: no allocation in steady state.
    [ThreadStatic] private static QuantizedActivations? t_act;

    /// <summary>Rows per cache block in GEMM: small enough that a block of weight rows stays in L2 while all columns pass.</summary>
    public const int GemmRowBlock = 16;

    /// <summary>
    /// Smallest k at which f16 GEMV processes 4 rows per activation load. Below it the fp32 activation (≤ 32 KiB) stays
    /// in L1 and one row at a time reads the weights as one contiguous stream per thread, as the bandwidth probe does;
    /// 4 rows of 8 KiB are 4 short streams the prefetchers retrain on every row (measured at k = 4096, DRAM-resident,
    /// 2 threads, A/B in one process: one row at a time 1.1–1.5× the GB/s of 4 rows).
    /// </summary>
    public const int F16Rows4MinK = 8192;

    /// <summary>Smallest k at which q8_0 GEMV processes 4 rows per activation load.</summary>
    public const int Q8Rows4MinK = 8192;

    /// <summary>
    /// Columns per GEMM pass: their quantized activations (≈130 KiB per 14336-long q4_0 column) must stay in the
    /// last-level cache while every row block sweeps over them; more columns would stream them from DRAM.
    /// </summary>
    public const int GemmColumnBlock = 32;

    private static QuantizedActivations Scratch => t_act ??= new QuantizedActivations();

    /// <summary>y[m] = W[m×k] · x[k].</summary>
    public static void Gemv(QuantizedMatrix w, ReadOnlySpan<float> x, Span<float> y, KernelPath path = KernelPath.Auto, int threads = 0)
    {
        if (x.Length != w.Cols) throw new ArgumentException($"x has {x.Length} values, expected k={w.Cols}.", nameof(x));
        if (y.Length < w.Rows) throw new ArgumentException($"y has {y.Length} values, expected m={w.Rows}.", nameof(y));
        QuantizedActivations act = Scratch;
        act.Load(x, 1, w.Cols, 1, PartsFor(w));
        Gemv(w, act, y, path, threads);
    }

    /// <summary>GEMV against an activation already quantized (column 0 of <paramref name="act"/>).</summary>
    public static void Gemv(QuantizedMatrix w, QuantizedActivations act, Span<float> y, KernelPath path = KernelPath.Auto, int threads = 0)
    {
        if (act.K != w.Cols) throw new ArgumentException("Activation length does not match k.", nameof(act));
        KernelPath p = KernelPaths.Resolve(path);
        if (w.Layout == WeightLayout.Interleaved16) { GemvInterleaved(w, act, y, p, threads); return; }
        var dot = DotKernels.Select(w.Format, p);
        int len = DotKernels.Length(w.Format, w.Cols);
        ActCol a = act.Column(0);
        fixed (float* py = y)
        {
            float* yp = py;
            bool rows4 = p == KernelPath.Avx512 && w.Format == QuantFormat.F16 && w.Cols >= F16Rows4MinK;
            // Measured on Zen 4: 4 rows per activation load helps only once the activation no longer fits L1 beside
            // the weight stream (k = 14336: ~10 % faster); at k = 4096 the 4 concurrent streams made it ~2× slower.
            bool f16Pair = p == KernelPath.Avx512 && w.Format == QuantFormat.F16 && !rows4;
            bool q8Rows4 = (p == KernelPath.Avx512 || p == KernelPath.Avx2) && w.Format == QuantFormat.Q8_0 && w.Cols >= Q8Rows4MinK;
            RowParallel.For(w.Rows, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r0, r1) =>
            {
                int r = r0;
                // Chunks start on multiples of 4 rows, so the same rows are grouped whatever the thread count.
                if (rows4)
                    for (; r + 3 < r1; r += 4) DotAvx512.DotF16Rows4(w.RowPtr(r), w.RowBytes, a, len, yp + r);
                if (q8Rows4)
                    for (; r + 3 < r1; r += 4) DotAvx2.DotQ8Rows4(w.RowPtr(r), w.RowBytes, a, len, yp + r);
                if (f16Pair)
                {
                    // Rows i and half + i of the chunk: two long sequential streams (see DotF16Pair).
                    int half = (r1 - r) / 2;
                    for (int i = 0; i < half; i++) DotAvx512.DotF16Pair(w.RowPtr(r + i), w.RowPtr(r + half + i), a, len, yp + r + i, yp + r + half + i);
                    r += 2 * half;
                }
                for (; r < r1; r++) yp[r] = dot(w.RowPtr(r), a, len);
            });
        }
    }

    /// <summary>
    /// Y[n×m] = X[n×k] · Wᵀ: n activation columns (row c of X is column c), output row c holds the m results for it.
    /// </summary>
    public static void Gemm(QuantizedMatrix w, ReadOnlySpan<float> x, int n, Span<float> y, KernelPath path = KernelPath.Auto, int threads = 0)
    {
        if (x.Length != (long)n * w.Cols) throw new ArgumentException($"x must hold n×k = {n}×{w.Cols} values.", nameof(x));
        if (y.Length < (long)n * w.Rows) throw new ArgumentException($"y must hold n×m = {n}×{w.Rows} values.", nameof(y));
        QuantizedActivations act = Scratch;
        act.Load(x, n, w.Cols, RowParallel.ThreadCount(threads), PartsFor(w));
        Gemm(w, act, y, path, threads);
    }

    public static void Gemm(QuantizedMatrix w, QuantizedActivations act, Span<float> y, KernelPath path = KernelPath.Auto, int threads = 0)
    {
        if (act.K != w.Cols) throw new ArgumentException("Activation length does not match k.", nameof(act));
        if (y.Length < (long)act.N * w.Rows) throw new ArgumentException($"y must hold n×m = {act.N}×{w.Rows} values.", nameof(y));
        KernelPath p = KernelPaths.Resolve(path);
        if (w.Layout == WeightLayout.Interleaved16) { GemmInterleaved(w, act, y, p, threads); return; }
        if (p == KernelPath.Avx512 && w.Format == QuantFormat.F16 && w.Rows % 4 == 0 && act.N >= 4) { GemmF16Blocked(w, act, y, threads); return; }
        var dot = DotKernels.Select(w.Format, p);
        var tile = DotKernels.SelectTile(w.Format, p);
        int len = DotKernels.Length(w.Format, w.Cols);
        int n = act.N, m = w.Rows;
        var tile2 = p == KernelPath.Avx512 && w.Format == QuantFormat.Q4_0 ? (delegate*<byte*, byte*, ActCol, ActCol, ActCol, ActCol, int, float*, long, void>)&TileAvx512.DotQ4x2x4 : null;
        var tile4F16 = p == KernelPath.Avx512 && w.Format == QuantFormat.F16 ? (delegate*<byte*, long, ActCol, ActCol, ActCol, ActCol, int, float*, long, void>)&TileAvx512.DotF16x4x4 : null;
        fixed (float* py = y)
        {
            float* yp = py;
            for (int cb = 0; cb < n; cb += GemmColumnBlock)
            {
                int cbEnd = Math.Min(n, cb + GemmColumnBlock);
                RowParallel.For(m, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r0, r1) =>
                {
                    // Loop order: a block of weight rows (kept in L2) against every column tile of this column block.
                    for (int rb = r0; rb < r1; rb += GemmRowBlock)
                    {
                        int rbEnd = Math.Min(r1, rb + GemmRowBlock);
                        int c = cb;
                        if (tile != null)
                        {
                            for (; c + TileAvx512.Cols <= cbEnd; c += TileAvx512.Cols)
                            {
                                ActCol a0 = act.Column(c), a1 = act.Column(c + 1), a2 = act.Column(c + 2), a3 = act.Column(c + 3);
                                int r = rb;
                                if (tile4F16 != null)
                                    for (; r + 3 < rbEnd; r += 4)
                                        tile4F16(w.RowPtr(r), w.RowBytes, a0, a1, a2, a3, len, yp + (long)c * m + r, m);
                                if (tile2 != null)
                                    for (; r + 1 < rbEnd; r += 2)
                                        tile2(w.RowPtr(r), w.RowPtr(r + 1), a0, a1, a2, a3, len, yp + (long)c * m + r, m);
                                for (; r < rbEnd; r++)
                                    tile(w.RowPtr(r), a0, a1, a2, a3, len, yp + (long)c * m + r, m);
                            }
                        }
                        for (; c < cbEnd; c++)
                        {
                            ActCol a = act.Column(c);
                            for (int r = rb; r < rbEnd; r++) yp[(long)c * m + r] = dot(w.RowPtr(r), a, len);
                        }
                    }
                });
            }
        }
    }

    private static void GemvInterleaved(QuantizedMatrix w, QuantizedActivations act, Span<float> y, KernelPath p, int threads)
    {
        var group = DotKernels.SelectGroup(w.Format, p);
        int nb = w.Cols / 32;
        ActCol a = act.Column(0);
        fixed (float* py = y)
        {
            float* yp = py;
            var pair = DotKernels.SelectGroupPair(w.Format, p);
            const int pairRows = 2 * Interleaved.Rows;
            RowParallel.For(w.Rows, threads, (r0, r1) =>
            {
                int r = r0;
                // Two adjacent groups per pass (bit-identical to one at a time); a chunk's odd last group goes alone.
                if (pair != null)
                    for (; r + pairRows <= r1; r += pairRows)
                        pair(w.GroupPtr(r), w.GroupPtr(r + Interleaved.Rows), a, nb, yp + r, yp + r + Interleaved.Rows);
                for (; r < r1; r += Interleaved.Rows) group(w.GroupPtr(r), a, nb, yp + r);
            }, pair != null ? pairRows : Interleaved.Rows);
        }
    }

    private static void GemmInterleaved(QuantizedMatrix w, QuantizedActivations act, Span<float> y, KernelPath p, int threads)
    {
        var group = DotKernels.SelectGroup(w.Format, p);
        var tile = DotKernels.SelectGroupTile(w.Format, p);
        int nb = w.Cols / 32, n = act.N, m = w.Rows;
        fixed (float* py = y)
        {
            float* yp = py;
            for (int cb = 0; cb < n; cb += GemmColumnBlock)
            {
                int cbEnd = Math.Min(n, cb + GemmColumnBlock);
                // Per 16-row group (in L2, 129 KiB at k = 14336 q4_0) every column of the block passes; the block's
                // activations (≤ 32 columns, ~460 KiB) stay in L2 while the groups stream by.
                RowParallel.For(m, threads, (r0, r1) =>
                {
                    for (int r = r0; r < r1; r += Interleaved.Rows)
                    {
                        byte* g = w.GroupPtr(r);
                        int c = cb;
                        if (tile != null)
                            for (; c + 4 <= cbEnd; c += 4)
                                tile(g, act.Column(c), act.Column(c + 1), act.Column(c + 2), act.Column(c + 3), nb, yp + (long)c * m + r, m);
                        for (; c < cbEnd; c++) group(g, act.Column(c), nb, yp + (long)c * m + r);
                    }
                }, Interleaved.Rows);
            }
        }
    }

    /// <summary>k-slice length of the blocked f16 GEMM: a panel of 64 rows × 1024 fp32 is 256 KiB, in L2.</summary>
    public const int F16KSlice = 1024;

    /// <summary>
    /// Columns per f16 GEMM pass: each converted panel serves this many columns (n = 512, 2 threads, the Intel host, family 6 model 207:
    /// 128 columns 241 GFLOP/s, 256 259, 512 276; one run each).
    /// </summary>
    public const int F16ColumnBlock = 512;

    /// <summary>
    /// f16 GEMM blocked for the cache hierarchy, as BLAS packs a panel: per column block and per thread chunk of rows,
    /// k is cut into slices; a 64-row block of a slice is converted to fp32 once, transposed so 64 rows lie side by
    /// side for every k (<see cref="TileAvx512.Panel64x5"/>), and 5 columns at a time pass over it with broadcast FMAs
    /// into 20 register accumulators, with no horizontal sums. Converting inside a dot-product tile cost 4 vector ops
    /// per 16 weights for every 4 columns; on cores whose 512-bit ops issue only on the two FMA ports (this Intel host) that
    /// halved the FMA rate (measured 122 GFLOP/s at n = 512; packed: 259–276). Each output is a sequential sum over each k-slice, so
    /// results do not depend on how rows or columns are grouped, nor on the thread count.
    /// </summary>
    private static void GemmF16Blocked(QuantizedMatrix w, QuantizedActivations act, Span<float> y, int threads)
    {
        int n = act.N, m = w.Rows, k = w.Cols;
        fixed (float* py = y)
        {
            float* yp = py;
            for (int cb = 0; cb < n; cb += F16ColumnBlock)
            {
                int cbEnd = Math.Min(n, cb + F16ColumnBlock);
                RowParallel.For(m, threads, (r0, r1) =>
                {
                    float* panel = F16Panel;
                    float** x = stackalloc float*[TileAvx512.PanelCols];
                    float* scratch = stackalloc float[TileAvx512.PanelRows * TileAvx512.PanelCols];
                    for (int k0 = 0; k0 < k; k0 += F16KSlice)
                    {
                        int len = Math.Min(F16KSlice, k - k0);
                        for (int rb = r0; rb < r1; rb += TileAvx512.PanelRows)
                        {
                            int rows = Math.Min(r1 - rb, TileAvx512.PanelRows);
                            TileAvx512.PackF16Panel((ushort*)w.RowPtr(rb) + k0, w.RowBytes / 2, rows, len, panel);
                            for (int c = cb; c < cbEnd; c += TileAvx512.PanelCols)
                            {
                                int cols = Math.Min(TileAvx512.PanelCols, cbEnd - c);
                                // A short last tile repeats its last column: the same arithmetic, stored once.
                                for (int i = 0; i < TileAvx512.PanelCols; i++) x[i] = act.Column(c + Math.Min(i, cols - 1)).X + k0;
                                TileAvx512.Panel64x5(panel, len, x, cols, yp + (long)c * m + rb, m, rows, k0 > 0, scratch);
                            }
                        }
                    }
                });
            }
        }
    }

    // One fp32 panel (PanelRows × F16KSlice, 64-byte aligned) per thread that runs f16 GEMM chunks; the pool's
    // threads live for the process, so the panel is allocated once per thread and never freed.
    [ThreadStatic] private static nint t_f16Panel;

    private static float* F16Panel
    {
        get
        {
            if (t_f16Panel == 0)
                t_f16Panel = (nint)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(TileAvx512.PanelRows * F16KSlice * sizeof(float)), 64);
            return (float*)t_f16Panel;
        }
    }

    /// <summary>What the kernels for this matrix read of an activation: f16 only the floats, interleaved only the codes.</summary>
    private static ActivationParts PartsFor(QuantizedMatrix w) =>
        w.Format is QuantFormat.F16 or QuantFormat.F32 ? ActivationParts.Floats :
        w.Layout == WeightLayout.Interleaved16 ? ActivationParts.Codes : ActivationParts.All;
}

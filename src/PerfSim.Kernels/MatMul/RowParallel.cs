namespace PerfSim.Kernels.MatMul;

/// <summary>
/// Splits a row range over threads of the persistent <see cref="WorkerPool"/>. Rows go out in a few contiguous
/// chunks per thread (contiguous chunks keep the hardware prefetchers streaming) that threads claim from a shared
/// counter, so a thread delayed by the OS (common on a shared 2-core host) does not leave the others waiting.
/// Every row is computed by the same code whichever thread takes it, so results do not depend on the thread count.
/// </summary>
public static class RowParallel
{
    /// <summary>Chunks per thread: enough to rebalance around a stalled thread, few enough to keep streams long.</summary>
    public const int ChunksPerThread = 4;

    /// <summary>Smallest chunk worth handing out, in rows.</summary>
    public const int MinChunkRows = 16;

    /// <summary>0 or negative means all logical processors.</summary>
    public static int ThreadCount(int threads) => threads <= 0 ? Environment.ProcessorCount : threads;

    /// <summary>
    /// Calls body(r0, r1) over [0, rows) in chunks whose bounds are multiples of <paramref name="granule"/>
    /// (a power of two: 4 for plain rows, the group height for interleaved layouts).
    /// </summary>
    public static void For(int rows, int threads, Action<int, int> body, int granule = 4)
    {
        int t = Math.Min(ThreadCount(threads), Math.Max(1, rows / Math.Max(MinChunkRows, granule)));
        if (t <= 1) { body(0, rows); return; }
        int chunks = Math.Min(t * ChunksPerThread, Math.Max(t, rows / Math.Max(MinChunkRows, granule)));
        WorkerPool.Shared.Run(chunks, t - 1, c =>
        {
            int r0 = Bound(rows, chunks, c, granule), r1 = Bound(rows, chunks, c + 1, granule);
            if (r0 < r1) body(r0, r1);
        });
    }

    /// <summary>
    /// Calls body(i) for every i in [0, count) on the worker pool, one item per claim (for a few coarse items, such as
    /// the KV heads of an attention layer, where <see cref="For"/>'s minimum chunk would keep everything on one thread).
    /// </summary>
    public static void ForEach(int count, int threads, Action<int> body)
    {
        int t = Math.Min(ThreadCount(threads), count);
        if (t <= 1) { for (int i = 0; i < count; i++) body(i); return; }
        WorkerPool.Shared.Run(count, t - 1, body);
    }

    private static int Bound(int rows, int chunks, int i, int granule) =>
        i == chunks ? rows : Math.Min(rows, (int)((long)rows * i / chunks) & ~(granule - 1));
}

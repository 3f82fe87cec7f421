namespace PerfSim.Kernels.MatMul;

/// <summary>
/// Splits a row range into one contiguous chunk per thread (contiguous chunks keep the hardware
/// prefetchers streaming). With one thread, or tiny work, it runs inline to skip the wake-up cost.
/// </summary>
public static class RowParallel
{
    /// <summary>0 or negative means all logical processors.</summary>
    public static int ThreadCount(int threads) => threads <= 0 ? Environment.ProcessorCount : threads;

    public static void For(int rows, int threads, Action<int, int> body)
    {
        int t = Math.Min(ThreadCount(threads), rows);
        if (t <= 1) { body(0, rows); return; }
        // Chunk boundaries aligned to 4 rows so no two threads write the same cache-line quarter needlessly.
        Parallel.For(0, t, new ParallelOptions { MaxDegreeOfParallelism = t }, i =>
        {
            int r0 = Bound(rows, t, i), r1 = Bound(rows, t, i + 1);
            if (r0 < r1) body(r0, r1);
        });
    }

    private static int Bound(int rows, int t, int i) => i == t ? rows : Math.Min(rows, (int)((long)rows * i / t) & ~3);
}

namespace PerfSim.Kernels.MatMul;

/// <summary>
/// Persistent worker threads for the kernels. A call publishes one job and bumps a generation counter; workers
/// that ran recently are still spinning on that counter and start within a fraction of a microsecond, idle ones
/// park on a semaphore after <see cref="SpinMicroseconds"/> so an idle process costs no CPU. The caller works too and
/// returns once every chunk is done. This replaces Parallel.For, whose queueing cost 10–30 µs per call.
/// Only one job runs at a time; a second concurrent caller runs its chunks on its own thread (same results).
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>How long an idle worker spins before parking: covers the gaps between a decoder's back-to-back GEMVs.</summary>
    public const int SpinMicroseconds = 200;

    public static WorkerPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new();
    private long _generation;
    private int _parked;
    private Job? _job;

    public int Workers { get; }

    private WorkerPool(int workers)
    {
        Workers = workers;
        for (int i = 0; i < workers; i++)
            new Thread(Loop) { IsBackground = true, Name = $"PerfSim.Kernels worker {i + 1}" }.Start();
    }

    /// <summary>One call's work: chunks claimed from a shared counter; done when every claimed chunk has finished.</summary>
    private sealed class Job(Action<int> chunk, int chunks, int helpers)
    {
        private int _next;
        private int _done;
        private int _helpersLeft = helpers;

        public bool WantsHelper() => Interlocked.Decrement(ref _helpersLeft) >= 0;

        public void Work()
        {
            int c;
            while ((c = Interlocked.Increment(ref _next) - 1) < chunks)
            {
                try { chunk(c); }
                finally { Interlocked.Increment(ref _done); }
            }
        }

        public bool Finished => Volatile.Read(ref _done) >= chunks;
    }

    /// <summary>Runs chunk(0..chunks-1) on the caller and up to <paramref name="helpers"/> workers.</summary>
    public void Run(int chunks, int helpers, Action<int> chunk)
    {
        if (helpers <= 0 || Workers == 0 || !Monitor.TryEnter(_gate))
        {
            for (int c = 0; c < chunks; c++) chunk(c);
            return;
        }
        try
        {
            var job = new Job(chunk, chunks, Math.Min(helpers, Workers));
            Volatile.Write(ref _job, job);
            Interlocked.Increment(ref _generation);
            int parked = Volatile.Read(ref _parked);
            if (parked > 0) _wake.Release(parked);
            job.Work();
            var spin = new SpinWait();
            while (!job.Finished) spin.SpinOnce(-1);
            Volatile.Write(ref _job, null);
        }
        finally { Monitor.Exit(_gate); }
    }

    private void Loop()
    {
        long seen = Volatile.Read(ref _generation);
        long spinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            long g;
            while ((g = Volatile.Read(ref _generation)) == seen)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - start < spinTicks) { Thread.SpinWait(16); continue; }
                // Dekker-style: announce parking, then re-check, so a job published in between is never missed.
                Interlocked.Increment(ref _parked);
                if (Volatile.Read(ref _generation) == seen) _wake.Wait();
                Interlocked.Decrement(ref _parked);
                start = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            seen = g;
            Job? job = Volatile.Read(ref _job);
            if (job != null && job.WantsHelper()) job.Work();
        }
    }
}

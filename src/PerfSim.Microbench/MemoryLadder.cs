using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PerfSim.Microbench;

/// <summary>Bandwidth at one working-set size. Copy counts bytes read plus bytes written, as STREAM does.</summary>
public sealed record MemoryLadderPoint(long WorkingSetBytes, int Threads, double ReadGBps, double WriteGBps, double CopyGBps);

/// <summary>The host's empirical memory wall: bandwidth from L1-sized working sets to many times the LLC.</summary>
public sealed record MemoryLadderResult(IReadOnlyList<MemoryLadderPoint> Points, long LastLevelCacheBytes)
{
    /// <summary>Largest-set (DRAM) read bandwidth with all threads — the figure GEMV should approach.</summary>
    public double DramReadGBpsAllThreads => Points.Where(p => p.Threads > 1 || Points.All(q => q.Threads == 1)).MaxBy(p => p.WorkingSetBytes)!.ReadGBps;
    public double DramReadGBpsOneThread => Points.Where(p => p.Threads == 1).MaxBy(p => p.WorkingSetBytes)!.ReadGBps;
}

public static unsafe class MemoryLadder
{
    /// <summary>Sizes from 16 KiB doubling up to at least 8× the LLC.</summary>
    public static IReadOnlyList<long> DefaultSizes(long llcBytes)
    {
        var sizes = new List<long>();
        for (long s = 16 << 10; s <= Math.Max(8 * llcBytes, 256L << 20); s *= 2) sizes.Add(s);
        return sizes;
    }

    public static MemoryLadderResult Run(long llcBytes, int threads, IReadOnlyList<long>? sizes = null, int samples = 3)
    {
        sizes ??= DefaultSizes(llcBytes);
        long max = sizes.Max();
        var points = new List<MemoryLadderPoint>();
        // Two buffers (copy source and destination), allocated once and touched so page faults are not timed.
        byte* a = (byte*)NativeMemory.AlignedAlloc((nuint)max, 64);
        byte* b = (byte*)NativeMemory.AlignedAlloc((nuint)max, 64);
        try
        {
            NativeMemory.Fill(a, (nuint)max, 1);
            NativeMemory.Fill(b, (nuint)max, 2);
            foreach (int t in threads > 1 ? new[] { 1, threads } : new[] { 1 })
                foreach (long size in sizes)
                {
                    bool nt = size > llcBytes; // bypass the cache only when the set cannot live there anyway
                    double read = Measure(size, t, samples, (off, len) => Read(a + off, len));
                    double write = Measure(size, t, samples, (off, len) => Write(b + off, len, nt));
                    double copy = 2 * Measure(size, t, samples, (off, len) => Copy(a + off, b + off, len, nt));
                    points.Add(new MemoryLadderPoint(size, t, read, write, copy));
                }
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
        }
        return new MemoryLadderResult(points, llcBytes);
    }

    /// <summary>
    /// DRAM read bandwidth now, at the ladder's largest working set, with one thread and with <paramref name="threads"/>.
    /// A shared host's DRAM rate drifts by tens of percent between minutes, so a measurement compared with the engine
    /// (the calibration check's decoder) takes this probe right beside it rather than the ladder's figure from earlier.
    /// </summary>
    public static (double OneThreadGBps, double AllThreadsGBps) DramRead(long llcBytes, int threads, int samples = 3)
    {
        long size = DefaultSizes(llcBytes).Max();
        byte* a = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        try
        {
            NativeMemory.Fill(a, (nuint)size, 1);
            double one = Measure(size, 1, samples, (off, len) => Read(a + off, len));
            double all = threads > 1 ? Measure(size, threads, samples, (off, len) => Read(a + off, len)) : one;
            return (one, all);
        }
        finally { NativeMemory.AlignedFree(a); }
    }

    /// <summary>GB/s of <paramref name="body"/> over a working set split evenly between threads.</summary>
    private static double Measure(long size, int threads, int samples, Action<long, long> body)
    {
        long chunk = size / threads & ~255L;
        // Repeat small sets so each sample is long enough to time (and to amortize thread wake-up).
        int reps = (int)Math.Clamp((64L << 20) / size, 1, 4096);
        Action run = threads == 1
            ? () => { for (int r = 0; r < reps; r++) body(0, chunk); }
            : () => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                i => { for (int r = 0; r < reps; r++) body(i * chunk, chunk); });
        double sec = Timing.BestSecondsPerCall(run, samples, 0.005);
        return chunk * threads * (double)reps / sec / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long Read(byte* p, long bytes)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<long> s0 = default, s1 = default, s2 = default, s3 = default;
            long i = 0;
            for (; i + 256 <= bytes; i += 256)
            {
                s0 += Vector512.Load((long*)(p + i));
                s1 += Vector512.Load((long*)(p + i + 64));
                s2 += Vector512.Load((long*)(p + i + 128));
                s3 += Vector512.Load((long*)(p + i + 192));
            }
            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else
        {
            Vector256<long> s0 = default, s1 = default, s2 = default, s3 = default;
            for (long i = 0; i + 128 <= bytes; i += 128)
            {
                s0 += Vector256.Load((long*)(p + i));
                s1 += Vector256.Load((long*)(p + i + 32));
                s2 += Vector256.Load((long*)(p + i + 64));
                s3 += Vector256.Load((long*)(p + i + 96));
            }
            return Vector256.Sum((s0 + s1) + (s2 + s3));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Write(byte* p, long bytes, bool nonTemporal)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<byte> v = Vector512.Create((byte)3);
            if (nonTemporal) for (long i = 0; i + 64 <= bytes; i += 64) Avx512F.StoreAlignedNonTemporal(p + i, v);
            else for (long i = 0; i + 64 <= bytes; i += 64) Vector512.StoreAligned(v, p + i);
        }
        else if (Avx.IsSupported)
        {
            Vector256<byte> v = Vector256.Create((byte)3);
            if (nonTemporal) for (long i = 0; i + 32 <= bytes; i += 32) Avx.StoreAlignedNonTemporal(p + i, v);
            else for (long i = 0; i + 32 <= bytes; i += 32) Vector256.StoreAligned(v, p + i);
        }
        else NativeMemory.Fill(p, (nuint)bytes, 3);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Copy(byte* src, byte* dst, long bytes, bool nonTemporal)
    {
        if (Avx512F.IsSupported)
        {
            if (nonTemporal)
                for (long i = 0; i + 64 <= bytes; i += 64) Avx512F.StoreAlignedNonTemporal(dst + i, Vector512.LoadAligned(src + i));
            else
                for (long i = 0; i + 64 <= bytes; i += 64) Vector512.StoreAligned(Vector512.LoadAligned(src + i), dst + i);
        }
        else Buffer.MemoryCopy(src, dst, bytes, bytes);
    }
}

using PerfSim.Kernels;
using PerfSim.Kernels.Formats;
using MM = PerfSim.Kernels.MatMul.MatMul;

namespace PerfSim.Microbench;

/// <summary>
/// GEMV with weights no cache holds, and the DRAM read probe taken right before and after it (mean of the two).
/// <see cref="ShareOfProbe"/> is the fraction of the probe's bandwidth PerfSim's GEMV draws while it also unpacks and
/// multiplies. Its median over formats scales the profile's DRAM level (<see cref="HostMeasurement.GemvShareOfDramRead"/>).
/// </summary>
public sealed record DramGemvMeasurement(string Format, string Path, int Copies, long Bytes, double GBps, double ProbeGBps, int Threads)
{
    public double ShareOfProbe => ProbeGBps > 0 ? GBps / ProbeGBps : 0;
}

public static class DramGemv
{
    /// <summary>
    /// Copies of one 4096 × 14336 matrix (Llama-3-8B's FFN down shape), together at least twice the last-level cache
    /// and 512 MiB, are called one after another, as a decoder walks its layers: every call streams its weights from
    /// DRAM. (One matrix called in a loop stays in a large LLC: 33 MB of q4_0 in this host's 260 MiB L3 ran at 49 GB/s
    /// against a 28 GB/s DRAM probe.)
    /// </summary>
    public static DramGemvMeasurement Measure(QuantFormat format, int threads, long llcBytes, int samples = 5)
    {
        const int m = 4096, k = 14336;
        long one = QuantFormatTraits.Of(format).RowBytes(k) * m;
        long target = Math.Max(2 * llcBytes, 512L << 20);
        int copies = (int)Math.Max(2, (target + one - 1) / one);
        var ws = new QuantizedMatrix[copies];
        try
        {
            for (int i = 0; i < copies; i++) ws[i] = QuantizedMatrix.Random(format, m, k, seed: (ulong)i + 101).ToPreferredLayout();
            var rng = new Random(3);
            var x = new float[k];
            for (int i = 0; i < k; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            var y = new float[m];
            KernelPath path = KernelPaths.Best;
            var before = MemoryLadder.DramRead(llcBytes, threads);
            double sec = Timing.BestSecondsPerCall(() => { foreach (var w in ws) MM.Gemv(w, x, y, path, threads); }, samples, 0);
            var after = MemoryLadder.DramRead(llcBytes, threads);
            long bytes = ws.Sum(w => w.TotalBytes);
            return new DramGemvMeasurement(QuantFormatTraits.Of(format).Name, path.ToString(), copies, bytes, bytes / sec / 1e9,
                (before.AllThreadsGBps + after.AllThreadsGBps) / 2, PerfSim.Kernels.MatMul.RowParallel.ThreadCount(threads));
        }
        finally
        {
            foreach (var w in ws) w?.Dispose();
        }
    }
}

using System.Diagnostics;

namespace PerfSim.Microbench;

/// <summary>Best-of-N wall-clock timing. Best (not mean) because noise on a shared host only ever adds time.</summary>
public static class Timing
{
    /// <summary>
    /// Seconds per call of <paramref name="action"/>: calls are batched so one sample lasts at least
    /// <paramref name="minSampleSeconds"/>, and the fastest of <paramref name="samples"/> samples is returned.
    /// </summary>
    public static double BestSecondsPerCall(Action action, int samples = 5, double minSampleSeconds = 0.01)
    {
        action(); // warm-up: JIT tiering, page faults, caches
        var sw = Stopwatch.StartNew();
        action();
        double once = Math.Max(sw.Elapsed.TotalSeconds, 1e-7);
        int batch = (int)Math.Clamp(Math.Ceiling(minSampleSeconds / once), 1, 1_000_000);
        double best = double.MaxValue;
        for (int s = 0; s < samples; s++)
        {
            sw.Restart();
            for (int i = 0; i < batch; i++) action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / batch);
        }
        return best;
    }
}

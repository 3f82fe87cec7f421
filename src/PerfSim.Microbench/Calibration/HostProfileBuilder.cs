using System.Globalization;
using System.Text;

namespace PerfSim.Microbench.Calibration;

/// <summary>
/// Turns a host measurement into a hardware profile (YAML in the profile schema) whose figures are marked measured:
/// cache and DRAM levels from the memory ladder, compute peaks from the FMA/int8 loops, and per-format kernel rates
/// (GEMV unpack ceiling with weights hot in cache; GEMM FLOP/s). Power cannot be read from inside a VM, so it is
/// written as an assumption and says so.
/// </summary>
public static class HostProfileBuilder
{
    /// <summary>Kernel format names → PerfSim quantization scheme IDs.</summary>
    public static string QuantId(string kernelFormat) => kernelFormat == "f16" ? "fp16" : kernelFormat;

    public static double BytesPerWeight(string kernelFormat) => kernelFormat switch
    {
        "q4_0" => 18.0 / 32,
        "q8_0" => 34.0 / 32,
        "f16" => 2,
        _ => throw new ArgumentException($"unknown kernel format '{kernelFormat}'"),
    };

    /// <summary>
    /// One memory level derived from the ladder: capacity, the best all-thread read rate within it and, for a cache on a
    /// host with more than one core, the best one-thread rate (what one core draws from it; null: not measured).
    /// </summary>
    public sealed record Level(string Id, string Kind, long CapacityBytes, double ReadGBps, double? OneCoreGBps = null);

    public static IReadOnlyList<Level> Levels(HostMeasurement m)
    {
        var h = m.Host;
        int cores = Math.Max(1, h.Cores);   // L1 and L2 are per physical core; SMT siblings share them
        var all = m.Memory.Points.Where(p => p.Threads == m.Memory.Points.Max(x => x.Threads)).OrderBy(p => p.WorkingSetBytes).ToArray();
        long l1 = h.L1DataBytes * cores, l2 = h.L2Bytes * cores, l3 = h.LastLevelCacheBytes;
        static double BestOf(IEnumerable<MemoryLadderPoint> points, long lo, long hi) =>
            points.Where(p => p.WorkingSetBytes > lo && p.WorkingSetBytes <= hi).Select(p => p.ReadGBps).DefaultIfEmpty(0).Max();
        double Best(long lo, long hi) => BestOf(all, lo, hi);
        // One core's rate from a cache: the one-thread points in the same window (a single-thread run can neither use the
        // other cores' L1/L2 nor keep as many L3 misses in flight as all cores do). Only measured where all > 1 thread.
        var one = m.Memory.Points.Where(p => p.Threads == 1).ToArray();
        bool multi = all.Length > 0 && all[0].Threads > 1;
        double? OneCore(long lo, long hi) => multi && BestOf(one, lo, hi) is var v && v > 0 ? v : null;
        var levels = new List<Level>();
        if (l1 > 0) levels.Add(new("l1", "l1", l1, Best(0, l1), OneCore(0, l1)));
        if (l2 > l1) levels.Add(new("l2", "l2", l2, Best(l1, l2), OneCore(l1, l2)));
        // The LLC's own rate: working sets up to half of it (beyond that, misses to DRAM mix in).
        if (l3 > l2) levels.Add(new("l3", "l3", l3, Best(l2, l3 / 2), OneCore(l2, l3 / 2)));
        // DRAM at the rate PerfSim's GEMV draws from it (the read probe × the DRAM-resident GEMV's measured share of it):
        // a GEMV that also unpacks and multiplies streams below a pure read loop. In the caches the ladder's rate is
        // what GEMV reaches (L3-resident q4_0 and q8_0 GEMV ran at 0.98–1.0 of it), so only DRAM is scaled.
        levels.Add(new("dram", DramKind(), TotalMemoryBytes(), m.ReadGBpsAllThreads * (m.GemvShareOfDramRead ?? 1)));
        levels.RemoveAll(l => l.ReadGBps <= 0);
        // Innermost first, bandwidth never rising outwards: an inner level is at least as fast as the one outside it.
        for (int i = levels.Count - 2; i >= 0; i--)
            if (levels[i].ReadGBps < levels[i + 1].ReadGBps) levels[i] = levels[i] with { ReadGBps = levels[i + 1].ReadGBps };
        // A core's share is at most its level's rate (one thread can be timed a little above all threads in a noisy minute).
        for (int i = 0; i < levels.Count; i++)
            if (levels[i].OneCoreGBps is { } c && c > levels[i].ReadGBps) levels[i] = levels[i] with { OneCoreGBps = levels[i].ReadGBps };
        return levels;
    }

    public static string ToYaml(HostMeasurement m, string id, DateTime when)
    {
        var ci = CultureInfo.InvariantCulture;
        var h = m.Host;
        var sb = new StringBuilder();
        string Q(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        void L(string line) => sb.Append(line).Append('\n');
        string N(double v) => v.ToString("G7", ci);   // 7 significant digits: exact enough, never exponent form at these magnitudes

        L($"# Written by 'perfsim calibrate' on {when:yyyy-MM-dd HH:mm} UTC. Every figure is measured on this host unless its source says assumed.");
        L($"id: {id}");
        L($"name: {Q($"This host: {h.CpuModel} ({h.LogicalCores} logical cores)")}");
        L("kind: cpu");
        L($"vendor: {Vendor(h.CpuModel)}");
        L($"year: {when.Year}");
        L("sources:");
        L($"  calibration: {Q($"measured by perfsim calibrate on {when:yyyy-MM-dd}: {h.CpuModel}, {h.LogicalCores} logical cores on {h.Cores} physical, ISA {string.Join(" ", h.IsaFlags)}, kernel path {h.BestKernelPath}, {h.Runtime}, {h.OperatingSystem}")}");
        L($"  meminfo: {Q("/proc/meminfo MemTotal (memory visible to this OS)")}");
        L($"  sysfs: {Q(h.LastLevelCacheAssumed ? "L1d and L2 from /sys/devices/system/cpu or CPUID; LLC size not found: 32 MiB assumed" : "cache sizes from /sys/devices/system/cpu/cpu0/cache")}");
        L($"  assumed-power: {Q("Assumed: power cannot be read from inside this machine (no RAPL/IPMI access); 5 W TDP and 1 W idle per logical core as placeholders — replace with the CPU's datasheet figures")}");
        L($"notes: {Q($"Calibrated in {m.ElapsedSeconds:F0} s. Kernel rates are PerfSim's own kernels (src/PerfSim.Kernels) on path {h.BestKernelPath}.")}");
        L("engines:");
        L("  - id: cpu");
        L("    kind: cpu");
        L("    default: true");
        L($"    cores: {h.Cores}   # physical cores ({h.LogicalCores} logical): SMT siblings share a core's vector units and miss buffers");
        if (m.ReadGBpsOneThread > 0)
            L($"    core_bandwidth: {{ value: {N(m.ReadGBpsOneThread)} GB/s, source: calibration }}   # DRAM read by one thread: what each core adds until the socket saturates");
        L("    peak:");
        L($"      fp32: {{ value: {N(m.Compute.Fp32FmaGflopsAllCores)} GFLOPS, source: calibration }}");
        L($"      int8: {{ value: {N(m.Compute.Int8DotGopsAllCores)} GOPS, source: calibration }}");
        L("    efficiency:");
        const string Why = "the level bandwidths and peaks above are themselves measured sustained rates";
        L($"      memory_bandwidth: {{ value: 1, basis: measured, source: calibration, why: {Q(Why)} }}");
        L($"      gemm: {{ value: 1, basis: measured, source: calibration, why: {Q(Why + "; per-format GEMM rates below")} }}");
        L($"      gemv: {{ value: 1, basis: measured, source: calibration, why: {Q(Why + "; per-format unpack rates below")} }}");
        var hot = m.HotUnpack.GroupBy(x => x.Format).Select(g => g.OrderByDescending(x => x.WeightsPerSecondAllCores).First()).ToArray();
        if (hot.Length > 0)
        {
            L("    gemv_kernel_rate:   # weight bytes/s with the matrix hot in L2: the kernel's unpack ceiling, all cores");
            foreach (var x in hot)
                L($"      {QuantId(x.Format)}: {{ value: {N(x.WeightsPerSecondAllCores * BytesPerWeight(x.Format) / 1e9)} GB/s, source: calibration }}");
        }
        var gemm = m.Kernels.Where(k => k.N > 1).GroupBy(k => k.Format).Select(g => g.OrderByDescending(x => x.Gflops).First()).ToArray();
        if (gemm.Length > 0)
        {
            L("    gemm_kernel_rate:   # FLOP/s of the GEMM kernel (2·m·k·n / time), all cores");
            foreach (var x in gemm)
                L($"      {QuantId(x.Format)}: {{ value: {N(x.Gflops)} GFLOPS, source: calibration }}");
        }
        if (m.Calls is { } c)
        {
            // The host's own kernels' fixed costs: the engine adds them to every matmul call and attention kernel.
            L($"    kernel_costs:   # measured at {c.Threads} threads: per matmul call (quantize activation, hand-off, join); decode attention (fp32 KV, context {c.AttentionContextLow}-{c.AttentionContextHigh})");
            // A cost measured as zero is left out (the schema takes positive times; absent means none).
            if (c.GemvCallSeconds > 0) L($"      matmul_call: {{ value: {N(c.GemvCallSeconds * 1e6)} us, source: calibration }}");
            if (c.AttentionFixedSeconds > 0) L($"      attention_call: {{ value: {N(c.AttentionFixedSeconds * 1e6)} us, source: calibration }}");
            L($"      attention_kv_rate: {{ value: {N(c.AttentionKvBytesPerSecond / 1e9)} GB/s, source: calibration }}");
        }
        L("memory:");
        foreach (var level in Levels(m))
        {
            L($"  - id: {level.Id}");
            L($"    kind: {level.Kind}");
            L($"    capacity: {{ value: {N(level.CapacityBytes / 1024.0)} KiB, source: {(level.Id == "dram" ? "meminfo" : "sysfs")} }}");
            L($"    bandwidth: {{ value: {N(level.ReadGBps)} GB/s, source: calibration }}{(level.Id == "dram" && m.DramGemv is { Count: > 0 } dg ? DramComment(m, dg) : "")}");
            if (level.OneCoreGBps is { } oneCore)
                L($"    core_bandwidth: {{ value: {N(oneCore)} GB/s, source: calibration }}   # read by one thread: what one core draws from this level");
        }
        L("power:");
        L($"  tdp: {{ value: {5 * h.LogicalCores} W, source: assumed-power }}");
        L($"  idle: {{ value: {h.LogicalCores} W, source: assumed-power }}");
        return sb.ToString();
    }

    static string DramComment(HostMeasurement m, IReadOnlyList<DramGemvMeasurement> dg) =>
        string.Create(CultureInfo.InvariantCulture,
            $"   # read probe {m.ReadGBpsAllThreads:G4} GB/s × {m.GemvShareOfDramRead:F3}, the median share of the probe beside it that DRAM-resident GEMV drew ({string.Join(", ", dg.Select(d => $"{d.Format} {d.ShareOfProbe:F2}"))}; at most 1)");

    static string Vendor(string model)
    {
        var m = model.ToLowerInvariant();
        return m.Contains("amd") ? "amd" : m.Contains("intel") ? "intel" : m.Contains("apple") ? "apple"
            : m.Contains("neoverse") || m.Contains("arm") ? "arm" : "unknown";
    }

    // DDR generation cannot be read without privileges; DDR5 is a label only (it sets no figure).
    static string DramKind() => "ddr5";

    static long TotalMemoryBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;   // what the runtime sees, where /proc is absent
    }
}

using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics.Arm;
using PerfSim.Kernels;

namespace PerfSim.Microbench;

/// <summary>What the host is: CPU model, core count, caches and the SIMD features .NET reports as usable.</summary>
public sealed record HostInfo(
    string CpuModel,
    int LogicalCores,
    long L1DataBytes,
    long L2Bytes,
    long LastLevelCacheBytes,
    bool LastLevelCacheAssumed,
    IReadOnlyList<string> IsaFlags,
    string BestKernelPath,
    string Runtime,
    string OperatingSystem,
    int PhysicalCores = 0,
    IReadOnlyList<string>? UnusedCpuFeatures = null)
{
    /// <summary>Physical cores (SMT siblings counted once); the logical count where /proc/cpuinfo does not say.</summary>
    public int Cores => PhysicalCores > 0 ? PhysicalCores : LogicalCores;

    /// <summary>Used when /sys does not tell the last-level cache size.</summary>
    public const long AssumedLastLevelCacheBytes = 32L << 20;

    public static HostInfo Detect()
    {
        string[] cpuinfo = ReadCpuinfo();   // read once: model, flags and cores all come from it
        string model = CpuModelOf(cpuinfo);
        long l1 = 0, l2 = 0, llc = 0;
        try
        {
            foreach (string dir in Directory.GetDirectories("/sys/devices/system/cpu/cpu0/cache", "index*"))
            {
                string type = File.ReadAllText(Path.Combine(dir, "type")).Trim();
                int level = int.Parse(File.ReadAllText(Path.Combine(dir, "level")).Trim(), CultureInfo.InvariantCulture);
                long size = ParseSize(File.ReadAllText(Path.Combine(dir, "size")).Trim());
                if (level == 1 && type == "Data") l1 = size;
                else if (level == 2) l2 = size;
                if (type != "Instruction" && level >= 2) llc = Math.Max(llc, size);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        if (l1 == 0 && l2 == 0) (l1, l2) = CpuidL1L2();   // a VM without /sys cache entries still answers CPUID
        bool assumed = llc == 0;
        if (assumed) llc = AssumedLastLevelCacheBytes;

        var flags = new List<string>();
        void Add(bool ok, string name) { if (ok) flags.Add(name); }
        Add(Sse42.IsSupported, "SSE4.2");
        Add(Avx2.IsSupported, "AVX2");
        Add(Fma.IsSupported, "FMA");
        Add(Avx512F.IsSupported, "AVX-512F");
        Add(Avx512BW.IsSupported, "AVX-512BW");
        Add(Avx512F.VL.IsSupported, "AVX-512VL");
        Add(Avx512DQ.IsSupported, "AVX-512DQ");
        Add(Avx512Vbmi.IsSupported, "AVX-512VBMI");
        Add(AvxVnni.IsSupported, "AVX-VNNI");
        Add(Avx10v1.IsSupported, "AVX10.1");
        Add(AdvSimd.IsSupported, "AdvSimd");
        Add(Dp.IsSupported, "AdvSimd.Dot");
        Add(Vector512.IsHardwareAccelerated, "Vector512");
        Add(Vector256.IsHardwareAccelerated, "Vector256");
        Add(Vector128.IsHardwareAccelerated, "Vector128");
        IReadOnlySet<string> cpuFlags = CpuFlagsOf(cpuinfo);
        if (cpuFlags.Contains("avx512_vnni"))
            flags.Add("AVX-512VNNI(cpu; no .NET 10 intrinsic)");
        return new HostInfo(model, Environment.ProcessorCount, l1, l2, llc, assumed, flags, KernelPaths.Best.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, CountPhysicalCores(cpuinfo), UnusedCpuFeaturesOf(cpuFlags, flags));
    }

    /// <summary>
    /// L1d and L2 per core from CPUID: the deterministic cache leaf (4 on Intel, 0x8000001D on AMD), else AMD's legacy
    /// leaves 0x80000005/6. The L3 is not taken from CPUID: hypervisors report the whole host's (508 MiB here).
    /// </summary>
    private static (long L1, long L2) CpuidL1L2()
    {
        if (!X86Base.IsSupported) return (0, 0);
        long l1 = 0, l2 = 0;
        foreach (int leaf in new[] { 4, unchecked((int)0x8000001D) })
            for (int i = 0; i < 8; i++)
            {
                var (a, b, c, _) = X86Base.CpuId(leaf, i);
                int type = a & 31, level = (a >> 5) & 7;
                if (type == 0) break;
                long size = ((b & 0xFFF) + 1L) * (((b >> 12) & 0x3FF) + 1L) * (((b >> 22) & 0x3FF) + 1L) * ((uint)c + 1L);
                if (level == 1 && type == 1) l1 = size;
                else if (level == 2 && type != 2) l2 = size;
            }
        if (l1 == 0 && l2 == 0 && (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax >= 0x80000006)
        {
            l1 = (long)((uint)X86Base.CpuId(unchecked((int)0x80000005), 0).Ecx >> 24) << 10;
            l2 = (long)((uint)X86Base.CpuId(unchecked((int)0x80000006), 0).Ecx >> 16) << 10;
        }
        return (l1, l2);
    }

    /// <summary>Distinct (physical id, core id) pairs in /proc/cpuinfo: SMT siblings share one pair. 0 when unknown.</summary>
    public static int CountPhysicalCores(IEnumerable<string> cpuinfoLines)
    {
        var pairs = new HashSet<(string, string)>();
        string socket = "0";
        foreach (string line in cpuinfoLines)
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (key == "physical id") socket = value;
            else if (key == "core id") pairs.Add((socket, value));
        }
        return pairs.Count;
    }

    /// <summary>
    /// Instruction sets the CPU reports (/proc/cpuinfo) that this build of PerfSim cannot use. A native build compiled
    /// for baseline x64 silently runs the kernels' scalar path (10–50× slower), so calibrate must say so.
    /// </summary>
    public static IReadOnlyList<string> UnusedCpuFeaturesOf(IReadOnlySet<string> cpuFlags, IReadOnlyList<string> runtimeFlags)
    {
        (string Cpu, string Runtime)[] pairs = [("avx2", "AVX2"), ("fma", "FMA"), ("avx512bw", "AVX-512BW"), ("avx512vbmi", "AVX-512VBMI")];
        return pairs.Where(p => cpuFlags.Contains(p.Cpu) && !runtimeFlags.Contains(p.Runtime)).Select(p => p.Runtime).ToArray();
    }

    /// <summary>The lines of /proc/cpuinfo; none where it is missing or unreadable.</summary>
    private static string[] ReadCpuinfo()
    {
        try { return File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : []; }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    /// <summary>The `flags` line of /proc/cpuinfo (empty where there is none).</summary>
    public static IReadOnlySet<string> CpuFlagsOf(IEnumerable<string> cpuinfoLines) =>
        (cpuinfoLines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : []).ToHashSet(StringComparer.Ordinal);

    private static string CpuModelOf(IEnumerable<string> cpuinfoLines) =>
        cpuinfoLines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

    private static long ParseSize(string s)
    {
        long mult = 1;
        if (s.EndsWith('K')) { mult = 1024; s = s[..^1]; }
        else if (s.EndsWith('M')) { mult = 1024 * 1024; s = s[..^1]; }
        return long.Parse(s, CultureInfo.InvariantCulture) * mult;
    }

    /// <summary>One-paragraph summary in the style of BenchmarkDotNet's environment header.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel}, {LogicalCores} logical cores ({Cores} physical); L1d {L1DataBytes >> 10} KiB, L2 {L2Bytes >> 10} KiB, LLC {LastLevelCacheBytes >> 20} MiB{(LastLevelCacheAssumed ? " (assumed)" : "")}\n" +
        $"  {Runtime} on {OperatingSystem}; kernel path {BestKernelPath}\n  ISA: {string.Join(", ", IsaFlags)}");
}

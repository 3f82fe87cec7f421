using System.Text.RegularExpressions;
using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;

namespace PerfSim.Core.Tests.Library;

/// <summary>Checks on the CPU, SoC and NPU hardware profiles in hardware-profiles/{cpu,soc,npu}.</summary>
public sealed class CpuSocLibraryTests
{
    static ProfileCatalog Catalog => TestRepo.Catalog;

    public static readonly string[] AppleIds =
    [
        "apple-m1-7c", "apple-m1-8c", "apple-m1-pro-14c", "apple-m1-pro-16c", "apple-m1-max-24c", "apple-m1-max-32c",
        "apple-m1-ultra-48c", "apple-m1-ultra-64c", "apple-m2-8c", "apple-m2-10c", "apple-m2-pro-16c", "apple-m2-pro-19c",
        "apple-m2-max-30c", "apple-m2-max-38c", "apple-m2-ultra-60c", "apple-m2-ultra-76c", "apple-m3-10c", "apple-m3-pro-14c",
        "apple-m3-pro-18c", "apple-m3-max-30c", "apple-m3-max-40c", "apple-m3-ultra-60c", "apple-m3-ultra-80c", "apple-m4-10c",
        "apple-m4-pro-16c", "apple-m4-pro-20c", "apple-m4-max-32c", "apple-m4-max-40c",
    ];

    public static readonly string[] OtherIds =
    [
        "amd-ryzen-9-7950x", "amd-ryzen-ai-max-plus-395", "amd-threadripper-pro-5975wx", "intel-xeon-platinum-8480plus",
        "amd-epyc-9654", "amd-epyc-9755", "intel-xeon-max-9480", "intel-xeon-6980p", "intel-core-i9-13900k",
        "intel-core-ultra-7-155h", "intel-core-ultra-7-258v", "qualcomm-snapdragon-8-gen-2", "qualcomm-snapdragon-8-gen-3",
        "qualcomm-snapdragon-x-elite", "nvidia-grace", "aws-graviton4", "nvidia-dgx-spark",
    ];

    public static TheoryData<string> RequiredIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AppleIds.Concat(OtherIds)) data.Add(id);
        return data;
    }

    /// <summary>Every profile this library owns: the required IDs (whatever folder they are in) plus anything in cpu/, soc/, npu/.</summary>
    static IEnumerable<HardwareProfile> Mine()
    {
        var required = new HashSet<string>(AppleIds.Concat(OtherIds));
        return Catalog.Hardware.Values.Where(h =>
            required.Contains(h.Id) ||
            h.File.StartsWith("hardware-profiles/cpu/", StringComparison.Ordinal) ||
            h.File.StartsWith("hardware-profiles/soc/", StringComparison.Ordinal) ||
            h.File.StartsWith("hardware-profiles/npu/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RequiredIds))]
    public void Required_profile_is_present(string id)
    {
        Assert.True(Catalog.Hardware.ContainsKey(id), $"hardware profile '{id}' is missing");
        var hw = Catalog.Hardware[id];
        Assert.NotEmpty(hw.Engines);
        Assert.NotEmpty(hw.Memory);
    }

    [Fact]
    public void Apple_bins_scale_gpu_peak_with_gpu_core_count()
    {
        var chips = AppleIds.GroupBy(id => Regex.Replace(id, @"-\d+c$", ""));
        foreach (var chip in chips)
        {
            var variants = chip.Select(id =>
            {
                var hw = Catalog.Hardware[id];
                var gpu = hw.EngineOfKind(EngineKind.Gpu) ?? throw new Xunit.Sdk.XunitException($"{id} has no GPU engine");
                var cores = int.Parse(Regex.Match(id, @"-(\d+)c$").Groups[1].Value);
                Assert.Equal(cores, gpu.Cores);
                Assert.True(gpu.IsDefault, $"{id}: the GPU should be the default engine on Apple SoCs");
                var fp32 = gpu.DensePeak[DataType.Fp32].Value.Value;
                // Apple GPUs run FP16 at the FP32 rate.
                Assert.Equal(fp32, gpu.DensePeak[DataType.Fp16].Value.Value, fp32 * 1e-9);
                return (id, perCore: fp32 / cores);
            }).ToArray();
            foreach (var v in variants)
                Assert.True(Math.Abs(v.perCore / variants[0].perCore - 1) < 0.01,
                    $"{v.id}: GPU fp32 per core {v.perCore:E3} differs by more than 1% from {variants[0].id} ({variants[0].perCore:E3})");
        }
    }

    [Fact]
    public void Apple_bandwidth_matches_the_datasheet_table()
    {
        var expected = new Dictionary<string, double>
        {
            ["apple-m1-8c"] = 68.25, ["apple-m1-pro-16c"] = 200, ["apple-m1-max-32c"] = 400, ["apple-m1-ultra-64c"] = 800,
            ["apple-m2-10c"] = 100, ["apple-m2-pro-19c"] = 200, ["apple-m2-max-38c"] = 400, ["apple-m2-ultra-76c"] = 800,
            ["apple-m3-10c"] = 100, ["apple-m3-pro-18c"] = 150, ["apple-m3-pro-14c"] = 150, ["apple-m3-max-40c"] = 400,
            ["apple-m3-max-30c"] = 300, ["apple-m3-ultra-80c"] = 819, ["apple-m4-10c"] = 120, ["apple-m4-pro-20c"] = 273,
            ["apple-m4-pro-16c"] = 273, ["apple-m4-max-40c"] = 546, ["apple-m4-max-32c"] = 410,
        };
        foreach (var (id, gbs) in expected)
            Assert.Equal(gbs * 1e9, Catalog.Hardware[id].DeviceMemory.Bandwidth.Value.Value, 1e6);
    }

    [Fact]
    public void Soc_engines_share_one_memory_list_and_one_default()
    {
        foreach (var hw in Mine().Where(h => h.Kind == DeviceKind.Soc))
        {
            Assert.True(hw.Engines.Count >= 2, $"{hw.Id}: a SoC should describe each of its engines");
            Assert.Single(hw.Engines, e => e.IsDefault);
            Assert.NotEmpty(hw.Memory);
            // One shared list: the outermost level is DRAM and no engine may claim more than it.
            Assert.False(hw.DeviceMemory.Kind.IsCache(), $"{hw.Id}: outermost memory must be DRAM");
            foreach (var e in hw.Engines)
                if (e.MemoryBandwidthLimit is { } limit)
                    Assert.True(limit.Value.Value < hw.DeviceMemory.Bandwidth.Value.Value, $"{hw.Id}.{e.Id}: bandwidth limit must be below the shared bandwidth");
            Assert.Equal(hw.Memory.Count, hw.Memory.Select(m => m.Id).Distinct().Count());
        }
    }

    [Fact]
    public void Every_cpu_engine_has_an_fp32_peak()
    {
        foreach (var hw in Mine())
            foreach (var e in hw.Engines.Where(e => e.Kind == EngineKind.Cpu))
                Assert.True(e.DensePeak.ContainsKey(DataType.Fp32), $"{hw.Id}.{e.Id} has no fp32 peak");
    }

    [Fact]
    public void Power_is_consistent()
    {
        foreach (var hw in Mine())
        {
            var p = hw.Power;
            Assert.True(p.Tdp.Value.Value > p.Idle.Value.Value, $"{hw.Id}: TDP must exceed idle");
            if (p.Sustained is { } s)
                Assert.True(s.Value.Value <= p.Tdp.Value.Value, $"{hw.Id}: sustained power must not exceed TDP");
        }
    }

    [Fact]
    public void Every_number_names_a_defined_source_and_efficiencies_are_labelled()
    {
        foreach (var hw in Mine())
            foreach (var e in hw.Engines)
            {
                foreach (var (_, peak) in e.DensePeak) Assert.True(hw.Sources.ContainsKey(peak.Source), $"{hw.Id}: unknown source {peak.Source}");
                foreach (var eff in new[] { e.Efficiency.MemoryBandwidth, e.Efficiency.Gemm, e.Efficiency.Gemv })
                {
                    Assert.InRange(eff.Value, 0.01, 1.0);
                    Assert.False(string.IsNullOrWhiteSpace(eff.Why), $"{hw.Id}.{e.Id}: efficiency without a reason");
                }
            }
    }

    [Fact]
    public void Dgx_spark_peaks_are_dense()
    {
        var gpu = Catalog.Hardware["nvidia-dgx-spark"].EngineOfKind(EngineKind.Gpu)!;
        // NVIDIA quotes 1 PFLOP FP4 with 2:4 sparsity; the dense peak is half.
        Assert.Equal(0.5e15, gpu.DensePeak[DataType.Fp4].Value.Value, 1e12);
    }
}

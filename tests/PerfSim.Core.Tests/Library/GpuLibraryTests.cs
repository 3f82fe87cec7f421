using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;

namespace PerfSim.Core.Tests.Library;

/// <summary>
/// Checks the GPU / accelerator / system / interconnect / memory-technology library in `hardware-profiles/`:
/// the required IDs exist and every hardware profile obeys basic physical and bookkeeping relations.
/// </summary>
public sealed class GpuLibraryTests
{
    static ProfileCatalog Catalog => TestRepo.Catalog;

    public static TheoryData<string> RequiredDeviceIds => new(
        "nvidia-a100-sxm-80gb", "nvidia-a100-40gb", "nvidia-b200", "nvidia-h100-sxm", "nvidia-h200-sxm", "nvidia-l40s",
        "nvidia-rtx-3060-12gb", "nvidia-rtx-3070", "nvidia-rtx-3080", "nvidia-rtx-3080-ti", "nvidia-rtx-3090",
        "nvidia-rtx-4070-ti", "nvidia-rtx-4070-ti-super", "nvidia-rtx-4080", "nvidia-rtx-4090",
        "nvidia-rtx-5060-ti-16gb", "nvidia-rtx-5070", "nvidia-rtx-5070-ti", "nvidia-rtx-5080", "nvidia-rtx-5090",
        "nvidia-rtx-a6000", "amd-mi300x", "amd-radeon-rx-7900-xtx", "intel-arc-a770", "nvidia-h100-pcie",
        "nvidia-h100-nvl", "nvidia-l4", "nvidia-gb200", "nvidia-gh200", "nvidia-rtx-pro-6000-blackwell", "amd-mi325x",
        "amd-mi250x", "amd-radeon-rx-9070-xt", "intel-gaudi2", "intel-gaudi3", "intel-arc-b580",
        "intel-data-center-gpu-max-1550", "intel-data-center-gpu-flex-170", "google-tpu-v5e", "google-tpu-v5p",
        "aws-inferentia2", "aws-trainium2");

    public static TheoryData<string> RequiredSystemIds => new(
        "nvidia-dgx-h100", "nvidia-hgx-h200", "nvidia-dgx-b200", "nvidia-gb200-nvl72", "nvidia-dgx-gh200",
        "amd-mi300x-8x", "intel-gaudi2-8x");

    public static TheoryData<string> RequiredInterconnectIds => new(
        "pcie-gen3-x16", "pcie-gen4-x16", "pcie-gen5-x16", "pcie-gen6-x16", "nvlink-3", "nvlink-4", "nvlink-5", "nvlink-c2c",
        "nvswitch-gen3", "nvswitch-gen4", "infiniband-hdr", "infiniband-ndr", "infiniband-xdr", "ethernet-100g-roce",
        "ethernet-200g-roce", "ethernet-400g-roce", "ethernet-800g-roce", "upi-16gt", "upi-24gt", "infinity-fabric-mi300x",
        "infinity-fabric-mi250x", "cxl-2-x16", "cxl-3-x16", "tpu-ici-v5e", "tpu-ici-v5p", "neuronlink-v2", "neuronlink-v3");

    public static TheoryData<string> RequiredMemoryIds => new(
        "ddr4-3200", "ddr5-4800", "ddr5-5600", "ddr5-6400", "mrdimm-8800", "lpddr5-6400", "lpddr5x-7500", "lpddr5x-8533",
        "lpddr5x-9600", "gddr6", "gddr6x", "gddr7", "hbm2", "hbm2e", "hbm3", "hbm3e");

    public static TheoryData<string> AllHardwareIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var id in Catalog.Hardware.Keys.Order(StringComparer.Ordinal)) data.Add(id);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RequiredDeviceIds))]
    public void RequiredDevice_IsPresent_AndIsGpuOrAccelerator(string id)
    {
        Assert.True(Catalog.Hardware.TryGetValue(id, out var hw), $"missing hardware profile '{id}'");
        Assert.Contains(hw!.Kind, new[] { DeviceKind.Gpu, DeviceKind.Accelerator });
        Assert.NotEmpty(hw.Engines);
        Assert.NotEmpty(hw.Memory);
    }

    [Theory]
    [MemberData(nameof(RequiredSystemIds))]
    public void RequiredSystem_IsPresent_AndBuiltOfAKnownDevice(string id)
    {
        Assert.True(Catalog.Hardware.TryGetValue(id, out var hw), $"missing system profile '{id}'");
        Assert.Equal(DeviceKind.System, hw!.Kind);
        var sys = Assert.IsType<SystemSpec>(hw.System);
        Assert.True(sys.Count >= 2, $"{id}: a system has at least two devices");
        var device = Catalog.Hardware[sys.Device];
        Assert.NotEqual(DeviceKind.System, device.Kind);
        Assert.Same(device.Engines, hw.Engines);
    }

    [Theory]
    [MemberData(nameof(RequiredInterconnectIds))]
    public void RequiredInterconnect_IsPresent(string id) =>
        Assert.True(Catalog.Interconnects.ContainsKey(id), $"missing interconnect profile '{id}'");

    [Theory]
    [MemberData(nameof(RequiredMemoryIds))]
    public void RequiredMemoryTechnology_IsPresent(string id) =>
        Assert.True(Catalog.MemoryTechnologies.ContainsKey(id), $"missing memory technology '{id}'");

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void Engines_SparsePeak_IsAtLeastDense(string id)
    {
        foreach (var e in Catalog.Hardware[id].Engines)
            foreach (var (type, sparse) in e.SparsePeak)
                if (e.DensePeak.TryGetValue(type, out var dense))
                    Assert.True(sparse.Value.Value >= dense.Value.Value, $"{id}/{e.Id}: {type} sparse {sparse.Value} < dense {dense.Value}");
    }

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void Power_TdpExceedsIdle(string id)
    {
        var p = Catalog.Hardware[id].Power;
        Assert.True(p.Tdp.Value.Value > p.Idle.Value.Value, $"{id}: TDP {p.Tdp.Value} not above idle {p.Idle.Value}");
    }

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void Memory_GrowsInCapacity_AndShrinksInBandwidth_Outward(string id)
    {
        var m = Catalog.Hardware[id].Memory;
        Assert.NotEmpty(m);
        for (int i = 1; i < m.Count; i++)
        {
            Assert.True(m[i].Capacity.Value.Value >= m[i - 1].Capacity.Value.Value, $"{id}: '{m[i].Id}' smaller than '{m[i - 1].Id}'");
            Assert.True(m[i].Bandwidth.Value.Value <= m[i - 1].Bandwidth.Value.Value, $"{id}: '{m[i].Id}' faster than '{m[i - 1].Id}'");
        }
        Assert.False(m[^1].Kind.IsCache(), $"{id}: outermost level must be device memory");
    }

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void Links_ReferenceKnownInterconnects(string id)
    {
        var hw = Catalog.Hardware[id];
        foreach (var link in new[] { hw.HostLink, hw.DeviceLink, hw.System?.Fabric, hw.System?.ScaleOut })
            if (link is not null)
            {
                Assert.True(Catalog.Interconnects.ContainsKey(link.Interconnect), $"{id}: unknown interconnect '{link.Interconnect}'");
                Assert.True(link.Count >= 1);
            }
    }

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void Year_IsPlausible(string id) =>
        Assert.InRange(Catalog.Hardware[id].Year, 2015, 2026);

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void EverySourceKeyUsed_ResolvesToText(string id)
    {
        var hw = Catalog.Hardware[id];
        foreach (var key in SourceKeysUsed(hw))
        {
            Assert.True(hw.Sources.TryGetValue(key, out var text), $"{id}: source key '{key}' is not in its sources table");
            Assert.False(string.IsNullOrWhiteSpace(text), $"{id}: source key '{key}' has no text");
        }
    }

    [Fact]
    public void InterconnectsAndMemoryTechnologies_HaveSourcedPositiveFigures()
    {
        foreach (var ic in Catalog.Interconnects.Values)
        {
            Assert.True(ic.BandwidthPerDirection.Value.Value > 0, ic.Id);
            foreach (var key in new[] { ic.BandwidthPerDirection.Source, ic.Latency?.Source, ic.EnergyPerByte?.Source }.OfType<string>())
                Assert.False(string.IsNullOrWhiteSpace(ic.Sources.GetValueOrDefault(key)), $"{ic.Id}: source '{key}'");
        }
        foreach (var mt in Catalog.MemoryTechnologies.Values)
        {
            Assert.True(mt.BandwidthPerUnit.Value.Value > 0, mt.Id);
            foreach (var key in new[] { mt.BandwidthPerUnit.Source, mt.EnergyPerByte?.Source }.OfType<string>())
                Assert.False(string.IsNullOrWhiteSpace(mt.Sources.GetValueOrDefault(key)), $"{mt.Id}: source '{key}'");
        }
    }

    [Theory]
    [MemberData(nameof(AllHardwareIds))]
    public void MemoryTechnology_ReferencesResolve_AndMatchKind(string id)
    {
        foreach (var m in Catalog.Hardware[id].Memory)
            if (m.Technology is { } t)
            {
                Assert.True(Catalog.MemoryTechnologies.TryGetValue(t, out var tech), $"{id}: unknown memory technology '{t}'");
                Assert.Equal(tech!.Kind, m.Kind);
            }
    }

    [Theory]
    [InlineData("nvidia-gb200")]
    [InlineData("nvidia-gh200")]
    public void GraceSuperchipGpus_OffloadOverNvlinkC2c(string id)
    {
        var hw = Catalog.Hardware[id];
        Assert.True(hw.AllowOffload);
        Assert.Equal("nvlink-c2c", hw.HostLink?.Interconnect);
    }

    [Theory]
    [InlineData("aws-inferentia2", 32.0)]
    [InlineData("aws-trainium2", 96.0)]
    public void AwsChips_MemoryIsStatedInGiB(string id, double gib) =>
        Assert.Equal(gib, new PerfSim.Core.Units.Bytes(Catalog.Hardware[id].Memory[^1].Capacity.Value.Value).GiB, 6);

    // A system's engines, memory and (unless overridden) links come from its device and cite the device's sources.
    static IEnumerable<string> SourceKeysUsed(HardwareProfile hw)
    {
        var device = hw.System is { } sys ? Catalog.Hardware[sys.Device] : null;
        foreach (var e in device is null ? hw.Engines : [])
        {
            foreach (var p in e.DensePeak.Values) yield return p.Source;
            foreach (var p in e.SparsePeak.Values) yield return p.Source;
            foreach (var p in e.EnergyPerOp.Values) yield return p.Source;
            foreach (var p in e.GemvKernelRate.Values) yield return p.Source;
            if (e.MemoryBandwidthLimit is { } l) yield return l.Source;
            if (e.Clock is { } c) yield return c.Source;
        }
        foreach (var m in device is null ? hw.Memory : [])
        {
            yield return m.Capacity.Source;
            yield return m.Bandwidth.Source;
            if (m.EnergyPerByte is { } en) yield return en.Source;
        }
        yield return hw.Power.Tdp.Source;
        yield return hw.Power.Idle.Source;
        if (hw.Power.Sustained is { } s) yield return s.Source;
        if (hw.Price.Purchase is { } pp) yield return pp.Source;
        if (hw.Price.CloudHourly is { } ch) yield return ch.Source;
        foreach (var link in new[] { hw.HostLink, hw.DeviceLink, hw.System?.Fabric, hw.System?.ScaleOut })
            if (link is not null && (device is null || (!ReferenceEquals(link, device.HostLink) && !ReferenceEquals(link, device.DeviceLink))))
                yield return link.Source;
    }
}

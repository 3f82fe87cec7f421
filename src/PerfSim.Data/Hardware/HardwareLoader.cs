using PerfSim.Data.Profiles;
using PerfSim.Core.Units;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Data.Hardware;

/// <summary>Turns one (already `extends`-merged) hardware YAML mapping into a validated <see cref="HardwareProfile"/>.</summary>
public static class HardwareLoader
{
    public static HardwareProfile Load(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var file = root.File;
        var id = root.String("id");
        var name = root.String("name");
        var kind = root.Enum<DeviceKind>("kind");
        var vendor = root.String("vendor");
        var year = root.PositiveInt("year");
        if (year < 1990 || year > 2035) throw root.Error("year", $"expected a year between 1990 and 2035, got {year}");
        var extends = root.OptionalString("extends");
        var sources = SourcedFields.ReadSources(root);
        var f = new SourcedFields(sources);
        root.OptionalString("notes");

        SystemSpec? system = null;
        IReadOnlyList<ComputeEngine> engines = [];
        IReadOnlyList<MemoryLevel> memory = [];
        if (kind == DeviceKind.System)
        {
            system = ReadSystem(root.Map("system"), f);
        }
        else
        {
            engines = root.List("engines").Select(e => ReadEngine(e, f)).ToArray();
            if (engines.Count(e => e.IsDefault) > 1) throw root.Error("engines", "at most one engine may be marked default: true");
            if (engines.Select(e => e.Id).Distinct().Count() != engines.Count) throw root.Error("engines", "engine ids must be unique");
            memory = root.List("memory").Select(m => ReadMemory(m, f)).ToArray();
            CheckHierarchy(root, memory);
            if (memory.FirstOrDefault(m => m.CoreBandwidth is not null) is { } perCore && engines.All(e => e.Kind != EngineKind.Cpu))
                throw root.Error("memory", $"level '{perCore.Id}' sets core_bandwidth, the rate one CPU core draws from it, but this device has no CPU engine");
        }

        var power = ReadPower(root.Map("power"), f);
        var price = ReadPrice(root.OptionalMap("price"), f);
        LinkRef? host = null, device = null;
        if (root.OptionalMap("links") is { } links)
        {
            host = ReadLink(links.OptionalMap("host"), f);
            device = ReadLink(links.OptionalMap("device"), f);
            links.Done();
        }
        var offload = root.OptionalBool("offload", false);
        root.Done();
        return new HardwareProfile(id, name, kind, vendor, year, extends, sources, engines, memory, power, price, host, device, offload, system, file);
    }

    static ComputeEngine ReadEngine(YamlMap e, SourcedFields f)
    {
        var id = e.String("id");
        var kind = e.Enum<EngineKind>("kind");
        var isDefault = e.OptionalBool("default", false);
        var dense = ReadPeaks(e.Map("peak"), f);
        if (dense.Count == 0) throw e.Error("peak", "must give at least one data type's dense peak");
        var sparse = e.OptionalMap("sparse_peak") is { } sp ? ReadPeaks(sp, f) : new Dictionary<DataType, Sourced<OpsPerSecond>>();
        foreach (var (t, s) in sparse)
            if (dense.TryGetValue(t, out var d) && s.Value.Value < d.Value.Value)
                throw e.Error("sparse_peak", $"{t.Kebab()} sparse peak is below the dense peak: dense and sparse figures look swapped");

        var energy = new Dictionary<DataType, Sourced<JoulesPerOp>>();
        if (e.OptionalMap("energy_per_op") is { } ep)
        {
            foreach (var (k, v) in ep.Entries())
            {
                var t = ParseDataType(ep, k);
                var s = f.Read(v, QuantityKind.EnergyPerOp);
                energy[t] = new(new JoulesPerOp(s.Value), s.Source);
            }
            ep.Done();
        }
        var eff = e.Map("efficiency");
        var efficiency = new EngineEfficiency(f.Efficiency(eff, "memory_bandwidth"), f.Efficiency(eff, "gemm"), f.Efficiency(eff, "gemv"));
        eff.Done();
        var limit = f.OptionalQuantity(e, "memory_bandwidth_limit", QuantityKind.BytesPerSecond);
        var rates = PerFormat(e, "gemv_kernel_rate", QuantityKind.BytesPerSecond, f, v => new BytesPerSecond(v));
        var gemmRates = PerFormat(e, "gemm_kernel_rate", QuantityKind.OpsPerSecond, f, v => new OpsPerSecond(v));
        var cores = e.OptionalPositiveInt("cores");
        var clock = f.OptionalQuantity(e, "clock", QuantityKind.Hertz);
        // Vector-ALU peaks (CUDA cores / shader ALUs, AVX/NEON/VNNI): what a backend on the vector path runs at.
        var vector = e.OptionalMap("vector_peak") is { } vp ? ReadPeaks(vp, f) : null;
        if (vector is not null)
            foreach (var (t, v) in vector)
                if (dense.TryGetValue(t, out var d) && v.Value.Value > d.Value.Value * (1 + 1e-9))
                    throw e.Error("vector_peak", $"{t.Kebab()} vector peak is above the dense peak: the dense peak is the fastest path");
        var coreBw = f.OptionalQuantity(e, "core_bandwidth", QuantityKind.BytesPerSecond);
        if (coreBw is not null && kind != EngineKind.Cpu) throw e.Error("core_bandwidth", "is a CPU engine's per-core memory bandwidth; this engine is not a CPU");
        HostKernelCosts? costs = null;
        if (e.OptionalMap("kernel_costs") is { } kc)
        {
            // A cost the microbenchmark measured as none (its fit's intercept at zero) is left out: absent means 0.
            var call = f.OptionalQuantity(kc, "matmul_call", QuantityKind.Seconds);
            var att = f.OptionalQuantity(kc, "attention_call", QuantityKind.Seconds);
            var rate = f.Quantity(kc, "attention_kv_rate", QuantityKind.BytesPerSecond);
            kc.Done();
            costs = new HostKernelCosts(call is { } cv ? new(new Seconds(cv.Value), cv.Source) : new(Seconds.Zero, "none measured"),
                att is { } av ? new(new Seconds(av.Value), av.Source) : new(Seconds.Zero, "none measured"),
                new(new BytesPerSecond(rate.Value), rate.Source));
        }
        e.Done();
        return new ComputeEngine(id, kind, isDefault, dense, sparse, energy, efficiency,
            limit is { } l ? new(new BytesPerSecond(l.Value), l.Source) : null, rates, cores,
            clock is { } c ? new(new Hertz(c.Value), c.Source) : null, gemmRates, vector,
            coreBw is { } cb ? new(new BytesPerSecond(cb.Value), cb.Source) : null, costs);
    }

    // `key: { q4_0: { value: ..., source: ... }, ... }`: a measured rate per weight format (quantization scheme ID).
    static Dictionary<string, Sourced<T>> PerFormat<T>(YamlMap engine, string key, QuantityKind kind, SourcedFields f, Func<double, T> make)
    {
        var result = new Dictionary<string, Sourced<T>>(StringComparer.Ordinal);
        if (engine.OptionalMap(key) is not { } map) return result;
        foreach (var (format, v) in map.Entries())
        {
            var s = f.Read(v, kind);
            result[format] = new(make(s.Value), s.Source);
        }
        map.Done();
        return result;
    }

    static Dictionary<DataType, Sourced<OpsPerSecond>> ReadPeaks(YamlMap peaks, SourcedFields f)
    {
        var result = new Dictionary<DataType, Sourced<OpsPerSecond>>();
        foreach (var (k, v) in peaks.Entries())
        {
            var t = ParseDataType(peaks, k);
            var s = f.Read(v, QuantityKind.OpsPerSecond);
            result[t] = new(new OpsPerSecond(s.Value), s.Source);
        }
        peaks.Done();
        return result;
    }

    internal static DataType ParseDataType(YamlMap parent, string key)
    {
        foreach (var t in Enum.GetValues<DataType>())
            if (string.Equals(t.ToString(), key, StringComparison.OrdinalIgnoreCase)) return t;
        throw parent.Error(key, $"unknown data type; expected one of {string.Join(", ", Enum.GetNames<DataType>().Select(n => n.ToLowerInvariant()))}");
    }

    static MemoryLevel ReadMemory(YamlMap m, SourcedFields f)
    {
        var id = m.String("id");
        var kind = m.Enum<MemoryKind>("kind");
        var cap = f.Quantity(m, "capacity", QuantityKind.Bytes);
        var bw = f.Quantity(m, "bandwidth", QuantityKind.BytesPerSecond);
        var energy = f.OptionalQuantity(m, "energy_per_byte", QuantityKind.EnergyPerByte);
        var tech = m.OptionalString("technology");
        var coreBw = f.OptionalQuantity(m, "core_bandwidth", QuantityKind.BytesPerSecond);
        m.Done();
        return new MemoryLevel(id, kind, new(new Bytes(cap.Value), cap.Source), new(new BytesPerSecond(bw.Value), bw.Source),
            energy is { } en ? new(new JoulesPerByte(en.Value), en.Source) : null, tech,
            coreBw is { } cb ? new(new BytesPerSecond(cb.Value), cb.Source) : null);
    }

    // Innermost first: capacity grows and bandwidth does not grow going outwards; a violation is a data error.
    static void CheckHierarchy(YamlMap root, IReadOnlyList<MemoryLevel> memory)
    {
        for (int i = 1; i < memory.Count; i++)
        {
            var inner = memory[i - 1];
            var outer = memory[i];
            if (outer.Capacity.Value < inner.Capacity.Value)
                throw root.Error("memory", $"level '{outer.Id}' is smaller than the level inside it ('{inner.Id}'): list levels innermost to outermost");
            if (outer.Bandwidth.Value.Value > inner.Bandwidth.Value.Value)
                throw root.Error("memory", $"level '{outer.Id}' has more bandwidth than the level inside it ('{inner.Id}'): list levels innermost to outermost");
        }
        if (memory[^1].Kind.IsCache())
            throw root.Error("memory", "the outermost level must be a DRAM/HBM level (the device memory that holds the weights)");
    }

    static PowerSpec ReadPower(YamlMap p, SourcedFields f)
    {
        var tdp = f.Quantity(p, "tdp", QuantityKind.Watts);
        var idle = f.Quantity(p, "idle", QuantityKind.Watts);
        var sustained = f.OptionalQuantity(p, "sustained", QuantityKind.Watts);
        if (idle.Value >= tdp.Value) throw p.Error("idle", "idle power must be below the TDP");
        if (sustained is { } s && s.Value > tdp.Value) throw p.Error("sustained", "sustained power must not exceed the TDP");
        p.Done();
        return new PowerSpec(new(new Watts(tdp.Value), tdp.Source), new(new Watts(idle.Value), idle.Source),
            sustained is { } su ? new(new Watts(su.Value), su.Source) : null);
    }

    static PriceSpec ReadPrice(YamlMap? p, SourcedFields f)
    {
        if (p is null) return new PriceSpec(null, null, null, null);
        Sourced<Usd>? purchase = null; Sourced<UsdPerHour>? cloud = null; string? pDate = null, cDate = null;
        if (p.OptionalMap("purchase") is { } pm)
        {
            var v = pm.Quantity("value", QuantityKind.Usd);
            pDate = pm.String("date");
            purchase = new(new Usd(v), f.SourceKey(pm));
            pm.Done();
        }
        if (p.OptionalMap("cloud_hourly") is { } cm)
        {
            var v = cm.Quantity("value", QuantityKind.UsdPerHour);
            cDate = cm.String("date");
            cloud = new(new UsdPerHour(v), f.SourceKey(cm));
            cm.Done();
        }
        p.Done();
        return new PriceSpec(purchase, pDate, cloud, cDate);
    }

    static LinkRef? ReadLink(YamlMap? l, SourcedFields f)
    {
        if (l is null) return null;
        var ic = l.String("interconnect");
        var count = l.OptionalPositiveInt("count") ?? 1;
        var src = f.SourceKey(l);
        l.Done();
        return new LinkRef(ic, count, src);
    }

    static SystemSpec ReadSystem(YamlMap s, SourcedFields f)
    {
        var device = s.String("device");
        var count = s.PositiveInt("count");
        var fabric = ReadLink(s.Map("fabric"), f)!;
        var scaleOut = ReadLink(s.OptionalMap("scale_out"), f);
        var hostCpu = s.OptionalString("host_cpu");
        var hostCpus = s.OptionalPositiveInt("host_cpus");
        s.Done();
        return new SystemSpec(device, count, fabric, scaleOut, hostCpus, hostCpu);
    }
}

using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;
using PerfSim.Data.Profiles;

namespace PerfSim.Data.Catalog.Snapshot;

/// <summary>
/// Writes the catalog's immutable records field by field (no reflection, so it also runs in the native AOT build).
/// <see cref="SnapshotReader"/> reads them back in the same order; a field added to a record must be added to both
/// and <see cref="CatalogSnapshot.FormatVersion"/> bumped (CatalogSnapshotTests compares every property).
/// </summary>
sealed class SnapshotWriter(BinaryWriter w)
{
    public void Catalog(ProfileCatalog c)
    {
        Map(c.Hardware, Hardware);
        Map(c.Interconnects, Interconnect);
        Map(c.MemoryTechnologies, Memory);
        Map(c.Models, Model);
        Map(c.Quants, Quant);
        Map(c.KvFormats, Kv);
        Map(c.Scenarios, Scenario);
        Map(c.Backends, Backend);
        Broken(c.Broken);
    }

    void Broken(BrokenProfiles b)
    {
        var problems = b.Problems;
        w.Write(problems.Count);
        foreach (var p in problems) { Str(p.File); w.Write(p.Line); Str(p.Field); Str(p.Problem); }
        var entries = b.Entries.ToList();
        w.Write(entries.Count);
        foreach (var (kind, id, error) in entries)
        {
            w.Write((int)kind);
            Str(id);
            // Every filed error is in the problem list (BrokenProfiles adds it there first): store its index.
            int index = -1;
            for (int i = 0; i < problems.Count && index < 0; i++) if (ReferenceEquals(problems[i], error)) index = i;
            if (index < 0) throw new InvalidOperationException("a filed profile error is missing from the problem list");
            w.Write(index);
        }
    }

    // Entries in enumeration order, so the reader's dictionary enumerates (lists, reports) in the same order.
    void Map<T>(IReadOnlyDictionary<string, T> items, Action<T> item)
    {
        w.Write(items.Count);
        foreach (var (k, v) in items) { Str(k); item(v); }
    }

    void Dict<TK, TV>(IReadOnlyDictionary<TK, TV> items, Action<TK> key, Action<TV> value) where TK : notnull
    {
        w.Write(items.Count);
        foreach (var (k, v) in items) { key(k); value(v); }
    }

    void List<T>(IReadOnlyList<T> items, Action<T> item)
    {
        w.Write(items.Count);
        foreach (var x in items) item(x);
    }

    void Opt<T>(T? value, Action<T> write) where T : class
    {
        w.Write(value is not null);
        if (value is not null) write(value);
    }

    void OptS<T>(T? value, Action<T> write) where T : struct
    {
        w.Write(value.HasValue);
        if (value.HasValue) write(value.Value);
    }

    void Str(string s) => w.Write(s);
    void OptStr(string? s) { w.Write(s is not null); if (s is not null) w.Write(s); }
    void OptD(double? d) { w.Write(d.HasValue); if (d.HasValue) w.Write(d.Value); }
    void OptI(int? i) { w.Write(i.HasValue); if (i.HasValue) w.Write(i.Value); }
    void OptB(bool? b) { w.Write(b.HasValue); if (b.HasValue) w.Write(b.Value); }
    void Strs(IReadOnlyList<string> s) => List(s, Str);
    void StrMap(IReadOnlyDictionary<string, string> m) => Dict(m, Str, Str);
    void Src<T>(Sourced<T> s, Action<T> value) { value(s.Value); Str(s.Source); }
    void D(double d) => w.Write(d);
    void DT(DataType t) => w.Write((int)t);

    void Efficiency(Efficiency e) { D(e.Value); w.Write((int)e.Basis); Str(e.Why); }

    void Engine(ComputeEngine e)
    {
        Str(e.Id); w.Write((int)e.Kind); w.Write(e.IsDefault);
        Dict(e.DensePeak, DT, s => Src(s, v => D(v.Value)));
        Dict(e.SparsePeak, DT, s => Src(s, v => D(v.Value)));
        Dict(e.EnergyPerOp, DT, s => Src(s, v => D(v.Value)));
        Efficiency(e.Efficiency.MemoryBandwidth); Efficiency(e.Efficiency.Gemm); Efficiency(e.Efficiency.Gemv);
        OptS(e.MemoryBandwidthLimit, s => Src(s, v => D(v.Value)));
        Dict(e.GemvKernelRate, Str, s => Src(s, v => D(v.Value)));
        OptI(e.Cores);
        OptS(e.Clock, s => Src(s, v => D(v.Value)));
        Opt(e.GemmKernelRate, m => Dict(m, Str, s => Src(s, v => D(v.Value))));
        Opt(e.VectorPeak, m => Dict(m, DT, s => Src(s, v => D(v.Value))));
        OptS(e.CoreBandwidth, s => Src(s, v => D(v.Value)));
        Opt(e.KernelCosts, k => { Src(k.MatmulCall, v => D(v.Value)); Src(k.AttentionCall, v => D(v.Value)); Src(k.AttentionKvRate, v => D(v.Value)); });
    }

    void MemoryLevel(MemoryLevel m)
    {
        Str(m.Id); w.Write((int)m.Kind);
        Src(m.Capacity, v => D(v.Value)); Src(m.Bandwidth, v => D(v.Value));
        OptS(m.EnergyPerByte, s => Src(s, v => D(v.Value)));
        OptStr(m.Technology);
        OptS(m.CoreBandwidth, s => Src(s, v => D(v.Value)));
    }

    void Link(LinkRef l) { Str(l.Interconnect); w.Write(l.Count); Str(l.Source); }

    void Hardware(HardwareProfile h)
    {
        Str(h.Id); Str(h.Name); w.Write((int)h.Kind); Str(h.Vendor); w.Write(h.Year); OptStr(h.Extends);
        StrMap(h.Sources);
        List(h.Engines, Engine);
        List(h.Memory, MemoryLevel);
        Src(h.Power.Tdp, v => D(v.Value)); Src(h.Power.Idle, v => D(v.Value)); OptS(h.Power.Sustained, s => Src(s, v => D(v.Value)));
        OptS(h.Price.Purchase, s => Src(s, v => D(v.Value))); OptStr(h.Price.PurchaseDate);
        OptS(h.Price.CloudHourly, s => Src(s, v => D(v.Value))); OptStr(h.Price.CloudDate);
        Opt(h.HostLink, Link); Opt(h.DeviceLink, Link);
        w.Write(h.AllowOffload);
        Opt(h.System, s => { Str(s.Device); w.Write(s.Count); Link(s.Fabric); Opt(s.ScaleOut, Link); OptI(s.HostCpus); OptStr(s.HostCpu); });
        Str(h.File);
    }

    void Interconnect(InterconnectProfile i)
    {
        Str(i.Id); Str(i.Name); w.Write((int)i.Kind);
        Src(i.BandwidthPerDirection, v => D(v.Value));
        OptS(i.Latency, s => Src(s, v => D(v.Value)));
        OptS(i.EnergyPerByte, s => Src(s, v => D(v.Value)));
        StrMap(i.Sources); Str(i.File);
        OptS(i.AllPairsField, s => Src(s, w.Write));
        OptS(i.InNetworkReductionField, s => Src(s, w.Write));
    }

    void Memory(MemoryTechnology m)
    {
        Str(m.Id); Str(m.Name); w.Write((int)m.Kind);
        Src(m.BandwidthPerUnit, v => D(v.Value)); Str(m.Unit);
        OptS(m.EnergyPerByte, s => Src(s, v => D(v.Value)));
        StrMap(m.Sources); Str(m.File);
    }

    void Model(ModelProfile m)
    {
        Str(m.Id); Str(m.Name); Str(m.Source);
        var a = m.Architecture;
        foreach (var n in new[] { a.Layers, a.Hidden, a.Heads, a.KvHeads, a.HeadDim, a.Intermediate, a.Vocab }) w.Write(n);
        w.Write((int)a.Mlp); w.Write((int)a.Norm); w.Write((int)a.Position);
        w.Write(a.TiedEmbeddings); w.Write(a.AttentionBias); w.Write(a.MlpBias); w.Write(a.MaxContext);
        Opt(a.Moe, x =>
        {
            foreach (var n in new[] { x.Experts, x.Active, x.Shared, x.ExpertIntermediate, x.SharedIntermediate, x.DenseLayers, x.DenseIntermediate }) w.Write(n);
            w.Write(x.RouterBias);
        });
        Opt(a.Mla, x => { foreach (var n in new[] { x.QLoraRank, x.KvLoraRank, x.QkNopeHeadDim, x.QkRopeHeadDim, x.VHeadDim }) w.Write(n); });
        Opt(a.Window, x => { w.Write(x.Window); w.Write(x.EveryNthLayer); });
        w.Write(a.NormsPerLayer); w.Write(a.ParallelAttentionMlp); OptB(a.AttentionOutBias);
        w.Write(a.LmHeadBias); w.Write(a.AttentionSinks); w.Write(a.QkNorm);
        D(m.PublishedParameters); OptD(m.PublishedActiveParameters); Str(m.PublishedSource); Str(m.File);
        w.Write(m.ActiveIncludesEmbedding);
    }

    void Quant(QuantScheme q)
    {
        Str(q.Id); Str(q.Name); Str(q.Source); DT(q.WeightType); D(q.BitsPerWeight); OptI(q.GroupSize);
        DT(q.ActivationType); DT(q.ComputeType); Str(q.KvCache);
        OptD(q.EmbeddingBitsPerWeight); OptD(q.LmHeadBitsPerWeight);
        Strs(q.Aliases); Str(q.File); OptD(q.AttentionBitsPerWeight);
    }

    void Kv(KvCacheFormat k) { Str(k.Id); Str(k.Name); D(k.BitsPerElement); Str(k.Source); Str(k.File); }

    void Scenario(Scenario s) { Str(s.Id); w.Write(s.Batch); w.Write(s.PromptTokens); w.Write(s.GeneratedTokens); Str(s.Description); }

    void Backend(BackendProfile b)
    {
        Str(b.Id); Str(b.Name); w.Write((int)b.Engine); Str(b.Attention);
        Dict(b.ComputeTypes, Str, DT);
        Dict(b.Parameters, Str, p => { D(p.Value); w.Write((int)p.Basis); Str(p.Why); OptD(p.Prior); });
        Strs(b.Fitted); Strs(b.Formats); StrMap(b.Sources); OptStr(b.Notes); Str(b.File);
        Opt(b.KvCache, StrMap);
        Str(b.MultiDevice);
        Opt(b.RuntimeReserve, r => { D(r.Value.Value); w.Write((int)r.Basis); Str(r.Why); });
        Opt(b.LayoutsField, Strs);
        Opt(b.Vendors, Strs);
        w.Write((int)b.Path);
        Opt(b.MatrixPathVendors, Strs);
        OptStr(b.KernelsOf);
    }
}

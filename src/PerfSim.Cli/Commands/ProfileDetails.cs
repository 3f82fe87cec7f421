using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim list hardware --show ID`: every figure of one profile next to its source.</summary>
public static class ProfileDetails
{
    public static void Write(CliContext ctx, HardwareProfile h, ProfileCatalog catalog, string format)
    {
        var rows = new List<Dictionary<string, object>>();
        void Add(string field, object value, string source) =>
            rows.Add(new() { ["field"] = field, ["value"] = value.ToString() ?? "", ["source"] = h.SourceText(source) });
        foreach (var e in h.Engines)
        {
            foreach (var (t, p) in e.DensePeak) Add($"{e.Id}.peak.{t.Kebab()} (dense)", p.Value, p.Source);
            foreach (var (t, p) in e.SparsePeak) Add($"{e.Id}.sparse_peak.{t.Kebab()}", p.Value, p.Source);
            foreach (var (t, p) in e.EnergyPerOp) Add($"{e.Id}.energy_per_op.{t.Kebab()}", p.Value, p.Source);
            foreach (var (name, eff) in new[] { ("memory_bandwidth", e.Efficiency.MemoryBandwidth), ("gemm", e.Efficiency.Gemm), ("gemv", e.Efficiency.Gemv) })
                rows.Add(new() { ["field"] = $"{e.Id}.efficiency.{name}", ["value"] = eff.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ["source"] = $"{eff.Basis.Kebab()}: {eff.Why}" });
            if (e.MemoryBandwidthLimit is { } l) Add($"{e.Id}.memory_bandwidth_limit", l.Value, l.Source);
            foreach (var (f, r) in e.GemvKernelRate) Add($"{e.Id}.gemv_kernel_rate.{f}", r.Value, r.Source);
        }
        foreach (var m in h.Memory)
        {
            Add($"memory.{m.Id}.capacity", m.Capacity.Value, m.Capacity.Source);
            Add($"memory.{m.Id}.bandwidth", m.Bandwidth.Value, m.Bandwidth.Source);
            if (m.EnergyPerByte is { } en) Add($"memory.{m.Id}.energy", en.Value, en.Source);
        }
        Add("power.tdp", h.Power.Tdp.Value, h.Power.Tdp.Source);
        Add("power.idle", h.Power.Idle.Value, h.Power.Idle.Source);
        if (h.Power.Sustained is { } s) Add("power.sustained", s.Value, s.Source);
        if (h.Price.Purchase is { } pp) Add($"price.purchase ({h.Price.PurchaseDate})", pp.Value, pp.Source);
        if (h.Price.CloudHourly is { } ch) Add($"price.cloud_hourly ({h.Price.CloudDate})", ch.Value, ch.Source);
        foreach (var (name, link) in new[] { ("links.host", h.HostLink), ("links.device", h.DeviceLink), ("system.fabric", h.System?.Fabric), ("system.scale_out", h.System?.ScaleOut) })
            if (link is not null) Add(name, $"{link.Count} × {link.Interconnect}", link.Source);
        ctx.Out.WriteLine($"{h.Id}: {h.Name} ({h.Kind.Kebab()}, {h.Vendor}, {h.Year}) — {h.File}");
        RecordRenderer.Write(ctx, rows, format);
    }
}

using System.Globalization;
using PerfSim.Core;
using PerfSim.Core.Hardware;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Builders;

/// <summary>`list hardware --show ID`: every figure of one profile next to the source that justifies it.</summary>
public static class ProfileReport
{
    public static Report Build(HardwareProfile h)
    {
        var rows = new List<IReadOnlyList<Cell>>();
        void Add(string field, Cell value, string source) => rows.Add([Cell.Text(field), value, Cell.Text(h.SourceText(source))]);
        foreach (var e in h.Engines)
        {
            foreach (var (t, p) in e.DensePeak) Add($"{e.Id}.peak.{t.Kebab()} (dense)", Cell.Quantity(p.Value.Value, Unit.FlopPerSecond), p.Source);
            foreach (var (t, p) in e.SparsePeak) Add($"{e.Id}.sparse_peak.{t.Kebab()}", Cell.Quantity(p.Value.Value, Unit.FlopPerSecond), p.Source);
            foreach (var (t, p) in e.EnergyPerOp) Add($"{e.Id}.energy_per_op.{t.Kebab()}", Cell.Quantity(p.Value.Value, Unit.Joules), p.Source);
            foreach (var (name, eff) in new[] { ("memory_bandwidth", e.Efficiency.MemoryBandwidth), ("gemm", e.Efficiency.Gemm), ("gemv", e.Efficiency.Gemv) })
                rows.Add([Cell.Text($"{e.Id}.efficiency.{name}"), Cell.Ratio(eff.Value), Cell.Text($"{eff.Basis.Kebab()}: {eff.Why}")]);
            if (e.MemoryBandwidthLimit is { } l) Add($"{e.Id}.memory_bandwidth_limit", Cell.Quantity(l.Value.Value, Unit.BytesPerSecond), l.Source);
            foreach (var (f, r) in e.GemvKernelRate) Add($"{e.Id}.gemv_kernel_rate.{f}", Cell.Quantity(r.Value.Value, Unit.BytesPerSecond), r.Source);
            if (e.GemmKernelRate is { } g)
                foreach (var (f, r) in g) Add($"{e.Id}.gemm_kernel_rate.{f}", Cell.Quantity(r.Value.Value, Unit.FlopPerSecond), r.Source);
        }
        foreach (var m in h.Memory)
        {
            Add($"memory.{m.Id}.capacity", Cell.Quantity(m.Capacity.Value.Value, Unit.Bytes), m.Capacity.Source);
            Add($"memory.{m.Id}.bandwidth", Cell.Quantity(m.Bandwidth.Value.Value, Unit.BytesPerSecond), m.Bandwidth.Source);
            if (m.EnergyPerByte is { } en) Add($"memory.{m.Id}.energy_per_byte", Cell.Quantity(en.Value.Value, Unit.Joules), en.Source);
        }
        Add("power.tdp", Cell.Quantity(h.Power.Tdp.Value.Value, Unit.Watts), h.Power.Tdp.Source);
        Add("power.idle", Cell.Quantity(h.Power.Idle.Value.Value, Unit.Watts), h.Power.Idle.Source);
        if (h.Power.Sustained is { } s) Add("power.sustained", Cell.Quantity(s.Value.Value, Unit.Watts), s.Source);
        if (h.Price.Purchase is { } pp) Add($"price.purchase ({h.Price.PurchaseDate})", Cell.Quantity(pp.Value.Value, Unit.Usd), pp.Source);
        if (h.Price.CloudHourly is { } ch) Add($"price.cloud_hourly ({h.Price.CloudDate})", Cell.Quantity(ch.Value.Value, Unit.UsdPerHour), ch.Source);
        foreach (var (name, link) in new[] { ("links.host", h.HostLink), ("links.device", h.DeviceLink), ("system.fabric", h.System?.Fabric), ("system.scale_out", h.System?.ScaleOut) })
            if (link is not null) Add(name, Cell.Text($"{link.Count} × {link.Interconnect}"), link.Source);

        var table = ReportTable.Of("figures", "figures and their sources", [new("field", "field"), new("value", "value"), new("source", "source")], rows);
        return new ReportBuilder($"{h.Id}: {h.Name} ({h.Kind.Kebab()}, {h.Vendor}, {h.Year})")
            .Section("profile")
            .Add("id", "id", Cell.Text(h.Id)).Add("name", "name", Cell.Text(h.Name)).Add("kind", "kind", Cell.Text(h.Kind.Kebab()))
            .Add("vendor", "vendor", Cell.Text(h.Vendor)).Add("year", "year", Cell.Text(h.Year.ToString(CultureInfo.InvariantCulture)))
            .Add("file", "file", Cell.Text(h.File))
            .Table(table, primary: true).Build();
    }
}

using PerfSim.Core;
using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Builders;

/// <summary>`list`: one row per catalog entry, with typed figures (a peak in FLOP/s, a capacity in bytes).</summary>
public static class CatalogReport
{
    static Report Of(string what, IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        var table = ReportTable.Of(what, what, columns, rows);
        return new ReportBuilder($"{what}: {table.Rows.Count} entries")
            .Section("").Add("count", "entries", Cell.Count(table.Rows.Count))
            .Table(table, primary: true).Build();
    }

    static Column C(string key, string label) => new(key, label);

    public static Report Hardware(IEnumerable<HardwareProfile> hardware) => Of("hardware",
        [C("id", "id"), C("kind", "kind"), C("vendor", "vendor"), C("year", "year"), C("engines", "engines"),
         C("peak_flops", "peak (dense)"), C("peak_type", "type"), C("memory_bytes", "memory"), C("bandwidth_bytes_per_s", "bandwidth"),
         C("devices", "devices"), C("summary", "summary")],
        hardware.OrderBy(h => h.Id, StringComparer.Ordinal).Select(h =>
        {
            var (t, peak) = h.DefaultEngine.PeakFor(DataType.Fp16);
            var mem = h.DeviceMemory;
            int n = h.System?.Count ?? 1;
            return (IReadOnlyList<Cell>)
            [
                Cell.Text(h.Id), Cell.Text(h.Kind.Kebab()), Cell.Text(h.Vendor), Cell.Count(h.Year),
                Cell.Text(string.Join("+", h.Engines.Select(x => x.Kind.Kebab()))),
                Cell.Quantity(peak.Value * n, Unit.FlopPerSecond), Cell.Text(t.Kebab()),
                Cell.Quantity(mem.Capacity.Value.Value * n, Unit.Bytes), Cell.Quantity(mem.Bandwidth.Value.Value, Unit.BytesPerSecond),
                Cell.Count(n), Cell.Text(h.Name),
            ];
        }));

    public static Report Models(IEnumerable<ModelProfile> models) => Of("models",
        [C("id", "id"), C("parameters", "parameters"), C("active_parameters", "active"), C("layers", "layers"), C("hidden", "hidden"),
         C("context", "context"), C("attention", "attention"), C("summary", "summary")],
        models.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m =>
        {
            var p = ParameterCount.Of(m.Architecture);
            var a = m.Architecture;
            return (IReadOnlyList<Cell>)
            [
                Cell.Text(m.Id), Cell.Count((long)Math.Round(p.Total)), Cell.Count((long)Math.Round(p.ActivePerToken)),
                Cell.Count(a.Layers), Cell.Count(a.Hidden), Cell.Count(a.MaxContext), Cell.Text(a.AttentionKind), Cell.Text(m.Name),
            ];
        }));

    public static Report Quants(IEnumerable<QuantScheme> quants) => Of("quant",
        [C("id", "id"), C("bits_per_weight", "bits/weight"), C("weights", "weights"), C("compute", "compute"), C("kv_cache", "KV cache"), C("summary", "summary")],
        quants.OrderBy(q => q.Id, StringComparer.Ordinal).Select(q => (IReadOnlyList<Cell>)
        [
            Cell.Text(q.Id), Cell.Number(q.BitsPerWeight), Cell.Text(q.WeightType.Kebab()), Cell.Text(q.ComputeType.Kebab()), Cell.Text(q.KvCache), Cell.Text(q.Name),
        ]));

    public static Report KvFormats(IEnumerable<KvCacheFormat> kv) => Of("kv",
        [C("id", "id"), C("bits_per_element", "bits/element"), C("summary", "summary")],
        kv.OrderBy(k => k.Id, StringComparer.Ordinal).Select(k => (IReadOnlyList<Cell>)[Cell.Text(k.Id), Cell.Number(k.BitsPerElement), Cell.Text(k.Name)]));

    public static Report Interconnects(IEnumerable<InterconnectProfile> links) => Of("interconnects",
        [C("id", "id"), C("kind", "kind"), C("bytes_per_s_per_direction", "per direction"), C("latency_s", "latency"), C("summary", "summary")],
        links.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => (IReadOnlyList<Cell>)
        [
            Cell.Text(i.Id), Cell.Text(i.Kind.Kebab()), Cell.Quantity(i.BandwidthPerDirection.Value.Value, Unit.BytesPerSecond),
            i.Latency is { } l ? Cell.Quantity(l.Value.Value, Unit.Seconds) : Cell.Missing("no latency in the profile"), Cell.Text(i.Name),
        ]));

    public static Report MemoryTechnologies(IEnumerable<MemoryTechnology> memory) => Of("memory",
        [C("id", "id"), C("kind", "kind"), C("bytes_per_s", "bandwidth"), C("per", "per"), C("summary", "summary")],
        memory.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => (IReadOnlyList<Cell>)
        [
            Cell.Text(m.Id), Cell.Text(m.Kind.Kebab()), Cell.Quantity(m.BandwidthPerUnit.Value.Value, Unit.BytesPerSecond), Cell.Text(m.Unit), Cell.Text(m.Name),
        ]));

    public static Report Scenarios(IEnumerable<Scenario> scenarios) => Of("scenarios",
        [C("id", "id"), C("batch", "batch"), C("prompt_tokens", "prompt"), C("gen_tokens", "gen"), C("summary", "summary")],
        scenarios.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => (IReadOnlyList<Cell>)
        [
            Cell.Text(s.Id), Cell.Count(s.Batch), Cell.Count(s.PromptTokens), Cell.Count(s.GeneratedTokens), Cell.Text(s.Description),
        ]));

    public static Report Backends(IEnumerable<BackendProfile> backends) => Of("backends",
        [C("id", "id"), C("engine", "engine"), C("multi_device", "multi-device"), C("summary", "summary")],
        backends.OrderBy(b => b.Id, StringComparer.Ordinal).Select(b => (IReadOnlyList<Cell>)
        [
            Cell.Text(b.Id), Cell.Text(b.Engine.Kebab()), Cell.Text(b.MultiDevice), Cell.Text(b.Name),
        ]));
}

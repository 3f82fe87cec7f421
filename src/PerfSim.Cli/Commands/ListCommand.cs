using System.CommandLine;
using PerfSim.Cli.Rendering;
using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Core.Workloads;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim list hardware|models|quant|kv|interconnects|memory|scenarios|backends`: one line per entry, or one profile in full.</summary>
public static class ListCommand
{
    static readonly string[] Kinds = ["hardware", "models", "quant", "kv", "interconnects", "memory", "scenarios", "backends"];

    public static Command Create(CliContext ctx)
    {
        var what = new Argument<string>("what") { Description = string.Join(" | ", Kinds), DefaultValueFactory = _ => "hardware" };
        var kind = new Option<string?>("--kind") { Description = "Hardware: cpu, gpu, npu, soc, accelerator or system" };
        var vendor = new Option<string?>("--vendor") { Description = "Hardware: vendor name" };
        var year = new Option<int?>("--year") { Description = "Hardware: launch year" };
        var show = new Option<string?>("--show") { Description = "Show one profile in full, with the source of every figure" };
        var format = CommonOptions.Format();
        var data = CommonOptions.Data();
        var cmd = new Command("list", "List what PerfSim knows, with a one-line summary each.");
        cmd.Arguments.Add(what);
        foreach (var opt in new Option[] { kind, vendor, year, show, format, data }) cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            var catalog = ctx.Catalog(r.GetValue(data));
            // Profiles the catalog left out are named, one line each; the listing of the rest goes on.
            foreach (var problem in catalog.Problems) ctx.Error.WriteLine($"perfsim: skipped {problem.Message}");
            var w = r.GetValue(what)!.ToLowerInvariant();
            if (!Kinds.Contains(w)) throw new UsageException($"cannot list '{w}'; expected one of {string.Join(", ", Kinds)}");
            if (r.GetValue(show) is { } id)
            {
                if (w != "hardware") throw new UsageException("--show works with 'list hardware'");
                ProfileDetails.Write(ctx, catalog.GetHardware(id), catalog, r.GetValue(format)!);
                return 0;
            }
            var records = w switch
            {
                "hardware" => Hardware(catalog, r.GetValue(kind), r.GetValue(vendor), r.GetValue(year)),
                "models" => catalog.Models.Values.OrderBy(m => m.Id, StringComparer.Ordinal).Select(Model).ToList(),
                "quant" => catalog.Quants.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(q => Rec(("id", q.Id), ("bits_per_weight", q.BitsPerWeight), ("weights", q.WeightType.Kebab()), ("compute", q.ComputeType.Kebab()), ("kv_cache", q.KvCache), ("summary", q.Name))).ToList(),
                "kv" => catalog.KvFormats.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(k => Rec(("id", k.Id), ("bits_per_element", k.BitsPerElement), ("summary", k.Name))).ToList(),
                "interconnects" => catalog.Interconnects.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(i => Rec(("id", i.Id), ("kind", i.Kind.Kebab()), ("gbps_per_direction", i.BandwidthPerDirection.Value.GBps), ("summary", i.Name))).ToList(),
                "memory" => catalog.MemoryTechnologies.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(m => Rec(("id", m.Id), ("kind", m.Kind.Kebab()), ("gbps", m.BandwidthPerUnit.Value.GBps), ("per", m.Unit), ("summary", m.Name))).ToList(),
                "scenarios" => catalog.Scenarios.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(s => Rec(("id", s.Id), ("batch", s.Batch), ("prompt_tokens", s.PromptTokens), ("gen_tokens", s.GeneratedTokens), ("summary", s.Description))).ToList(),
                _ => catalog.Backends.Values.OrderBy(q => q.Id, StringComparer.Ordinal).Select(b => Rec(("id", b.Id), ("engine", b.Engine.Kebab()), ("summary", b.Name))).ToList(),
            };
            RecordRenderer.Write(ctx, records, r.GetValue(format)!);
            return 0;
        });
        return cmd;
    }

    static Dictionary<string, object> Rec(params (string, object)[] fields) => fields.ToDictionary(f => f.Item1, f => f.Item2);

    static Dictionary<string, object> Model(ModelProfile m)
    {
        var p = ParameterCount.Of(m.Architecture);
        var a = m.Architecture;
        return Rec(("id", m.Id), ("parameters", Math.Round(p.Total)), ("active_parameters", Math.Round(p.ActivePerToken)),
            ("layers", a.Layers), ("hidden", a.Hidden), ("attention", a.AttentionKind), ("summary", m.Name));
    }

    static List<Dictionary<string, object>> Hardware(ProfileCatalog c, string? kind, string? vendor, int? year)
    {
        DeviceKind? k = null;
        if (kind is not null)
            k = Enum.TryParse<DeviceKind>(kind, true, out var parsed) ? parsed
                : throw new UsageException($"--kind must be one of {string.Join(", ", Enum.GetNames<DeviceKind>().Select(EnumText.Kebab))}; got '{kind}'");
        return c.Hardware.Values
            .Where(h => k is null || h.Kind == k)
            .Where(h => vendor is null || string.Equals(h.Vendor, vendor, StringComparison.OrdinalIgnoreCase))
            .Where(h => year is null || h.Year == year)
            .OrderBy(h => h.Id, StringComparer.Ordinal)
            .Select(h =>
            {
                var e = h.DefaultEngine;
                var (t, peak) = e.PeakFor(DataType.Fp16);
                var mem = h.DeviceMemory;
                return Rec(("id", h.Id), ("kind", h.Kind.Kebab()), ("vendor", h.Vendor), ("year", h.Year),
                    ("engines", string.Join("+", h.Engines.Select(x => x.Kind.Kebab()))),
                    ("peak_tflops", Math.Round(peak.Tera, 2)), ("peak_type", t.Kebab()),
                    ("memory_gb", Math.Round(mem.Capacity.Value.GB * (h.System?.Count ?? 1), 1)), ("bandwidth_gbps", Math.Round(mem.Bandwidth.Value.GBps, 1)),
                    ("devices", h.System?.Count ?? 1), ("summary", h.Name));
            }).ToList();
    }
}

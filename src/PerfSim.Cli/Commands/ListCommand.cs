using System.CommandLine;
using PerfSim.Core.Hardware;
using PerfSim.Data.Catalog;
using PerfSim.Reporting.Builders;
using PerfSim.Reporting.Model;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim list hardware|models|quant|kv|interconnects|memory|scenarios|backends`: one row per entry, or one profile in full.</summary>
public static class ListCommand
{
    static readonly string[] Kinds = ["hardware", "models", "quant", "kv", "interconnects", "memory", "scenarios", "backends"];

    public static Command Create(CliContext ctx)
    {
        var what = new Argument<string>("what") { Description = string.Join(" | ", Kinds), DefaultValueFactory = _ => "hardware" };
        var kind = new Option<string?>("--kind") { Description = "Hardware: cpu, gpu, npu, soc, accelerator or system" };
        var vendor = new Option<string?>("--vendor") { Description = "Hardware: vendor name" };
        var year = NumberOptions.OptionalInt("--year", "Hardware: launch year");
        var show = new Option<string?>("--show") { Description = "Show one hardware profile in full, with the source of every figure" };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var data = CommonOptions.Data();
        var cmd = new Command("list", "List what PerfSim knows, with a one-line summary each.");
        cmd.Arguments.Add(what);
        foreach (var opt in new Option[] { kind, vendor, year, show, format, output, data }) cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(format)!);
            var w = r.GetValue(what)!.ToLowerInvariant();
            if (!Kinds.Contains(w)) throw new UsageException($"cannot list '{w}'; expected one of {string.Join(", ", Kinds)}");
            var catalog = ctx.Catalog(r.GetValue(data));
            Report report;
            if (r.GetValue(show) is { } id)
            {
                if (w != "hardware") throw new UsageException("--show works with 'list hardware'");
                report = ProfileReport.Build(catalog.GetHardware(id));
            }
            else report = w switch
            {
                "hardware" => CatalogReport.Hardware(Hardware(catalog, r.GetValue(kind), r.GetValue(vendor), r.GetValue(year))),
                "models" => CatalogReport.Models(catalog.Models.Values),
                "quant" => CatalogReport.Quants(catalog.Quants.Values),
                "kv" => CatalogReport.KvFormats(catalog.KvFormats.Values),
                "interconnects" => CatalogReport.Interconnects(catalog.Interconnects.Values),
                "memory" => CatalogReport.MemoryTechnologies(catalog.MemoryTechnologies.Values),
                "scenarios" => CatalogReport.Scenarios(catalog.Scenarios.Values),
                _ => CatalogReport.Backends(catalog.Backends.Values),
            };
            ReportOutput.Write(ctx, report, renderer.Format, r.GetValue(output));
            return 0;
        });
        return cmd;
    }

    static IEnumerable<HardwareProfile> Hardware(ProfileCatalog c, string? kind, string? vendor, int? year)
    {
        DeviceKind? k = null;
        if (kind is not null)
            k = Enum.TryParse<DeviceKind>(kind, true, out var parsed) ? parsed
                : throw new UsageException($"--kind must be one of {string.Join(", ", Enum.GetNames<DeviceKind>().Select(EnumText.Kebab))}; got '{kind}'");
        return c.Hardware.Values
            .Where(h => k is null || h.Kind == k)
            .Where(h => vendor is null || string.Equals(h.Vendor, vendor, StringComparison.OrdinalIgnoreCase))
            .Where(h => year is null || h.Year == year);
    }
}

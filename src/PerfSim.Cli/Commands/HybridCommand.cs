using System.CommandLine;
using PerfSim.Planning.Hybrid;
using PerfSim.Planning.Reports;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim hybrid`: a small model on the users' devices for part of the traffic, a large one in the cloud for the rest, against all-cloud.</summary>
public static class HybridCommand
{
    public static Command Create(CliContext ctx)
    {
        var o = new PlanOptions();
        var large = new Option<string>("--large-model") { Description = "The cloud model", Required = true };
        var small = new Option<string>("--small-model") { Description = "The on-device model", Required = true };
        var device = new Option<string>("--device") { Description = "The device tier (phone, laptop, …) or NAME=HARDWARE[:QUANT]", DefaultValueFactory = _ => "phone" };
        var share = new Option<double?>("--device-share") { Description = "Share of requests answered on the device (default 0.5)" };
        var under = NumberOptions.OptionalInt("--under-prompt", "Route every request whose prompt is at most this many tokens to the device");
        var mix = new Option<string?>("--prompt-mix") { Description = "Prompt length distribution as LEN:WEIGHT,… (default: --prompt alone)" };
        var cmd = new Command("hybrid", "Hybrid routing what-if: cost, energy and latency of device + cloud against all-cloud.");
        cmd.Options.Add(large); cmd.Options.Add(small); cmd.Options.Add(device); cmd.Options.Add(share); cmd.Options.Add(under); cmd.Options.Add(mix);
        o.AddTo(cmd, withModel: false);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(o.Format)!);
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var cloud = o.Request(r, catalog, r.GetValue(large)!);
            var spec = r.GetValue(device)!;
            var tiers = TiersCommand.Tiers(spec.Contains('=') ? [spec] : [], null);
            string name = spec.Contains('=') ? spec[..spec.IndexOf('=')] : spec;
            var tier = tiers.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--device: no tier named '{name}'; tiers: {string.Join(", ", tiers.Select(t => t.Name))}");
            catalog.GetHardware(tier.Hardware); catalog.GetQuant(tier.Quant);
            if (r.GetValue(share) is not null && r.GetValue(under) is not null) throw new UsageException("--device-share and --under-prompt: give one, not both");
            var prompts = r.GetValue(mix) is { } m ? ParseMix(m) : [new PromptClass(cloud.Traffic.PromptTokens, 1)];
            var result = HybridPlanner.Plan(catalog, new HybridRequest(cloud, r.GetValue(small)!, tier, prompts, r.GetValue(share), r.GetValue(under)));
            ReportOutput.Write(ctx, HybridReport.Build(result), renderer.Format, r.GetValue(o.Output));
            return (int)(result.Mixed.Reason is null ? ExitCode.Ok : ExitCode.DoesNotFit);
        });
        return cmd;
    }

    static PromptClass[] ParseMix(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
    {
        var p = part.Split(':');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (p.Length != 2 || !int.TryParse(p[0], System.Globalization.NumberStyles.None, inv, out var len) || len < 1
            || !double.TryParse(p[1], System.Globalization.NumberStyles.Float, inv, out var w) || !(w > 0) || !double.IsFinite(w))
            throw new UsageException($"--prompt-mix: expected LEN:WEIGHT with a whole length ≥ 1 and a positive weight, got {NumberOptions.Shown(part)}");
        return new PromptClass(len, w);
    }).ToArray();
}

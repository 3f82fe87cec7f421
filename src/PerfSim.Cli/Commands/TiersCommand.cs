using System.CommandLine;
using PerfSim.Planning.Reports;
using PerfSim.Planning.Tiers;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim tiers`: each model on a phone, a laptop, an edge server and a cloud node, for one user.</summary>
public static class TiersCommand
{
    public static Command Create(CliContext ctx)
    {
        var models = new Option<string[]>("--models", "-m") { Description = "Model IDs (comma-separated or repeated)", Required = true, AllowMultipleArgumentsPerToken = true };
        var tier = new Option<string[]>("--tier") { Description = "Override or add a tier: NAME=HARDWARE[:QUANT[:ENGINE]] (repeatable); defaults: " +
            string.Join(", ", TierProfile.Defaults.Select(t => $"{t.Name}={t.Hardware}:{t.Quant}" + (t.Engine is { } e ? ":" + e : ""))), AllowMultipleArgumentsPerToken = true };
        var battery = new Option<string[]>("--battery") { Description = "Battery energy of a tier: NAME=WH (repeatable)", AllowMultipleArgumentsPerToken = true };
        var prompt = NumberOptions.Int("--prompt", "Prompt tokens (a chat turn)", 256, "-p");
        var gen = NumberOptions.Int("--gen", "Generated tokens", 256, "-g");
        var minTps = NumberOptions.Double("--min-tokens-per-s", "Interactive: at least this many tokens/s", 10);
        var maxTtft = NumberOptions.Double("--max-ttft", "Interactive: TTFT at most this (seconds)", 1);
        var data = CommonOptions.Data();
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var cmd = new Command("tiers", "Which models each tier (phone, laptop, edge server, cloud node) can serve: fits, TTFT, tokens/s, J/token, battery, interactive.");
        foreach (var o in new Option[] { models, tier, battery, prompt, gen, minTps, maxTtft, format, output, data }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(format)!);
            var catalog = ctx.Catalog(r.GetValue(data));
            var tiers = Tiers(r.GetValue(tier), r.GetValue(battery));
            foreach (var t in tiers) { catalog.GetHardware(t.Hardware); catalog.GetQuant(t.Quant); }
            var ids = PlanOptions.Split(r.GetValue(models));
            if (ids.Length == 0) throw new UsageException("--models: give at least one model ID");
            if (r.GetValue(prompt) < 1 || r.GetValue(gen) < 1) throw new UsageException("--prompt and --gen must be at least 1");
            double tps = r.GetValue(minTps), ttft = r.GetValue(maxTtft);
            if (!(tps > 0) || !(ttft > 0)) throw new UsageException("--min-tokens-per-s and --max-ttft must be positive");
            var result = TierPlanner.Place(catalog, ids, tiers, r.GetValue(prompt), r.GetValue(gen), new InteractiveThresholds(tps, ttft));
            ReportOutput.Write(ctx, TierReport.Build(result), renderer.Format, r.GetValue(output));
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    /// <summary>The default tiers with the user's overrides and additions.</summary>
    public static IReadOnlyList<TierProfile> Tiers(string[]? overrides, string[]? batteries)
    {
        var tiers = TierProfile.Defaults.ToList();
        foreach (var spec in PlanOptions.Split(overrides))
        {
            var eq = spec.IndexOf('=');
            if (eq < 1 || eq == spec.Length - 1) throw new UsageException($"--tier: expected NAME=HARDWARE[:QUANT], got {NumberOptions.Shown(spec)}");
            var name = spec[..eq].Trim();
            var parts = spec[(eq + 1)..].Split(':', 3, StringSplitOptions.TrimEntries);
            int i = tiers.FindIndex(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var baseTier = i >= 0 ? tiers[i] : new TierProfile(name, parts[0], "fp16", null, null);
            string? engine = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : i >= 0 && parts[0] == baseTier.Hardware ? baseTier.Engine : null;
            if (engine is not null && !Enum.TryParse<PerfSim.Core.Hardware.EngineKind>(engine, ignoreCase: true, out _))
                throw new UsageException($"--tier: engine must be cpu, gpu, npu or accelerator, got '{engine}'");
            var t = baseTier with { Hardware = parts[0], Quant = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : baseTier.Quant, Engine = engine };
            if (i >= 0) tiers[i] = t; else tiers.Add(t);
        }
        foreach (var spec in PlanOptions.Split(batteries))
        {
            var eq = spec.IndexOf('=');
            if (eq < 1 || !double.TryParse(spec[(eq + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var wh) || !(wh > 0) || !double.IsFinite(wh))
                throw new UsageException($"--battery: expected NAME=WH with a positive number of watt-hours, got {NumberOptions.Shown(spec)}");
            var name = spec[..eq].Trim();
            int i = tiers.FindIndex(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (i < 0) throw new UsageException($"--battery: no tier named '{name}'; tiers: {string.Join(", ", tiers.Select(t => t.Name))}");
            tiers[i] = tiers[i] with { BatteryWh = wh, BatterySource = "given on the command line" };
        }
        return tiers;
    }
}

using System.CommandLine;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;

namespace PerfSim.Cli.Commands;

/// <summary>Options shared by the report commands, with their defaults in one place.</summary>
public static class CommonOptions
{
    public const string DefaultHardware = "nvidia-h100-sxm";
    public const string DefaultModel = "llama-3.1-8b";
    public const string DefaultQuant = "fp16";

    public static Option<string?> Data() => new("--data") { Description = "Folder holding hardware-profiles/ and workloads/ (default: found from the working directory)" };
    public static Option<string> Format() => new("--format", "-f") { Description = "Output format: table, json, csv or markdown", DefaultValueFactory = _ => "table" };
    public static Option<string?> Output() => new("--output", "-o") { Description = "Write the report to this file (atomically) instead of standard output" };
    public static Option<int> Batch() => new("--batch", "-b") { Description = "Concurrent sequences", DefaultValueFactory = _ => 1 };
    public static Option<int> Prompt() => new("--prompt", "-p") { Description = "Prompt tokens per sequence", DefaultValueFactory = _ => 512 };
    public static Option<int> Gen() => new("--gen", "-g") { Description = "Generated tokens per sequence", DefaultValueFactory = _ => 256 };
    public static Option<string?> Scenario() => new("--scenario") { Description = "A scenario ID from workloads/scenarios (sets batch, prompt and gen)" };
    public static Option<string?> Kv() => new("--kv-cache") { Description = "KV-cache format ID (default: the quantization scheme's)" };
    public static Option<string?> Backend() => new("--backend") { Description = "Backend profile ID (default: the ideal backend)" };
    public static Option<string?> Engine() => new("--engine") { Description = "Engine of the device to use: cpu, gpu, npu or accelerator (default: the profile's default engine, or the backend's)" };
    public static Option<int?> Threads() => new("--threads") { Description = "CPU threads used (CPU engines; default: all cores)" };
    public static Option<int?> Devices() => new("--devices") { Description = "Devices sharing the model by tensor parallelism (default: 1, or a system's device count)" };
    public static Option<double> Lifetime() => new("--lifetime-years") { Description = "Years over which the purchase price is amortised", DefaultValueFactory = _ => Assumptions.Default.LifetimeYears };
    public static Option<double> Electricity() => new("--usd-per-kwh") { Description = "Electricity price", DefaultValueFactory = _ => Assumptions.Default.UsdPerKwh };
    public static Option<double> Pue() => new("--pue") { Description = "Data-centre power usage effectiveness", DefaultValueFactory = _ => Assumptions.Default.Pue };
    public static Option<double> Utilization() => new("--utilization") { Description = "Fleet utilization: share of hours serving paid work", DefaultValueFactory = _ => Assumptions.Default.FleetUtilization };
    public static Option<string> Pricing() => new("--pricing") { Description = "auto, purchase or cloud", DefaultValueFactory = _ => "auto" };
}

/// <summary>The scenario, workload and assumption options, bound once and read per invocation.</summary>
public sealed class WorkloadOptions
{
    public Option<string?> Data { get; } = CommonOptions.Data();
    public Option<string> Format { get; } = CommonOptions.Format();
    public Option<string?> Output { get; } = CommonOptions.Output();
    public Option<int> Batch { get; } = CommonOptions.Batch();
    public Option<int> Prompt { get; } = CommonOptions.Prompt();
    public Option<int> Gen { get; } = CommonOptions.Gen();
    public Option<string?> Scenario { get; } = CommonOptions.Scenario();
    public Option<string?> Kv { get; } = CommonOptions.Kv();
    public Option<string?> Backend { get; } = CommonOptions.Backend();
    public Option<string?> Engine { get; } = CommonOptions.Engine();
    public Option<int?> Devices { get; } = CommonOptions.Devices();
    public Option<int?> Threads { get; } = CommonOptions.Threads();
    public Option<double> Lifetime { get; } = CommonOptions.Lifetime();
    public Option<double> Electricity { get; } = CommonOptions.Electricity();
    public Option<double> Pue { get; } = CommonOptions.Pue();
    public Option<double> Utilization { get; } = CommonOptions.Utilization();
    public Option<string> Pricing { get; } = CommonOptions.Pricing();

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Batch, Prompt, Gen, Scenario, Kv, Backend, Engine, Devices, Threads, Lifetime, Electricity, Pue, Utilization, Pricing, Format, Output, Data })
            c.Options.Add(o);
    }

    public Assumptions Assumptions(ParseResult r)
    {
        double life = r.GetValue(Lifetime), kwh = r.GetValue(Electricity), pue = r.GetValue(Pue), util = r.GetValue(Utilization);
        if (life <= 0) throw new UsageException("--lifetime-years must be positive");
        if (kwh < 0) throw new UsageException("--usd-per-kwh must not be negative");
        if (pue < 1) throw new UsageException("--pue must be at least 1");
        if (util <= 0 || util > 1) throw new UsageException("--utilization must be in (0, 1]");
        var pricing = r.GetValue(Pricing)?.ToLowerInvariant() switch
        {
            "auto" => Core.Engine.Pricing.Auto,
            "purchase" => Core.Engine.Pricing.Purchase,
            "cloud" => Core.Engine.Pricing.Cloud,
            var p => throw new UsageException($"--pricing must be auto, purchase or cloud, got '{p}'"),
        };
        return new Assumptions(life, kwh, pue, util, pricing);
    }

    public Core.Workloads.Scenario ScenarioOf(ParseResult r, Core.Catalog.ProfileCatalog catalog)
    {
        if (r.GetValue(Scenario) is { } id)
        {
            var s = catalog.GetScenario(id);
            // Explicit numbers on the command line override the scenario's.
            return s with
            {
                Batch = r.GetResult(Batch) is { Implicit: false } ? r.GetValue(Batch) : s.Batch,
                PromptTokens = r.GetResult(Prompt) is { Implicit: false } ? r.GetValue(Prompt) : s.PromptTokens,
                GeneratedTokens = r.GetResult(Gen) is { Implicit: false } ? r.GetValue(Gen) : s.GeneratedTokens,
            };
        }
        int b = r.GetValue(Batch), p = r.GetValue(Prompt), g = r.GetValue(Gen);
        if (b < 1) throw new UsageException($"--batch must be at least 1, got {b}");
        if (p < 1) throw new UsageException($"--prompt must be at least 1, got {p}");
        if (g < 1) throw new UsageException($"--gen must be at least 1, got {g}");
        return Core.Workloads.Scenario.Of(b, p, g);
    }

    public EngineKind? EngineOf(ParseResult r)
    {
        if (r.GetValue(Engine) is not { } e) return null;
        return Enum.TryParse<EngineKind>(e, ignoreCase: true, out var k) ? k
            : throw new UsageException($"--engine must be one of cpu, gpu, npu, accelerator; got '{e}'");
    }
}

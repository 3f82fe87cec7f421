using System.CommandLine;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;

namespace PerfSim.Cli.Commands;

/// <summary>Options shared by the report commands, with their defaults in one place.</summary>
public static class CommonOptions
{
    public const string DefaultHardware = Defaults.Hardware;
    public const string DefaultModel = Defaults.Model;
    public const string DefaultQuant = Defaults.Quant;

    public static Option<string?> Data() => new("--data") { Description = "Folder holding hardware-profiles/ and workloads/ (default: found from the working directory)" };
    public static Option<string> Format() => new("--format", "-f") { Description = "Output format: table, json, csv or markdown", DefaultValueFactory = _ => "table" };
    public static Option<string?> Output() => new("--output", "-o") { Description = "Write the report to this file (atomically) instead of standard output" };
    public static Option<int> Batch() => NumberOptions.Int("--batch", "Concurrent sequences (per replica)", Defaults.Batch, "-b");
    public static Option<int> Prompt() => NumberOptions.Int("--prompt", "Prompt tokens per sequence", Defaults.Prompt, "-p");
    public static Option<int> Gen() => NumberOptions.Int("--gen", "Generated tokens per sequence", Defaults.Gen, "-g");
    public static Option<string?> Scenario() => new("--scenario") { Description = "A scenario ID from workloads/scenarios (sets batch, prompt and gen)" };
    public static Option<string?> Kv() => new("--kv-cache") { Description = "KV-cache format ID (default: the quantization scheme's)" };
    public static Option<string?> Backend() => new("--backend") { Description = "Backend profile ID (default: the ideal backend)" };
    public static Option<string?> Engine() => new("--engine") { Description = "Engine of the device to use: cpu, gpu, npu or accelerator (default: the profile's default engine, or the backend's)" };
    public static Option<int?> Threads() => NumberOptions.OptionalInt("--threads", "CPU threads used (CPU engines; default: all cores)");
    public static Option<int?> Devices() => NumberOptions.OptionalInt("--devices", "Devices used in all (default: 1, or a system's device count)");
    public static Option<double> Lifetime() => NumberOptions.Double("--lifetime-years", "Years over which the purchase price is amortised", Assumptions.Default.LifetimeYears);
    public static Option<double> Electricity() => NumberOptions.Double("--usd-per-kwh", "Electricity price (USD per kWh)", Assumptions.Default.UsdPerKwh);
    public static Option<double> Pue() => NumberOptions.Double("--pue", "Data-centre power usage effectiveness (at least 1)", Assumptions.Default.Pue);
    public static Option<double> Utilization() => NumberOptions.Double("--utilization", "Fleet utilization: share of hours serving paid work, in (0, 1]", Assumptions.Default.FleetUtilization);
    public static Option<bool> Offline() => new("--offline") { Description = "Offline throughput: the largest batch that fits and the best data-parallel split of the devices (ignores --batch)" };
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
    public Option<bool> Offline { get; } = CommonOptions.Offline();

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Batch, Prompt, Gen, Offline, Scenario, Kv, Backend, Engine, Devices, Threads, Lifetime, Electricity, Pue, Utilization, Pricing, Format, Output, Data })
            c.Options.Add(o);
    }

    /// <summary>The request these options describe, for one hardware × model × quantization.</summary>
    public PredictionRequest Request(ParseResult r, string hardware, string model, string? quant) => new()
    {
        Hardware = hardware,
        Model = model,
        Quant = quant,
        KvCache = r.GetValue(Kv),
        Backend = r.GetValue(Backend),
        Engine = EngineOf(r),
        Threads = r.GetValue(Threads),
        Devices = r.GetValue(Devices),
        Scenario = new ScenarioRequest(r.GetValue(Scenario), Explicit(r, Batch), Explicit(r, Prompt), Explicit(r, Gen), r.GetValue(Offline)),
        Assumptions = Assumptions(r),
    };

    /// <summary>An option's value if the user gave it, else null (so a scenario's own number, or the default, applies).</summary>
    static int? Explicit(ParseResult r, Option<int> o) => r.GetResult(o) is { Implicit: false } ? r.GetValue(o) : null;

    public Assumptions Assumptions(ParseResult r)
    {
        var pricing = r.GetValue(Pricing)?.ToLowerInvariant() switch
        {
            "auto" => Core.Engine.Pricing.Auto,
            "purchase" => Core.Engine.Pricing.Purchase,
            "cloud" => Core.Engine.Pricing.Cloud,
            var p => throw new UsageException($"--pricing must be auto, purchase or cloud, got '{p}'"),
        };
        return RequestChecks.Assumptions(new Assumptions(r.GetValue(Lifetime), r.GetValue(Electricity), r.GetValue(Pue), r.GetValue(Utilization), pricing));
    }

    public EngineKind? EngineOf(ParseResult r)
    {
        if (r.GetValue(Engine) is not { } e) return null;
        return Enum.TryParse<EngineKind>(e, ignoreCase: true, out var k) ? k
            : throw new UsageException($"--engine must be one of cpu, gpu, npu, accelerator; got '{e}'");
    }
}

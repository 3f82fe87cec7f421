namespace PerfSim.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md as data: which PerfSim projects and which packages each src project
/// may reference. A project missing here fails the tests, so a new module has to state its rules.
/// </summary>
public static class DependencyRules
{
    public sealed record Rule(string[] Projects, string[] Packages);

    const string Core = "PerfSim.Core", Data = "PerfSim.Data", Composition = "PerfSim.Composition", Reporting = "PerfSim.Reporting",
        Validation = "PerfSim.Validation", Serving = "PerfSim.Serving", Planning = "PerfSim.Planning", Training = "PerfSim.Training",
        Kernels = "PerfSim.Kernels", Microbench = "PerfSim.Microbench", Plots = "PerfSim.Plots", Sweep = "PerfSim.Sweep";

    public static readonly IReadOnlyDictionary<string, Rule> Allowed = new Dictionary<string, Rule>
    {
        // The pure engine: nothing at all.
        [Core] = new([], []),
        [Kernels] = new([], []),
        // Loading sits apart from the engine.
        [Data] = new([Core], ["YamlDotNet", "CsvHelper"]),
        // The one path from a request to a configuration.
        // (Training's request → layout search is a pure library on Core, composed here like the inference layout.)
        [Composition] = new([Core, Data, Training], []),
        // The report model and renderers serve every verb; they know only Core's records.
        [Reporting] = new([Core], ["CsvHelper"]),
        [Validation] = new([Core, Data, Composition, Reporting, Training, Serving], []),
        // Capabilities: each its own project.
        [Serving] = new([Core, Reporting], []),
        [Training] = new([Core, Reporting], []),
        [Planning] = new([Core, Data, Composition, Reporting, Serving], []),
        [Plots] = new([Core, Data, Composition, Reporting, Validation, Serving, Planning, Training], ["ScottPlot", "CsvHelper"]),
        [Microbench] = new([Core, Kernels, Reporting], []),
        [Sweep] = new([Core, Data, Composition], ["CsvHelper"]),
        // Front ends: may use everything but each other.
        ["PerfSim.Benchmarks"] = new([Core, Data, Composition, Reporting, Validation, Serving, Planning, Training, Kernels, Microbench, Plots, Sweep], ["BenchmarkDotNet"]),
        ["PerfSim.Cli"] = new([Core, Data, Composition, Reporting, Validation, Serving, Planning, Training, Kernels, Microbench, Plots, Sweep], ["System.CommandLine", "Spectre.Console"]),
    };
}

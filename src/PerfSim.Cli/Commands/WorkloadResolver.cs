using PerfSim.Core.Catalog;
using PerfSim.Core.Engine;
using PerfSim.Core.Importers;
using PerfSim.Core.Workloads;

namespace PerfSim.Cli.Commands;

/// <summary>Turns the IDs (or model file paths) given on the command line into a workload.</summary>
public static class WorkloadResolver
{
    /// <param name="quantArg">The --quant given, or null if none was: then a GGUF's own quantization mix, else the default.</param>
    public static Workload Resolve(ProfileCatalog catalog, string modelArg, string? quantArg, string? kvArg, Scenario scenario)
    {
        var (model, fileQuant) = ModelSource.Load(catalog, modelArg);
        var quant = quantArg is not null ? catalog.GetQuant(quantArg) : fileQuant ?? catalog.GetQuant(CommonOptions.DefaultQuant);
        var kv = catalog.GetKv(kvArg ?? quant.KvCache);
        return new Workload(model, quant, kv, scenario);
    }
}

/// <summary>A model by catalog ID or, for paths ending in .json/.gguf, imported from the file (with its exact quantization for GGUF).</summary>
public static partial class ModelSource
{
    public static (ModelProfile Model, QuantScheme? Quant) Load(ProfileCatalog catalog, string arg)
    {
        if (TryImport(arg, out var imported)) return imported;
        return (catalog.GetModel(arg), null);
    }

    static bool TryImport(string arg, out (ModelProfile, QuantScheme?) result)
    {
        result = default;
        if (arg.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            RequireFile(arg);
            result = (HuggingFaceConfigImporter.Import(arg), null);
            return true;
        }
        if (arg.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            RequireFile(arg);
            var g = GgufReader.Import(arg);
            result = (g.Model, g.Quant);
            return true;
        }
        return false;
    }

    static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new InputFileException($"{path}: no such file");
    }
}

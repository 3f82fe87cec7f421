using PerfSim.Core.Workloads;
using PerfSim.Data;
using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;

namespace PerfSim.Composition;

/// <summary>A model by catalog ID or, for paths ending in .json/.gguf, imported from the file (with its exact quantization for GGUF).</summary>
public static class ModelSource
{
    public static (ModelProfile Model, QuantScheme? Quant) Load(ProfileCatalog catalog, string arg)
    {
        if (arg.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            RequireFile(arg);
            return (HuggingFaceConfigImporter.Import(arg), null);
        }
        if (arg.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            RequireFile(arg);
            var g = GgufReader.Import(arg);
            return (g.Model, g.Quant);
        }
        return (catalog.GetModel(arg), null);
    }

    static void RequireFile(string path)
    {
        if (Data.Input.InputFiles.NotARegularFile(path) is { } why) throw new InputFileException($"{path}: {why}");
    }
}

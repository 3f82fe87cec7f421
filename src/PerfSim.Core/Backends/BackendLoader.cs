using PerfSim.Core.Hardware;
using PerfSim.Core.Profiles;
using PerfSim.Core.Units;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Core.Backends;

public static class BackendLoader
{
    public static BackendProfile Load(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var engine = root.Enum<EngineKind>("engine");
        var sources = SourcedFields.ReadSources(root);
        var f = new SourcedFields(sources);
        var eff = root.Map("efficiency");
        var efficiency = new EngineEfficiency(f.Efficiency(eff, "memory_bandwidth"), f.Efficiency(eff, "gemm"), f.Efficiency(eff, "gemv"));
        eff.Done();
        var half = root.PositiveNumber("gemm_half_tokens");
        var step = f.Quantity(root, "overhead_per_step", QuantityKind.Seconds);
        var layer = f.Quantity(root, "overhead_per_layer", QuantityKind.Seconds);
        var formats = root.OptionalStringList("formats");
        root.OptionalString("notes");
        root.Done();
        return new BackendProfile(id, name, engine, efficiency, half, new(new Seconds(step.Value), step.Source),
            new(new Seconds(layer.Value), layer.Source), formats, sources, root.File);
    }
}

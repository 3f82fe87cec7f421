using PerfSim.Data.Profiles;
using PerfSim.Core.Units;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Data.Hardware;

/// <summary>Loads interconnect profiles (`hardware-profiles/interconnects/`) and memory technologies (`hardware-profiles/memory/`).</summary>
public static class InterconnectLoader
{
    public static InterconnectProfile LoadInterconnect(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var kind = root.Enum<InterconnectKind>("kind");
        var sources = SourcedFields.ReadSources(root);
        var f = new SourcedFields(sources);
        var bw = f.Quantity(root, "bandwidth_per_direction", QuantityKind.BytesPerSecond);
        var latency = f.OptionalQuantity(root, "latency", QuantityKind.Seconds);
        var energy = f.OptionalQuantity(root, "energy_per_byte", QuantityKind.EnergyPerByte);
        var allPairs = OptionalFlag(root, "all_pairs", f);
        var inNetwork = OptionalFlag(root, "in_network_reduction", f);
        root.OptionalString("notes");
        root.Done();
        return new InterconnectProfile(id, name, kind, new(new BytesPerSecond(bw.Value), bw.Source),
            latency is { } l ? new(new Seconds(l.Value), l.Source) : null,
            energy is { } e ? new(new JoulesPerByte(e.Value), e.Source) : null, sources, root.File, allPairs, inNetwork);
    }

    /// <summary>`{ value: true, source: key }`: a sourced yes/no fact about the fabric.</summary>
    static Sourced<bool>? OptionalFlag(YamlMap root, string key, SourcedFields f)
    {
        if (root.OptionalMap(key) is not { } m) return null;
        if (!m.Has("value")) throw m.Error("value", "expected true or false");
        var value = m.OptionalBool("value", false);
        var source = f.SourceKey(m);
        m.Done();
        return new Sourced<bool>(value, source);
    }

    public static MemoryTechnology LoadMemory(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var kind = root.Enum<MemoryKind>("kind");
        var sources = SourcedFields.ReadSources(root);
        var f = new SourcedFields(sources);
        var bw = f.Quantity(root, "bandwidth", QuantityKind.BytesPerSecond);
        var per = root.String("per");
        var energy = f.OptionalQuantity(root, "energy_per_byte", QuantityKind.EnergyPerByte);
        root.OptionalString("notes");
        root.Done();
        return new MemoryTechnology(id, name, kind, new(new BytesPerSecond(bw.Value), bw.Source), per,
            energy is { } e ? new(new JoulesPerByte(e.Value), e.Source) : null, sources, root.File);
    }
}

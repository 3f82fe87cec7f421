using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Data.Input;

namespace PerfSim.Data.Profiles;

/// <summary>
/// Reads `{ value: 3.35 TB/s, source: key }` fields. Every number must name a source, and the source must be a
/// key of the file's `sources:` table, so a typo in a key is an error rather than a silently unsourced number.
/// </summary>
public sealed class SourcedFields(IReadOnlyDictionary<string, string> sources)
{
    public IReadOnlyDictionary<string, string> Sources { get; } = sources;

    public Sourced<double> Quantity(YamlMap parent, string key, QuantityKind kind) => Read(parent.Map(key), kind);

    public Sourced<double>? OptionalQuantity(YamlMap parent, string key, QuantityKind kind) =>
        parent.OptionalMap(key) is { } m ? Read(m, kind) : null;

    public Sourced<double> Read(YamlMap field, QuantityKind kind)
    {
        var value = field.Quantity("value", kind);
        var source = SourceKey(field);
        field.Done();
        return new Sourced<double>(value, source);
    }

    public string SourceKey(YamlMap field)
    {
        var source = field.String("source");
        if (!Sources.ContainsKey(source))
        {
            var hint = Closest.Match(source, Sources.Keys) is { } c ? $"; did you mean '{Printable.Of(c)}'?" : "";
            throw field.Error("source", $"'{Printable.Of(source)}' is not a key of this profile's 'sources' table{hint}");
        }
        return source;
    }

    /// <summary>`{ value: 0.8, basis: assumed, why: "..." }` or `{ value: 0.9, basis: measured, source: key }`.</summary>
    public Efficiency Efficiency(YamlMap parent, string key)
    {
        var m = parent.Map(key);
        var value = m.Fraction("value");
        var basis = m.Enum<Basis>("basis");
        string why;
        if (basis == Basis.Assumed)
        {
            why = m.String("why");
        }
        else
        {
            why = Sources[SourceKey(m)];
            m.OptionalString("why");
        }
        m.Done();
        return new Efficiency(value, basis, why);
    }

    public static IReadOnlyDictionary<string, string> ReadSources(YamlMap root)
    {
        var table = root.Map("sources");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v, node) in table.ScalarEntries())
        {
            if (v.Length == 0) throw table.Error(node, table.Path + "." + k, "a source must say where the figure comes from");
            result[k] = v;
        }
        if (result.Count == 0) throw table.Error("sources", "must list at least one source");
        return result;
    }
}

using System.Globalization;
using PerfSim.Core.Units;
using YamlDotNet.RepresentationModel;
using PerfSim.Data.Input;

namespace PerfSim.Data.Profiles;

/// <summary>
/// A strict view of one YAML mapping: every read names the field, every error carries file:line,
/// and <see cref="Done"/> rejects keys nobody asked for (typos never pass silently).
/// </summary>
public sealed class YamlMap
{
    readonly YamlMappingNode node;
    readonly HashSet<string> read = new(StringComparer.Ordinal);
    readonly Func<YamlNode, string> fileOf;

    public string Path { get; }
    public string File => fileOf(node);
    public int Line => (int)node.Start.Line;

    internal YamlMap(YamlMappingNode node, string path, Func<YamlNode, string> fileOf)
    {
        this.node = node;
        Path = path;
        this.fileOf = fileOf;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!seen.Add(name)) throw Error(key, Field(name), "appears twice");
        }
    }

    public static YamlMap Root(YamlMappingNode node, Func<YamlNode, string> fileOf) => new(node, "", fileOf);

    public IEnumerable<string> Keys => node.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "");
    public bool Has(string key) => node.Children.ContainsKey(new YamlScalarNode(key));
    string Field(string key) => Path.Length == 0 ? key : Path + "." + key;

    public ProfileException Error(string key, string problem)
    {
        var n = Find(key);
        return Error((YamlNode?)n ?? node, Field(key), problem);
    }

    public ProfileException Error(YamlNode at, string field, string problem) => new(fileOf(at), (int)at.Start.Line, field, problem);

    YamlNode? Find(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    YamlNode RequiredNode(string key)
    {
        read.Add(key);
        if (Find(key) is { } found) return found;
        var typo = Closest.Match(key, Keys.Where(k => !read.Contains(k)));
        throw Error(node, Field(key), typo is null ? "is required but missing" : $"is required but missing (is '{Printable.Of(typo)}' a typo?)");
    }

    YamlNode? OptionalNode(string key)
    {
        read.Add(key);
        var v = Find(key);
        return v is YamlScalarNode { Value: null or "" or "~" or "null" } ? null : v;
    }

    string Scalar(YamlNode value, string key)
    {
        if (value is not YamlScalarNode s || s.Value is null)
            throw Error(value, Field(key), "expected a single value, not a list or mapping");
        return s.Value.Trim();
    }

    public string String(string key)
    {
        var n = RequiredNode(key);
        var s = Scalar(n, key);
        if (s.Length == 0) throw Error(n, Field(key), "must not be empty");
        return s;
    }

    public string? OptionalString(string key) => OptionalNode(key) is { } n ? Scalar(n, key) : null;

    public int PositiveInt(string key) => ParseInt(RequiredNode(key), key, min: 1);
    public int? OptionalPositiveInt(string key) => OptionalNode(key) is { } n ? ParseInt(n, key, min: 1) : null;
    public int? OptionalNonNegativeInt(string key) => OptionalNode(key) is { } n ? ParseInt(n, key, min: 0) : null;

    int ParseInt(YamlNode n, string key, int min)
    {
        var s = Scalar(n, key);
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
            throw Error(n, Field(key), $"expected a whole number ≥ {min}, got '{Printable.Of(s)}'");
        return v;
    }

    public double PositiveNumber(string key) => ParseNumber(RequiredNode(key), key);
    public double? OptionalPositiveNumber(string key) => OptionalNode(key) is { } n ? ParseNumber(n, key) : null;

    double ParseNumber(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        // Normal only: a denormal (1e-320) is positive but turns into Infinity when divided by.
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsNormal(v) || v <= 0)
            throw Error(n, Field(key), $"expected a positive number, got '{Printable.Of(s)}'");
        return v;
    }

    /// <summary>A fraction in (0, 1], e.g. an efficiency.</summary>
    public double Fraction(string key)
    {
        var n = RequiredNode(key);
        var v = ParseNumber(n, key);
        if (v > 1) throw Error(n, Field(key), $"expected a fraction in (0, 1], got '{Scalar(n, key)}'");
        return v;
    }

    public bool OptionalBool(string key, bool fallback)
    {
        if (OptionalNode(key) is not { } n) return fallback;
        var s = Scalar(n, key);
        return s switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw Error(n, Field(key), $"expected true or false, got '{Printable.Of(s)}'"),
        };
    }

    public double Quantity(string key, QuantityKind kind) => ParseQuantity(RequiredNode(key), key, kind);
    public double? OptionalQuantity(string key, QuantityKind kind) => OptionalNode(key) is { } n ? ParseQuantity(n, key, kind) : null;

    double ParseQuantity(YamlNode n, string key, QuantityKind kind)
    {
        var s = Scalar(n, key);
        if (!UnitParser.TryParse(s, kind, out var si))
            throw Error(n, Field(key), $"expected {UnitParser.Expected(kind)} (positive, with its unit), got '{Printable.Of(s)}'");
        if (Validation.QuantityRanges.Problem(kind, si) is { } problem)
            throw Error(n, Field(key), $"'{Printable.Of(s)}' is out of range: {problem}");
        return si;
    }

    public T Enum<T>(string key) where T : struct, Enum => ParseEnum<T>(RequiredNode(key), key);
    public T OptionalEnum<T>(string key, T fallback) where T : struct, Enum => OptionalNode(key) is { } n ? ParseEnum<T>(n, key) : fallback;

    T ParseEnum<T>(YamlNode n, string key) where T : struct, Enum
    {
        var s = Scalar(n, key);
        var wanted = s.Replace("-", "").Replace("_", "");
        foreach (var v in System.Enum.GetValues<T>())
            if (string.Equals(v.ToString(), wanted, StringComparison.OrdinalIgnoreCase)) return v;
        var names = string.Join(", ", System.Enum.GetNames<T>().Select(EnumText.Kebab));
        throw Error(n, Field(key), $"expected one of {names}, got '{Printable.Of(s)}'");
    }

    public YamlMap Map(string key)
    {
        var n = RequiredNode(key);
        return n as YamlMappingNode is { } m ? new YamlMap(m, Field(key), fileOf) : throw Error(n, Field(key), "expected a mapping of fields");
    }

    public YamlMap? OptionalMap(string key)
    {
        if (OptionalNode(key) is not { } n) return null;
        return n is YamlMappingNode m ? new YamlMap(m, Field(key), fileOf) : throw Error(n, Field(key), "expected a mapping of fields");
    }

    public IReadOnlyList<YamlMap> List(string key) => ListOf(RequiredNode(key), key, required: true);
    public IReadOnlyList<YamlMap> OptionalList(string key) => OptionalNode(key) is { } n ? ListOf(n, key, required: false) : [];

    IReadOnlyList<YamlMap> ListOf(YamlNode n, string key, bool required)
    {
        if (n is not YamlSequenceNode seq) throw Error(n, Field(key), "expected a list");
        if (required && seq.Children.Count == 0) throw Error(n, Field(key), "must list at least one entry");
        var result = new List<YamlMap>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            if (item is not YamlMappingNode m) throw Error(item, $"{Field(key)}[{i}]", "expected a mapping of fields");
            result.Add(new YamlMap(m, $"{Field(key)}[{i}]", fileOf));
        }
        return result;
    }

    public IReadOnlyList<string> OptionalStringList(string key)
    {
        if (OptionalNode(key) is not { } n) return [];
        if (n is not YamlSequenceNode seq) throw Error(n, Field(key), "expected a list of values");
        return seq.Children.Select((c, i) => Scalar(c, $"{key}[{i}]")).ToArray();
    }

    /// <summary>Each key of a mapping whose keys are names (e.g. data types) and values are mappings.</summary>
    public IEnumerable<(string Key, YamlMap Value)> Entries()
    {
        foreach (var (k, v) in node.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            read.Add(name);
            if (v is not YamlMappingNode m) throw Error(v, Field(name), "expected a mapping of fields");
            yield return (name, new YamlMap(m, Field(name), fileOf));
        }
    }

    /// <summary>Each key of a mapping whose values are plain scalars.</summary>
    public IEnumerable<(string Key, string Value, YamlNode Node)> ScalarEntries()
    {
        foreach (var (k, v) in node.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            read.Add(name);
            yield return (name, Scalar(v, name), v);
        }
    }

    /// <summary>Call after reading: any key that was not read is an error naming the closest known field.</summary>
    public void Done(IEnumerable<string>? allowed = null)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (read.Contains(name)) continue;
            var known = read.Concat(allowed ?? []).Distinct().ToArray();
            var hint = Closest.Match(name, known) is { } c ? $" (did you mean '{Printable.Of(c)}'?)" : "";
            throw Error(key, Field(name), $"unknown field{hint}; known fields here: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfSim.Core.Uncertainty;
using PerfSim.Data.Profiles;
using Range = PerfSim.Core.Uncertainty.Range;

namespace PerfSim.Data.Uncertainty;

/// <summary>
/// `workloads/residuals.json`: the residual statistics `perfsim fit` writes beside the backends it fits (half-width per
/// backend × stage × batch class, and each backend's coverage envelope), read by the composition layer so `predict`
/// builds intervals without refitting. JSON rather than YAML: it is machine-written and never edited by hand.
/// </summary>
public static class ResidualFile
{
    public const string RelativePath = "workloads/residuals.json";

    public static string PathIn(string root) => Path.Combine(root, "workloads", "residuals.json");

    public static string ToJson(ResidualStatistics s)
    {
        var groups = new JsonArray();
        foreach (var g in s.Table.Groups)
            groups.Add((JsonNode)new JsonObject
            {
                ["backend"] = g.Backend, ["stage"] = g.Stage, ["batch"] = g.Batch, ["count"] = g.Count, ["half_width"] = Round(g.HalfWidth),
            });
        var envelopes = new JsonArray();
        foreach (var e in s.Envelopes.Values.OrderBy(e => e.Backend, StringComparer.Ordinal))
            envelopes.Add((JsonNode)new JsonObject
            {
                ["backend"] = e.Backend,
                ["device_classes"] = new JsonArray(e.DeviceClasses.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["parameters"] = RangeNode(e.Parameters), ["batch"] = RangeNode(e.Batch), ["context"] = RangeNode(e.Context), ["devices"] = RangeNode(e.Devices),
            });
        var root = new JsonObject
        {
            ["comment"] = "Written by `perfsim fit --update-profiles` (or --backends-out): leave-one-device-out residuals, ln(predicted / measured), as split-conformal half-widths; do not edit by hand.",
            ["source"] = s.Source,
            ["coverage"] = s.Table.Coverage,
            ["groups"] = groups,
            ["envelopes"] = envelopes,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Rounded to 9 significant figures so a refit on another machine writes the same text.</summary>
    static double Round(double v) => double.Parse(v.ToString("G9", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    static JsonNode? RangeNode(Range? r) => r is null ? null : new JsonArray(Round(r.Min), Round(r.Max));

    /// <summary>Reads the file; null when it does not exist. A broken file throws <see cref="ProfileException"/> naming the field.</summary>
    public static ResidualStatistics? Load(string path)
    {
        if (!File.Exists(path)) return null;
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ProfileException(path, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON ({e.Message.Split('.')[0]})"); }
        if (root is not JsonObject o) throw new ProfileException(path, 1, "", "expected a JSON object");
        double coverage = Number(path, o, "coverage", 0, 1);
        var groups = Array(path, o, "groups").Select((n, i) =>
        {
            var g = Obj(path, n, $"groups[{i}]");
            return new ResidualGroup(Text(path, g, "backend"), Text(path, g, "stage"), Text(path, g, "batch"),
                (int)Number(path, g, "count", 1, int.MaxValue), Number(path, g, "half_width", 0, 100));
        }).ToList();
        var envelopes = new Dictionary<string, CoverageEnvelope>(StringComparer.Ordinal);
        foreach (var (n, i) in Array(path, o, "envelopes").Select((n, i) => (n, i)))
        {
            var e = Obj(path, n, $"envelopes[{i}]");
            var classes = Array(path, e, "device_classes").Select(c => c?.GetValueKind() == JsonValueKind.String ? c.GetValue<string>()
                : throw new ProfileException(path, 0, $"envelopes[{i}].device_classes", "expected strings")).ToList();
            var env = new CoverageEnvelope(Text(path, e, "backend"), classes, RangeOf(path, e, "parameters"), RangeOf(path, e, "batch"),
                RangeOf(path, e, "context"), RangeOf(path, e, "devices"));
            envelopes[env.Backend] = env;
        }
        string source = o["source"]?.GetValueKind() == JsonValueKind.String ? o["source"]!.GetValue<string>() : "";
        return new ResidualStatistics(new ResidualTable(coverage, groups), envelopes, source);
    }

    static JsonObject Obj(string path, JsonNode? n, string field) => n as JsonObject ?? throw new ProfileException(path, 0, field, "expected an object");

    static IEnumerable<JsonNode?> Array(string path, JsonObject o, string field) =>
        o[field] as JsonArray ?? throw new ProfileException(path, 0, field, "expected an array");

    static string Text(string path, JsonObject o, string field) =>
        o[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 ? v.GetValue<string>()
            : throw new ProfileException(path, 0, field, "expected a non-empty string");

    static double Number(string path, JsonObject o, string field, double min, double max)
    {
        if (o[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var d && double.IsFinite(d) && d >= min && d <= max) return d;
        throw new ProfileException(path, 0, field, FormattableString.Invariant($"expected a number from {min} to {max}"));
    }

    static Range? RangeOf(string path, JsonObject o, string field)
    {
        if (o[field] is null) return null;
        if (o[field] is JsonArray { Count: 2 } a && a[0] is JsonValue x && a[1] is JsonValue y
            && x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number
            && x.GetValue<double>() is var lo && y.GetValue<double>() is var hi && double.IsFinite(lo) && double.IsFinite(hi) && lo > 0 && lo <= hi)
            return new Range(lo, hi);
        throw new ProfileException(path, 0, field, "expected [min, max] with 0 < min ≤ max, or null");
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>
/// Nested JSON from the dotted keys ("decode.tokens_per_s" → {"decode": {"tokens_per_s": …}}), full precision, base
/// units. Always valid JSON: a missing value is `null` with a sibling `<name>_reason` string saying why; ratios are
/// fractions (0.275), not percentages; intervals are `[lo, hi]`.
/// </summary>
public sealed class JsonRenderer : IReportRenderer
{
    public string Format => "json";

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Render(Report report, TextWriter output, RenderOptions options) =>
        output.WriteLine(ToJson(report).ToJsonString(Options));

    public static JsonObject ToJson(Report report)
    {
        var root = new JsonObject { ["title"] = report.Title };
        foreach (var m in report.Metrics) Set(root, m.Key, m.Value);
        foreach (var t in report.Tables)
        {
            var arr = new JsonArray();
            foreach (var row in t.Rows)
            {
                var o = new JsonObject();
                for (int i = 0; i < t.Columns.Count; i++) Set(o, t.Columns[i].Key, row[i]);
                arr.Add((JsonNode)o);   // the JsonNode overload: Add<T> needs reflection (not trim/AOT-safe)
            }
            SetNode(root, t.Key, arr);
        }
        root["warnings"] = Strings(report.Warnings);
        root["notes"] = Strings(report.Notes);
        return root;
    }

    static JsonArray Strings(IEnumerable<string> s) => new(s.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());

    public static JsonNode? Node(Cell cell) => cell switch
    {
        QuantityCell q => JsonValue.Create(q.Value),
        RatioCell r => JsonValue.Create(r.Value),
        NumberCell n => JsonValue.Create(n.Value),
        CountCell c => JsonValue.Create(c.Value),
        TextCell t => JsonValue.Create(t.Value),
        BoolCell b => JsonValue.Create(b.Value),
        TextListCell l => Strings(l.Values),
        IntervalCell i => new JsonArray(JsonValue.Create(i.Lo), JsonValue.Create(i.Hi)),
        _ => null,
    };

    static void Set(JsonObject root, string dotted, Cell cell)
    {
        SetNode(root, dotted, Node(cell));
        if (cell is MissingCell m) SetNode(root, dotted + "_reason", JsonValue.Create(m.Reason));
    }

    static void SetNode(JsonObject root, string dotted, JsonNode? value)
    {
        var parts = ReportKey.Split(dotted);
        var o = root;
        for (int i = 0; i < parts.Count - 1; i++)
        {
            if (o[parts[i]] is not JsonObject child) { child = new JsonObject(); o[parts[i]] = child; }
            o = child;
        }
        o[parts[^1]] = value;
    }
}

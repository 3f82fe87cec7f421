using System.Text.Json;
using System.Text.Json.Nodes;

namespace PerfSim.Cli.Rendering;

/// <summary>Nested JSON from the dotted keys ("decode.tokens_per_s" → {"decode": {"tokens_per_s": ...}}).</summary>
public sealed class JsonRenderer : IReportRenderer
{
    public string Format => "json";

    public void Render(IReadOnlyList<Report> reports, TextWriter output)
    {
        JsonNode root = reports.Count == 1 ? ToJson(reports[0]) : new JsonObject { ["results"] = new JsonArray(reports.Select(r => (JsonNode)ToJson(r)).ToArray()) };
        output.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    public static JsonObject ToJson(Report report)
    {
        var root = new JsonObject();
        foreach (var row in report.Rows) Set(root, row.Key, ToNode(row.Value));
        foreach (var table in report.Details)
        {
            var arr = new JsonArray();
            foreach (var r in table.Rows)
            {
                var o = new JsonObject();
                for (int i = 0; i < table.Headers.Count && i < r.Count; i++)
                    o[table.Headers[i]] = double.TryParse(r[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(r[i]);
                arr.Add(o);
            }
            Set(root, table.Title, arr);
        }
        foreach (var (k, v) in report.Extra) Set(root, k, ToNode(v));
        if (report.Notes.Count > 0) root["notes"] = new JsonArray(report.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        return root;
    }

    static JsonNode? ToNode(object v) => v switch
    {
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double => null,
        int i => JsonValue.Create(i),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        JsonNode n => n,
        IEnumerable<string> list => new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        _ => JsonValue.Create(v.ToString()),
    };

    static void Set(JsonObject root, string dotted, JsonNode? value)
    {
        var parts = dotted.Split('.');
        var o = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (o[parts[i]] is not JsonObject child) { child = new JsonObject(); o[parts[i]] = child; }
            o = child;
        }
        o[parts[^1]] = value;
    }
}

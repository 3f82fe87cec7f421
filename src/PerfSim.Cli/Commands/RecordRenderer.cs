using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PerfSim.Cli.Rendering;
using Spectre.Console;

namespace PerfSim.Cli.Commands;

/// <summary>Renders a list of flat records (one per catalog entry) in any of the four formats.</summary>
public static class RecordRenderer
{
    public static void Write(CliContext ctx, IReadOnlyList<Dictionary<string, object>> records, string format)
    {
        var keys = records.SelectMany(r => r.Keys).Distinct().ToArray();
        var output = ctx.Out;
        switch (format.ToLowerInvariant())
        {
            case "json":
                var arr = new JsonArray(records.Select(r => (JsonNode)new JsonObject(r.Select(kv => KeyValuePair.Create(kv.Key, kv.Value switch
                {
                    double d => (JsonNode?)JsonValue.Create(d),
                    int i => JsonValue.Create(i),
                    bool b => JsonValue.Create(b),
                    _ => JsonValue.Create(kv.Value.ToString()),
                })))).ToArray());
                output.WriteLine(arr.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                break;
            case "csv":
                CsvText.Write(output, keys, records.Select(r => keys.Select(k => r.TryGetValue(k, out var v) ? ValueText.Exact(v) : "").ToArray()));
                break;
            case "markdown":
                output.WriteLine("| " + string.Join(" | ", keys) + " |");
                output.WriteLine("|" + string.Concat(keys.Select(_ => "---|")));
                foreach (var r in records) output.WriteLine("| " + string.Join(" | ", keys.Select(k => r.TryGetValue(k, out var v) ? ValueText.Human(v) : "")) + " |");
                break;
            case "table":
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
                console.Profile.Width = 200;
                var table = new Table().Border(TableBorder.Simple);
                foreach (var k in keys) table.AddColumn(k);
                foreach (var r in records) table.AddRow(keys.Select(k => Markup.Escape(r.TryGetValue(k, out var v) ? ValueText.Human(v) : "")).ToArray());
                console.Write(table);
                output.WriteLine($"{records.Count} entries");
                break;
            default:
                throw new UsageException($"unknown format '{format}'; expected one of table, json, csv, markdown");
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim validate` on a training measurement file: the same shape as inference validation (summary with
/// by_metric.&lt;metric&gt;.mape, rows[], worst[], unpredicted[] with reasons), grouped by hardware instead of backend.
/// </summary>
public static class TrainingValidationOutput
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(CliContext ctx, ProfileCatalog catalog, string path, string display, string format, string? output, int worst)
    {
        var result = TrainingValidator.Run(catalog, TrainingReferenceFile.Load(path));
        void Render(TextWriter w) => Write(w, format, result, display, worst);
        if (output is { } o) { AtomicFile.Write(o, Render); ctx.Error.WriteLine($"wrote {o}"); }
        else Render(ctx.Out);
        return (int)ExitCode.Ok;
    }

    public static void Write(TextWriter w, string format, TrainingValidationResult v, string reference, int worst)
    {
        switch (format.ToLowerInvariant())
        {
            case "json": Json(w, v, reference, worst); break;
            case "markdown" or "md": Text(w, v, reference, worst, markdown: true); break;
            case "csv": Csv(w, v); break;
            case "table": Text(w, v, reference, worst, markdown: false); break;
            default: throw new UsageException($"--format must be table, json, csv or markdown; got '{format}'");
        }
    }

    static readonly string[] Header = ["line", "hardware", "devices", "model", "layout", "metric", "predicted", "measured", "error"];

    static string[] Cells(TrainingValidatedRow r) =>
    [
        r.Row.Line.ToString(Inv), r.Row.Hardware, r.Row.Devices?.ToString(Inv) ?? "", r.Row.Model, r.Layout, r.Row.Metric,
        ValidationOutput.Num(r.Predicted), ValidationOutput.Num(r.Measured), double.IsFinite(r.ErrorPercent) ? r.ErrorPercent.ToString("+0.0;-0.0;0.0", Inv) + "%" : "-",
    ];

    static string Mape(double v) => double.IsFinite(v) ? v.ToString("0.0", Inv) + "%" : "-";

    static void Text(TextWriter w, TrainingValidationResult v, string reference, int worst, bool markdown)
    {
        void Grid(string[] header, IEnumerable<string[]> rows)
        {
            var all = new List<string[]> { header };
            all.AddRange(rows);
            if (markdown)
            {
                w.WriteLine("| " + string.Join(" | ", header) + " |");
                w.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
                foreach (var r in all.Skip(1)) w.WriteLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|"))) + " |");
                return;
            }
            var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
            foreach (var r in all) w.WriteLine("  " + string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
        w.WriteLine(markdown ? $"# PerfSim training validation: `{reference}`" : $"PerfSim training validation: {reference}");
        w.WriteLine();
        var summary = new List<string[]> { new[] { "overall", "all rows", v.Count.ToString(Inv), Mape(v.Mape) } };
        summary.AddRange(v.ByMetric.Select(kv => new[] { "metric", kv.Key, kv.Value.Count.ToString(Inv), Mape(kv.Value.Mape) }));
        summary.AddRange(v.ByHardware.Select(kv => new[] { "hardware", kv.Key, kv.Value.Count.ToString(Inv), Mape(kv.Value.Mape) }));
        w.WriteLine($"Error (MAPE), {v.Count} rows predicted, {v.Unpredicted.Count} unpredicted");
        w.WriteLine();
        Grid(["scope", "name", "rows", "MAPE"], summary);
        w.WriteLine();
        Grid(Header, v.Rows.Select(Cells));
        w.WriteLine();
        w.WriteLine($"Worst {Math.Min(worst, v.Rows.Count)} rows");
        w.WriteLine();
        Grid(Header, v.Worst(worst).Select(Cells));
        w.WriteLine();
        w.WriteLine($"Unpredicted rows: {v.Unpredicted.Count}");
        foreach (var u in v.Unpredicted) w.WriteLine($"{(markdown ? "-" : " ")} line {u.Line} ({u.Hardware}, {u.Metric}): {u.Reason}");
        foreach (var r in v.Rows.Where(r => r.Note is not null)) w.WriteLine($"{(markdown ? "- " : "")}Note, line {r.Row.Line}: {r.Note}");
    }

    static void Csv(TextWriter w, TrainingValidationResult v)
    {
        w.WriteLine(string.Join(",", Header) + ",note");
        foreach (var r in v.Rows)
            w.WriteLine(string.Join(",", new[]
            {
                r.Row.Line.ToString(Inv), r.Row.Hardware, r.Row.Devices?.ToString(Inv) ?? "", r.Row.Model, r.Layout, r.Row.Metric,
                r.Predicted.ToString("R", Inv), r.Measured.ToString("R", Inv), r.ErrorPercent.ToString("0.###", Inv), r.Note ?? "",
            }.Select(Data.Measurements.Csv.Escape)));
        foreach (var u in v.Unpredicted)
            w.WriteLine(string.Join(",", new[] { u.Line.ToString(Inv), u.Hardware, "", "", "", u.Metric, "", "", "", "unpredicted: " + u.Reason }.Select(Data.Measurements.Csv.Escape)));
    }

    static void Json(TextWriter tw, TrainingValidationResult v, string reference, int worst)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void Stats(string name, ErrorStats s)
            {
                j.WriteStartObject(name);
                j.WriteNumber("count", s.Count);
                if (double.IsFinite(s.Mape)) j.WriteNumber("mape", Math.Round(s.Mape, 4)); else j.WriteNull("mape");
                j.WriteEndObject();
            }
            void Row(TrainingValidatedRow r)
            {
                j.WriteStartObject();
                j.WriteNumber("line", r.Row.Line);
                j.WriteString("hardware", r.Row.Hardware);
                if (r.Row.Devices is { } d) j.WriteNumber("devices", d); else j.WriteNull("devices");
                j.WriteString("model", r.Row.Model);
                j.WriteString("layout", r.Layout);
                j.WriteString("metric", r.Row.Metric);
                j.WriteNumber("predicted", r.Predicted);
                j.WriteNumber("measured", r.Measured);
                j.WriteNumber("error", Math.Round(r.ErrorPercent, 4));
                if (r.Note is not null) j.WriteString("note", r.Note);
                j.WriteEndObject();
            }
            j.WriteStartObject();
            j.WriteString("reference", reference);
            j.WriteString("schema", "training");
            j.WriteStartObject("summary");
            j.WriteNumber("count", v.Count);
            j.WriteNumber("unpredicted", v.Unpredicted.Count);
            if (double.IsFinite(v.Mape)) j.WriteNumber("mape", Math.Round(v.Mape, 4)); else j.WriteNull("mape");
            j.WriteStartObject("by_metric");
            foreach (var (k, s) in v.ByMetric) Stats(k, s);
            j.WriteEndObject();
            j.WriteStartObject("by_hardware");
            foreach (var (k, s) in v.ByHardware) Stats(k, s);
            j.WriteEndObject();
            j.WriteEndObject();
            j.WriteStartArray("rows");
            foreach (var r in v.Rows) Row(r);
            j.WriteEndArray();
            j.WriteStartArray("worst");
            foreach (var r in v.Worst(worst)) Row(r);
            j.WriteEndArray();
            j.WriteStartArray("unpredicted");
            foreach (var u in v.Unpredicted)
            {
                j.WriteStartObject();
                j.WriteNumber("line", u.Line);
                j.WriteString("hardware", u.Hardware);
                j.WriteString("metric", u.Metric);
                j.WriteString("reason", u.Reason);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        tw.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }
}

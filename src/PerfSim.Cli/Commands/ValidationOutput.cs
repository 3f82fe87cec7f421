using System.Globalization;
using System.Text;
using System.Text.Json;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>Renders a validation (per-row predicted vs measured, MAPE per metric and backend, worst rows, unpredicted rows).</summary>
public static class ValidationOutput
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Num(double v) =>
        !double.IsFinite(v) ? "-" : Math.Abs(v) >= 100 ? v.ToString("0.0", Inv) : Math.Abs(v) >= 1 ? v.ToString("0.00", Inv) : v.ToString("0.####", Inv);

    static string Pct(double v) => double.IsFinite(v) ? v.ToString("+0.0;-0.0;0.0", Inv) + "%" : "-";
    static string Mape(double v) => double.IsFinite(v) ? v.ToString("0.0", Inv) + "%" : "-";

    public static void Write(TextWriter w, string format, string title, ValidationResult v, string reference, int worst = 5,
        ValidationResult? lodo = null, IReadOnlyList<(string Backend, string Parameters)>? fitted = null)
    {
        switch (format.ToLowerInvariant())
        {
            case "json": Json(w, v, reference, worst, lodo, fitted); break;
            case "markdown" or "md": Markdown(w, title, v, reference, worst, lodo, fitted); break;
            case "csv": CsvOut(w, v); break;
            case "table": Table(w, title, v, reference, worst, lodo, fitted); break;
            default: throw new UsageException($"--format must be table, json, csv or markdown; got '{format}'");
        }
    }

    static string[] Header => ["line", "hardware", "model", "quant", "backend", "batch", "prompt", "gen", "metric", "predicted", "measured", "error"];

    static string[] Cells(ValidatedRow r) =>
    [
        r.Row.Line.ToString(Inv), r.Row.Hardware + (r.Row.Devices > 1 ? $" ×{r.Row.Devices}" : "") + (r.Row.Threads is { } t ? $" ({t} thr)" : ""),
        r.Row.Model, r.Row.Quant, r.Row.Backend, r.Row.Batch?.ToString(Inv) ?? "best", r.Row.PromptTokens.ToString(Inv),
        r.Row.GenTokens.ToString(Inv), r.Row.Metric.Name(), Num(r.Predicted), Num(r.Measured), Pct(r.ErrorPercent),
    ];

    static List<(string Scope, string Name, ErrorStats Stats)> SummaryRows(ValidationSummary s)
    {
        var list = new List<(string, string, ErrorStats)> { ("overall", "all rows", new ErrorStats(s.Count, s.Mape)) };
        list.AddRange(s.ByMetric.Select(kv => ("metric", kv.Key, kv.Value)));
        list.AddRange(s.ByBackend.Select(kv => ("backend", kv.Key, kv.Value)));
        return list;
    }

    static void Table(TextWriter w, string title, ValidationResult v, string reference, int worst, ValidationResult? lodo,
        IReadOnlyList<(string Backend, string Parameters)>? fitted)
    {
        w.WriteLine($"{title}: {reference}");
        w.WriteLine();
        Grid(w, Header, v.Rows.Select(Cells));
        w.WriteLine();
        SummaryTable(w, "Error (MAPE)", v.Summary);
        if (lodo is not null) { w.WriteLine(); SummaryTable(w, "Leave-one-device-out error (MAPE)", lodo.Summary); }
        if (fitted is not null)
        {
            w.WriteLine();
            w.WriteLine("Fitted parameters");
            foreach (var (b, p) in fitted) w.WriteLine($"  {b}: {p}");
        }
        w.WriteLine();
        w.WriteLine($"Worst {Math.Min(worst, v.Rows.Count)} rows");
        Grid(w, Header, v.Worst(worst).Select(Cells));
        w.WriteLine();
        w.WriteLine($"Unpredicted rows: {v.Unpredicted.Count}");
        foreach (var u in v.Unpredicted) w.WriteLine($"  line {u.Line} ({u.Hardware}, {u.Backend}, {u.Metric}): {u.Reason}");
        foreach (var r in v.Rows.Where(r => r.Note is not null)) w.WriteLine($"Note, line {r.Row.Line}: {r.Note}");
    }

    static void SummaryTable(TextWriter w, string title, ValidationSummary s)
    {
        w.WriteLine($"{title}, {s.Count} rows predicted, {s.Unpredicted} unpredicted");
        Grid(w, ["scope", "name", "rows", "MAPE"], SummaryRows(s).Select(x => new[] { x.Scope, x.Name, x.Stats.Count.ToString(Inv), Mape(x.Stats.Mape) }));
    }

    static void Grid(TextWriter w, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var r in all)
            w.WriteLine("  " + string.Join("  ", r.Select((c, i) => i >= header.Length - 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }

    static void Markdown(TextWriter w, string title, ValidationResult v, string reference, int worst, ValidationResult? lodo,
        IReadOnlyList<(string Backend, string Parameters)>? fitted)
    {
        w.WriteLine($"# {title}");
        w.WriteLine();
        w.WriteLine($"Reference: `{reference}`. Error = (predicted − measured) ÷ measured. MAPE = mean absolute percentage error.");
        w.WriteLine();
        w.WriteLine("## Summary");
        w.WriteLine();
        MdSummary(w, v.Summary);
        if (lodo is not null) { w.WriteLine(); w.WriteLine("## Leave-one-device-out"); w.WriteLine(); MdSummary(w, lodo.Summary); }
        if (fitted is not null)
        {
            w.WriteLine(); w.WriteLine("## Fitted parameters"); w.WriteLine();
            foreach (var (b, p) in fitted) w.WriteLine($"- `{b}`: {p}");
        }
        w.WriteLine();
        w.WriteLine("## Per row");
        w.WriteLine();
        MdGrid(w, Header, v.Rows.Select(Cells));
        w.WriteLine();
        w.WriteLine($"## Worst {Math.Min(worst, v.Rows.Count)} rows");
        w.WriteLine();
        MdGrid(w, Header, v.Worst(worst).Select(Cells));
        w.WriteLine();
        w.WriteLine($"## Unpredicted rows ({v.Unpredicted.Count})");
        w.WriteLine();
        if (v.Unpredicted.Count == 0) w.WriteLine("None.");
        foreach (var u in v.Unpredicted) w.WriteLine($"- line {u.Line} ({u.Hardware}, {u.Backend}, {u.Metric}): {u.Reason}");
        var notes = v.Rows.Where(r => r.Note is not null).ToList();
        if (notes.Count > 0)
        {
            w.WriteLine(); w.WriteLine("## Notes"); w.WriteLine();
            foreach (var r in notes) w.WriteLine($"- line {r.Row.Line}: {r.Note}");
        }
    }

    static void MdSummary(TextWriter w, ValidationSummary s)
    {
        w.WriteLine($"{s.Count} rows predicted, {s.Unpredicted} unpredicted.");
        w.WriteLine();
        MdGrid(w, ["scope", "name", "rows", "MAPE"], SummaryRows(s).Select(x => new[] { x.Scope, x.Name, x.Stats.Count.ToString(Inv), Mape(x.Stats.Mape) }));
    }

    static void MdGrid(TextWriter w, string[] header, IEnumerable<string[]> rows)
    {
        w.WriteLine("| " + string.Join(" | ", header) + " |");
        w.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in rows) w.WriteLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|"))) + " |");
    }

    static void CsvOut(TextWriter w, ValidationResult v)
    {
        w.WriteLine(string.Join(",", Header) + ",note");
        foreach (var r in v.Rows)
            w.WriteLine(string.Join(",", new[]
            {
                r.Row.Line.ToString(Inv), r.Row.Hardware, r.Row.Model, r.Row.Quant, r.Row.Backend, r.Row.Batch?.ToString(Inv) ?? "",
                r.Row.PromptTokens.ToString(Inv), r.Row.GenTokens.ToString(Inv), r.Row.Metric.Name(),
                r.Predicted.ToString("R", Inv), r.Measured.ToString("R", Inv), r.ErrorPercent.ToString("0.###", Inv), r.Note ?? "",
            }.Select(Csv.Escape)));
        foreach (var u in v.Unpredicted)
            w.WriteLine(string.Join(",", new[] { u.Line.ToString(Inv), u.Hardware, "", "", u.Backend, "", "", "", u.Metric, "", "", "", "unpredicted: " + u.Reason }.Select(Csv.Escape)));
    }

    static void Json(TextWriter tw, ValidationResult v, string reference, int worst, ValidationResult? lodo,
        IReadOnlyList<(string Backend, string Parameters)>? fitted)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            j.WriteString("reference", reference);
            j.WritePropertyName("summary"); JsonSummary(j, v.Summary);
            if (lodo is not null) { j.WritePropertyName("leave_one_device_out"); JsonSummary(j, lodo.Summary); }
            if (fitted is not null)
            {
                j.WriteStartObject("fitted");
                foreach (var (b, p) in fitted) j.WriteString(b, p);
                j.WriteEndObject();
            }
            j.WriteStartArray("rows");
            foreach (var r in v.Rows) JsonRow(j, r);
            j.WriteEndArray();
            j.WriteStartArray("worst");
            foreach (var r in v.Worst(worst)) JsonRow(j, r);
            j.WriteEndArray();
            j.WriteStartArray("unpredicted");
            foreach (var u in v.Unpredicted)
            {
                j.WriteStartObject();
                j.WriteNumber("line", u.Line);
                j.WriteString("hardware", u.Hardware);
                j.WriteString("backend", u.Backend);
                j.WriteString("metric", u.Metric);
                j.WriteString("reason", u.Reason);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        tw.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }

    static void JsonSummary(Utf8JsonWriter j, ValidationSummary s)
    {
        j.WriteStartObject();
        j.WriteNumber("count", s.Count);
        j.WriteNumber("unpredicted", s.Unpredicted);
        Mape(j, "mape", s.Mape);
        j.WriteStartObject("by_metric");
        foreach (var (k, st) in s.ByMetric) { j.WriteStartObject(k); j.WriteNumber("count", st.Count); Mape(j, "mape", st.Mape); j.WriteEndObject(); }
        j.WriteEndObject();
        j.WriteStartObject("by_backend");
        foreach (var (k, st) in s.ByBackend) { j.WriteStartObject(k); j.WriteNumber("count", st.Count); Mape(j, "mape", st.Mape); j.WriteEndObject(); }
        j.WriteEndObject();
        j.WriteEndObject();
    }

    static void Mape(Utf8JsonWriter j, string name, double v)
    {
        if (double.IsFinite(v)) j.WriteNumber(name, Math.Round(v, 4)); else j.WriteNull(name);
    }

    static void JsonRow(Utf8JsonWriter j, ValidatedRow r)
    {
        j.WriteStartObject();
        j.WriteNumber("line", r.Row.Line);
        j.WriteString("hardware", r.Row.Hardware);
        j.WriteNumber("devices", r.Row.Devices);
        if (r.Row.Threads is { } t) j.WriteNumber("threads", t); else j.WriteNull("threads");
        j.WriteString("model", r.Row.Model);
        j.WriteString("quant", r.Row.Quant);
        j.WriteString("backend", r.Row.Backend);
        if (r.Row.Batch is { } b) j.WriteNumber("batch", b); else j.WriteNull("batch");
        j.WriteNumber("prompt_tokens", r.Row.PromptTokens);
        j.WriteNumber("gen_tokens", r.Row.GenTokens);
        j.WriteString("metric", r.Row.Metric.Name());
        j.WriteNumber("predicted", r.Predicted);
        j.WriteNumber("measured", r.Measured);
        j.WriteNumber("error", Math.Round(r.ErrorPercent, 4));
        if (r.Note is not null) j.WriteString("note", r.Note);
        j.WriteEndObject();
    }
}

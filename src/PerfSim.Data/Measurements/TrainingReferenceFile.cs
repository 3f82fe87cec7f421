using System.Globalization;
using System.Text.RegularExpressions;
using PerfSim.Data.Profiles;

namespace PerfSim.Data.Measurements;

/// <summary>
/// One published training measurement (shared/validation/README.md, `training-measurements.csv`), its fields read
/// as given: numbers that are absent are null; free-text fields (zero, recompute, precision, notes) are kept for the
/// validator to interpret. `GlobalBatchSequences` / `GlobalBatchTokens`: whichever unit the row states.
/// </summary>
public sealed record TrainingReferenceRow(
    int Line, string Hardware, int? Devices, string Model, double? Parameters, double? ActiveParameters,
    int? Layers, int? Hidden, int? Heads, int? SeqLen, double? GlobalBatchSequences, double? GlobalBatchTokens,
    int? Tp, int? Pp, int? Dp, int? Ep, string Zero, string Recompute, string Precision,
    string Metric, double Value, string Source, string Notes)
{
    public string Label => $"{Hardware} ×{Devices?.ToString(CultureInfo.InvariantCulture) ?? "?"} {Model}";
}

/// <summary>A training measurement file: rows that parsed, and lines that did not, with the reason.</summary>
public sealed record TrainingReferenceFile(string Path, IReadOnlyList<TrainingReferenceRow> Rows, IReadOnlyList<ReferenceIssue> Issues)
{
    public static readonly string[] Columns =
        ["hardware", "devices", "model", "params", "layers", "hidden", "heads", "seq_len", "global_batch_tokens_or_sequences",
         "tp", "pp", "dp", "ep", "zero", "recompute", "precision", "metric", "value", "source", "notes"];

    public static readonly string[] Metrics = ["tflops_per_device", "mfu", "iteration_s", "time_to_train_min", "device_hours"];

    /// <summary>The training schema is recognised by its header: the batch column no inference file has, and tp/pp.</summary>
    public static bool IsTrainingHeader(IReadOnlyList<string> header)
    {
        var h = header.Select(x => x.Trim().ToLowerInvariant()).ToHashSet();
        return h.Contains("global_batch_tokens_or_sequences") && h.Contains("tp") && h.Contains("pp") && h.Contains("metric");
    }

    /// <summary>Whether a file's first record is the training header (false for an unreadable or empty file: the inference reader reports those).</summary>
    public static bool IsTrainingFile(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var first = reader.ReadLine();
            if (first is null) return false;
            var records = Csv.Parse(first, path);
            return records.Count > 0 && IsTrainingHeader(records[0].Fields);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return false; }
    }

    public static TrainingReferenceFile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException(path, 0, "", $"cannot read the measurement file: {e.Message}");
        }
        return Parse(text, path);
    }

    public static TrainingReferenceFile Parse(string text, string path)
    {
        List<CsvRecord> records;
        try { records = Csv.Parse(text, path); }
        catch (FormatException e) { throw new ProfileException(path, 0, "", e.Message); }
        if (records.Count == 0) throw new ProfileException(path, 1, "", "empty file: expected a header line with columns " + string.Join(",", Columns));
        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var r in new[] { "hardware", "model", "metric", "value", "global_batch_tokens_or_sequences" })
            if (!header.Contains(r))
                throw new ProfileException(path, records[0].Line, r, $"required column '{r}' is missing from the header (columns: {string.Join(",", Columns)})");
        var col = header.Select((h, i) => (h, i)).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().i);

        var rows = new List<TrainingReferenceRow>();
        var issues = new List<ReferenceIssue>();
        foreach (var rec in records.Skip(1))
        {
            string Get(string c) => col.TryGetValue(c, out var i) && i < rec.Fields.Count ? rec.Fields[i].Trim() : "";
            string hw = Get("hardware"), metric = Get("metric");
            if (rec.Fields.Count != header.Count)
            {
                issues.Add(new ReferenceIssue(rec.Line, hw, "", metric, $"has {rec.Fields.Count} fields, the header has {header.Count}"));
                continue;
            }
            var problems = new List<string>();
            int? Int(string c)
            {
                var s = Get(c);
                if (s.Length == 0) return null;
                if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1) return v;
                problems.Add($"field '{c}': expected a whole number ≥ 1, got '{s}'");
                return null;
            }
            if (hw.Length == 0) problems.Add("field 'hardware' is empty");
            if (!Metrics.Contains(metric)) problems.Add($"field 'metric': unknown metric '{metric}' (known: {string.Join(", ", Metrics)})");
            var vs = Get("value");
            if (!double.TryParse(vs, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
                problems.Add($"field 'value': expected a positive number, got '{vs}'");
            var (parameters, active) = ParseParameters(Get("params"));
            var (seqs, toks) = ParseBatch(Get("global_batch_tokens_or_sequences"));
            var row = new TrainingReferenceRow(rec.Line, hw, Int("devices"), Get("model"), parameters, active, Int("layers"), Int("hidden"), Int("heads"),
                Int("seq_len"), seqs, toks, Int("tp"), Int("pp"), Int("dp"), Int("ep"), Get("zero"), Get("recompute"), Get("precision"),
                metric, value, Get("source"), Get("notes"));
            if (problems.Count > 0) { issues.Add(new ReferenceIssue(rec.Line, hw, "", metric, string.Join("; ", problems))); continue; }
            rows.Add(row);
        }
        return new TrainingReferenceFile(path, rows, issues);
    }

    static readonly Regex Count = new(@"^\s*([0-9]*\.?[0-9]+)\s*([KMBT]?)", RegexOptions.CultureInvariant);
    static readonly Regex Active = new(@"\(([0-9]*\.?[0-9]+)\s*([KMBT])\s*active\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    static double Scale(string suffix) => suffix.ToUpperInvariant() switch { "K" => 1e3, "M" => 1e6, "B" => 1e9, "T" => 1e12, _ => 1 };

    /// <summary>"175B" → 1.75e11; "671B (37B active)" → (6.71e11, 3.7e10); empty or unreadable → null.</summary>
    public static (double? Total, double? Active) ParseParameters(string s)
    {
        var m = Count.Match(s);
        if (!m.Success) return (null, null);
        double total = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * Scale(m.Groups[2].Value);
        var a = Active.Match(s);
        double? active = a.Success ? double.Parse(a.Groups[1].Value, CultureInfo.InvariantCulture) * Scale(a.Groups[2].Value) : null;
        return (total, active);
    }

    /// <summary>"512 seq" → (512, null); "16M tok" → (null, 1.6e7); anything else → (null, null).</summary>
    public static (double? Sequences, double? Tokens) ParseBatch(string s)
    {
        var m = Regex.Match(s, @"^\s*([0-9]*\.?[0-9]+)\s*([KMBT]?)\s*(seq|tok)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        if (!m.Success) return (null, null);
        double v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * Scale(m.Groups[2].Value);
        return m.Groups[3].Value.Equals("seq", StringComparison.OrdinalIgnoreCase) ? (v, null) : (null, v);
    }
}

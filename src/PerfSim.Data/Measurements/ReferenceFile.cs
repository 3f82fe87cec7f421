using System.Globalization;
using PerfSim.Data.Profiles;
using PerfSim.Data.Input;

namespace PerfSim.Data.Measurements;

/// <summary>The metrics of the reference-measurement schema (shared/validation/README.md).</summary>
public enum Metric { PrefillTokensPerS, DecodeTokensPerS, ThroughputTokensPerS, TtftS, TpotS, JoulesPerToken, PowerW }

public static class Metrics
{
    public static readonly IReadOnlyDictionary<string, Metric> ByName = new Dictionary<string, Metric>(StringComparer.Ordinal)
    {
        ["prefill_tokens_per_s"] = Metric.PrefillTokensPerS,
        ["decode_tokens_per_s"] = Metric.DecodeTokensPerS,
        ["throughput_tokens_per_s"] = Metric.ThroughputTokensPerS,
        ["ttft_s"] = Metric.TtftS,
        ["tpot_s"] = Metric.TpotS,
        ["joules_per_token"] = Metric.JoulesPerToken,
        ["power_w"] = Metric.PowerW,
    };

    /// <summary>The energy metrics: predicted through the power model at the row's power boundary.</summary>
    public static bool IsEnergy(this Metric m) => m is Metric.JoulesPerToken or Metric.PowerW;

    public static string Name(this Metric m) => ByName.First(kv => kv.Value == m).Key;
}

/// <summary>
/// One measurement. `Batch` null = offline best batch; `Threads` null = all; `Line` is its line in the file.
/// `PromptTokens` / `GenTokens` are <see cref="NotStated"/> (−1) when the source does not give them (the energy file's
/// chat sweeps): the validator states the length it assumes.
/// </summary>
public sealed record ReferenceRow(
    int Line, string Hardware, int Devices, int? Threads, string Model, string Quant, string Backend,
    int? Batch, int PromptTokens, int GenTokens, Metric Metric, double Value, string Source, string Notes)
{
    public const int NotStated = -1;
    public string Label => $"{Hardware} {Model} {Quant} {Backend} b{(Batch?.ToString(CultureInfo.InvariantCulture) ?? "best")} p{PromptTokens} g{GenTokens}";
}

/// <summary>A line of the file that is not a usable measurement (bad number, unknown metric), with the reason.</summary>
public sealed record ReferenceIssue(int Line, string Hardware, string Backend, string Metric, string Reason);

public sealed record ReferenceFile(string Path, IReadOnlyList<ReferenceRow> Rows, IReadOnlyList<ReferenceIssue> Issues)
{
    public static readonly string[] Columns =
        ["hardware", "devices", "threads", "model", "quant", "backend", "batch", "prompt_tokens", "gen_tokens", "metric", "value", "source", "notes"];

    static readonly string[] Required =
        ["hardware", "model", "quant", "backend", "prompt_tokens", "gen_tokens", "metric", "value"];

    /// <summary>
    /// Reads a measurement file. A file that cannot be read as this schema (unreadable, not CSV, a required column
    /// missing) throws <see cref="ProfileException"/> with file:line and field; a bad row becomes an issue.
    /// </summary>
    public static ReferenceFile Load(string path)
    {
        var text = InputFiles.ReadText(path, ReaderLimits.CsvBytes, why => new ProfileException(path, 0, "", $"cannot read the measurement file: {why}"));
        return Parse(text, path);
    }

    public static ReferenceFile Parse(string text, string path)
    {
        List<CsvRecord> records;
        try { records = Csv.Parse(text, path); }
        catch (FormatException e) { throw new ProfileException(path, LineOf(e.Message), "", e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]); }
        if (records.Count == 0) throw new ProfileException(path, 1, "", "empty file: expected a header line with columns " + string.Join(",", Columns));
        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        foreach (var r in Required)
            if (!header.Contains(r))
                throw new ProfileException(path, records[0].Line, r, $"required column '{Printable.Of(r)}' is missing from the header (columns: {string.Join(",", Columns)})");
        if (records.Count == 1)
            throw new ProfileException(path, records[0].Line, "", "no measurement rows after the header (a file of only a header, or line ends this reader did not split)");
        var col = header.Select((h, i) => (h, i)).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().i);

        var rows = new List<ReferenceRow>();
        var issues = new List<ReferenceIssue>();
        foreach (var rec in records.Skip(1))
        {
            string Get(string c) => col.TryGetValue(c, out var i) && i < rec.Fields.Count ? rec.Fields[i].Trim() : "";
            string hw = Get("hardware"), backend = Get("backend"), metricName = Get("metric");
            void Issue(string reason) => issues.Add(new ReferenceIssue(rec.Line, hw, backend, metricName, reason));
            if (rec.Fields.Count != header.Count)
            {
                Issue($"has {rec.Fields.Count} fields, the header has {header.Count}");
                continue;
            }
            var problems = new List<string>();
            int Int(string c, int? fallback, int min)
            {
                var s = Get(c);
                if (s.Length == 0)
                {
                    if (fallback is { } f) return f;
                    problems.Add($"field '{Printable.Of(c)}' is empty"); return 0;
                }
                if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
                {
                    problems.Add($"field '{Printable.Of(c)}': expected a whole number ≥ {min}, got '{Printable.Of(s)}'"); return 0;
                }
                return v;
            }
            int? OptInt(string c, int min) => Get(c).Length == 0 ? null : Int(c, null, min);
            foreach (var c in new[] { "hardware", "model", "quant", "backend" })
                if (Get(c).Length == 0) problems.Add($"field '{Printable.Of(c)}' is empty");
            int devices = Int("devices", 1, 1);
            int? threads = OptInt("threads", 1);
            int? batch = OptInt("batch", 1);
            int prompt = Int("prompt_tokens", ReferenceRow.NotStated, 0);
            int gen = Int("gen_tokens", ReferenceRow.NotStated, 0);
            if (!Metrics.ByName.TryGetValue(metricName, out var metric))
                problems.Add($"field 'metric': unknown metric '{Printable.Of(metricName)}' (known: {string.Join(", ", Metrics.ByName.Keys)})");
            var vs = Get("value");
            if (!double.TryParse(vs, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
                problems.Add($"field 'value': expected a positive number, got '{Printable.Of(vs)}'");
            if (problems.Count > 0) { Issue(string.Join("; ", problems)); continue; }
            rows.Add(new ReferenceRow(rec.Line, hw, devices, threads, Get("model"), Get("quant"), backend, batch, prompt, gen,
                metric, value, Get("source"), Get("notes")));
        }
        return new ReferenceFile(path, rows, issues);
    }

    static int LineOf(string message)
    {
        var parts = message.Split(':');
        return parts.Length > 1 && int.TryParse(parts[1], out var l) ? l : 0;
    }
}

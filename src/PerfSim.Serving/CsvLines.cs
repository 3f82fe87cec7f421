using System.Globalization;

namespace PerfSim.Serving;

/// <summary>
/// The small CSV reader the serving input files share: a fixed header, numeric fields, one-line errors
/// `file:line: field: expected …`, and limits on size so a wrong file fails fast instead of exhausting memory.
/// </summary>
static class CsvLines
{
    public const long MaxBytes = 256L * 1024 * 1024;
    public const int MaxRows = 5_000_000;

    public static IEnumerable<(int Line, string[] Fields)> Read(string path, string[] header)
    {
        if (!File.Exists(path)) throw Bad($"{path}: no such file");
        long size = new FileInfo(path).Length;
        if (size > MaxBytes) throw Bad($"{path}: expected at most {MaxBytes / (1024 * 1024)} MiB, the file has {size / (1024.0 * 1024):0.#} MiB");
        return ReadLines(path, header);
    }

    static IEnumerable<(int, string[])> ReadLines(string path, string[] header)
    {
        int line = 0, rows = 0;
        bool sawHeader = false;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            var text = raw.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var fields = text.Split(',').Select(f => f.Trim()).ToArray();
            if (!sawHeader)
            {
                if (!fields.SequenceEqual(header, StringComparer.OrdinalIgnoreCase))
                    throw Bad($"{path}:{line}: header: expected '{string.Join(",", header)}', got '{Shown(text)}'");
                sawHeader = true;
                continue;
            }
            if (fields.Length != header.Length)
                throw Bad($"{path}:{line}: expected {header.Length} fields ({string.Join(",", header)}), got {fields.Length}");
            if (++rows > MaxRows) throw Bad($"{path}:{line}: expected at most {MaxRows} rows");
            yield return (line, fields);
        }
        if (!sawHeader) throw Bad($"{path}: empty file: expected the header '{string.Join(",", header)}' and at least one row");
    }

    public static double Number(string path, int line, string field, string text, double min, string expected)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min)
            throw Bad($"{path}:{line}: {field}: expected {expected}, got '{Shown(text)}'");
        return v;
    }

    public static int Tokens(string path, int line, string field, string text)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1)
            throw Bad($"{path}:{line}: {field}: expected a whole number of tokens, at least 1, got '{Shown(text)}'");
        return v;
    }

    /// <summary>A value echoed from the file, cut to 60 characters (a wrong file must not make a screenful of error).</summary>
    public static string Shown(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>The one-line error: control characters and line or paragraph separators from the file are escaped.</summary>
    public static ServingException Bad(string message) => new(OneLine(message), ServingError.InvalidInput);

    static string OneLine(string message)
    {
        var sb = new System.Text.StringBuilder(message.Length);
        foreach (var c in message)
        {
            var cat = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || cat is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format)
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}

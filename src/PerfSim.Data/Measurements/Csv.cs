using System.Text;
using PerfSim.Data.Input;

namespace PerfSim.Data.Measurements;

/// <summary>One CSV record with the 1-based line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader: fields separated by commas, optionally quoted with double quotes; a quoted field may
/// hold commas, line breaks and doubled quotes (""). CRLF, LF and CR-only (classic Mac) line ends. Blank lines are
/// skipped. Bounded: at most <see cref="ReaderLimits.CsvRows"/> records of <see cref="ReaderLimits.CsvFieldsPerRow"/>
/// fields of <see cref="ReaderLimits.CsvFieldChars"/> characters; beyond that a one-line FormatException.
/// </summary>
public static class Csv
{
    public static List<CsvRecord> Parse(string text, string file)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool inQuotes = false, quoted = false, any = false;
        void EndField()
        {
            if (fields.Count >= ReaderLimits.CsvFieldsPerRow)
                throw new FormatException($"{file}:{recordLine}: more than {ReaderLimits.CsvFieldsPerRow} fields in one row");
            fields.Add(quoted ? field.ToString() : field.ToString().Trim()); field.Clear(); quoted = false;
        }
        void EndRecord()
        {
            EndField();
            if (!(fields.Count == 1 && fields[0].Length == 0 && !any))
            {
                if (records.Count >= ReaderLimits.CsvRows)
                    throw new FormatException($"{file}:{recordLine}: more than {ReaderLimits.CsvRows} rows");
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
            }
            fields.Clear(); any = false;
        }
        void Append(char c)
        {
            if (field.Length >= ReaderLimits.CsvFieldChars)
                throw new FormatException($"{file}:{recordLine}: a field is longer than {ReaderLimits.CsvFieldChars} characters");
            field.Append(c);
        }
        bool LoneCr(int at) => text[at] == '\r' && (at + 1 >= text.Length || text[at + 1] != '\n');
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { Append('"'); i++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n' || LoneCr(i)) line++;
                    Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    if (field.ToString().Trim().Length > 0)
                        throw new FormatException($"{file}:{line}: a quote inside an unquoted field (quote the whole field and double inner quotes)");
                    field.Clear(); inQuotes = true; quoted = true; any = true;
                    break;
                case ',':
                    EndField(); any = true;
                    break;
                case '\r' when !LoneCr(i):
                    break;             // the CR of a CRLF: the LF ends the line
                case '\r':
                case '\n':
                    EndRecord(); line++; recordLine = line;
                    break;
                default:
                    if (quoted)
                    {
                        if (!char.IsWhiteSpace(c)) throw new FormatException($"{file}:{line}: text after a closing quote");
                    }
                    else { Append(c); any = true; }
                    break;
            }
        }
        if (inQuotes) throw new FormatException($"{file}:{recordLine}: a quoted field is not closed");
        if (any || field.Length > 0 || fields.Count > 0) EndRecord();
        return records;
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string v) =>
        v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}

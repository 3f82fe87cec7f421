using CsvHelper;

namespace PerfSim.Cli.Rendering;

/// <summary>RFC 4180 CSV via CsvHelper, buffered so the caller's writer (often standard output) is never closed.</summary>
public static class CsvText
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(buffer))
        {
            foreach (var h in header) csv.WriteField(h);
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row) csv.WriteField(cell);
                csv.EndRecord();
            }
            csv.Flush();
        }
        output.Write(buffer.ToString());
    }
}

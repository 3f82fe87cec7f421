namespace PerfSim.Serving;

/// <summary>An empirical length histogram: CSV `low,high,weight` (token ranges, inclusive, with relative weights).</summary>
public static class HistogramFile
{
    public static readonly string[] Header = ["low", "high", "weight"];

    public static EmpiricalLength Read(string path)
    {
        var bins = new List<(int, int, double)>();
        foreach (var (line, f) in CsvLines.Read(path, Header))
        {
            int lo = CsvLines.Tokens(path, line, "low", f[0]);
            int hi = CsvLines.Tokens(path, line, "high", f[1]);
            if (hi < lo) throw CsvLines.Bad($"{path}:{line}: high: expected at least low ({lo}), got {hi}");
            double w = CsvLines.Number(path, line, "weight", f[2], 0, "a relative weight, zero or more");
            bins.Add((lo, hi, w));
        }
        if (bins.Count == 0) throw CsvLines.Bad($"{path}: empty file: expected at least one bin after the header");
        if (!(bins.Sum(b => b.Item3) > 0)) throw CsvLines.Bad($"{path}: weight: expected at least one bin with a positive weight");
        return new EmpiricalLength(bins, Path.GetFileName(path));
    }
}

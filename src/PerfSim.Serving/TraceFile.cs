namespace PerfSim.Serving;

/// <summary>A request trace: CSV `arrival_s,prompt_tokens,output_tokens`, arrivals in seconds from 0, non-decreasing.</summary>
public static class TraceFile
{
    public static readonly string[] Header = ["arrival_s", "prompt_tokens", "output_tokens"];

    public static TraceArrivals Read(string path)
    {
        var list = new List<TraceRequest>();
        double last = 0;
        foreach (var (line, f) in CsvLines.Read(path, Header))
        {
            double t = CsvLines.Number(path, line, "arrival_s", f[0], 0, "seconds from the start of the trace, zero or more");
            if (t < last) throw CsvLines.Bad($"{path}:{line}: arrival_s: expected arrivals in time order (at least {last} s, the previous row's), got {f[0]}");
            last = t;
            list.Add(new TraceRequest(t, CsvLines.Tokens(path, line, "prompt_tokens", f[1]), CsvLines.Tokens(path, line, "output_tokens", f[2]), line));
        }
        if (list.Count == 0) throw CsvLines.Bad($"{path}: empty file: expected at least one request after the header");
        return new TraceArrivals(list, path);
    }
}

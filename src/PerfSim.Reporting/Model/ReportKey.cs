namespace PerfSim.Reporting.Model;

/// <summary>
/// Metric keys are dotted paths (`summary.by_metric.decode.mape`), nested as objects in JSON. A segment that is itself
/// an ID with dots (a backend such as `llama.cpp-metal`) is written through <see cref="Segment"/> so it stays one
/// JSON key; <see cref="Split"/> reads the path back and <see cref="Plain"/> gives the dotted text for CSV headers.
/// </summary>
public static class ReportKey
{
    /// <summary>One path segment whose dots are part of the name.</summary>
    public static string Segment(string name) => name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal);

    /// <summary>The path's segments, with escaped dots and backslashes restored.</summary>
    public static IReadOnlyList<string> Split(string key)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c == '\\' && i + 1 < key.Length) { current.Append(key[++i]); continue; }
            if (c == '.') { parts.Add(current.ToString()); current.Clear(); continue; }
            current.Append(c);
        }
        parts.Add(current.ToString());
        return parts;
    }

    /// <summary>The key as plain dotted text (for CSV headers).</summary>
    public static string Plain(string key) => string.Join(".", Split(key));
}

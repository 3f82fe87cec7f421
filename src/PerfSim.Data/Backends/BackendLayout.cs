namespace PerfSim.Data.Backends;

/// <summary>
/// Keeps a hand-kept backend file's layout when `perfsim fit --update-profiles` rewrites it: the writer regenerates the
/// whole file from the profile, so a comment someone wrote beside a field (why a backend runs only on one vendor) and
/// the order of its fields would be lost. When the rewritten text has exactly the same fields as the file on disk,
/// each line of the file is replaced by the rewritten line of the same field, in the file's own order, with the file's
/// own comment where the rewritten line has the same value; otherwise the rewritten text is used as it is.
/// </summary>
public static class BackendLayout
{
    public static string Keep(string existing, string written)
    {
        var old = Lines(existing);
        var fresh = Lines(written);
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, line) in fresh)
            if (!byKey.TryAdd(key, line)) return written;   // a field twice: no safe matching
        var oldKeys = old.Select(l => l.Key).ToList();
        if (oldKeys.Count != oldKeys.Distinct(StringComparer.Ordinal).Count() || !byKey.Keys.ToHashSet().SetEquals(oldKeys)) return written;
        var result = old.Select(l => Value(l.Line) == Value(byKey[l.Key]) ? l.Line : byKey[l.Key]);
        return string.Join('\n', result) + (written.EndsWith('\n') ? "\n" : "");
    }

    /// <summary>Each line with its key: the chain of mapping keys above it and its own (a comment line: its text up to a colon).</summary>
    static List<(string Key, string Line)> Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var parents = new List<(int Indent, string Name)>();
        var result = new List<(string, string)>();
        foreach (var line in lines)
        {
            string trimmed = line.TrimStart();
            int indent = line.Length - trimmed.Length;
            if (trimmed.StartsWith('#') || trimmed.Length == 0)
            {
                int colon = trimmed.IndexOf(':');
                result.Add(((colon > 0 ? trimmed[..colon] : trimmed), line));
                continue;
            }
            int c = trimmed.IndexOf(':');
            string name = c > 0 ? trimmed[..c] : trimmed;
            parents.RemoveAll(p => p.Indent >= indent);
            result.Add((string.Join('/', parents.Select(p => p.Name).Append(name)), line));
            parents.Add((indent, name));
        }
        return result;
    }

    /// <summary>A line without its trailing comment (a `#` outside quotes), trimmed at the end.</summary>
    static string Value(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
            else if (line[i] == '#' && !quoted && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i].TrimEnd();
        }
        return line.TrimEnd();
    }
}

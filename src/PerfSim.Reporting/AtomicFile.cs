namespace PerfSim.Reporting;

/// <summary>Writes a whole file or nothing: the old content survives any failure part-way (temp file + rename).</summary>
public static class AtomicFile
{
    /// <summary>Writes through `write` to a temporary file beside `path`, then renames it over `path`.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder of `path` does not exist (message names it, one line).</exception>
    public static void Write(string path, Action<TextWriter> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot write '{path}': folder '{dir}' does not exist");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var w = new StreamWriter(temp, false, new System.Text.UTF8Encoding(false))) write(w);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteBytes(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot write '{path}': folder '{dir}' does not exist");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

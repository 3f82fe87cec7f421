using System.CommandLine;
using PerfSim.Cli.Rendering;

namespace PerfSim.Cli.Commands;

/// <summary>Renders reports to standard output or, with --output, to a file written atomically (temp file + rename).</summary>
public static class ReportOutput
{
    public static void Write(CliContext ctx, IReadOnlyList<Report> reports, string format, string? path)
    {
        var renderer = Renderers.For(format);
        if (path is null) { renderer.Render(reports, ctx.Out); return; }
        AtomicFile.Write(path, w => renderer.Render(reports, w));
        ctx.Error.WriteLine($"wrote {path}");
    }
}

/// <summary>Writes a whole file or nothing: the old content survives any failure part-way.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<TextWriter> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new UsageException($"cannot write '{path}': folder '{dir}' does not exist");
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
}

using System.Diagnostics;
using System.Globalization;

namespace PerfSim.Cli.Progress;

/// <summary>
/// The one progress bar of the CLI, for long runs (sweep, serve, plan, fit, calibrate, plot's simulations): a line on
/// standard error, `label [#####.....] 45% 45,000/100,000 12,345/s`. The libraries only report through
/// <see cref="IProgress{T}"/> (or a fraction callback) and draw nothing; this class is where it becomes text.
/// Drawn only on a terminal: when standard error is redirected (a file, a pipe, CI, a test) it stays silent, so
/// logs and outputs never carry carriage returns.
/// </summary>
public sealed class ProgressBar : IProgress<long>, IDisposable
{
    const int Width = 30;
    /// <summary>The total of a bar fed by a fraction (0–1) callback: per-mille resolution.</summary>
    public const long Steps = 1000;
    static readonly long RedrawTicks = Stopwatch.Frequency / 10;   // at most ten redraws a second
    readonly TextWriter? writer;
    /// <summary>Where <see cref="Log"/> writes when the bar is silent: the same standard error, without the bar.</summary>
    readonly TextWriter? fallback;
    readonly string label;
    readonly long total;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly object gate = new();
    long lastDraw = long.MinValue;
    bool drawn;

    ProgressBar(TextWriter? writer, TextWriter? fallback, string label, long total) =>
        (this.writer, this.fallback, this.label, this.total) = (writer, fallback, label, total);

    /// <summary>A bar on the context's standard error if it is an interactive terminal; else a bar that draws nothing.</summary>
    public static ProgressBar For(CliContext ctx, string label, long total) =>
        IsTerminal(ctx.Error) ? new(ctx.Error, null, label, total) : new(null, ctx.Error, label, total);

    /// <summary>A bar that always draws on `writer` (what a terminal sees; for tests of the drawing itself).</summary>
    public static ProgressBar On(TextWriter writer, string label, long total) => new(writer, null, label, total);

    /// <summary>Whether this bar writes anything at all (false when standard error is not a terminal).</summary>
    public bool Drawing => writer is not null;

    static bool IsTerminal(TextWriter w) =>
        ReferenceEquals(w, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>The bar as a fraction-done callback (0–1), for libraries that report that way (the serving simulator).</summary>
    public Action<double> Fraction => f => Report((long)Math.Round(Math.Clamp(f, 0, 1) * total));

    public void Report(long value)
    {
        if (writer is null) return;
        lock (gate)
        {
            long now = clock.ElapsedTicks;
            if (value < total && now - lastDraw < RedrawTicks) return;
            lastDraw = now;
            writer.Write("\r" + Line(label, value, total, clock.Elapsed.TotalSeconds));
            writer.Flush();
            drawn = true;
        }
    }

    /// <summary>
    /// A line of log text that goes to standard error whether or not the bar draws; on a terminal the bar's line is
    /// cleared first and redrawn at the next report, so the two never share a line.
    /// </summary>
    public void Log(string line)
    {
        lock (gate)
        {
            if (writer is null) { fallback?.WriteLine(line); return; }
            if (drawn) writer.Write("\r\u001b[2K");
            writer.WriteLine(line);
            writer.Flush();
            drawn = false;
            lastDraw = long.MinValue;
        }
    }

    /// <summary>The bar's text for a state (pure, so it is testable): label, bar, percentage, counts and rate.</summary>
    public static string Line(string label, long done, long total, double seconds)
    {
        double f = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 1;
        int filled = (int)Math.Round(f * Width);
        string rate = seconds > 0 ? (done / seconds).ToString("#,0", CultureInfo.InvariantCulture) + "/s" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {f * 100,3:0}% {done:#,0}/{total:#,0} {rate}");
    }

    /// <summary>Ends the bar's line so what follows starts on a fresh one.</summary>
    public void Dispose()
    {
        if (writer is null) return;
        lock (gate) if (drawn) { writer.WriteLine(); writer.Flush(); drawn = false; }
    }
}

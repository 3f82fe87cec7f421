using System.Diagnostics;
using System.Globalization;

namespace PerfSim.Cli.Progress;

/// <summary>
/// A one-line progress bar on standard error for long runs (sweep; serve, plan, fit and calibrate can take one too):
/// `label [#####.....] 45% 45,000/100,000 12,345/s`. Drawn only on a terminal: when standard error is redirected
/// (a file, a pipe, CI, a test) it stays silent, so logs and outputs never carry carriage returns.
/// </summary>
public sealed class ProgressBar : IProgress<long>, IDisposable
{
    const int Width = 30;
    static readonly long RedrawTicks = Stopwatch.Frequency / 10;   // at most ten redraws a second
    readonly TextWriter writer;
    readonly string label;
    readonly long total;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly object gate = new();
    long lastDraw = long.MinValue, done;
    bool drawn;

    ProgressBar(TextWriter writer, string label, long total) => (this.writer, this.label, this.total) = (writer, label, total);

    /// <summary>A bar on the context's standard error if it is an interactive terminal; else a progress sink that draws nothing.</summary>
    public static IProgress<long> For(CliContext ctx, string label, long total) =>
        IsTerminal(ctx.Error) ? new ProgressBar(ctx.Error, label, total) : Silent.Instance;

    static bool IsTerminal(TextWriter w) =>
        ReferenceEquals(w, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public void Report(long value)
    {
        lock (gate)
        {
            done = value;
            long now = clock.ElapsedTicks;
            if (value < total && now - lastDraw < RedrawTicks) return;
            lastDraw = now;
            writer.Write("\r" + Line(label, value, total, clock.Elapsed.TotalSeconds));
            writer.Flush();
            drawn = true;
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
        lock (gate) if (drawn) { writer.WriteLine(); writer.Flush(); }
    }

    sealed class Silent : IProgress<long>
    {
        public static readonly Silent Instance = new();
        public void Report(long value) { }
    }
}

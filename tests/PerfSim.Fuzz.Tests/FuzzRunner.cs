using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PerfSim.Fuzz.Tests;

/// <summary>Counts of one run, per target and in all. Failures are the inputs to add to Corpus/ once fixed.</summary>
public sealed class FuzzReport
{
    public int Inputs, Accepted, Rejected, Crashes, MultiLine, NonFinite, Hangs, BigAllocations;
    public double SlowestSeconds;
    public long LargestAllocation;
    public readonly Dictionary<string, int[]> ByTarget = new(StringComparer.Ordinal);   // accepted, rejected, failed
    public readonly List<string> Failures = [];

    public int Failed => Crashes + MultiLine + NonFinite;

    public string Summary()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"inputs {Inputs}: accepted {Accepted}, rejected with one line {Rejected}; crashes {Crashes}, multi-line errors {MultiLine}, " +
            $"accepted with a non-finite or negative figure {NonFinite}, hangs > 2 s {Hangs}, allocations > 1 GiB {BigAllocations}; " +
            $"slowest input {SlowestSeconds:0.###} s, largest allocation {LargestAllocation / 1048576.0:0.#} MiB");
        foreach (var (t, c) in ByTarget.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {t}: accepted {c[0]}, rejected {c[1]}, failed {c[2]}");
        foreach (var f in Failures.Take(50)) sb.AppendLine("  FAIL " + f);
        return sb.ToString();
    }
}

/// <summary>
/// The mutation loop: inputs round-robin over the targets, each run on this thread while a watchdog notes any that
/// takes over 2 s; allocation per input from the thread's allocation counter. Timing is recorded, never asserted
/// (the CI slice asserts crashes, multi-line errors, non-finite figures and allocations only).
/// </summary>
public static class FuzzRunner
{
    public const double HangSeconds = 2;
    public const long BigAllocationBytes = 1L << 30;

    public static FuzzReport Run(int inputs, int seed, string? failuresDir = null, IReadOnlyList<FuzzTarget>? targets = null)
    {
        targets ??= FuzzTargets.All;
        var report = new FuzzReport();
        var mutator = new Mutator(seed);
        var current = Stopwatch.StartNew();
        bool running = false, flagged = false;
        byte[]? input = null;
        string target = "";
        var gate = new object();
        using var stop = new CancellationTokenSource();
        var watchdog = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Thread.Sleep(100);
                lock (gate)
                    if (running && !flagged && current.Elapsed.TotalSeconds > HangSeconds)
                    {
                        flagged = true;
                        report.Hangs++;
                        Save(failuresDir, target, "hang", input!, report);
                    }
            }
        }) { IsBackground = true };
        watchdog.Start();

        for (int i = 0; i < inputs; i++)
        {
            var t = targets[i % targets.Count];
            var bytes = mutator.Next(t);
            lock (gate) { input = bytes; target = t.Name; flagged = false; running = true; current.Restart(); }
            long before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = t.Run(bytes);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            double seconds;
            lock (gate) { running = false; seconds = current.Elapsed.TotalSeconds; }

            report.Inputs++;
            report.SlowestSeconds = Math.Max(report.SlowestSeconds, seconds);
            report.LargestAllocation = Math.Max(report.LargestAllocation, allocated);
            if (allocated > BigAllocationBytes) { report.BigAllocations++; Save(failuresDir, t.Name, "alloc", bytes, report); }
            if (!report.ByTarget.TryGetValue(t.Name, out var c)) report.ByTarget[t.Name] = c = new int[3];
            switch (outcome.Verdict)
            {
                case Verdict.Accepted: report.Accepted++; c[0]++; break;
                case Verdict.Rejected: report.Rejected++; c[1]++; break;
                default:
                    c[2]++;
                    if (outcome.Verdict == Verdict.Crash) report.Crashes++;
                    else if (outcome.Verdict == Verdict.MultiLine) report.MultiLine++;
                    else report.NonFinite++;
                    report.Failures.Add($"{t.Name} #{i} {outcome.Verdict}: {outcome.Detail}");
                    Save(failuresDir, t.Name, outcome.Verdict.ToString().ToLowerInvariant(), bytes, report);
                    break;
            }
        }
        stop.Cancel();
        watchdog.Join();
        return report;
    }

    static void Save(string? dir, string target, string kind, byte[] bytes, FuzzReport report)
    {
        if (dir is null) return;
        Directory.CreateDirectory(dir);
        var ext = FuzzTargets.All.FirstOrDefault(t => t.Name == target)?.Extension ?? ".bin";
        File.WriteAllBytes(Path.Combine(dir, $"{target}-{kind}-{report.Inputs}{ext}"), bytes);
    }
}

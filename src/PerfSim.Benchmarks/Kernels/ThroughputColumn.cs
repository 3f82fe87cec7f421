using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace PerfSim.Benchmarks.Kernels;

/// <summary>
/// Adds effective weight GB/s and GFLOP/s to the report for benchmarks that implement <see cref="IThroughputBenchmark"/>:
/// bytes and flops per operation divided by the fastest measured iteration (noise on a shared host only adds time).
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public enum Kind { WeightGBps, Gflops }

    private readonly Kind _kind;
    public ThroughputColumn(Kind kind) => _kind = kind;

    public string Id => nameof(ThroughputColumn) + _kind;
    public string ColumnName => _kind == Kind.WeightGBps ? "GB/s (best)" : "GFLOP/s (best)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)_kind;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _kind == Kind.WeightGBps ? "Weight bytes (or bytes read) per op / Min time (best-case: the host is shared, noise only adds time)" : "2·m·k·n per op / Min time";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null) return "-";
        double seconds = report.ResultStatistics.Min / 1e9;
        // Create a throwaway instance with the case's parameters to ask for its per-op work.
        object instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type)!;
        foreach (var p in benchmarkCase.Parameters.Items)
            benchmarkCase.Descriptor.Type.GetProperty(p.Name)?.SetValue(instance, p.Value);
        if (instance is not IThroughputBenchmark tb) return "-";
        double v = _kind == Kind.WeightGBps ? tb.BytesPerOp / seconds / 1e9 : tb.FlopsPerOp / seconds / 1e9;
        return v <= 0 ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);
    }
}

/// <summary>Per-operation work, computed from the parameters alone (no setup needed).</summary>
public interface IThroughputBenchmark
{
    double BytesPerOp { get; }
    double FlopsPerOp { get; }
}

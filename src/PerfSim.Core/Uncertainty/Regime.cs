namespace PerfSim.Core.Uncertainty;

/// <summary>
/// The regime a figure's error belongs to: its stage (prefill, decode, offline/batched throughput, or a metric of its
/// own such as energy) and its batch class (batch 1 vs batched). Errors differ by regime far more than by device: a
/// prefill is compute-bound and a batch-1 decode memory-bound, so their residuals are kept apart.
/// </summary>
public sealed record Regime(string Stage, string Batch)
{
    public const string Prefill = "prefill";
    public const string Decode = "decode";
    public const string Throughput = "throughput";
    public const string Batch1 = "batch1";
    public const string Batched = "batched";
    /// <summary>Any stage or batch class (a pooled group).</summary>
    public const string Any = "*";

    /// <summary>The batch class of a run: batch 1, else batched (an offline run at the largest batch is batched).</summary>
    public static string BatchClass(int? batch) => batch == 1 ? Batch1 : Batched;

    public override string ToString() => $"{Stage}/{Batch}";
}

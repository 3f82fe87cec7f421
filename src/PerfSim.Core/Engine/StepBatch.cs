namespace PerfSim.Core.Engine;

/// <summary>
/// What one server iteration computes, as the aggregates its cost depends on (so timing a step never loops over
/// sequences): decode sequences and the sum of their contexts, prefill chunks with their tokens, causal
/// (query, key) pairs and keys read. The `Window` figures are the same sums for sliding-window layers, where a
/// query sees at most the window. Build one with <see cref="StepCost.Decode"/> and <see cref="StepCost.Chunk"/>, and add.
/// </summary>
public readonly record struct StepBatch(
    int DecodeSequences,
    double DecodeContext,
    double DecodeWindowContext,
    int PrefillChunks,
    double PrefillTokens,
    double PrefillPairs,
    double PrefillKeys,
    double PrefillWindowPairs,
    double PrefillWindowKeys)
{
    public static readonly StepBatch Empty = default;

    /// <summary>Activation rows through every matmul: one per decode sequence, one per prefill token.</summary>
    public double Rows => DecodeSequences + PrefillTokens;

    /// <summary>Rows that need logits: one per sequence in the step.</summary>
    public double LogitRows => DecodeSequences + PrefillChunks;

    public bool IsEmpty => Rows <= 0;

    public static StepBatch operator +(StepBatch a, StepBatch b) => new(
        a.DecodeSequences + b.DecodeSequences, a.DecodeContext + b.DecodeContext, a.DecodeWindowContext + b.DecodeWindowContext,
        a.PrefillChunks + b.PrefillChunks, a.PrefillTokens + b.PrefillTokens, a.PrefillPairs + b.PrefillPairs,
        a.PrefillKeys + b.PrefillKeys, a.PrefillWindowPairs + b.PrefillWindowPairs, a.PrefillWindowKeys + b.PrefillWindowKeys);
}

using System.Globalization;
using PerfSim.Core.Workloads;

namespace PerfSim.Data.Validation;

/// <summary>
/// The one check of a quantization scheme, a KV-cache format and a scenario, wherever they come from (YAML, a GGUF
/// mix, command-line options): finite, normal (no denormals), within <see cref="WorkloadLimits"/>.
/// </summary>
public static class WorkloadRules
{
    static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    static Violation? Bits(string field, double? bits) =>
        bits is { } b && !(double.IsNormal(b) && b >= WorkloadLimits.MinBits && b <= WorkloadLimits.MaxBits)
            ? new(field, $"expected bits from {N(WorkloadLimits.MinBits)} to {N(WorkloadLimits.MaxBits)}, got {N(b)}")
            : null;

    public static Violation? Check(QuantScheme q) =>
        Bits("weights.bits_per_weight", q.BitsPerWeight)
        ?? Bits("weights.embedding_bits_per_weight", q.EmbeddingBitsPerWeight)
        ?? Bits("weights.lm_head_bits_per_weight", q.LmHeadBitsPerWeight)
        ?? (q.GroupSize is < 1 or > WorkloadLimits.MaxGroupSize
            ? new Violation("weights.group_size", $"expected a whole number from 1 to {WorkloadLimits.MaxGroupSize}, got {q.GroupSize}") : null);

    public static Violation? Check(KvCacheFormat kv) => Bits("bits_per_element", kv.BitsPerElement);

    /// <summary>Field names are the scenario file's (batch, prompt_tokens, gen_tokens).</summary>
    public static Violation? Check(Scenario s)
    {
        static Violation? Range(string field, int v, int max) =>
            v < 1 || v > max ? new(field, $"expected a whole number from 1 to {max}, got {v}") : null;
        return Range("batch", s.Batch, WorkloadLimits.Batch)
            ?? Range("prompt_tokens", s.PromptTokens, WorkloadLimits.Tokens)
            ?? Range("gen_tokens", s.GeneratedTokens, WorkloadLimits.Tokens);
    }
}

using PerfSim.Core.Hardware;

namespace PerfSim.Core.Workloads;

/// <summary>
/// How weights, activations and the KV cache are stored, and which arithmetic the matmuls use.
/// Bits per weight include scales and zero points (q4_0: 4 bits + a 16-bit scale per 32 weights = 4.5).
/// </summary>
public sealed record QuantScheme(
    string Id,
    string Name,
    string Source,
    DataType WeightType,
    double BitsPerWeight,
    int? GroupSize,
    DataType ActivationType,
    DataType ComputeType,
    string KvCache,
    double? EmbeddingBitsPerWeight,
    double? LmHeadBitsPerWeight,
    IReadOnlyList<string> Aliases,
    string File,
    double? AttentionBitsPerWeight = null)
{
    /// <summary>Bytes per weight of the layer matrices (MLP and experts; attention too unless it has its own precision).</summary>
    public double BytesPerWeight => BitsPerWeight / 8;
    /// <summary>Attention projections (q, k, v, o) where a scheme keeps them at another precision (gpt-oss MXFP4: BF16).</summary>
    public double AttentionBytesPerWeight => (AttentionBitsPerWeight ?? BitsPerWeight) / 8;
    public double LmHeadBytesPerWeight => (LmHeadBitsPerWeight ?? BitsPerWeight) / 8;
    public double EmbeddingBytesPerWeight => (EmbeddingBitsPerWeight ?? BitsPerWeight) / 8;
}

/// <summary>A KV-cache storage format (fp16, fp8, int8, q8_0, q4_0), with its effective bits per element.</summary>
public sealed record KvCacheFormat(string Id, string Name, double BitsPerElement, string Source, string File)
{
    public double BytesPerElement => BitsPerElement / 8;
}

/// <summary>What is asked of the system: concurrent sequences, prompt length and tokens generated per sequence.</summary>
public sealed record Scenario(string Id, int Batch, int PromptTokens, int GeneratedTokens, string Description)
{
    public static Scenario Of(int batch, int prompt, int gen) => new($"b{batch}-p{prompt}-g{gen}", batch, prompt, gen, "");
}

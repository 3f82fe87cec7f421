namespace PerfSim.Data.Validation;

/// <summary>
/// Plausible ranges for what a model file may say, far above any real model (the largest published models have
/// ~160 layers, hidden 18,432, 128 heads of 192, 256 experts, 256k vocabularies, 10M-token contexts). Their job is
/// to keep every product the engine forms (heads × head_dim, layers × width, parameters) finite and exact.
/// </summary>
public static class ModelLimits
{
    public const long Layers = 10_000;
    public const long Hidden = 1_000_000;
    public const long Heads = 100_000;
    public const long HeadDim = 100_000;
    public const long Intermediate = 10_000_000;
    public const long Vocab = 100_000_000;
    public const long Context = 1L << 30;
    public const long Experts = 100_000;
    /// <summary>Any projection width (heads × head_dim, KV width, MLA latent): 2^24, so widths and their doubles fit in an int.</summary>
    public const long Width = 1L << 24;
    /// <summary>Parameters implied by the shape or published: 10^15 (a thousand times the largest model).</summary>
    public const double Parameters = 1e15;
    public const int NormsPerLayer = 8;
}

/// <summary>Plausible ranges for quantization schemes, KV formats and scenarios (see docs/profile-schema.md).</summary>
public static class WorkloadLimits
{
    /// <summary>Bits per stored weight or KV element, scales included: 1-bit ternary packs use ~1.6, fp64 is 64.</summary>
    public const double MinBits = 0.5;
    public const double MaxBits = 64;
    public const int MaxGroupSize = 1 << 20;
    /// <summary>Concurrent sequences of one request.</summary>
    public const int Batch = 1 << 20;
    /// <summary>Prompt or generated tokens per sequence (also bounded by the model's context).</summary>
    public const int Tokens = 1 << 30;
    /// <summary>Devices of one request (tensor/data parallel): a million.</summary>
    public const int Devices = 1 << 20;
}

/// <summary>One broken rule: the field (schema name) and what was expected, for the loader to report in its own format.</summary>
public sealed record Violation(string Field, string Problem);

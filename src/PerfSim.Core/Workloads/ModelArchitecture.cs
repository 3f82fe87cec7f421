namespace PerfSim.Core.Workloads;

public enum MlpKind { Gated, Plain }
public enum NormKind { RmsNorm, LayerNorm }
public enum PositionKind { Rope, Learned, Alibi }

/// <summary>
/// Mixture-of-experts feed-forward: `Experts` routed experts of which `Active` run per token, plus shared experts.
/// `RouterBias`: the router has one bias per expert (gpt-oss router bias, DeepSeek-V3 e_score_correction_bias).
/// </summary>
public sealed record MoeSpec(
    int Experts,
    int Active,
    int Shared,
    int ExpertIntermediate,
    int SharedIntermediate,
    int DenseLayers,
    int DenseIntermediate,
    bool RouterBias = false);

/// <summary>Multi-head latent attention (DeepSeek-V2/V3): low-rank compressed KV and optionally Q.</summary>
public sealed record MlaSpec(int QLoraRank, int KvLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim);

/// <summary>Sliding-window attention on a share of the layers (Mistral, Gemma 2, gpt-oss).</summary>
public sealed record SlidingWindow(int Window, int EveryNthLayer);

/// <summary>
/// The shape of a decoder-only transformer: everything the operator list and the parameter count need.
/// Members after `Window` are optional details of particular families:
/// `NormsPerLayer` norm weight vectors per layer (2 usually; 1 for GPT-J's parallel block, 4 for Gemma 2's extra post-norms);
/// `ParallelAttentionMlp` attention and MLP read the same normed input and are summed (GPT-J);
/// `AttentionOutBias` see <see cref="HasAttentionOutBias"/>; `LmHeadBias` the untied lm_head has a bias (GPT-J);
/// `AttentionSinks` one learned sink logit per head (gpt-oss); `QkNorm` RMS norms on q and k per head (Qwen3).
/// </summary>
public sealed record ModelArchitecture(
    int Layers,
    int Hidden,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Intermediate,
    int Vocab,
    MlpKind Mlp,
    NormKind Norm,
    PositionKind Position,
    bool TiedEmbeddings,
    bool AttentionBias,
    bool MlpBias,
    int MaxContext,
    MoeSpec? Moe,
    MlaSpec? Mla,
    SlidingWindow? Window,
    int NormsPerLayer = 2,
    bool ParallelAttentionMlp = false,
    bool? AttentionOutBias = null,
    bool LmHeadBias = false,
    bool AttentionSinks = false,
    bool QkNorm = false)
{
    /// <summary>Whether the attention output projection has a bias: `AttentionOutBias` when given, else `AttentionBias`
    /// (Qwen2 has q/k/v biases but none on o_proj; GPT-2 and gpt-oss have all four).</summary>
    public bool HasAttentionOutBias => AttentionOutBias ?? AttentionBias;

    public string AttentionKind => Mla is not null ? "multi-latent"
        : KvHeads == Heads ? "multi-head" : KvHeads == 1 ? "multi-query" : "grouped-query";

    public int QueryWidth => Mla is { } m ? Heads * (m.QkNopeHeadDim + m.QkRopeHeadDim) : Heads * HeadDim;
    public int KvWidth => KvHeads * HeadDim;
    public int AttentionOutWidth => Mla is { } m ? Heads * m.VHeadDim : Heads * HeadDim;

    /// <summary>KV-cache elements stored per token per layer (K and V; MLA stores the compressed latent plus the RoPE key).</summary>
    public int KvElementsPerTokenPerLayer => Mla is { } m ? m.KvLoraRank + m.QkRopeHeadDim : 2 * KvHeads * HeadDim;

    public int MoeLayers => Moe is { } m ? Layers - m.DenseLayers : 0;
    public int DenseLayers => Layers - MoeLayers;
}

/// <summary>
/// A model with its provenance and the published parameter count it is checked against.
/// `ActiveIncludesEmbedding`: whether the published active count includes the input embedding table
/// (Mixtral, Qwen3, DeepSeek-V3 count it; OpenAI's gpt-oss figures leave it out).
/// </summary>
public sealed record ModelProfile(
    string Id,
    string Name,
    string Source,
    ModelArchitecture Architecture,
    double PublishedParameters,
    double? PublishedActiveParameters,
    string PublishedSource,
    string File,
    bool ActiveIncludesEmbedding = true);

namespace PerfSim.Core.Workloads;

public enum MlpKind { Gated, Plain }
public enum NormKind { RmsNorm, LayerNorm }
public enum PositionKind { Rope, Learned, Alibi }

/// <summary>Mixture-of-experts feed-forward: `Experts` routed experts of which `Active` run per token, plus shared experts.</summary>
public sealed record MoeSpec(
    int Experts,
    int Active,
    int Shared,
    int ExpertIntermediate,
    int SharedIntermediate,
    int DenseLayers,
    int DenseIntermediate);

/// <summary>Multi-head latent attention (DeepSeek-V2/V3): low-rank compressed KV and optionally Q.</summary>
public sealed record MlaSpec(int QLoraRank, int KvLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim);

/// <summary>Sliding-window attention on a share of the layers (Mistral, Gemma 2, gpt-oss).</summary>
public sealed record SlidingWindow(int Window, int EveryNthLayer);

/// <summary>The shape of a decoder-only transformer: everything the operator list and the parameter count need.</summary>
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
    SlidingWindow? Window)
{
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

/// <summary>A model with its provenance and the published parameter count it is checked against.</summary>
public sealed record ModelProfile(
    string Id,
    string Name,
    string Source,
    ModelArchitecture Architecture,
    double PublishedParameters,
    double? PublishedActiveParameters,
    string PublishedSource,
    string File);

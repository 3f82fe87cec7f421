using PerfSim.Core.Workloads;

namespace PerfSim.Training;

/// <summary>
/// FLOPs of training from the architecture. Forward, per token: 2 FLOPs per matmul weight that the token meets
/// (MoE: the active experts only; the input embedding is a lookup, the logits a matmul) plus attention,
/// 4 · seq · query width per layer (Q·Kᵀ and P·V over the whole sequence, the Megatron/PaLM convention, which does
/// not halve for the causal mask). Model FLOPs = 3 × forward (backward = 2 × forward); hardware FLOPs add what
/// recomputation runs again: the whole forward of every layer (full) or the attention core (selective).
/// </summary>
public static class TrainingFlops
{
    /// <summary>Matmul weights one token passes through (per token, the whole model, logits included).</summary>
    public static double MatmulWeightsPerToken(ParameterBreakdown p)
    {
        var a = p.Architecture;
        double perLayerAttention = AttentionMatmulWeights(a);
        double dense = a.DenseLayers * p.DenseMlpPerLayer;
        double moe = a.Moe is { } m ? a.MoeLayers * (p.RouterPerLayer + p.SharedExpertsPerLayer + m.Active * p.RoutedExpertPerExpert) : 0;
        return a.Layers * perLayerAttention + dense + moe + (double)a.Vocab * a.Hidden;
    }

    /// <summary>Weights of the attention projections of one layer, biases left out (they add no matmul FLOPs).</summary>
    public static double AttentionMatmulWeights(ModelArchitecture a) => a.Mla is not null
        ? ParameterCount.Of(a).AttentionPerLayer
        : (double)a.Hidden * (a.QueryWidth + 2.0 * a.KvWidth) + (double)a.AttentionOutWidth * a.Hidden;

    /// <summary>Attention-core FLOPs per token per layer in the forward pass at sequence length `seq`.</summary>
    public static double AttentionPerTokenPerLayer(ModelArchitecture a, int seq) =>
        2.0 * seq * (a.QueryWidth + a.AttentionOutWidth);

    public static double ForwardPerToken(ParameterBreakdown p, int seq) =>
        2 * MatmulWeightsPerToken(p) + p.Architecture.Layers * AttentionPerTokenPerLayer(p.Architecture, seq);

    /// <summary>Model FLOPs per token: forward and backward (3 × forward), no recomputation.</summary>
    public static double ModelPerToken(ParameterBreakdown p, int seq) => 3 * ForwardPerToken(p, seq);

    /// <summary>Hardware FLOPs per token: model FLOPs plus the recomputed forward work (the logits are never recomputed).</summary>
    public static double HardwarePerToken(ParameterBreakdown p, int seq, Recompute r)
    {
        var a = p.Architecture;
        double extra = r switch
        {
            Recompute.Full => ForwardPerToken(p, seq) - 2.0 * a.Vocab * a.Hidden,
            Recompute.Selective => a.Layers * AttentionPerTokenPerLayer(a, seq),
            _ => 0,
        };
        return ModelPerToken(p, seq) + extra;
    }

    /// <summary>The textbook estimate: 6 × parameters × tokens (no attention term).</summary>
    public static double SixNd(double parameters, double tokens) => 6 * parameters * tokens;
}

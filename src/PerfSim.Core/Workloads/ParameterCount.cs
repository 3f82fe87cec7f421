namespace PerfSim.Core.Workloads;

/// <summary>Parameter counts derived from the shape, split the way the engine needs them.</summary>
public sealed record ParameterBreakdown(
    double Embedding,
    double LmHead,
    double AttentionPerLayer,
    double DenseMlpPerLayer,
    double RoutedExpertPerExpert,
    double SharedExpertsPerLayer,
    double RouterPerLayer,
    double NormsPerLayer,
    double FinalNorm,
    ModelArchitecture Architecture)
{
    public double Total => WithRoutedExperts(Architecture.Moe?.Experts ?? 0);

    /// <summary>Parameters that take part in one token's forward pass (MoE: only the routed experts that fire).</summary>
    public double ActivePerToken => WithRoutedExperts(Architecture.Moe?.Active ?? 0);

    double WithRoutedExperts(int routedExperts)
    {
        var a = Architecture;
        double perDense = AttentionPerLayer + DenseMlpPerLayer + NormsPerLayer;
        double perMoe = AttentionPerLayer + NormsPerLayer + RouterPerLayer + SharedExpertsPerLayer + RoutedExpertPerExpert * routedExperts;
        return Embedding + LmHead + FinalNorm + a.DenseLayers * perDense + a.MoeLayers * perMoe;
    }

    /// <summary>
    /// Active parameters without the input-embedding lookup table (a gather, not a matmul). With tied embeddings the
    /// shared matrix still counts once, as the lm_head. This is how OpenAI states gpt-oss's active counts.
    /// </summary>
    public double ActivePerTokenExcludingEmbedding
    {
        get
        {
            var a = Architecture;
            double table = a.TiedEmbeddings ? Embedding - (double)a.Vocab * a.Hidden : Embedding;
            return ActivePerToken - table;
        }
    }
}

/// <summary>
/// Counts every weight and bias the shape implies. Not counted: rotary tables and attention masks (buffers, not
/// parameters) and DeepSeek-V3's multi-token-prediction module (an extra layer used for training and speculative
/// decoding, published separately from the 671B).
/// </summary>
public static class ParameterCount
{
    public static ParameterBreakdown Of(ModelArchitecture a)
    {
        double h = a.Hidden;
        double embedding = (double)a.Vocab * h + (a.Position == PositionKind.Learned ? (double)a.MaxContext * h : 0);
        double lmHead = a.TiedEmbeddings ? 0 : (double)a.Vocab * h + (a.LmHeadBias ? a.Vocab : 0);

        double attention;
        if (a.Mla is { } m)
        {
            double qHead = m.QkNopeHeadDim + m.QkRopeHeadDim;
            double q = m.QLoraRank > 0 ? h * m.QLoraRank + m.QLoraRank + m.QLoraRank * a.Heads * qHead : h * a.Heads * qHead;
            double kv = h * (m.KvLoraRank + m.QkRopeHeadDim) + m.KvLoraRank + m.KvLoraRank * a.Heads * (m.QkNopeHeadDim + m.VHeadDim);
            double o = (double)a.Heads * m.VHeadDim * h;
            attention = q + kv + o;
        }
        else
        {
            attention = h * a.QueryWidth + 2 * h * a.KvWidth + (double)a.AttentionOutWidth * h;
            if (a.AttentionBias) attention += a.QueryWidth + 2 * a.KvWidth;
            if (a.HasAttentionOutBias) attention += h;
        }
        if (a.AttentionSinks) attention += a.Heads;

        double Mlp(int inter) => (a.Mlp == MlpKind.Gated ? 3 : 2) * h * inter
                                 + (a.MlpBias ? (a.Mlp == MlpKind.Gated ? 2 : 1) * (double)inter + h : 0);

        int denseInter = a.Moe is { } moe0 && moe0.DenseIntermediate > 0 ? moe0.DenseIntermediate : a.Intermediate;
        double denseMlp = Mlp(denseInter);
        double expert = 0, shared = 0, router = 0;
        if (a.Moe is { } moe)
        {
            expert = Mlp(moe.ExpertIntermediate);
            shared = moe.Shared * Mlp(moe.SharedIntermediate > 0 ? moe.SharedIntermediate : moe.ExpertIntermediate);
            router = h * moe.Experts + (moe.RouterBias ? moe.Experts : 0);
        }
        double normWeights = a.Norm == NormKind.LayerNorm ? 2 * h : h;
        double qkNorm = a.QkNorm ? 2.0 * (a.Mla is { } ml ? ml.QkNopeHeadDim + ml.QkRopeHeadDim : a.HeadDim) : 0;
        return new ParameterBreakdown(embedding, lmHead, attention, denseMlp, expert, shared, router,
            NormsPerLayer: a.NormsPerLayer * normWeights + qkNorm, FinalNorm: normWeights, a);
    }
}

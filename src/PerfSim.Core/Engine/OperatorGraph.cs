using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// The operator list of one forward pass, per device, for a stage: prefill (all prompt tokens of every sequence)
/// or one decode step (one token per sequence at a given context length). Tensor parallelism over `tp` devices
/// splits weights, heads and KV cache, and adds two all-reduces per layer.
/// </summary>
public static class OperatorGraph
{
    public static List<Operator> Build(Workload w, Stage stage, double contextTokens, int tp, ParameterBreakdown p)
    {
        var a = w.Arch;
        var q = w.Quant;
        int batch = w.Scenario.Batch;
        double seqTokens = stage == Stage.Prefill ? w.Scenario.PromptTokens : 1;
        double m = batch * seqTokens;                      // activation rows through every matmul
        double ab = q.ActivationType.Bytes();              // bytes per activation element
        double wb = q.BytesPerWeight;
        double kvb = w.Kv.BytesPerElement;
        var ct = q.ComputeType;
        double h = a.Hidden;
        var ops = new List<Operator>(24);

        // Elementwise work is tiny in FLOPs but reads and writes the activations; counted so small models are right.
        Operator Norm(string name, int repeat) =>
            new(name, OperatorKind.Elementwise, repeat, m, ct, 5 * m * h / tp, 0, 2 * m * h * ab, 0, 0);

        // `ioWidth`: activation elements read plus written per row on one device.
        Operator Matmul(string name, int repeat, double weights, double ioWidth, double bytesPerWeight) =>
            new(name, OperatorKind.Matmul, repeat, m, ct, 2 * m * weights / tp, weights * bytesPerWeight / tp,
                m * ioWidth * ab, 0, 0);

        ops.Add(new Operator("embedding", OperatorKind.Embedding, 1, m, ct, 0, m * h * q.EmbeddingBytesPerWeight, m * h * ab, 0, 0));
        ops.Add(Norm("attn_norm", a.Layers));

        // Projections into and out of attention.
        double qkvWeights = p.AttentionPerLayer - (double)a.AttentionOutWidth * h;
        ops.Add(Matmul("qkv_proj", a.Layers, qkvWeights, h + (a.QueryWidth + 2.0 * a.KvWidth) / tp, wb));

        // Attention over the KV cache; sliding-window layers see at most the window.
        int windowed = a.Window is { } sw ? a.Layers / sw.EveryNthLayer : 0;
        int full = a.Layers - windowed;
        if (full > 0) ops.Add(Attention(w, stage, "attention", full, contextTokens, m, batch, seqTokens, tp, ab, kvb, ct));
        if (windowed > 0)
        {
            double ctx = Math.Min(contextTokens, a.Window!.Window);
            ops.Add(Attention(w, stage, "attention_window", windowed, ctx, m, batch, seqTokens, tp, ab, kvb, ct));
        }

        ops.Add(Matmul("o_proj", a.Layers, (double)a.AttentionOutWidth * h, a.AttentionOutWidth / (double)tp + h, wb));
        if (tp > 1) ops.Add(AllReduce("allreduce_attn", a.Layers, m, h, ab, ct));
        ops.Add(Norm("mlp_norm", a.Layers));

        if (a.DenseLayers > 0)
            ops.Add(Matmul("mlp", a.DenseLayers, p.DenseMlpPerLayer, MlpIo(a, DenseInter(a), tp), wb));
        if (a.Moe is { } moe)
        {
            ops.Add(new Operator("router", OperatorKind.Matmul, a.MoeLayers, m, ct, 2 * m * p.RouterPerLayer, p.RouterPerLayer * 2, m * (h + moe.Experts) * ab, 0, 0));
            if (p.SharedExpertsPerLayer > 0)
                ops.Add(Matmul("shared_experts", a.MoeLayers, p.SharedExpertsPerLayer, moe.Shared * MlpIo(a, SharedInter(moe), tp), wb));
            // Weight traffic: every expert that at least one of the m tokens routes to is read once.
            // FLOPs: each token runs `Active` experts.
            double touched = ExpectedExpertsTouched(moe.Experts, moe.Active, m);
            double perExpert = p.RoutedExpertPerExpert;
            ops.Add(new Operator("experts", OperatorKind.Matmul, a.MoeLayers, m / moe.Experts * moe.Active, ct,
                2 * m * moe.Active * perExpert / tp, touched * perExpert * wb / tp,
                m * moe.Active * MlpIo(a, moe.ExpertIntermediate, tp) * ab, 0, 0));
        }
        if (tp > 1) ops.Add(AllReduce("allreduce_mlp", a.Layers, m, h, ab, ct));

        // Only the last position of each sequence needs logits (prefill) — one row per sequence.
        ops.Add(new Operator("final_norm", OperatorKind.Elementwise, 1, batch, ct, 5.0 * batch * h, 0, 2 * batch * h * ab, 0, 0));
        double vocabWeights = (double)a.Vocab * h;
        ops.Add(new Operator("lm_head", OperatorKind.Matmul, 1, batch, ct, 2.0 * batch * vocabWeights / tp,
            vocabWeights * q.LmHeadBytesPerWeight / tp, batch * (h + (double)a.Vocab / tp) * ab, 0, 0));
        return ops;
    }

    static int DenseInter(ModelArchitecture a) => a.Moe is { DenseIntermediate: > 0 } moe ? moe.DenseIntermediate : a.Intermediate;
    static int SharedInter(MoeSpec moe) => moe.SharedIntermediate > 0 ? moe.SharedIntermediate : moe.ExpertIntermediate;

    /// <summary>Activation elements per row through an MLP on one device: read h, write/read the intermediate(s), write h.</summary>
    static double MlpIo(ModelArchitecture a, int inter, int tp) => 2.0 * a.Hidden + (a.Mlp == MlpKind.Gated ? 3.0 : 2.0) * inter / tp;

    /// <summary>Expected number of distinct experts chosen by m tokens each picking k of n uniformly.</summary>
    public static double ExpectedExpertsTouched(int n, int k, double m) => n * (1 - Math.Pow(1 - (double)k / n, m));

    static Operator AllReduce(string name, int repeat, double m, double h, double ab, DataType ct) =>
        new(name, OperatorKind.Collective, repeat, m, ct, 0, 0, 0, 0, 0, CollectiveBytes: m * h * ab);

    static Operator Attention(Workload w, Stage stage, string name, int layers, double ctx, double m, int batch,
        double seqTokens, int tp, double ab, double kvb, DataType ct)
    {
        var a = w.Arch;
        double kvElems = a.KvElementsPerTokenPerLayer;
        // Score (Q·Kᵀ) and context (P·V): 2 FLOPs per multiply-add, for each query position and each key it sees.
        double perPairFlops = a.Mla is { } mla
            ? 2.0 * a.Heads * (2.0 * mla.KvLoraRank + mla.QkRopeHeadDim)   // absorbed MLA: attend in the latent space
            : 4.0 * a.Heads * a.HeadDim;
        double pairs, kvRead;
        if (stage == Stage.Decode)
        {
            pairs = batch * ctx;
            kvRead = batch * ctx * kvElems * kvb;
        }
        else
        {
            // Causal prefill: position i sees min(i, window) keys; flash attention reads each K/V block from memory once.
            double p = seqTokens;
            pairs = batch * (ctx >= p ? p * (p + 1) / 2 : ctx * p - ctx * (ctx - 1) / 2);
            kvRead = batch * Math.Min(p, ctx) * kvElems * kvb;
        }
        double kvWrite = m * kvElems * kvb;
        double act = m * (a.QueryWidth + a.AttentionOutWidth) * ab;
        return new Operator(name, OperatorKind.Attention, layers, m, ct == DataType.Int8 || ct == DataType.Int4 ? DataType.Fp16 : ct,
            pairs * perPairFlops / tp, 0, act / tp, kvRead / tp, kvWrite / tp);
    }
}

using PerfSim.Core.Collectives;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// The operator list of one forward pass, per device, for a stage: prefill (all prompt tokens of every sequence)
/// or one decode step (one token per sequence at a given context length). Tensor parallelism over `tp` devices
/// splits weights and heads, the KV cache as far as the KV heads allow (see <see cref="Sharding"/>), and adds two
/// all-reduces per layer; experts split across replicas add an all-to-all dispatch and combine per MoE layer.
/// Pipeline stages are applied by the engine (the graph is the whole model on one tensor-parallel group).
/// </summary>
public static class OperatorGraph
{
    public static List<Operator> Build(Workload w, Stage stage, double contextTokens, int tp, ParameterBreakdown p) =>
        Build(w, stage, contextTokens, Sharding.Tensor(w.Arch, tp), p);

    public static List<Operator> Build(Workload w, Stage stage, double contextTokens, Sharding sh, ParameterBreakdown p)
    {
        var a = w.Arch;
        int tp = sh.Tp;
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

        // `ioWidth`: activation elements read plus written per row on one device; `width`: output columns per device (fill).
        Operator Matmul(string name, int repeat, double weights, double ioWidth, double bytesPerWeight, double width, int calls = 1) =>
            new(name, OperatorKind.Matmul, repeat, m, ct, 2 * m * weights / tp, weights * bytesPerWeight / tp,
                m * ioWidth * ab, 0, 0, Width: width, Calls: calls);
        int mlpCalls = a.Mlp == MlpKind.Gated ? 3 : 2;   // gate, up, down; or up, down

        ops.Add(new Operator("embedding", OperatorKind.Embedding, 1, m, ct, 0, m * h * q.EmbeddingBytesPerWeight, m * h * ab, 0, 0));
        ops.Add(Norm("attn_norm", a.Layers));

        // Projections into and out of attention. KV projections are held once per KV shard: where KV is replicated
        // (TP beyond the KV heads; MLA's shared latent projection) each device holds more than 1/tp of them.
        double qkvWeights = p.AttentionPerLayer - (double)a.AttentionOutWidth * h;
        double kvProj = a.Mla is { } mlaShape ? h * (double)(mlaShape.KvLoraRank + mlaShape.QkRopeHeadDim) : 2.0 * a.KvWidth * h;
        double replicatedKvProj = kvProj * (tp / (double)sh.KvShards - 1);
        double wa = q.AttentionBytesPerWeight;
        // Q, K and V as three calls (CallsPerOccurrence): FLOP-weighted, their mean width.
        var qkv = Matmul("qkv_proj", a.Layers, qkvWeights, h + (a.QueryWidth + 2.0 * a.KvWidth) / tp, wa, (a.QueryWidth + 2.0 * a.KvWidth) / tp / 3, calls: 3);
        ops.Add(qkv with { WeightBytes = qkv.WeightBytes + replicatedKvProj * wa / tp, Flops = qkv.Flops + 2 * m * replicatedKvProj / tp });

        // Attention over the KV cache; sliding-window layers see at most the window.
        int windowed = a.Window is { } sw ? a.Layers / sw.EveryNthLayer : 0;
        int full = a.Layers - windowed;
        if (full > 0) ops.Add(Attention(w, stage, "attention", full, contextTokens, m, batch, seqTokens, sh, ab, kvb, ct));
        if (windowed > 0)
        {
            double ctx = Math.Min(contextTokens, a.Window!.Window);
            ops.Add(Attention(w, stage, "attention_window", windowed, ctx, m, batch, seqTokens, sh, ab, kvb, ct));
        }

        ops.Add(Matmul("o_proj", a.Layers, (double)a.AttentionOutWidth * h, a.AttentionOutWidth / (double)tp + h, wa, h));
        if (tp > 1) ops.Add(AllReduce("allreduce_attn", a.Layers, m, h, ab, ct));
        ops.Add(Norm("mlp_norm", a.Layers));

        if (a.DenseLayers > 0)
            ops.Add(Matmul("mlp", a.DenseLayers, p.DenseMlpPerLayer, MlpIo(a, DenseInter(a), tp), wb, MlpWidth(a, DenseInter(a), tp), mlpCalls));
        if (a.Moe is { } moe)
        {
            ops.Add(new Operator("router", OperatorKind.Matmul, a.MoeLayers, m, ct, 2 * m * p.RouterPerLayer, p.RouterPerLayer * 2, m * (h + moe.Experts) * ab, 0, 0, Width: moe.Experts));
            if (p.SharedExpertsPerLayer > 0)
                ops.Add(Matmul("shared_experts", a.MoeLayers, p.SharedExpertsPerLayer, moe.Shared * MlpIo(a, SharedInter(moe), tp), wb, MlpWidth(a, SharedInter(moe), tp), mlpCalls));
            // Weight traffic: every expert that at least one of the tokens routes to is read once.
            // FLOPs: each token runs `Active` experts. Split over `shards` devices, each holds experts ÷ shards of the
            // weights; across replicas (EP > TP = 1) a device's experts see the tokens of all Ep replicas.
            double perExpert = p.RoutedExpertPerExpert;
            double ewb = wb;
            if (!sh.ExpertsAcrossReplicas)
            {
                double touched = ExpectedExpertsTouched(moe.Experts, moe.Active, m);
                ops.Add(new Operator("experts", OperatorKind.Matmul, a.MoeLayers, m / moe.Experts * moe.Active, ct,
                    2 * m * moe.Active * perExpert / tp * sh.ExpertImbalance, touched * perExpert * ewb / tp,
                    m * moe.Active * MlpIo(a, moe.ExpertIntermediate, tp) * ab * sh.ExpertImbalance, 0, 0, Width: MlpWidth(a, moe.ExpertIntermediate, tp), Calls: mlpCalls));
            }
            else
            {
                int ep = sh.Ep;
                double groupTokens = m * ep;
                double touchedLocal = ExpectedExpertsTouched(moe.Experts, moe.Active, groupTokens) / ep;
                double load = sh.ExpertImbalance;   // busiest device's share of the routed tokens, × the mean
                ops.Add(new Operator("experts", OperatorKind.Matmul, a.MoeLayers, m / moe.Experts * moe.Active * ep, ct,
                    2 * m * moe.Active * perExpert * load, touchedLocal * perExpert * ewb,
                    m * moe.Active * MlpIo(a, moe.ExpertIntermediate, 1) * ab * load, 0, 0, Width: MlpWidth(a, moe.ExpertIntermediate, 1), Calls: mlpCalls));
                // Dispatch each token's hidden state to its experts' devices and combine the results back.
                double message = m * moe.Active * h * Math.Max(2, ab) * load;
                ops.Add(AllToAll("ep_dispatch", a.MoeLayers, m, message, ct));
                ops.Add(AllToAll("ep_combine", a.MoeLayers, m, message, ct));
            }
        }
        if (tp > 1) ops.Add(AllReduce("allreduce_mlp", a.Layers, m, h, ab, ct));

        // Only the last position of each sequence needs logits (prefill) — one row per sequence.
        ops.Add(new Operator("final_norm", OperatorKind.Elementwise, 1, batch, ct, 5.0 * batch * h, 0, 2 * batch * h * ab, 0, 0));
        double vocabWeights = (double)a.Vocab * h;
        ops.Add(new Operator("lm_head", OperatorKind.Matmul, 1, batch, ct, 2.0 * batch * vocabWeights / tp,
            vocabWeights * q.LmHeadBytesPerWeight / tp, batch * (h + (double)a.Vocab / tp) * ab, 0, 0, Width: (double)a.Vocab / tp));
        return ops;
    }

    static int DenseInter(ModelArchitecture a) => a.Moe is { DenseIntermediate: > 0 } moe ? moe.DenseIntermediate : a.Intermediate;
    static int SharedInter(MoeSpec moe) => moe.SharedIntermediate > 0 ? moe.SharedIntermediate : moe.ExpertIntermediate;

    /// <summary>
    /// An MLP's output width per device for the fill (<see cref="MatmulFill"/>): its calls do equal FLOPs (gate and up
    /// N = intermediate ÷ tp, down N = hidden), so the FLOP-weighted harmonic mean of their widths.
    /// </summary>
    static double MlpWidth(ModelArchitecture a, int inter, int tp)
    {
        double up = inter / (double)tp;
        return a.Mlp == MlpKind.Gated ? 3 / (2 / up + 1.0 / a.Hidden) : 2 / (1 / up + 1.0 / a.Hidden);
    }

    /// <summary>Activation elements per row through an MLP on one device: read h, write/read the intermediate(s), write h.</summary>
    static double MlpIo(ModelArchitecture a, int inter, int tp) => 2.0 * a.Hidden + (a.Mlp == MlpKind.Gated ? 3.0 : 2.0) * inter / tp;

    /// <summary>Expected number of distinct experts chosen by m tokens each picking k of n uniformly.</summary>
    public static double ExpectedExpertsTouched(int n, int k, double m) => n * (1 - Math.Pow(1 - (double)k / n, m));

    /// <summary>
    /// Collectives carry layer outputs at 16 bits or wider: matmul outputs are accumulated and written in 16-bit even
    /// when the matmul inputs are FP8/int8 (FP8 all-reduce is not the serving stacks' default).
    /// </summary>
    public static double CollectiveElementBytes(QuantScheme q) => Math.Max(2, q.ActivationType.Bytes());

    static Operator AllReduce(string name, int repeat, double m, double h, double ab, DataType ct) =>
        new(name, OperatorKind.Collective, repeat, m, ct, 0, 0, 0, 0, 0, CollectiveBytes: m * h * Math.Max(2, ab));

    static Operator AllToAll(string name, int repeat, double m, double bytes, DataType ct) =>
        new(name, OperatorKind.Collective, repeat, m, ct, 0, 0, 0, 0, 0, CollectiveBytes: bytes,
            Collective: CollectiveOp.AllToAll, Group: CommGroup.Expert);

    static Operator Attention(Workload w, Stage stage, string name, int layers, double ctx, double m, int batch,
        double seqTokens, Sharding sh, double ab, double kvb, DataType ct)
    {
        var a = w.Arch;
        int tp = sh.Tp;
        double kvElems = a.KvElementsPerTokenPerLayer;
        // Score (Q·Kᵀ) and context (P·V): 2 FLOPs per multiply-add, for each query position and each key it sees.
        double perPairFlops = a.Mla is { } mla
            ? 2.0 * a.Heads * (2.0 * mla.KvLoraRank + mla.QkRopeHeadDim)   // absorbed MLA: attend in the latent space
            : 4.0 * a.Heads * a.HeadDim;
        double perKeyFlops = 0;
        if (a.Mla is { } mla2 && stage == Stage.Prefill)
        {
            // Non-absorbed MLA (what prefill kernels run when it is cheaper): expand each key's latent once into
            // per-head K (nope part) and V, then attend with ordinary head sizes.
            double plainPair = 2.0 * a.Heads * (mla2.QkNopeHeadDim + mla2.QkRopeHeadDim) + 2.0 * a.Heads * mla2.VHeadDim;
            double expandPerKey = 2.0 * mla2.KvLoraRank * a.Heads * (mla2.QkNopeHeadDim + mla2.VHeadDim);
            double p0 = seqTokens;
            double pairsPerSeq = ctx >= p0 ? p0 * (p0 + 1) / 2 : ctx * p0 - ctx * (ctx - 1) / 2;
            if (pairsPerSeq * plainPair + p0 * expandPerKey < pairsPerSeq * perPairFlops)
            {
                perPairFlops = plainPair;
                perKeyFlops = expandPerKey;
            }
        }
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
        // Heads split over tp; the KV cache over its shards (a replicated copy is read and written on every device).
        return new Operator(name, OperatorKind.Attention, layers, m, ct == DataType.Int8 || ct == DataType.Int4 ? DataType.Fp16 : ct,
            (pairs * perPairFlops + m * perKeyFlops) / tp, 0, act / tp, kvRead / sh.KvShards, kvWrite / sh.KvShards);
    }
}

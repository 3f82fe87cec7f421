using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Training;

/// <summary>Which part of a training step an operator belongs to.</summary>
public enum Pass { Forward, Backward, Recompute }

/// <summary>One operator of a training step on one device, in one pass, for one micro-batch.</summary>
public sealed record TrainingOperator(Pass Pass, Operator Op);

/// <summary>
/// The operators of one transformer layer (and of the logits) for one micro-batch on one device, in the forward,
/// backward and recompute passes: the actual matrix shapes after the tensor split (heads and MLP columns ÷ tp),
/// the context split (tokens ÷ cp) and the expert split. Backward runs each matmul twice (input and weight
/// gradients: 2 × the forward FLOPs, weights read twice and their gradient written once). The memory-bound kernels'
/// backward traffic is counted kernel by kernel (what each reads and writes), not as
/// 2 × the forward: a norm's backward reads dy and x and writes dx (1.5 × its forward), a dropout-add's reads dy and
/// the mask and writes dx (0.75 ×), an activation's reads dy and x and writes dx.
/// `job.FlashAttention` false: the attention scores go through memory (write Q·Kᵀ, fused scale-mask-softmax, dropout,
/// read for P·V: 13 bytes per score element forward, 19 backward, Megatron-LM 2021–2022 kernels); true: scores stay
/// on chip and the backward recomputes Q·Kᵀ (5 matmuls against the forward's 2: 2.5 × its FLOPs, Dao 2023).
/// Communication is not in here: the step estimator adds it with the collective model.
/// </summary>
public static class TrainingGraph
{
    /// <summary>Bytes per score element through memory without flash attention, forward: Q·Kᵀ writes the scores (2),
    /// the fused scale-mask-softmax reads and writes them (2 + 2), dropout reads them and writes the result and its
    /// 1-byte mask (2 + 2 + 1), P·V reads the result (2).</summary>
    public const double UnfusedScoreBytes = 13;

    /// <summary>Bytes per score element through memory without flash attention, backward: dV = Pᵀ·dO reads the dropped
    /// probabilities (2), dP = dO·Vᵀ writes their gradient (2), dropout's backward reads it and the mask and writes (2 + 1
    /// + 2), softmax's backward reads that and the saved probabilities and writes dS (2 + 2 + 2), dQ = dS·K and dK = dSᵀ·Q
    /// each read dS (2 + 2).</summary>
    public const double UnfusedScoreBackwardBytes = 19;

    /// <summary>Flash attention's backward FLOPs over its forward: it recomputes Q·Kᵀ, 5 matmuls against 2 (Dao 2023, FlashAttention-2 §3).</summary>
    public const double FlashBackwardFlopsRatio = 2.5;

    public sealed record LayerOps(IReadOnlyList<TrainingOperator> Dense, IReadOnlyList<TrainingOperator> Moe, IReadOnlyList<TrainingOperator> Logits);

    public static LayerOps Build(TrainingJob job, QuantScheme precision)
    {
        var a = job.Arch;
        var L = job.Layout;
        int t = L.Tp;
        double tokens = (double)job.MicroBatch * job.SeqLen / L.Cp;   // activation rows per device
        double ab = 2;                                                  // 16-bit activations (fp8 training keeps bf16 activations)
        double wb = precision.BytesPerWeight;
        var ct = precision.ComputeType;
        double h = a.Hidden;
        double sp = L.SequenceParallel ? t : 1;                         // elementwise work split over the TP group with SP

        Operator Elementwise(string name, double width, double passes) =>
            new(name, OperatorKind.Elementwise, 1, tokens, DataType.Fp32, 5 * tokens * width / sp, 0, passes * tokens * width * ab / sp, 0, 0);
        // Norm: forward reads x, writes y (2 passes); backward reads dy and x, writes dx (3). Dropout + residual add:
        // forward reads the branch and the residual, writes the sum and a 1-byte mask (~4); backward reads dy and the
        // mask, writes the branch's dx (~3; the residual's gradient is dy itself).
        Fwd Norm(string name) => new(Elementwise(name, h, 2), 3.0 / 2);
        Fwd DropoutAdd(string name) => new(Elementwise(name, h, 4), 3.0 / 4);
        Operator Matmul(string name, double k, double n, double rows) =>
            new(name, OperatorKind.Matmul, 1, rows, ct, 2 * rows * k * n, k * n * wb, rows * (k + n) * ab, 0, 0, Width: n);

        var common = new List<Fwd>
        {
            Norm("attn_norm"),
            new(Matmul("qkv_proj", h, (a.QueryWidth + 2.0 * a.KvWidth) / t, tokens)),
            AttentionCore(job, tokens, ab, ct, job.FlashAttention),
            new(Matmul("o_proj", a.AttentionOutWidth / (double)t, h, tokens)),
            DropoutAdd("attn_dropout_residual"),
            Norm("mlp_norm"),
        };
        var tail = DropoutAdd("mlp_dropout_residual");
        bool gated = a.Mlp == MlpKind.Gated;

        List<Fwd> Mlp(int inter, double rows, double count, string prefix)
        {
            double up = (gated ? 2.0 : 1.0) * inter / t, down = inter / (double)t;
            // The activation reads the up-projection and writes the down-projection's input; its backward reads dy
            // (down width) and x (up width) and writes dx (up width).
            var act = new Operator(prefix + "_act", OperatorKind.Elementwise, 1, rows, DataType.Fp32, 8 * rows * up * count, 0, rows * (up + down) * ab * count, 0, 0);
            return
            [
                new(Matmul(prefix + "_up", h, up, rows) with { Flops = 2 * rows * h * up * count, WeightBytes = h * up * wb * count, ActivationBytes = rows * (h + up) * ab * count }),
                new(act, (down + 2 * up) / (up + down)),
                new(Matmul(prefix + "_down", down, h, rows) with { Flops = 2 * rows * down * h * count, WeightBytes = down * h * wb * count, ActivationBytes = rows * (down + h) * ab * count }),
            ];
        }

        var dense = new List<Fwd>(common);
        int denseInter = a.Moe is { DenseIntermediate: > 0 } m0 ? m0.DenseIntermediate : a.Intermediate;
        dense.AddRange(Mlp(denseInter, tokens, 1, "mlp"));
        dense.Add(tail);

        var moe = new List<Fwd>(common);
        if (a.Moe is { } moeSpec)
        {
            moe.Add(new(Matmul("router", h, moeSpec.Experts, tokens)));
            if (moeSpec.Shared > 0)
                moe.AddRange(Mlp(moeSpec.SharedIntermediate > 0 ? moeSpec.SharedIntermediate : moeSpec.ExpertIntermediate, tokens, moeSpec.Shared, "shared"));
            // Balanced routing: each device runs tokens × active expert rows spread over its E / ep local experts.
            double localExperts = (double)moeSpec.Experts / L.Ep;
            double rowsPerExpert = tokens * moeSpec.Active / localExperts;
            var experts = Mlp(moeSpec.ExpertIntermediate, rowsPerExpert, localExperts, "experts");
            moe.AddRange(experts);
            moe.Add(tail);
        }

        double vocab = a.Vocab / (double)t;
        // Cross-entropy over the vocabulary shard: forward reads the logits and writes the softmax it keeps (fp32);
        // backward reads that softmax and writes the logits' gradient (the same traffic).
        var logits = new List<Fwd>
        {
            Norm("final_norm"),
            new(Matmul("lm_head", h, vocab, tokens)),
            new(new("cross_entropy", OperatorKind.Elementwise, 1, tokens, DataType.Fp32, 5 * tokens * vocab, 0, 2 * tokens * vocab * 4, 0, 0), 1),
        };

        return new LayerOps(Passes(dense, job.Recompute), a.Moe is null ? [] : Passes(moe, job.Recompute), Passes(logits, Recompute.None));
    }

    /// <summary>A forward operator with its backward: `BackwardTraffic` × its activation bytes, `BackwardFlops` × its FLOPs
    /// (matmuls: the input- and weight-gradient GEMMs, 2 × the FLOPs; weights read twice, their gradient written).</summary>
    sealed record Fwd(Operator Op, double BackwardTraffic = 2, double BackwardFlops = 2);

    /// <summary>The backward of one forward operator (see <see cref="Fwd"/>).</summary>
    static Operator Backward(Fwd f) => f.Op.Kind == OperatorKind.Matmul
        ? f.Op with { Name = f.Op.Name + "_grad", Flops = 2 * f.Op.Flops, WeightBytes = 3 * f.Op.WeightBytes, ActivationBytes = 2 * f.Op.ActivationBytes, Width = BackwardWidth(f.Op) }
        : f.Op with { Name = f.Op.Name + "_grad", Flops = f.BackwardFlops * f.Op.Flops, ActivationBytes = f.BackwardTraffic * f.Op.ActivationBytes };

    /// <summary>
    /// Output columns of a matmul's backward, as the fill model sees them: the input gradient dX = dY·W has the
    /// forward's K columns, the weight gradient dW = Xᵀ·dY has N (with K rows of output tiles, never fewer than the
    /// tokens' tiles); two calls of equal FLOPs, so their harmonic mean.
    /// </summary>
    static double BackwardWidth(Operator f)
    {
        double n = f.Width, k = f.Tokens > 0 && f.Width > 0 ? f.Flops / (2 * f.Tokens * f.Width) : 0;
        return n > 0 && k > 0 ? 2 * k * n / (k + n) : 0;
    }

    static List<TrainingOperator> Passes(List<Fwd> forward, Recompute r)
    {
        var list = new List<TrainingOperator>();
        foreach (var f in forward) list.Add(new(Pass.Forward, f.Op));
        foreach (var f in forward) list.Add(new(Pass.Backward, Backward(f)));
        foreach (var f in forward)
            if (r == Recompute.Full || (r == Recompute.Selective && f.Op.Kind == OperatorKind.Attention))
                list.Add(new(Pass.Recompute, f.Op));
        return list;
    }

    static Fwd AttentionCore(TrainingJob job, double tokens, double ab, DataType ct, bool flash)
    {
        var a = job.Arch;
        int t = job.Layout.Tp;
        // Each local query row sees the whole sequence (the counting convention of TrainingFlops).
        double flops = 2.0 * tokens * job.SeqLen * (a.QueryWidth + a.AttentionOutWidth) / t;
        double io = tokens * (a.QueryWidth + 2.0 * a.KvWidth + a.AttentionOutWidth) / t * ab;
        var op = new Operator("attention", OperatorKind.Attention, 1, tokens, ct == DataType.Fp8 ? DataType.Bf16 : ct, flops, 0, io, 0, 0);
        if (flash) return new(op, 2, FlashBackwardFlopsRatio);   // reads Q, K, V, O, dO and writes dQ, dK, dV: twice the forward's tensors
        double scores = tokens * job.SeqLen * (a.Heads / (double)t);
        // Unfused: Q, K, V, O tensors twice as in the forward, and the score traffic of the backward kernels.
        return new(op with { ActivationBytes = io + scores * UnfusedScoreBytes }, (2 * io + scores * UnfusedScoreBackwardBytes) / (io + scores * UnfusedScoreBytes));
    }
}

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
/// gradients: 2 × the forward FLOPs, weights read twice and their gradient written once) and each elementwise or
/// attention operator at twice the forward work (assumed: the usual backward ≈ 2 × forward ratio).
/// `job.FlashAttention` false: the attention scores go through memory (write Q·Kᵀ, fused scale-mask-softmax, dropout,
/// read for P·V: 13 bytes per score element, Megatron-LM 2021 kernels); true: scores stay on chip.
/// Communication is not in here: the step estimator adds it with the collective model.
/// </summary>
public static class TrainingGraph
{
    /// <summary>Bytes per score element through memory without flash attention (2 + 2+2 + 2+2+1 + 2: see summary).</summary>
    public const double UnfusedScoreBytes = 13;

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
        Operator Matmul(string name, double k, double n, double rows) =>
            new(name, OperatorKind.Matmul, 1, rows, ct, 2 * rows * k * n, k * n * wb, rows * (k + n) * ab, 0, 0);

        var common = new List<Operator>
        {
            Elementwise("attn_norm", h, 2),
            Matmul("qkv_proj", h, (a.QueryWidth + 2.0 * a.KvWidth) / t, tokens),
            AttentionCore(job, tokens, ab, ct, job.FlashAttention),
            Matmul("o_proj", a.AttentionOutWidth / (double)t, h, tokens),
            Elementwise("attn_dropout_residual", h, 4),
            Elementwise("mlp_norm", h, 2),
        };
        var tail = Elementwise("mlp_dropout_residual", h, 4);
        bool gated = a.Mlp == MlpKind.Gated;

        List<Operator> Mlp(int inter, double rows, double count, string prefix)
        {
            double up = (gated ? 2.0 : 1.0) * inter / t;
            var ops = new List<Operator>
            {
                Matmul(prefix + "_up", h, up, rows) with { Flops = 2 * rows * h * up * count, WeightBytes = h * up * wb * count, ActivationBytes = rows * (h + up) * ab * count },
                new(prefix + "_act", OperatorKind.Elementwise, 1, rows, DataType.Fp32, 8 * rows * up * count, 0, rows * (up + inter / (double)t) * ab * count, 0, 0),
                Matmul(prefix + "_down", inter / (double)t, h, rows) with { Flops = 2 * rows * inter / t * h * count, WeightBytes = inter / (double)t * h * wb * count, ActivationBytes = rows * (inter / (double)t + h) * ab * count },
            };
            return ops;
        }

        var dense = new List<Operator>(common);
        int denseInter = a.Moe is { DenseIntermediate: > 0 } m0 ? m0.DenseIntermediate : a.Intermediate;
        dense.AddRange(Mlp(denseInter, tokens, 1, "mlp"));
        dense.Add(tail);

        var moe = new List<Operator>(common);
        if (a.Moe is { } moeSpec)
        {
            moe.Add(Matmul("router", h, moeSpec.Experts, tokens));
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
        var logits = new List<Operator>
        {
            Elementwise("final_norm", h, 2),
            Matmul("lm_head", h, vocab, tokens),
            new("cross_entropy", OperatorKind.Elementwise, 1, tokens, DataType.Fp32, 5 * tokens * vocab, 0, 2 * tokens * vocab * 4, 0, 0),
        };

        return new LayerOps(Passes(dense, job.Recompute), a.Moe is null ? [] : Passes(moe, job.Recompute), Passes(logits, Recompute.None));
    }

    static List<TrainingOperator> Passes(List<Operator> forward, Recompute r)
    {
        var list = new List<TrainingOperator>();
        foreach (var op in forward) list.Add(new(Pass.Forward, op));
        foreach (var op in forward) list.Add(new(Pass.Backward, Backward(op)));
        foreach (var op in forward)
            if (r == Recompute.Full || (r == Recompute.Selective && op.Kind == OperatorKind.Attention))
                list.Add(new(Pass.Recompute, op));
        return list;
    }

    static Operator Backward(Operator f) => f.Kind == OperatorKind.Matmul
        ? f with { Name = f.Name + "_grad", Flops = 2 * f.Flops, WeightBytes = 3 * f.WeightBytes, ActivationBytes = 2 * f.ActivationBytes }
        : f with { Name = f.Name + "_grad", Flops = 2 * f.Flops, ActivationBytes = 2 * f.ActivationBytes };

    static Operator AttentionCore(TrainingJob job, double tokens, double ab, DataType ct, bool flash)
    {
        var a = job.Arch;
        int t = job.Layout.Tp;
        // Each local query row sees the whole sequence (the counting convention of TrainingFlops).
        double flops = 2.0 * tokens * job.SeqLen * (a.QueryWidth + a.AttentionOutWidth) / t;
        double io = tokens * (a.QueryWidth + 2.0 * a.KvWidth + a.AttentionOutWidth) / t * ab;
        if (!flash) io += tokens * job.SeqLen * (a.Heads / (double)t) * UnfusedScoreBytes;
        return new Operator("attention", OperatorKind.Attention, 1, tokens, ct == DataType.Fp8 ? DataType.Bf16 : ct, flops, 0, io, 0, 0);
    }
}

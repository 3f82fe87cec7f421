using PerfSim.Core.Units;

namespace PerfSim.Training;

/// <summary>
/// Memory per device (the most loaded pipeline stage), in bytes. Model state under mixed-precision Adam is 16 bytes
/// per parameter: 2 (16-bit weights) + 2 (16-bit gradients) + 12 optimizer state (4 fp32 master weights + 4 first
/// moment + 4 second moment), Rajbhandari et al. 2020 (ZeRO) §3.1. ZeRO shards over the data-parallel group:
/// stage 1 the optimizer state, stage 2 also the gradients, stage 3 (= FSDP full sharding) also the weights.
/// Offload to CPU moves the optimizer state to host memory (ZeRO-Offload); to NVMe, also the sharded weights under
/// stage 3 (ZeRO-Infinity).
/// </summary>
public sealed record TrainingMemory(Bytes Weights, Bytes Gradients, Bytes OptimizerState, Bytes Activations, Bytes Capacity, double ParametersPerDevice)
{
    public const double WeightBytes = 2, GradientBytes = 2, MasterBytes = 4, MomentBytes = 4, VarianceBytes = 4;
    public const double OptimizerBytes = MasterBytes + MomentBytes + VarianceBytes;
    public const double ModelStateBytesPerParameter = WeightBytes + GradientBytes + OptimizerBytes;

    public Bytes ModelState => Weights + Gradients + OptimizerState;
    public Bytes Total => ModelState + Activations;
    public bool Fits => Total <= Capacity;

    public static TrainingMemory Of(TrainingJob job, Bytes capacity)
    {
        var L = job.Layout;
        double local = ParametersOnBusiestStage(job);
        double dp = L.Dp;
        double weights = local * WeightBytes / (job.Zero >= 3 ? dp : 1);
        double grads = local * GradientBytes / (job.Zero >= 2 ? dp : 1);
        double optimizer = local * OptimizerBytes / (job.Zero >= 1 ? dp : 1);
        if (job.Offload != Offload.None) optimizer = 0;
        if (job.Offload == Offload.Nvme && job.Zero >= 3) weights = 0;
        return new TrainingMemory(new(weights), new(grads), new(optimizer), new(ActivationBytes(job)), capacity, local);
    }

    /// <summary>
    /// Parameters held by one device of the busiest stage: the layers ÷ pp ÷ tp (experts also ÷ ep) plus one
    /// vocabulary matrix ÷ tp (the first stage's embedding or the last stage's logits; both with pp = 1 and untied weights).
    /// </summary>
    public static double ParametersOnBusiestStage(TrainingJob job)
    {
        var p = job.Parameters;
        var a = job.Arch;
        var L = job.Layout;
        double experts = a.Moe is { } m ? a.MoeLayers * m.Experts * p.RoutedExpertPerExpert : 0;
        double vocabMatrix = (double)a.Vocab * a.Hidden;
        double layers = p.Total - p.Embedding - p.LmHead - p.FinalNorm - experts;
        double stageLayers = Math.Ceiling((double)a.Layers / L.Pp) / a.Layers;
        double vocabs = L.Pp == 1 ? p.Embedding + p.LmHead : Math.Max(vocabMatrix, p.LmHead);
        return (layers * stageLayers + experts * stageLayers / L.Ep) / L.Tp + vocabs / L.Tp;
    }

    /// <summary>
    /// Stored activations of the first pipeline stage, which holds the most micro-batches in flight (1F1B: min(m, pp);
    /// interleaved: × (1 + (pp−1)/(pp·v)), Narayanan et al. 2021). Per layer and micro-batch, bytes, Korthikanti et al.
    /// 2022 Table 2 (a GPT block, 16-bit activations): s·b·h·(10 + 24/t + 5·a·s/(h·t)) without sequence parallelism,
    /// s·b·h/t·(34 + 5·a·s/h) with it; the 5·a·s/h term (attention scores) is dropped by selective recomputation;
    /// full recomputation keeps only each layer's input, 2·s·b·h (÷ t with sequence parallelism). Context parallelism
    /// divides s. Flash attention never stores the scores, as selective recomputation.
    /// </summary>
    public static double ActivationBytes(TrainingJob job)
    {
        var a = job.Arch;
        var L = job.Layout;
        double s = (double)job.SeqLen / L.Cp, b = job.MicroBatch, h = a.Hidden, t = L.Tp, heads = a.Heads;
        double sbh = s * b * h;
        bool noScores = job.FlashAttention || job.Recompute == Recompute.Selective;
        double scores = noScores ? 0 : 5 * heads * job.SeqLen / h;
        double perLayer = job.Recompute == Recompute.Full
            ? 2 * sbh / (L.SequenceParallel ? t : 1)
            : L.SequenceParallel ? sbh / t * (34 + scores) : sbh * (10 + 24 / t + scores / t);
        double layersPerStage = Math.Ceiling((double)a.Layers / L.Pp);
        long m = Math.Max(1, job.MicroBatches);
        double inFlight = Math.Min(m, L.Pp);
        if (L.Interleave > 1 && L.Pp > 1) inFlight *= 1 + (L.Pp - 1.0) / (L.Pp * L.Interleave);
        // Logits in fp32 for the loss on the last stage, one micro-batch at a time.
        double logits = s * b * a.Vocab / t * 4;
        return perLayer * layersPerStage * inFlight + (L.Pp == 1 ? logits : 0);
    }
}

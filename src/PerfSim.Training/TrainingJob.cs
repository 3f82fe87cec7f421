using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Training;

/// <summary>Activation recomputation: none, selective (the attention core only, Korthikanti et al. 2022), full (every layer's forward again).</summary>
public enum Recompute { None, Selective, Full }

/// <summary>Where optimizer state (and, for ZeRO-Infinity, parameters) live when they are not kept in device memory.</summary>
public enum Offload { None, Cpu, Nvme }

/// <summary>
/// How the devices split the job: tensor (`Tp`), pipeline (`Pp`, with `Interleave` model chunks per device),
/// data (`Dp`), expert (`Ep`, inside the data-parallel group) and context (`Cp`, the sequence split across devices).
/// `SequenceParallel` shards the activations outside the matmuls over the TP group (Megatron sequence parallelism).
/// </summary>
public sealed record TrainingLayout(int Tp = 1, int Pp = 1, int Dp = 1, int Ep = 1, int Cp = 1, int Interleave = 1, bool SequenceParallel = false)
{
    public int Devices => Tp * Pp * Dp * Cp;
    public override string ToString() =>
        $"tp{Tp} pp{Pp} dp{Dp}" + (Ep > 1 ? $" ep{Ep}" : "") + (Cp > 1 ? $" cp{Cp}" : "") + (Interleave > 1 ? $" v{Interleave}" : "") + (SequenceParallel ? " sp" : "");
}

/// <summary>
/// One training job: the model, the batch, the layout and the memory-saving options.
/// `GlobalBatch` is in sequences of `SeqLen` tokens; `MicroBatch` sequences per pipeline micro-batch per replica.
/// `Zero`: DeepSpeed ZeRO stage 0–3 (3 = FSDP full sharding); `Precision`: the matmul arithmetic (bf16, fp16, fp8).
/// `OverlapGradientReduce`: the data-parallel gradient reduction runs during the backward pass (Megatron
/// --overlap-grad-reduce, PyTorch DDP buckets); parameter prefetch under ZeRO-3 always overlaps.
/// `OverlapTensorComm`: TP all-gathers/reduce-scatters overlap the adjacent GEMMs (Megatron-Core --tp-comm-overlap).
/// `FlashAttention`: attention scores stay on chip (not stored, not streamed through memory).
/// `FusedGradientAccumulation`: the weight-gradient GEMM adds into the gradient buffer itself (Megatron-LM
/// --gradient-accumulation-fusion, 2022 on); false: a separate kernel adds each micro-batch's gradient into it.
/// </summary>
public sealed record TrainingJob(
    ModelArchitecture Arch,
    ParameterBreakdown Parameters,
    int SeqLen,
    long GlobalBatch,
    int MicroBatch,
    TrainingLayout Layout,
    int Zero,
    Recompute Recompute,
    Offload Offload,
    DataType Precision,
    bool OverlapGradientReduce,
    double TrainingTokens,
    bool FlashAttention = true,
    bool OverlapTensorComm = false,
    bool FusedGradientAccumulation = true)
{
    public double TokensPerStep => (double)GlobalBatch * SeqLen;
    /// <summary>Micro-batches each replica runs per step (gradient-accumulation steps); a remainder costs a whole (padded) micro-batch.</summary>
    public long MicroBatches => (GlobalBatch + (long)Layout.Dp * MicroBatch - 1) / ((long)Layout.Dp * MicroBatch);
    public double Steps => TrainingTokens / TokensPerStep;
}

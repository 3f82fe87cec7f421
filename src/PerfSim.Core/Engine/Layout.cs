namespace PerfSim.Core.Engine;

/// <summary>
/// How the devices share the model. `Tp`: tensor parallel (heads, KV heads and matrix columns/rows split, two
/// all-reduces per layer). `Pp`: pipeline stages (layers split; activations sent between stages). `Ep`: expert
/// parallel (routed experts split; with `Ep` ≤ `Tp` inside the tensor-parallel group, with `Ep` &gt; `Tp` = 1 across
/// data-parallel replicas that run attention on their own sequences, joined by all-to-all dispatch and combine).
/// `Dp`: data-parallel replicas, each serving its own batch. Devices in use: Tp × Pp × Dp.
/// </summary>
public sealed record Layout(int Tp = 1, int Pp = 1, int Ep = 1, int Dp = 1)
{
    public static readonly Layout Single = new();

    /// <summary>Devices that hold one copy of the model: Tp × Pp.</summary>
    public int ModelParallel => Tp * Pp;

    /// <summary>Devices in use: every replica's group.</summary>
    public int Devices => Tp * Pp * Dp;

    /// <summary>Experts are split across data-parallel replicas (attention data-parallel, experts expert-parallel).</summary>
    public bool ExpertsAcrossReplicas => Ep > Tp;

    public override string ToString() => $"TP{Tp} PP{Pp} EP{Ep} DP{Dp}";
}

/// <summary>What the pipeline does with its stages: llama.cpp-style layer split runs them in turn; serving stacks overlap micro-batches.</summary>
public enum PipelineSchedule { Sequential, MicroBatched }

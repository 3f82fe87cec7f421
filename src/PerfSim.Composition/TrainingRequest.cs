using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;
using PerfSim.Training;

namespace PerfSim.Composition;

/// <summary>
/// A training what-if as given: IDs and options, nothing resolved. Null layout fields mean "choose" (the layout
/// search keeps the fastest split that fits). `Architecture` replaces the catalog model (validation rows describe
/// models by their shape). `Network` (an interconnect ID) and `NicsPerNode` replace the system's scale-out
/// network; `DevicesPerNode` its node size.
/// </summary>
public sealed record TrainingRequest
{
    public string Hardware { get; init; } = "nvidia-a100-sxm-80gb";
    public string Model { get; init; } = "gpt-3-175b";
    public ModelProfile? Architecture { get; init; }
    public double Tokens { get; init; } = 300e9;
    public int? Devices { get; init; }
    public int? Tp { get; init; }
    public int? Pp { get; init; }
    public int? Dp { get; init; }
    public int? Ep { get; init; }
    public int Cp { get; init; } = 1;
    public int? Interleave { get; init; }
    public bool? SequenceParallel { get; init; }
    public int? Zero { get; init; }
    public Recompute? Recompute { get; init; }
    public int? MicroBatch { get; init; }
    /// <summary>Global batch in sequences; null: about 3.1M tokens (GPT-3's 1536 × 2048).</summary>
    public long? GlobalBatch { get; init; }
    public int? SeqLen { get; init; }
    public Offload Offload { get; init; } = Offload.None;
    /// <summary>Quantization scheme ID of the matmul arithmetic: bf16, fp16 or fp8.</summary>
    public string Precision { get; init; } = "bf16";
    public bool OverlapGradientReduce { get; init; }
    public bool FlashAttention { get; init; } = true;
    public bool OverlapTensorComm { get; init; }
    /// <summary>The weight-gradient GEMM accumulates into the gradient buffer (Megatron-LM --gradient-accumulation-fusion); false: a separate add per micro-batch.</summary>
    public bool FusedGradientAccumulation { get; init; } = true;
    public string? Network { get; init; }
    public int? NicsPerNode { get; init; }
    public int? DevicesPerNode { get; init; }
    public bool? InNetworkReduction { get; init; }
    public Assumptions Assumptions { get; init; } = Assumptions.Default;
    public TrainingPricing Pricing { get; init; } = TrainingPricing.Auto;
    public double? CloudUsdPerDeviceHour { get; init; }
    /// <summary>Replaces the ideal execution model (a fitted one, for validation).</summary>
    public ExecutionModel? Execution { get; init; }
    /// <summary>Replaces the large-GEMM efficiency of the execution model (a fitted value per device class).</summary>
    public double? GemmEfficiency { get; init; }
}

using PerfSim.Core.Collectives;
using PerfSim.Core.Hardware;

namespace PerfSim.Core.Engine;

public enum Stage { Prefill, Decode }

public enum OperatorKind { Matmul, Attention, Elementwise, Embedding, Collective }

/// <summary>What limits an operator or a stage.</summary>
public enum Bound { Compute, Memory, Kernel, Interconnect, Overhead }

/// <summary>The devices a collective runs over: the tensor-parallel group, or the expert-parallel group.</summary>
public enum CommGroup { Tensor, Expert }

/// <summary>
/// One operator of a forward pass on one device, with its work and its traffic split by source.
/// `Repeat` is how many times it occurs per pass (usually the layer count); all figures are per occurrence.
/// `CollectiveBytes` is the message of a collective operator (`Collective` over `Group`), per device.
/// `Tokens` is the number of activation rows (M of the GEMM): 1 for decode at batch 1, batch × prompt for prefill.
/// `Width` is a matmul's output columns per device (N of the GEMM; for an operator of several kernel calls the
/// FLOP-weighted harmonic mean of theirs), which with M sets how many output tiles there are to fill the device's
/// engines (<see cref="MatmulFill"/>); 0: not known, no fill term.
/// `Calls` is how many kernel calls one occurrence of a matmul is (Q, K, V: 3; a gated MLP's gate, up, down: 3; a
/// plain MLP's up and down: 2), which a host's measured per-call cost multiplies.
/// </summary>
public sealed record Operator(
    string Name,
    OperatorKind Kind,
    int Repeat,
    double Tokens,
    DataType ComputeType,
    double Flops,
    double WeightBytes,
    double ActivationBytes,
    double KvReadBytes,
    double KvWriteBytes,
    double CollectiveBytes = 0,
    CollectiveOp Collective = CollectiveOp.AllReduce,
    CommGroup Group = CommGroup.Tensor,
    double Width = 0,
    int Calls = 1)
{
    public double MemoryBytes => WeightBytes + ActivationBytes + KvReadBytes + KvWriteBytes;
    /// <summary>Arithmetic intensity in FLOP per byte moved from memory.</summary>
    public double Intensity => MemoryBytes > 0 ? Flops / MemoryBytes : double.PositiveInfinity;
}

using PerfSim.Core.Units;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>A predicted matrix kernel: its roofline point and the memory level its weights are served from.</summary>
public sealed record KernelPrediction(RooflinePoint Point, string ServedFrom);

/// <summary>
/// One matrix kernel on its own, Y[n×m] = X[n×k]·Wᵀ with W (m×k) in a quantization scheme and fp32 activations, timed
/// by the same operator timer as a forward pass. A benchmark loops over one matrix, so its weights are placed by
/// their own size: a matrix that fits in a cache level is served from it, as in the measurement, and on a CPU one
/// larger than the LLC is served partly from it (<see cref="MemoryPlacement"/>); `ServedFrom` then reads "dram+l3 29%".
/// </summary>
public static class KernelModel
{
    public static KernelPrediction Matmul(Deployment d, QuantScheme quant, int m, int k, int n, ExecutionModel? exec = null,
        double cacheUsableFraction = 0.9)
    {
        double weights = (double)m * k;
        double weightBytes = weights * quant.BytesPerWeight;
        double activationBytes = (double)n * (k + m) * 4;
        var placement = MemoryPlacement.Decide(d.Device, new Bytes(weightBytes), new Bytes(weightBytes + activationBytes),
            new Bytes(activationBytes), cacheUsableFraction, cyclicCacheReuse: d.Engine.Kind == Hardware.EngineKind.Cpu);
        var op = new Operator("matmul", OperatorKind.Matmul, 1, n, quant.ComputeType, 2 * weights * n, weightBytes, activationBytes, 0, 0);
        var timer = new OperatorTimer(d, exec ?? ExecutionModel.Ideal(d.Engine), quant, placement.StreamLevel, placement.ActivationLevel, 1,
            cached: placement.CachedLevel, cachedShare: placement.CachedShare);
        string from = placement.CachedLevel is { } c && placement.CachedShare > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{placement.StreamLevel.Id}+{c.Id} {placement.CachedShare * 100:0}%")
            : placement.StreamLevel.Id;
        return new KernelPrediction(timer.Time(op).Point, from);
    }
}

using PerfSim.Core.Collectives;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// Times one operator on a deployment: memory traffic at the bandwidth of the level serving it (and the host link
/// for offloaded bytes), arithmetic at the attainable rate, the kernel's unpack ceiling, and collectives — then the
/// roofline. Shared by the forward-pass model and the single-kernel model used to check calibration.
/// </summary>
public sealed class OperatorTimer
{
    readonly Deployment d;
    readonly ExecutionModel exec;
    readonly QuantScheme quant;
    readonly double streamBw, actBw, hostBw, resident, share, unpackOps, vectorPeak;
    readonly double kernelRate;           // weight bytes/s, 0 if the engine has no measured rate for this format
    readonly double gemmRate;             // FLOP/s, 0 if none
    readonly DataType matmulType;
    readonly ComputePath path;
    readonly double overlap;

    /// <summary>
    /// `cached`/`cachedShare`: the share of the streamed bytes a cache still holds from the previous pass
    /// (<see cref="MemoryPlacement.CachedShare"/>); the streaming rate is the harmonic blend of the two levels' rates.
    /// </summary>
    public OperatorTimer(Deployment d, ExecutionModel exec, QuantScheme quant, MemoryLevel stream, MemoryLevel activations, double residentFraction,
        double communicationOverlap = 0, MemoryLevel? cached = null, double cachedShare = 0)
    {
        overlap = communicationOverlap;
        this.d = d;
        this.exec = exec;
        this.quant = quant;
        double eff = exec.MemoryBandwidthEfficiency;
        double h = cached is null ? 0 : Math.Clamp(cachedShare, 0, 1);
        CachedShare = h;
        streamBw = eff / ((1 - h) / d.PeakBandwidth(stream).Value + (h > 0 ? h / d.PeakBandwidth(cached!).Value : 0));
        actBw = d.PeakBandwidth(activations).Value * eff;
        hostBw = d.HostLinkBandwidth.Value * eff;
        resident = residentFraction;
        share = d.ComputeShare;
        kernelRate = d.Engine.GemvKernelRate.TryGetValue(quant.Id, out var kr) ? kr.Value.Value * share : 0;
        gemmRate = d.Engine.GemmKernelRate is { } g && g.TryGetValue(quant.Id, out var gr) ? gr.Value.Value * share : 0;
        matmulType = exec.ComputeTypeFor(quant);
        path = exec.PathOn(d.Device.Vendor);
        // Unpack-bound kernel rate from a backend: vector ops per weight at the engine's fp32 (vector) peak.
        unpackOps = exec.UnpackOps(quant);
        vectorPeak = d.Engine.VectorPeakFor(DataType.Fp32).Peak.Value * share;
    }

    /// <summary>Share of the streamed bytes (beyond any offloaded part) served from the cached level.</summary>
    public double CachedShare { get; }

    public (RooflinePoint Point, double StreamedBytes, double OverHostBytes) Time(Operator op)
    {
        double streamedBytes = op.WeightBytes + op.KvReadBytes + op.KvWriteBytes;
        double overHost = streamedBytes * (1 - resident);
        double memSeconds = (streamedBytes - overHost) / streamBw + op.ActivationBytes / actBw
                            + (overHost > 0 ? (hostBw > 0 ? overHost / hostBw : double.PositiveInfinity) : 0);
        bool matmul = op.Kind == OperatorKind.Matmul;
        var (_, peak) = d.Engine.PeakFor(matmul ? matmulType : op.ComputeType, path);
        double fill = matmul ? MatmulFill.Tokens(d.Engine, d.Device.Vendor, path, share, op.Width) : 0;
        double computeEff = op.Kind == OperatorKind.Elementwise ? exec.GemvEfficiency : exec.ComputeEfficiency(op.Tokens, fill);
        // A measured GEMM rate for this format replaces peak × efficiency once the matmul has more than one row.
        double attainable = matmul && gemmRate > 0 && op.Tokens > 1 ? gemmRate : peak.Value * computeEff * share;
        double kernelSeconds = matmul && kernelRate > 0 ? op.WeightBytes / kernelRate : 0;
        if (matmul && unpackOps > 0 && op.WeightBytes > 0)
        {
            double perWeight = op.Name == "lm_head" ? quant.LmHeadBytesPerWeight
                : op.Name is "qkv_proj" or "o_proj" ? quant.AttentionBytesPerWeight : quant.BytesPerWeight;
            kernelSeconds = Math.Max(kernelSeconds, op.WeightBytes / perWeight * unpackOps / vectorPeak);
        }
        double fixedSeconds = 0;
        if (d.Engine.KernelCosts is { } kc)
        {
            // The host's own kernels (measured by calibrate): a fixed cost per call, and attention at its measured KV rate.
            if (matmul) fixedSeconds = CallsPerOccurrence(op) * kc.MatmulCall.Value.Value;
            else if (op.Kind == OperatorKind.Attention)
            {
                fixedSeconds = kc.AttentionCall.Value.Value;
                kernelSeconds = Math.Max(kernelSeconds, op.KvReadBytes / (kc.AttentionKvRate.Value.Value * share));
            }
        }
        double linkSeconds = Collective(op)?.Time.Value ?? 0;
        return (Roofline.Evaluate(op.Flops, attainable, memSeconds, kernelSeconds, linkSeconds, overlap, fixedSeconds), streamedBytes, overHost);
    }

    /// <summary>
    /// Kernel calls behind one occurrence of a matmul operator (<see cref="Operator.Calls"/>, set by the graph: Q, K and V
    /// are three calls, a gated MLP three and a plain one two, as ggml-style kernels and PerfSim's own run them).
    /// </summary>
    public static int CallsPerOccurrence(Operator op) => Math.Max(1, op.Calls);

    /// <summary>The collective an operator waits for, over its group on the deployment's fabric (null: none).</summary>
    public CollectiveCost? Collective(Operator op)
    {
        if (op.CollectiveBytes <= 0) return null;
        int n = op.Group == CommGroup.Expert ? d.Layout.Ep : d.Layout.Tp;
        if (n <= 1) return null;
        return Collectives.Collective.Cost(op.Collective, op.CollectiveBytes, d.CollectiveFabric.Group(n));
    }
}

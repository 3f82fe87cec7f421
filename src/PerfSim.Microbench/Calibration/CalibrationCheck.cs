using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;

namespace PerfSim.Microbench.Calibration;

/// <summary>Whether a measured figure fed the calibrated profile (so predicting it is circular) or was held out.</summary>
public enum CheckRole { HeldOut, CalibrationInput }

public sealed record KernelCheck(
    string Format, string Path, int M, int K, int N, int Threads,
    double MeasuredMs, double PredictedMs, Bound Bound, string ServedFrom,
    double WeightGBps, double Gflops, CheckRole Role)
{
    public string Shape => $"{M}x{K}";
    /// <summary>Signed relative error of the predicted time: (predicted − measured) ÷ measured.</summary>
    public double Error => (PredictedMs - MeasuredMs) / MeasuredMs;
}

/// <summary>The synthetic decoder, predicted vs measured, with its time split into weight matmuls and attention.</summary>
/// <remarks>
/// PredictedCallOverheadMs is the per-token time the host's per-call costs add (GEMV calls × measured cost per call);
/// PredictedAttentionMs includes the measured attention rate. Both come from <see cref="CallCostBench"/>, never from
/// the decoder, and enter the engine through the host profile's `kernel_costs`.
/// <para>PredictedTokensPerSecond uses the DRAM read rate probed right before and after the decoder
/// (<see cref="BesideReadGBps"/>) when the run has one, because a shared host's DRAM rate drifts by tens of percent
/// between the ladder and the decoder half a minute later; <see cref="ProfilePredictedTokensPerSecond"/> is the same
/// prediction with the profile's (ladder's) rate. Neither uses the decoder's own timing.</para>
/// </remarks>
public sealed record DecoderCheck(string Format, int Layers, int Context, double MeasuredTokensPerSecond, double PredictedTokensPerSecond, Bound Bound,
    double MeasuredMatmulMs, double PredictedMatmulMs, double MeasuredAttentionMs, double PredictedAttentionMs, double PredictedCallOverheadMs = 0,
    double ProfilePredictedTokensPerSecond = 0, double? BesideReadGBps = null, double CpuShare = 1)
{
    public double Error => (PredictedTokensPerSecond - MeasuredTokensPerSecond) / MeasuredTokensPerSecond;
}

public sealed record CalibrationCheckResult(IReadOnlyList<KernelCheck> Kernels, IReadOnlyList<DecoderCheck> Decoders)
{
    public IEnumerable<double> HeldOutErrors => Kernels.Where(k => k.Role == CheckRole.HeldOut).Select(k => k.Error).Concat(Decoders.Select(d => d.Error));
    public double MeanAbsErrorPercent => HeldOutErrors.Select(Math.Abs).DefaultIfEmpty(0).Average() * 100;
    public double MaxAbsErrorPercent => HeldOutErrors.Select(Math.Abs).DefaultIfEmpty(0).Max() * 100;
}

/// <summary>
/// Predicts, with the engine and the calibrated profile, every kernel and decoder the suite measured, and compares.
/// The GEMV predictions use only the memory ladder, the compute peaks and the hot-cache unpack rates, so they are a
/// real test; the GEMM at the calibration width is an input (its rate is in the profile) and is marked so, and one
/// extra GEMM width and single-thread GEMVs are measured here to be predicted out of sample.
/// </summary>
public static class CalibrationCheck
{
    public static IReadOnlyList<KernelMeasurement> ExtraMeasurements(HostMeasurement m, int gemmColumns = 256)
    {
        var extra = new List<KernelMeasurement>();
        foreach (var format in new[] { QuantFormat.Q4_0, QuantFormat.Q8_0 })
            extra.Add(KernelThroughput.Measure(format, KernelPath.Auto, 4096, 14336, 1, threads: 1));
        var gemmFormats = m.Kernels.Where(k => k.N > 1).Select(k => k.Format).Distinct().ToArray();
        foreach (var format in new[] { QuantFormat.Q4_0, QuantFormat.Q8_0, QuantFormat.F16 })
            if (gemmFormats.Contains(QuantFormatTraits.Of(format).Name))
                extra.Add(KernelThroughput.Measure(format, KernelPath.Auto, 4096, 14336, gemmColumns, threads: 0, samples: 3));
        return extra;
    }

    public static CalibrationCheckResult Run(HostMeasurement m, IReadOnlyList<KernelMeasurement> extra, HardwareProfile host,
        Func<string, QuantScheme> quant, int hostThreads)
    {
        var inputs = m.Kernels.Where(k => k.N > 1).ToHashSet();
        var kernels = new List<KernelCheck>();
        foreach (var k in m.Kernels.Concat(extra))
        {
            int threads = k.Threads > 0 ? k.Threads : hostThreads;
            var d = Deployment.Standalone(host, threads);
            var p = KernelModel.Matmul(d, quant(HostProfileBuilder.QuantId(k.Format)), k.M, k.K, k.N);
            kernels.Add(new KernelCheck(k.Format, k.Path, k.M, k.K, k.N, threads, k.Milliseconds, p.Point.Time.Value * 1e3,
                p.Point.Bound, p.ServedFrom, k.EffectiveWeightGBps, k.Gflops, inputs.Contains(k) ? CheckRole.CalibrationInput : CheckRole.HeldOut));
        }

        var decoders = new List<DecoderCheck>();
        foreach (var r in m.Decoder)
        {
            var c = r.Config;
            var w = new Workload(DecoderModel(c), quant(HostProfileBuilder.QuantId(r.Format)), Fp32Kv,
                Scenario.Of(1, c.ContextLength, c.TotalSteps));
            int threads = c.Threads > 0 ? c.Threads : hostThreads;
            var profilePrediction = InferenceEngine.Predict(Deployment.Standalone(host, threads), w);
            // The probe beside the decoder is a pure read loop: scaled by the share of it GEMV draws, as the profile's DRAM is.
            double share = m.GemvShareOfDramRead ?? 1;
            Prediction Beside(double allGBps, double oneGBps) =>
                InferenceEngine.Predict(Deployment.Standalone(WithDramRead(host, allGBps * share, oneGBps), threads), w);
            // Each timed round against the probes beside it, and the round of median error reported: a shared host's DRAM
            // rate drifts across the run, so a round is compared with its own minute, not with the run's median probe.
            var rounds = (r.Rounds ?? []).Where(x => x.BesideReadGBpsAllThreads > 0 && x.BesideReadGBpsOneThread > 0)
                .Select(x => (Round: x, P: Beside(x.BesideReadGBpsAllThreads, x.BesideReadGBpsOneThread))).ToList();
            DecoderRound measured;
            Prediction p;
            double? besideAll;
            if (rounds.Count > 0)
            {
                var mid = rounds.OrderBy(x => x.P.DecodeTokensPerSecond / x.Round.TokensPerSecond).ElementAt((rounds.Count - 1) / 2);
                (measured, p, besideAll) = (mid.Round, mid.P, mid.Round.BesideReadGBpsAllThreads);
            }
            else
            {
                measured = new DecoderRound(r.TokensPerSecond, r.MatmulMillisecondsPerToken, r.AttentionMillisecondsPerToken, r.CpuShare,
                    r.BesideReadGBpsOneThread, r.BesideReadGBpsAllThreads);
                p = r.HasBesideRead ? Beside(r.BesideReadGBpsAllThreads, r.BesideReadGBpsOneThread) : profilePrediction;
                besideAll = r.HasBesideRead ? r.BesideReadGBpsAllThreads : null;
            }
            double Ms(Prediction x, OperatorKind kind) => x.Decode.Operators.Where(o => o.Operator.Kind == kind).Sum(o => o.Total.Value) * 1e3;
            // The host profile carries the measured per-call cost and attention rate (kernel_costs), so the engine itself
            // times them; the call overhead is reported apart from the matmuls' streaming time.
            double callMs = host.DefaultEngine.KernelCosts is { } kc
                ? p.Decode.Operators.Where(o => o.Operator.Kind == OperatorKind.Matmul)
                    .Sum(o => OperatorTimer.CallsPerOccurrence(o.Operator) * o.Operator.Repeat) * kc.MatmulCall.Value.Value * 1e3
                : 0;
            double attentionMs = Ms(p, OperatorKind.Attention);
            decoders.Add(new DecoderCheck(r.Format, c.Layers, r.ContextLengthAtEnd, measured.TokensPerSecond, p.DecodeTokensPerSecond, p.Decode.Bound,
                measured.MatmulMilliseconds, Ms(p, OperatorKind.Matmul), measured.AttentionMilliseconds, attentionMs, callMs,
                profilePrediction.DecodeTokensPerSecond, besideAll, measured.CpuShare));
        }
        return new CalibrationCheckResult(kernels, decoders);
    }

    /// <summary>
    /// The host profile with the DRAM rates probed beside a run: the outermost level's read bandwidth (all threads) and
    /// the engine's one-thread core bandwidth. An inner level is never slower than DRAM, so the new rate is capped there.
    /// </summary>
    public static HardwareProfile WithDramRead(HardwareProfile host, double allThreadsGBps, double oneThreadGBps)
    {
        var memory = host.Memory.ToArray();
        var dram = memory[^1];
        double all = memory.Length > 1 ? Math.Min(allThreadsGBps, memory[^2].Bandwidth.Value.GBps) : allThreadsGBps;
        memory[^1] = dram with { Bandwidth = new(BytesPerSecond.FromGBps(all), dram.Bandwidth.Source) };
        var engines = host.Engines
            .Select(e => e.CoreBandwidth is { } cb ? e with { CoreBandwidth = new(BytesPerSecond.FromGBps(Math.Min(oneThreadGBps, all)), cb.Source) } : e)
            .ToArray();
        return host with { Memory = memory, Engines = engines };
    }

    /// <summary>The synthetic decoder keeps its KV cache in fp32.</summary>
    static readonly KvCacheFormat Fp32Kv = new("fp32", "FP32 KV cache (synthetic decoder)", 32, "float[] KV cache in SyntheticDecoder", "");

    /// <summary>The synthetic decoder's shape as a model: Llama layers, no embedding table or LM head (vocabulary of 1).</summary>
    public static ModelProfile DecoderModel(DecoderConfig c) => new("synthetic-decoder", "synthetic decoder", "PerfSim.Microbench.SyntheticDecoder",
        new ModelArchitecture(c.Layers, c.Hidden, c.Heads, c.KvHeads, c.HeadDim, c.Ffn, Vocab: 1, MlpKind.Gated, NormKind.RmsNorm,
            PositionKind.Rope, TiedEmbeddings: false, AttentionBias: false, MlpBias: false, MaxContext: c.ContextLength + c.TotalSteps + 1,
            Moe: null, Mla: null, Window: null), 1, null, "", "");
}

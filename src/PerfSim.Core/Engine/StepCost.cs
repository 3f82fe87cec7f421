using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Engine;

/// <summary>
/// The time and energy of one server iteration (a mixed batch of prefill chunks and decode sequences) on a
/// deployment, from the same operator graph, operator timer and roofline as <see cref="InferenceEngine.Predict"/>.
/// Built once per deployment: every operator's memory, kernel and link seconds, FLOPs, rows and dynamic energy
/// are linear in a handful of batch aggregates (rows, logit rows, attention pairs and keys, experts touched), so
/// the coefficients are fitted exactly on probe evaluations of the real graph; a step then evaluates each
/// operator's roofline from its coefficients, independent of the number of sequences.
/// </summary>
public sealed class StepCost
{
    const int Features = 8;            // 1, rows, logit rows, pairs, keys, window pairs, window keys, experts touched
    const int MemoKeys = 1 << 14;      // attainable-rate memo per operator, by row count

    readonly OpCoefficients[] ops;
    readonly OperatorTimer timer;
    readonly double overhead, overheadPerSequence;
    readonly int window;
    readonly int experts, activeExperts;
    readonly double idleWatts, tdpWatts, capWatts, peakFlops, peakBytesPerSecond;
    readonly bool clockFollowsCap;
    readonly Power.PowerParameters power;
    readonly MemoryLevel? onChip;

    /// <summary>The reference prediction the deployment's memory placement was taken from.</summary>
    public Prediction Reference { get; }
    /// <summary>Worst relative error of the fitted coefficients over the probe evaluations (a self-check; ~1e-12 when the graph is linear as assumed).</summary>
    public double MaxProbeError { get; }
    /// <summary>KV-cache bytes per token of context on one device of the group (every layer, window ignored).</summary>
    public double KvBytesPerToken { get; }
    /// <summary>Sliding-window length of the windowed layers (0: none).</summary>
    public int Window => window;
    public Deployment Deployment { get; }
    public Workload Workload { get; }
    public ExecutionModel Execution { get; }
    public Assumptions Assumptions { get; }

    sealed class OpCoefficients
    {
        public required Operator Template;
        public required double[] Memory, Kernel, Link, Flops, Tokens, Joules, DramBytes;
        public required bool TokensFollowLogits;
        public double[]? InverseRate;      // seconds per FLOP by row count, filled on first use
    }

    /// <summary>
    /// Precomputes the step cost for a deployment. `reference` fixes the memory placement (which level serves the
    /// weights and KV cache, what share is offloaded): give the scenario the server runs at (its batch and lengths).
    /// </summary>
    public static StepCost For(Deployment d, Workload reference, ExecutionModel? execution = null, Assumptions? assumptions = null) =>
        new(d, reference, execution ?? ExecutionModel.Ideal(d.Engine), assumptions ?? Assumptions.Default);

    StepCost(Deployment d, Workload w, ExecutionModel exec, Assumptions asm)
    {
        Deployment = d; Workload = w; Execution = exec; Assumptions = asm;
        var a = w.Arch;
        Reference = InferenceEngine.Predict(d, w, exec, asm);
        var mem = Reference.Memory;
        var (stream, act, cached) = mem.LevelsOn(d.Device);
        timer = new OperatorTimer(d, exec, w.Quant, stream, act, mem.ResidentFraction, cachedShare: mem.CachedShare, cached: cached);
        overhead = exec.OverheadPerStep.Value + exec.OverheadPerLayer.Value * a.Layers
            + exec.OverheadPerCollective.Value * InferenceEngine.CollectiveCalls(Reference.Decode.Operators.Select(r => r.Operator));
        overheadPerSequence = exec.OverheadPerSequence.Value;
        window = a.Window?.Window ?? 0;
        experts = a.Moe?.Experts ?? 0;
        activeExperts = a.Moe?.Active ?? 0;
        idleWatts = d.GroupIdle.Value;
        tdpWatts = d.GroupTdp.Value;
        // The same power model, class parameters and cap as InferenceEngine.Predict.
        power = asm.PowerParameters.For(Power.PowerClasses.Of(d.Device, d.Engine));
        clockFollowsCap = asm.SustainedPower && d.Device.Power.Sustained is not null;
        double capDevice = clockFollowsCap ? d.Device.Power.Sustained!.Value.Value.Value : d.Device.Power.Tdp.Value.Value;
        capWatts = tdpWatts * capDevice / Math.Max(1e-9, d.Device.Power.Tdp.Value.Value);
        peakFlops = d.Engine.PeakFor(w.Quant.ComputeType).Peak.Value;
        peakBytesPerSecond = d.PeakBandwidth(d.Device.DeviceMemory).Value;
        onChip = d.Device.Memory.FirstOrDefault(m => m != d.Device.DeviceMemory && m.Kind is MemoryKind.L2 or MemoryKind.L3 or MemoryKind.Slc or MemoryKind.Sram);
        KvBytesPerToken = InferenceEngine.KvBytes(w with { Scenario = Scenario.Of(1, 1, 1) }, 1) / Math.Max(1, d.Devices);

        var probes = Probes(w, stream, act);
        int n = probes[0].Ops.Count;
        ops = new OpCoefficients[n];
        double worst = 0;
        var x = probes.Select(p => p.X).ToArray();
        for (int j = 0; j < n; j++)
        {
            double[] Fit(Func<ProbeOp, double> q, ref double err)
            {
                var y = probes.Select(p => q(p.Ops[j])).ToArray();
                var c = LeastSquares.Solve(x, y);
                double ymax = y.Max(Math.Abs);
                for (int k = 0; k < y.Length; k++)
                    if (ymax > 0) err = Math.Max(err, Math.Abs(Dot(c, x[k]) - y[k]) / Math.Max(Math.Abs(y[k]), ymax * 1e-9));
                return c;
            }
            var tokens = Fit(o => o.Op.Tokens, ref worst);
            ops[j] = new OpCoefficients
            {
                Template = probes[0].Ops[j].Op,
                Memory = Fit(o => o.Point.Memory.Value, ref worst),
                Kernel = Fit(o => o.Point.Kernel.Value, ref worst),
                Link = Fit(o => o.Point.Link.Value, ref worst),
                Flops = Fit(o => o.Op.Flops, ref worst),
                Joules = Fit(o => o.Joules, ref worst),
                DramBytes = Fit(o => o.DramBytes, ref worst),
                Tokens = tokens,
                TokensFollowLogits = Math.Abs(tokens[2]) > Math.Abs(tokens[1]),
            };
        }
        MaxProbeError = worst;
    }

    readonly record struct ProbeOp(Operator Op, RooflinePoint Point, double Joules, double DramBytes);
    sealed record Probe(double[] X, List<ProbeOp> Ops);

    /// <summary>
    /// Evaluates the real graph at static prefill and decode batches spanning every feature (short and long prompts,
    /// contexts past the window, one to many rows so the experts-touched curve is visible).
    /// </summary>
    List<Probe> Probes(Workload w, MemoryLevel stream, MemoryLevel act)
    {
        int wl = Math.Max(window, 64);
        var shapes = new (int Batch, int Prompt, double DecodeContext)[]
        {
            (1, 1, 1), (1, 7, 3), (3, 16, 40), (2, 2, 500), (8, 128, 300), (2, 1000, 50), (16, 64, 2000),
            (5, 3 * wl + 5, 2.5 * wl), (1, 2 * wl + 17, 4.0 * wl + 1), (32, 9, 7), (64, 3, 1.5 * wl), (4, wl / 2, wl / 3.0),
        };
        var result = new List<Probe>();
        foreach (var (b, p, ctx) in shapes)
        {
            var ww = w with { Scenario = Scenario.Of(b, p, 1) };
            result.Add(Evaluate(ww, Stage.Prefill, p, PrefillFeatures(b, p), stream, act));
            result.Add(Evaluate(ww, Stage.Decode, ctx, DecodeFeatures(b, ctx), stream, act));
        }
        return result;
    }

    Probe Evaluate(Workload w, Stage stage, double context, double[] x, MemoryLevel stream, MemoryLevel act)
    {
        var d = Deployment;
        var ops = OperatorGraph.Build(w, stage, context, Math.Max(1, d.Devices), ParameterCount.Of(w.Arch));
        var list = new List<ProbeOp>(ops.Count);
        foreach (var op in ops)
        {
            var (point, streamed, overHost) = timer.Time(op);
            double dram = (stream == d.Device.DeviceMemory ? streamed - overHost : 0) + (act == d.Device.DeviceMemory ? op.ActivationBytes : 0);
            list.Add(new ProbeOp(op, point, DynamicJoules(op, streamed, overHost, stream, act, dram), dram));
        }
        return new Probe(x, list);
    }

    /// <summary>Energy of one operator occurrence beyond idle and the active baseline: arithmetic, data movement (on-chip included) and link traffic of the whole group (as the engine counts them).</summary>
    double DynamicJoules(Operator op, double streamed, double overHost, MemoryLevel stream, MemoryLevel act, double dram)
    {
        var d = Deployment;
        double arith = op.Flops * EnergyDefaults.For(d.Engine, op.ComputeType, d.Device.Power.Tdp.Value, d.Device.Power.Idle.Value).Value;
        double moves = (streamed - overHost) * EnergyDefaults.For(stream).Value + op.ActivationBytes * EnergyDefaults.For(act).Value
                       + overHost * EnergyDefaults.PerByte(MemoryKind.Ddr5).Energy.Value
                       + (power.L2PassThrough && onChip is not null ? dram * EnergyDefaults.For(onChip).Value : 0)
                       + op.Flops * power.OnChipBytesPerFlop * power.OnChipEnergy.Value;
        double links = d.Devices > 1 ? op.CollectiveBytes * 2.0 * (d.Devices - 1) / d.Devices * (d.CollectiveEnergy?.Value ?? 0) : 0;
        return (arith + moves + links) * d.Devices;
    }

    double[] PrefillFeatures(int b, double p) =>
        Features_(Chunk(0, p) is var c ? new StepBatch(0, 0, 0, b, b * c.PrefillTokens, b * c.PrefillPairs, b * c.PrefillKeys,
            b * c.PrefillWindowPairs, b * c.PrefillWindowKeys) : default);

    double[] DecodeFeatures(int b, double ctx) => Features_(Decode(b, b * ctx, b * WindowContext(ctx)));

    double[] Features_(in StepBatch s)
    {
        var x = new double[Features];
        Fill(s, x);
        return x;
    }

    void Fill(in StepBatch s, Span<double> x)
    {
        double rows = s.Rows;
        x[0] = 1;
        x[1] = rows;
        x[2] = s.LogitRows;
        x[3] = s.DecodeContext + s.PrefillPairs;
        x[4] = s.DecodeContext + s.PrefillKeys;
        x[5] = window > 0 ? s.DecodeWindowContext + s.PrefillWindowPairs : 0;
        x[6] = window > 0 ? s.DecodeWindowContext + s.PrefillWindowKeys : 0;
        x[7] = experts > 0 ? OperatorGraph.ExpectedExpertsTouched(experts, activeExperts, rows) : 0;
    }

    /// <summary>Context a decode query sees on a sliding-window layer.</summary>
    public double WindowContext(double context) => window > 0 ? Math.Min(context, window) : context;

    /// <summary>`sequences` decode sequences whose contexts sum to `contextSum` (and to `windowContextSum` capped at the window).</summary>
    public static StepBatch Decode(int sequences, double contextSum, double windowContextSum) =>
        new(sequences, contextSum, windowContextSum, 0, 0, 0, 0, 0, 0);

    /// <summary>One prefill chunk of `length` tokens after `start` tokens already in the cache (causal attention).</summary>
    public StepBatch Chunk(double start, double length)
    {
        double end = start + length;
        double pairs = length * start + length * (length + 1) / 2;
        double wPairs = pairs, wKeys = end;
        if (window > 0)
        {
            // Σ over positions i in (start, end] of min(i, window).
            wPairs = SumMin(end) - SumMin(start);
            wKeys = Math.Min(end, window);
        }
        return new StepBatch(0, 0, 0, 1, length, pairs, end, wPairs, wKeys);
    }

    double SumMin(double n) => n <= window ? n * (n + 1) / 2 : window * (window + 1) / 2.0 + (n - window) * window;

    /// <summary>Seconds one iteration takes on the deployment (0 for an empty batch).</summary>
    public double Seconds(in StepBatch s) => Evaluate(s).Seconds;

    /// <summary>
    /// Seconds and joules of one iteration, joules for the whole group: dynamic energy + idle + the active baseline
    /// through <see cref="Power.PowerModel"/>; where the power cap binds, the compute-bound time stretches.
    /// </summary>
    public (double Seconds, double Joules) Evaluate(in StepBatch s)
    {
        if (s.IsEmpty) return (0, 0);
        Span<double> x = stackalloc double[Features];
        Fill(s, x);
        double t = 0, joules = 0, flopsTotal = 0, dramTotal = 0;
        Span<Power.ClockedSpan> spans = stackalloc Power.ClockedSpan[ops.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            double mem = Dot(op.Memory, x), ker = Dot(op.Kernel, x), link = Dot(op.Link, x), flops = Dot(op.Flops, x);
            double compute = flops > 0 ? flops * InverseRate(op, op.TokensFollowLogits ? x[2] : x[1], x) : 0;
            double body = Math.Max(compute, Math.Max(mem, ker));
            t += op.Template.Repeat * (body + link);
            spans[i] = new Power.ClockedSpan(compute, Math.Max(mem, ker), op.Template.Repeat);
            joules += op.Template.Repeat * Dot(op.Joules, x);
            flopsTotal += op.Template.Repeat * flops;
            dramTotal += op.Template.Repeat * Dot(op.DramBytes, x);
        }
        // Host time: fixed per step, and per sequence in the step (decodes and prefill chunks); the devices idle meanwhile.
        double host = overhead + overheadPerSequence * s.LogitRows;
        t += host;
        double util = Math.Max(peakFlops > 0 ? flopsTotal / (t * peakFlops) : 0, peakBytesPerSecond > 0 ? dramTotal / (t * peakBytesPerSecond) : 0);
        var pt = Power.PowerModel.Evaluate(new Power.PowerInput(t, joules, util, idleWatts, tdpWatts, capWatts, clockFollowsCap, host), spans, power);
        return (pt.Seconds, pt.Joules);
    }

    /// <summary>Seconds per FLOP of an operator at its row count, from the operator timer (memoised by row count).</summary>
    double InverseRate(OpCoefficients op, double key, ReadOnlySpan<double> x)
    {
        int k = (int)key;
        if (k == key && k >= 0 && k < MemoKeys)
        {
            var memo = op.InverseRate ??= new double[MemoKeys];
            double v = memo[k];
            if (v > 0) return v;
            v = UnitRate(op, x);
            memo[k] = v;
            return v;
        }
        return UnitRate(op, x);
    }

    double UnitRate(OpCoefficients op, ReadOnlySpan<double> x)
    {
        var unit = op.Template with { Tokens = Dot(op.Tokens, x), Flops = 1, WeightBytes = 0, ActivationBytes = 0, KvReadBytes = 0, KvWriteBytes = 0, CollectiveBytes = 0 };
        return timer.Time(unit).Point.Compute.Value;
    }

    static double Dot(double[] c, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < c.Length; i++) s += c[i] * x[i];
        return s;
    }
}

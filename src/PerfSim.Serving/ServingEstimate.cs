using PerfSim.Core.Engine;

namespace PerfSim.Serving;

/// <summary>The analytic estimate's answer: steady-state means for one server type (all replicas alike).</summary>
public sealed record EstimateResult(
    double RequestsPerSecond,
    double OutputTokensPerSecond,
    double MeanRunningBatch,
    double StepSeconds,
    double TtftSeconds,
    double TpotSeconds,
    double EndToEndSeconds,
    double BusyFraction,
    double KvOccupancy,
    double MaxRequestsPerSecond,
    bool Saturated,
    string? SaturationReason);

/// <summary>
/// A fast queueing approximation of continuous batching, from the step cost (microseconds instead of a simulation):
/// by Little's law the mean decode batch is the arrival rate × decode steps per request × the step time, and the step
/// time is the step cost of that batch plus the prefill tokens arriving per step — a fixed point. The server idles with
/// the probability that an M/G/∞ system with that many requests is empty (e^−N); TTFT is half a step of waiting, plus
/// the steps the prompt's chunks take; TPOT is the step time. Saturated when no fixed point exists or the batch or KV
/// cache would exceed the server's limits. Burstiness (gamma CV) is not modelled: means only.
/// </summary>
public static class ServingEstimate
{
    public static EstimateResult Estimate(ServingConfig config, Traffic traffic)
    {
        var unified = config.Replicas.Where(r => r.Role == ReplicaRole.Unified).ToList();
        if (unified.Count == 0) throw new ServingException("estimate: expected unified servers (disaggregated pools are simulated only)");
        var spec = unified[0];
        int replicas = unified.Count;
        double prompt = traffic.Prompt.Mean, output = traffic.Output.Mean;
        if (traffic.Arrivals is TraceArrivals tr && tr.Requests.Count > 0)
        {
            prompt = tr.Requests.Average(q => q.PromptTokens);
            output = tr.Requests.Average(q => q.OutputTokens);
        }
        var m = new Model(spec, prompt, output, traffic.PrefixHitRate);
        double capacity = m.MaxRate() * replicas;
        switch (traffic.Arrivals)
        {
            case ClosedLoopArrivals c:
                return m.ClosedLoop(c.Users / (double)replicas, c.ThinkSeconds, capacity, replicas);
            case OfflineArrivals o:
                return m.ClosedLoop(Math.Min(o.Requests / (double)replicas, spec.Scheduler.MaxRunningBatch), 0, capacity, replicas);
        }
        double rate = traffic.Arrivals switch
        {
            PoissonArrivals p => p.RatePerSecond,
            GammaArrivals g => g.RatePerSecond,
            TraceArrivals t => t.Requests.Count / Math.Max(1e-9, t.Requests[^1].ArrivalSeconds),
            _ => 0,
        };
        return m.Open(rate / replicas, capacity, replicas);
    }

    sealed class Model(ReplicaSpec spec, double prompt, double output, double hit)
    {
        readonly StepCost cost = spec.Cost;
        readonly SchedulerOptions opt = spec.Scheduler;
        readonly double kvTokens = Replica.KvBlocks(spec) * (double)spec.Scheduler.BlockTokens;
        double PrefillTokens => Math.Max(1, prompt * (1 - hit));
        double DecodeSteps => Math.Max(0, output - 1);
        double MeanContext => prompt + output / 2;

        /// <summary>A busy step: `batch` decodes at the mean context and `starts` prompts' worth of prefill.</summary>
        double Step(double batch, double starts)
        {
            int b = Math.Max(0, (int)Math.Round(batch));
            var s = StepCost.Decode(b, b * MeanContext, b * cost.WindowContext(MeanContext));
            var chunk = cost.Chunk(prompt - PrefillTokens, PrefillTokens);
            s += new StepBatch(0, 0, 0, (int)Math.Ceiling(starts), chunk.PrefillTokens * starts, chunk.PrefillPairs * starts, chunk.PrefillKeys * starts,
                chunk.PrefillWindowPairs * starts, chunk.PrefillWindowKeys * starts);
            return cost.Seconds(s);
        }

        /// <summary>Fixed point for an open system at `rate` per server: (step seconds, mean batch while busy, busy fraction), or null if it diverges.</summary>
        (double Step, double Batch, double Busy)? Solve(double rate)
        {
            double tau = Step(1, 0), busy = 1, batch = 1;
            for (int i = 0; i < 200; i++)
            {
                double decoding = rate * DecodeSteps * tau;            // time-average decode batch (Little)
                double inSystem = rate * (tau * (1 + DecodeSteps) + tau / 2);
                busy = Math.Clamp(1 - Math.Exp(-inSystem), 1e-9, 1);
                batch = Math.Max(decoding / busy, 0);
                double next = Step(batch, rate * tau / busy);
                if (!double.IsFinite(next) || batch > 10 * opt.MaxRunningBatch + 1e6) return null;
                if (Math.Abs(next - tau) <= 1e-12 + 1e-9 * tau) { tau = next; break; }
                tau = 0.5 * (tau + next);
            }
            if (batch > opt.MaxRunningBatch || batch * MeanContext > kvTokens || rate * tau / busy * PrefillTokens + batch > opt.MaxTokensPerStep * 1.0001)
                return null;
            // Diverging iterations end with a step that still grows: treat as no fixed point.
            double check = Step(batch, rate * tau / busy);
            return Math.Abs(check - tau) > 1e-3 * tau ? null : (tau, batch, busy);
        }

        public double MaxRate()
        {
            double lo = 0, hi = 1;
            while (Solve(hi) is not null && hi < 1e7) { lo = hi; hi *= 2; }
            for (int i = 0; i < 40; i++)
            {
                double mid = (lo + hi) / 2;
                if (Solve(mid) is not null) lo = mid; else hi = mid;
            }
            return lo;
        }

        EstimateResult Result(double rate, double tau, double batch, double busy, double capacity, int replicas, bool saturated, string? why)
        {
            double prefillStep = Step(batch, 1);
            double chunks = Math.Ceiling(PrefillTokens / Math.Max(1, opt.MaxTokensPerStep - batch));
            double ttft = tau / 2 + chunks * prefillStep;
            double e2e = ttft + DecodeSteps * tau;
            return new EstimateResult(rate * replicas, rate * output * replicas, batch * busy, tau, ttft, tau, e2e, busy,
                Math.Min(1, batch * MeanContext / kvTokens), capacity, saturated, why);
        }

        public EstimateResult Open(double rate, double capacity, int replicas)
        {
            if (Solve(rate) is { } s) return Result(rate, s.Step, s.Batch, s.Busy, capacity, replicas, false, null);
            // Beyond capacity: the server runs flat out at its largest sustainable rate; the queue grows.
            var full = Solve(capacity / replicas) ?? (Step(opt.MaxRunningBatch, 0), opt.MaxRunningBatch, 1);
            var r = Result(capacity / replicas, full.Step, full.Batch, full.Busy, capacity, replicas, true,
                $"offered {rate * replicas:0.###} req/s exceeds the estimated capacity of {capacity:0.###} req/s");
            return r with { TtftSeconds = double.PositiveInfinity, EndToEndSeconds = double.PositiveInfinity };
        }

        /// <summary>
        /// N users per server, think time Z: users not thinking are in the server (N − X·Z, Little's law on the thinking
        /// ones), up to the batch cap run, the rest queue; the server's throughput is its batch ÷ (steps per request × step).
        /// </summary>
        public EstimateResult ClosedLoop(double users, double think, double capacity, int replicas)
        {
            double x = 0, batch = Math.Min(users, opt.MaxRunningBatch), tau = Step(batch, 0);
            for (int i = 0; i < 500; i++)
            {
                batch = Math.Clamp(users - x * think, 1e-9, opt.MaxRunningBatch);
                tau = Step(batch, batch / (1 + DecodeSteps));
                double next = batch / (tau * (1 + DecodeSteps));
                if (Math.Abs(next - x) <= 1e-10 * next) { x = next; break; }
                x = 0.5 * (x + next);
            }
            double queued = Math.Max(0, users - x * think - opt.MaxRunningBatch);
            var r = Result(x, tau, batch, 1, capacity, replicas, false, null);
            double wait = x > 0 ? queued / x : 0;
            return r with { TtftSeconds = r.TtftSeconds + wait, EndToEndSeconds = r.EndToEndSeconds + wait };
        }
    }
}

namespace PerfSim.Serving;

/// <summary>
/// Discrete-event simulation of servers behind a router under a traffic: the event loop (arrivals, step ends, KV
/// hand-offs), routing, and the statistics. Deterministic for a seed: one thread, ties broken in a fixed order.
/// </summary>
public static class ServingSimulator
{
    public static ServingResult Run(ServingConfig config, Traffic traffic, ServingOptions? options = null)
    {
        var o = options ?? new ServingOptions();
        Validate(config, traffic, o);
        return new Simulation(config, traffic, o).Run();
    }

    /// <summary>Refuses a run that cannot mean anything, with one line naming the field.</summary>
    public static void Validate(ServingConfig config, Traffic traffic, ServingOptions o)
    {
        if (config.Replicas.Count == 0) throw new ServingException("replicas: expected at least one server");
        if (config.Disaggregated)
        {
            if (!config.Replicas.Any(r => r.Role == ReplicaRole.Prefill) || !config.Replicas.Any(r => r.Role == ReplicaRole.Decode))
                throw new ServingException("disaggregation: expected at least one prefill and one decode server");
            if (config.Replicas.Any(r => r.Role == ReplicaRole.Unified))
                throw new ServingException("disaggregation: every server must be a prefill or a decode server");
            if (config.Link is not { BytesPerSecond: > 0 } l || !(l.LatencySeconds >= 0))
                throw new ServingException("--kv-link-gbps: expected a positive bandwidth for the KV hand-off link");
        }
        foreach (var r in config.Replicas)
        {
            var s = r.Scheduler;
            if (s.MaxRunningBatch < 1) throw new ServingException($"--max-batch: expected at least 1, got {s.MaxRunningBatch}");
            if (s.MaxTokensPerStep < 1) throw new ServingException($"--max-tokens-per-step: expected at least 1, got {s.MaxTokensPerStep}");
            if (s.BlockTokens < 1) throw new ServingException($"--block-size: expected at least 1 token, got {s.BlockTokens}");
            if (!(s.MemoryUtilization > 0 && s.MemoryUtilization <= 1)) throw new ServingException($"--memory-utilization: expected a fraction in (0, 1], got {s.MemoryUtilization}");
            if (Replica.KvBlocks(r) < 1)
                throw new ServingException($"does not fit: no memory left for the KV cache on {r.Cost.Deployment.HardwareId} after the weights ({r.Cost.Reference.Memory.Weights}) within {s.MemoryUtilization:P0} of device memory", ServingError.DoesNotFit);
        }
        double duration = traffic.DurationSeconds;
        switch (traffic.Arrivals)
        {
            case PoissonArrivals p when !(p.RatePerSecond > 0 && double.IsFinite(p.RatePerSecond)):
                throw new ServingException($"--rate: expected a positive number of requests per second, got {p.RatePerSecond}");
            case GammaArrivals g when !(g.RatePerSecond > 0 && double.IsFinite(g.RatePerSecond)):
                throw new ServingException($"--rate: expected a positive number of requests per second, got {g.RatePerSecond}");
            case GammaArrivals g when !(g.Cv > 0 && double.IsFinite(g.Cv)):
                throw new ServingException($"--burst-cv: expected a positive coefficient of variation, got {g.Cv}");
            case ClosedLoopArrivals c when c.Users < 1:
                throw new ServingException($"--users: expected at least 1, got {c.Users}");
            case ClosedLoopArrivals c when !(c.ThinkSeconds >= 0 && double.IsFinite(c.ThinkSeconds)):
                throw new ServingException($"--think: expected zero or more seconds, got {c.ThinkSeconds}");
            case OfflineArrivals off when off.Requests < 1:
                throw new ServingException($"--offline: expected at least 1 request, got {off.Requests}");
            case TraceArrivals t when t.Requests.Count == 0:
                throw new ServingException($"{t.Source}: expected at least one request", ServingError.InvalidInput);
        }
        if (traffic.Arrivals is not OfflineArrivals and not TraceArrivals && !(duration > 0 && double.IsFinite(duration)))
            throw new ServingException($"--duration: expected a positive number of seconds, got {duration}");
        if (!(traffic.WarmupSeconds >= 0) || traffic.Arrivals is not OfflineArrivals && traffic.WarmupSeconds >= Horizon(traffic))
            throw new ServingException($"--warmup: expected zero or more seconds, less than the duration, got {traffic.WarmupSeconds}");
        if (!(traffic.PrefixHitRate >= 0 && traffic.PrefixHitRate < 1))
            throw new ServingException($"--prefix-hit-rate: expected a fraction in [0, 1), got {traffic.PrefixHitRate}");
        if (o.TtftSloSeconds is { } ts && !(ts > 0)) throw new ServingException($"--ttft-slo: expected a positive number of seconds, got {ts}");
        if (o.TpotSloSeconds is { } tp && !(tp > 0)) throw new ServingException($"--tpot-slo: expected a positive number of seconds, got {tp}");
        int ctx = config.Replicas.Min(r => r.Cost.Workload.Arch.MaxContext);
        string model = config.Replicas[0].Cost.Workload.Model.Id;
        if (traffic.Arrivals is TraceArrivals trace)
        {
            foreach (var q in trace.Requests)
                if ((long)q.PromptTokens + q.OutputTokens > ctx)
                    throw new ServingException($"{trace.Source}:{q.Line}: prompt_tokens + output_tokens: expected at most {ctx} (the context of '{model}'), got {(long)q.PromptTokens + q.OutputTokens}", ServingError.InvalidInput);
        }
        else
        {
            if (traffic.Prompt is FixedLength fp && traffic.Output is FixedLength fo && (long)fp.Tokens + fo.Tokens > ctx)
                throw new ServingException($"--prompt + --output: expected at most {ctx} tokens (the context of '{model}'), got {(long)fp.Tokens + fo.Tokens}");
            if (traffic.Prompt.Mean < 1 || traffic.Output.Mean < 1) throw new ServingException("--prompt/--output: expected lengths of at least 1 token");
        }
    }

    /// <summary>When arrivals stop: the duration, or a trace's last arrival.</summary>
    internal static double Horizon(Traffic t) => t.Arrivals is TraceArrivals tr && tr.Requests.Count > 0 && !(t.DurationSeconds > 0)
        ? tr.Requests[^1].ArrivalSeconds + 1e-9 : t.DurationSeconds;
}

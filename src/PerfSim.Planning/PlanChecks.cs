using PerfSim.Composition;

namespace PerfSim.Planning;

/// <summary>A plan request that cannot be honoured: one line naming the option and what was expected.</summary>
public static class PlanChecks
{
    public static void Validate(PlanRequest r)
    {
        RequestChecks.Assumptions(r.Assumptions);
        if (!(r.Traffic.RatePerSecond > 0 && double.IsFinite(r.Traffic.RatePerSecond))) throw new UsageException($"--rate must be a positive number of requests per second, got {r.Traffic.RatePerSecond}");
        if (r.Traffic.PromptTokens < 1) throw new UsageException($"--prompt must be at least 1, got {r.Traffic.PromptTokens}");
        if (r.Traffic.GenTokens < 1) throw new UsageException($"--gen must be at least 1, got {r.Traffic.GenTokens}");
        if (!(r.Slo.Ttft.Value > 0 && double.IsFinite(r.Slo.Ttft.Value))) throw new UsageException($"--ttft-p99 must be a positive number of seconds, got {r.Slo.Ttft.Value}");
        if (!(r.Slo.Tpot.Value > 0 && double.IsFinite(r.Slo.Tpot.Value))) throw new UsageException($"--tpot-p99 must be a positive number of seconds, got {r.Slo.Tpot.Value}");
        if (!(r.Slo.Goodput > 0 && r.Slo.Goodput < 1)) throw new UsageException($"--goodput must be in (0, 1), got {r.Slo.Goodput}");
        if (!(r.RackKw > 0 && double.IsFinite(r.RackKw))) throw new UsageException($"--rack-kw must be a positive number, got {r.RackKw}");
        if (r.Budget is { } b && !(b.Value > 0 && double.IsFinite(b.Value))) throw new UsageException($"--budget must be a positive number of USD, got {b.Value}");
        if (r.Candidates.Count == 0) throw new UsageException("--candidates: give at least one hardware ID (or --all)");
        if (r.Quants.Count == 0) throw new UsageException("--quant: give at least one quantization scheme ID");
        if (r.BatchCaps is { } caps && caps.Any(c => c < 1)) throw new UsageException("--batch-caps: every cap must be at least 1");
    }
}

namespace PerfSim.Core.Engine;

/// <summary>
/// The engine assumes valid input (the loaders and the composition check every range first) and checks, cheaply, that
/// what it returns is a real answer: every headline figure finite and positive (or zero where zero is meaningful). A
/// failure is a bug in PerfSim or a gap in the input checks, so it is an exception, never a silently wrong number.
/// </summary>
public static class PredictionChecks
{
    /// <summary>The figures a report prints, by name (time in s, rates in tokens/s, memory in bytes, energy in J, power in W).</summary>
    public static IEnumerable<(string Name, double Value, bool ZeroAllowed)> Figures(Prediction p)
    {
        yield return ("ttft", p.Ttft.Value, false);
        yield return ("tpot", p.Tpot.Value, false);
        yield return ("end_to_end", p.EndToEnd.Value, false);
        yield return ("prefill_tokens_per_s", p.PrefillTokensPerSecond, false);
        yield return ("decode_tokens_per_s", p.DecodeTokensPerSecond, false);
        yield return ("memory.weights", p.Memory.Weights.Value, false);
        yield return ("memory.kv_cache", p.Memory.KvCache.Value, false);
        yield return ("memory.activations", p.Memory.Activations.Value, false);
        yield return ("memory.resident_fraction", p.Memory.ResidentFraction, true);
        yield return ("memory.cached_share", p.Memory.CachedShare, true);
        yield return ("utilization.decode_compute", p.DecodeUtilization.Compute, true);
        yield return ("utilization.decode_memory", p.DecodeUtilization.MemoryBandwidth, true);
        yield return ("energy.per_token", p.Energy.JoulesPerToken, false);
        yield return ("energy.per_query", p.Energy.PerQuery.Value, false);
        yield return ("power.decode", p.Energy.DecodePower.Value, false);
        yield return ("power.prefill", p.Energy.PrefillPower.Value, false);
        if (p.Cost is { } c)
        {
            yield return ("cost.usd_per_hour", c.UsdPerHour, true);
            yield return ("cost.usd_per_million_tokens", c.UsdPerMillionTokens, true);
        }
    }

    /// <summary>The first figure that is NaN, infinite, negative (or zero where it must not be), or null if all are sound.</summary>
    public static string? Problem(Prediction p)
    {
        foreach (var (name, v, zero) in Figures(p))
            if (!double.IsFinite(v) || v < 0 || (!zero && v == 0)) return $"{name} = {v}";
        return null;
    }

    public static Prediction Finite(Prediction p) =>
        Problem(p) is { } bad ? throw new InvalidOperationException($"engine produced a figure that is not a finite positive number ({bad}); please report this input") : p;
}

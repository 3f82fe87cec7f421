using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Data.Validation;

namespace PerfSim.Composition;

/// <summary>
/// Checks that refuse an inconsistent request with one line naming the option and the reason. Comparisons are
/// written so that NaN fails them (`!(x >= min &amp;&amp; x &lt;= max)`), and every range has an upper bound, so no
/// request reaches the engine with a value that turns into Infinity, 0 or an overflow.
/// </summary>
public static class RequestChecks
{
    /// <summary>Assumed plausible bounds on the economic assumptions (well beyond any real tariff or fleet).</summary>
    public const double MaxLifetimeYears = 100, MaxUsdPerKwh = 100, MaxPue = 10;

    static string N(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    public static Assumptions Assumptions(Assumptions a)
    {
        if (!(a.LifetimeYears > 0 && a.LifetimeYears <= MaxLifetimeYears && double.IsNormal(a.LifetimeYears)))
            throw new UsageException($"--lifetime-years must be a number above 0 and at most {N(MaxLifetimeYears)}, got {N(a.LifetimeYears)}");
        if (!(a.UsdPerKwh >= 0 && a.UsdPerKwh <= MaxUsdPerKwh && (a.UsdPerKwh == 0 || double.IsNormal(a.UsdPerKwh))))
            throw new UsageException($"--usd-per-kwh must be a number from 0 to {N(MaxUsdPerKwh)}, got {N(a.UsdPerKwh)}");
        if (!(a.Pue >= 1 && a.Pue <= MaxPue))
            throw new UsageException($"--pue must be a number from 1 to {N(MaxPue)}, got {N(a.Pue)}");
        if (!(a.FleetUtilization > 0 && a.FleetUtilization <= 1 && double.IsNormal(a.FleetUtilization)))
            throw new UsageException($"--utilization must be a number above 0 and at most 1, got {N(a.FleetUtilization)}");
        if (!(a.CacheUsableFraction > 0 && a.CacheUsableFraction <= 1 && double.IsNormal(a.CacheUsableFraction)))
            throw new UsageException($"cache usable fraction must be above 0 and at most 1, got {N(a.CacheUsableFraction)}");
        return a;
    }

    /// <summary>The scenario's ranges (<see cref="WorkloadRules"/>), the same whether it came from options or a scenario file.</summary>
    public static void Scenario(Scenario s, string? scenarioId = null)
    {
        if (WorkloadRules.Check(s) is not { } v) return;
        var option = v.Field switch { "batch" => "--batch", "prompt_tokens" => "--prompt", _ => "--gen" };
        var from = scenarioId is null ? "" : $" (with --scenario '{Data.Input.Printable.Of(scenarioId)}')";
        throw new UsageException($"{option}{from}: {v.Problem}");
    }

    public static void Context(ModelProfile model, Scenario s)
    {
        long total = (long)s.PromptTokens + s.GeneratedTokens;
        if (total > model.Architecture.MaxContext)
            throw new UsageException($"--prompt + --gen = {total} tokens exceeds the context of '{model.Id}' ({model.Architecture.MaxContext} tokens)");
    }

    public static void Devices(HardwareProfile hardware, int? devices)
    {
        if (devices is not { } n) return;
        if (n < 1 || n > WorkloadLimits.Devices) throw new UsageException($"--devices must be a whole number from 1 to {WorkloadLimits.Devices}, got {n}");
        if (hardware.System is { } sys && n > sys.Count)
            throw new UsageException($"--devices {n}: system '{hardware.Id}' has {sys.Count} devices");
    }
}

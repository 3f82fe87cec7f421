using PerfSim.Core;
using PerfSim.Core.Backends;
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

    /// <summary>
    /// The devices a request may use: --devices, else a system's count, else what an explicit layout needs, else 1.
    /// More than a system's devices must be whole systems joined by its scale-out network.
    /// </summary>
    public static int Devices(HardwareProfile hardware, int? devices, LayoutRequest layout)
    {
        foreach (var (name, v) in new[] { ("--tp", layout.Tp), ("--pp", layout.Pp), ("--ep", layout.Ep), ("--dp", layout.Dp) })
            if (v is < 1) throw new UsageException($"{name} must be at least 1, got {v}");
        if (devices is not { } n)
            return hardware.System?.Count ?? (layout.Tp ?? 1) * (layout.Pp ?? 1) * (layout.Dp ?? 1);
        if (n < 1 || n > WorkloadLimits.Devices) throw new UsageException($"--devices must be a whole number from 1 to {WorkloadLimits.Devices}, got {n}");
        if (hardware.System is { } sys && n > sys.Count && (n % sys.Count != 0 || sys.ScaleOut is null))
            throw new UsageException(sys.ScaleOut is null
                ? $"--devices {n}: system '{hardware.Id}' has {sys.Count} devices and no scale-out network"
                : $"--devices {n}: system '{hardware.Id}' has {sys.Count} devices; more must be whole systems ({sys.Count * 2}, {sys.Count * 3}, ...) joined by its scale-out network");
        return n;
    }

    /// <summary>A backend runs only on its vendors' devices and on its own engine.</summary>
    public static void Backend(BackendProfile backend, HardwareProfile device, EngineKind? requestedEngine)
    {
        if (!backend.RunsOn(device.Vendor))
            throw new UsageException($"--backend {backend.Id} does not run on {device.Vendor} hardware ('{device.Id}'); it runs on {string.Join(", ", backend.Vendors!)}");
        if (requestedEngine is { } e && e != backend.Engine)
            throw new UsageException($"--engine {e.Kebab()}: backend '{backend.Id}' runs on the {backend.Engine.Kebab()} engine");
        if (device.EngineOfKind(backend.Engine) is null)
            throw new UsageException($"--backend {backend.Id} needs a {backend.Engine.Kebab()} engine; '{device.Id}' has {string.Join(", ", device.Engines.Select(x => x.Kind.Kebab()))}");
    }

    /// <summary>A backend runs the quantization formats it lists (a GGUF's exact mix is checked by its family).</summary>
    public static void BackendFormat(BackendProfile backend, QuantScheme quant, Func<string, QuantScheme?> lookup)
    {
        if (backend.Formats.Count == 0 || quant.Id.StartsWith("gguf:", StringComparison.Ordinal)) return;
        if (backend.Formats.Any(f => lookup(f)?.Id == quant.Id)) return;
        throw new UsageException($"--quant {quant.Id}: backend '{backend.Id}' does not run this format; it runs {string.Join(", ", backend.Formats)}");
    }
}

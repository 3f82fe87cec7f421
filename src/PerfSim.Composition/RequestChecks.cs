using PerfSim.Core;
using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;

namespace PerfSim.Composition;

/// <summary>Checks that refuse an inconsistent request with one line naming the option and the reason.</summary>
public static class RequestChecks
{
    public static Assumptions Assumptions(Assumptions a)
    {
        if (!(a.LifetimeYears > 0 && double.IsFinite(a.LifetimeYears))) throw new UsageException($"--lifetime-years must be a positive number, got {a.LifetimeYears}");
        if (!(a.UsdPerKwh >= 0 && double.IsFinite(a.UsdPerKwh))) throw new UsageException($"--usd-per-kwh must be zero or more, got {a.UsdPerKwh}");
        if (!(a.Pue >= 1 && double.IsFinite(a.Pue))) throw new UsageException($"--pue must be at least 1, got {a.Pue}");
        if (!(a.FleetUtilization > 0 && a.FleetUtilization <= 1)) throw new UsageException($"--utilization must be in (0, 1], got {a.FleetUtilization}");
        return a;
    }

    public static void Scenario(Scenario s)
    {
        if (s.Batch < 1) throw new UsageException($"--batch must be at least 1, got {s.Batch}");
        if (s.PromptTokens < 1) throw new UsageException($"--prompt must be at least 1, got {s.PromptTokens}");
        if (s.GeneratedTokens < 1) throw new UsageException($"--gen must be at least 1, got {s.GeneratedTokens}");
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
        if (n < 1) throw new UsageException($"--devices must be at least 1, got {n}");
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

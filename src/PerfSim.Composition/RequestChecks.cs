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

    public static void Devices(HardwareProfile hardware, int? devices)
    {
        if (devices is not { } n) return;
        if (n < 1) throw new UsageException($"--devices must be at least 1, got {n}");
        if (hardware.System is { } sys && n > sys.Count)
            throw new UsageException($"--devices {n}: system '{hardware.Id}' has {sys.Count} devices");
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

    /// <summary>Tensor parallelism splits attention heads: the device count must divide them.</summary>
    public static void TensorSplit(ModelProfile model, int devices)
    {
        var a = model.Architecture;
        if (devices > 1 && a.Heads % devices != 0)
            throw new UsageException($"--devices {devices}: '{model.Id}' has {a.Heads} attention heads, which {devices} devices cannot split evenly (use a divisor of {a.Heads})");
    }
}

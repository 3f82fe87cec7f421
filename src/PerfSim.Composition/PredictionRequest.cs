using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;

namespace PerfSim.Composition;

/// <summary>
/// Everything a front end can ask for, as given (IDs or file paths, options), before anything is resolved.
/// The CLI, validation, fitting, calibration checks, notebooks and later modules all build one of these and hand it to
/// <see cref="Composer"/>, so the same request gives the same number everywhere.
/// </summary>
public sealed record PredictionRequest
{
    /// <summary>Hardware profile ID (a device or a system).</summary>
    public string Hardware { get; init; } = Defaults.Hardware;
    /// <summary>Model ID, or a path to a Hugging Face config.json or a .gguf file.</summary>
    public string Model { get; init; } = Defaults.Model;
    /// <summary>Quantization scheme ID; null: a GGUF's own mix, else <see cref="Defaults.Quant"/>.</summary>
    public string? Quant { get; init; }
    /// <summary>KV-cache format ID; null: the backend's choice for the scheme, else the scheme's.</summary>
    public string? KvCache { get; init; }
    /// <summary>Backend profile ID; null: the ideal backend.</summary>
    public string? Backend { get; init; }
    /// <summary>Engine of the device; null: the backend's engine, else the profile's default.</summary>
    public EngineKind? Engine { get; init; }
    /// <summary>CPU threads (CPU engines); null: all cores.</summary>
    public int? Threads { get; init; }
    /// <summary>Devices available in all; null: 1, a system's device count, or what an explicit layout needs.</summary>
    public int? Devices { get; init; }
    /// <summary>Tensor/pipeline/expert/data-parallel degrees; each null is chosen by the composition.</summary>
    public LayoutRequest? Layout { get; init; }
    public ScenarioRequest Scenario { get; init; } = new();
    public Assumptions Assumptions { get; init; } = Assumptions.Default;
}

/// <summary>
/// The traffic of a what-if: a scenario ID and/or explicit numbers (explicit numbers win over the scenario's).
/// `Offline`: batch unset, run the largest batch that fits and the best data-parallel split (offline throughput).
/// </summary>
public sealed record ScenarioRequest(string? Id = null, int? Batch = null, int? Prompt = null, int? Gen = null, bool Offline = false);

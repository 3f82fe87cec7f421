using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Backends;

/// <summary>
/// The software that runs the model (llama.cpp-cuda, TensorRT-LLM, ...): which engine of a device it uses and how
/// close it gets to that engine's limits. Its parameters are shared by every device it runs on (never per device),
/// so they can be fitted to measurements and checked on devices left out of the fit.
/// </summary>
public sealed record BackendProfile(
    string Id,
    string Name,
    EngineKind Engine,
    EngineEfficiency Efficiency,
    double GemmHalfTokens,
    Sourced<Seconds> OverheadPerStep,
    Sourced<Seconds> OverheadPerLayer,
    IReadOnlyList<string> Formats,
    IReadOnlyDictionary<string, string> Sources,
    string File);

using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// The memory wall: which level serves the per-step working set. Weights and KV cache are streamed once per
/// step, so they are served from the innermost level that holds all of them (a 0.5B model at 4 bits can live in
/// a 256 MB cache); otherwise from device memory, and what does not fit in device memory streams over the host
/// link if the profile allows offload.
/// </summary>
public sealed record MemoryPlacement(MemoryLevel StreamLevel, MemoryLevel ActivationLevel, double ResidentFraction, bool Fits)
{
    public static MemoryPlacement Decide(HardwareProfile device, Bytes streamedPerStep, Bytes footprint, Bytes activationWorkingSet,
        double cacheUsableFraction)
    {
        var memory = device.Memory;
        var deviceMemory = device.DeviceMemory;
        MemoryLevel stream = deviceMemory;
        foreach (var level in memory)
        {
            if (level == deviceMemory) break;
            if (level.Capacity.Value.Value * cacheUsableFraction >= footprint.Value) { stream = level; break; }
        }
        MemoryLevel act = deviceMemory;
        foreach (var level in memory)
            if (level.Capacity.Value.Value * cacheUsableFraction >= activationWorkingSet.Value) { act = level; break; }

        double capacity = deviceMemory.Capacity.Value.Value;
        bool fits = footprint.Value <= capacity;
        double resident = fits ? 1 : Math.Max(0, capacity - (footprint.Value - streamedPerStep.Value)) / Math.Max(streamedPerStep.Value, 1);
        return new MemoryPlacement(stream, act, Math.Clamp(resident, 0, 1), fits);
    }
}

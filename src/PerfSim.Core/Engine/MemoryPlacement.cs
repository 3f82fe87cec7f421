using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// The memory wall: which level serves the per-step working set. Weights and KV cache are streamed once per
/// step, so they are served from the innermost level that holds all of them (a 0.5B model at 4 bits can live in
/// a 256 MB cache); otherwise from device memory, and what does not fit in device memory streams over the host
/// link if the profile allows offload.
/// On a CPU, a set streamed from device memory that is re-read every step (every token re-reads the same weights)
/// still finds part of itself in the last-level cache: `CachedShare` = min(1, usable LLC ÷ streamed bytes) of it is
/// served from `CachedLevel`. Assumed: a cyclic re-read through a cache with adaptive insertion (Qureshi et al.,
/// ISCA 2007; RRIP-style policies of current x86 LLCs, recalled, not in our reference material) keeps about C of the
/// W bytes resident instead of thrashing to none, as LRU would; on the Zen 4 host matrices of 1–3.5 × the L3,
/// called in a loop, streamed at 64–121 GB/s against a 45–58 GB/s DRAM rate (docs/calibration.md). GPU and NPU caches
/// are left out: their weights are 100 × their L2 and their replacement policies are not published.
/// </summary>
public sealed record MemoryPlacement(MemoryLevel StreamLevel, MemoryLevel ActivationLevel, double ResidentFraction, bool Fits,
    MemoryLevel? CachedLevel = null, double CachedShare = 0)
{
    public static MemoryPlacement Decide(HardwareProfile device, Bytes streamedPerStep, Bytes footprint, Bytes activationWorkingSet,
        double cacheUsableFraction, bool cyclicCacheReuse = false)
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
        MemoryLevel? cached = null;
        double share = 0;
        if (cyclicCacheReuse && stream == deviceMemory && memory.LastOrDefault(l => l != deviceMemory && l.Kind.IsCache()) is { } llc
            && streamedPerStep.Value > 0)
        {
            share = Math.Min(1, llc.Capacity.Value.Value * cacheUsableFraction / streamedPerStep.Value);
            cached = llc;
        }
        return new MemoryPlacement(stream, act, Math.Clamp(resident, 0, 1), fits, cached, share);
    }
}

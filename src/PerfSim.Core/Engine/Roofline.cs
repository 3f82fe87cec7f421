using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>The time of one operator occurrence and what bounds it.</summary>
public readonly record struct RooflinePoint(Seconds Compute, Seconds Memory, Seconds Kernel, Seconds Link, Seconds Time, Bound Bound);

/// <summary>
/// The roofline as one pure function: an operator takes as long as the slowest of its compute, its memory traffic
/// and (on CPUs) the kernel's own unpacking rate, plus its fixed per-call cost and any collective it must wait for. `overlap` (0–1) is the share
/// of the shorter of body and collective hidden behind the other (compute/communication overlap, a stated option).
/// </summary>
public static class Roofline
{
    public static RooflinePoint Evaluate(double flops, double attainableOpsPerSecond, double memorySeconds,
        double kernelSeconds, double linkSeconds, double overlap = 0, double fixedSeconds = 0)
    {
        double compute = flops > 0 ? flops / attainableOpsPerSecond : 0;
        double body = Math.Max(compute, Math.Max(memorySeconds, kernelSeconds));
        var bound = body == 0 ? Bound.Interconnect
            : memorySeconds >= compute && memorySeconds >= kernelSeconds ? Bound.Memory
            : kernelSeconds >= compute ? Bound.Kernel
            : Bound.Compute;
        if (linkSeconds > body) bound = Bound.Interconnect;
        // A kernel's fixed per-call cost (fork/join, activation quantization) is serial: it adds to the body.
        if (fixedSeconds > body && fixedSeconds > linkSeconds) bound = Bound.Overhead;
        body += Math.Max(0, fixedSeconds);
        double total = body + linkSeconds - Math.Clamp(overlap, 0, 1) * Math.Min(body, linkSeconds);
        return new RooflinePoint(new(compute), new(memorySeconds), new(kernelSeconds), new(linkSeconds), new(total), bound);
    }
}

namespace PerfSim.Planning.Tiers;

/// <summary>
/// A named place to run a model: a hardware ID, the quantization used there, and for battery devices the battery
/// energy (Wh) with its source. The cloud node uses the fewest of its devices that hold the model.
/// </summary>
public sealed record TierProfile(string Name, string Hardware, string Quant, double? BatteryWh, string? BatterySource, string? Engine = null)
{
    /// <summary>The built-in tiers (override any with --tier NAME=HARDWARE[:QUANT[:ENGINE]]). Battery sizes are assumed: none is in our reference material.</summary>
    public static IReadOnlyList<TierProfile> Defaults { get; } =
    [
        // Phones and laptops run on their GPU (MLC-LLM / llama.cpp Vulkan-OpenCL-SYCL style) rather than the CPU default: prompts prefill far faster there.
        new("phone", "qualcomm-snapdragon-8-gen-3", "q4_0", 19.0, "assumed: a 2023 flagship phone battery, ~5,000 mAh × 3.85 V ≈ 19 Wh", "gpu"),
        new("laptop", "intel-core-ultra-7-155h", "q4_0", 70.0, "assumed: a thin-and-light laptop battery ≈ 70 Wh", "gpu"),
        new("edge server", "nvidia-l4", "int8", null, null),
        new("cloud node", "nvidia-dgx-h100", "fp16", null, null),
    ];
}

/// <summary>The thresholds a tier must meet to count as interactive for one user.</summary>
public sealed record InteractiveThresholds(double MinTokensPerSecond = 10, double MaxTtftSeconds = 1)
{
    public override string ToString() => $"≥ {MinTokensPerSecond:0.#} tokens/s and TTFT ≤ {MaxTtftSeconds:0.##} s";
}

namespace PerfSim.Kernels.Formats;

/// <summary>Weight storage formats. Block formats are bit-compatible with GGML's.</summary>
public enum QuantFormat
{
    F32,
    F16,
    Q8_0,
    Q4_0,
}

/// <summary>Static facts about a format: how many values per block and how many bytes they take.</summary>
public sealed record QuantFormatTraits(QuantFormat Format, string Name, int BlockSize, int BytesPerBlock)
{
    /// <summary>Storage cost per weight including the block scale (q8_0 8.5, q4_0 4.5, f16 16).</summary>
    public double BitsPerWeight => BytesPerBlock * 8.0 / BlockSize;

    public double BytesPerWeight => (double)BytesPerBlock / BlockSize;

    /// <summary>Bytes of one row of <paramref name="k"/> values (k must be a multiple of the block size).</summary>
    public long RowBytes(int k) => (long)(k / BlockSize) * BytesPerBlock;

    public static QuantFormatTraits Of(QuantFormat format) => format switch
    {
        QuantFormat.F32 => F32,
        QuantFormat.F16 => F16,
        QuantFormat.Q8_0 => Q8_0,
        QuantFormat.Q4_0 => Q4_0,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
    };

    public static QuantFormatTraits F32 { get; } = new(QuantFormat.F32, "f32", 1, 4);
    public static QuantFormatTraits F16 { get; } = new(QuantFormat.F16, "f16", 1, 2);
    public static QuantFormatTraits Q8_0 { get; } = new(QuantFormat.Q8_0, "q8_0", BlockQ8_0.BlockSize, BlockQ8_0.BytesPerBlock);
    public static QuantFormatTraits Q4_0 { get; } = new(QuantFormat.Q4_0, "q4_0", BlockQ4_0.BlockSize, BlockQ4_0.BytesPerBlock);

    public static IReadOnlyList<QuantFormatTraits> All { get; } = new[] { F32, F16, Q8_0, Q4_0 };
}

using System.Buffers.Binary;

namespace PerfSim.Kernels.Formats;

/// <summary>
/// GGML q8_0: 32 values as a 2-byte IEEE fp16 scale <c>d</c> followed by 32 int8 <c>qs</c>;
/// value j = qs[j] × d. Quantization follows ggml's reference: d = amax / 127, q = round(x / d).
/// </summary>
public static class BlockQ8_0
{
    public const int BlockSize = 32;
    public const int BytesPerBlock = 34;
    public const int ScaleBytes = 2;

    /// <summary>Quantizes <paramref name="src"/> (length multiple of 32) into ggml q8_0 blocks.</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst)
    {
        int nb = BlockCount(src.Length);
        if (dst.Length < nb * BytesPerBlock) throw new ArgumentException("Destination too small.", nameof(dst));
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<float> x = src.Slice(b * BlockSize, BlockSize);
            Span<byte> blk = dst.Slice(b * BytesPerBlock, BytesPerBlock);
            float amax = 0f;
            for (int j = 0; j < BlockSize; j++) amax = MathF.Max(amax, MathF.Abs(x[j]));
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(blk, Fp16.FromSingle(d));
            for (int j = 0; j < BlockSize; j++)
                blk[ScaleBytes + j] = (byte)(sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>Expands ggml q8_0 blocks back to fp32.</summary>
    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = BlockCount(dst.Length);
        if (src.Length < nb * BytesPerBlock) throw new ArgumentException("Source too small.", nameof(src));
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<byte> blk = src.Slice(b * BytesPerBlock, BytesPerBlock);
            float d = Fp16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(blk));
            for (int j = 0; j < BlockSize; j++) dst[b * BlockSize + j] = (sbyte)blk[ScaleBytes + j] * d;
        }
    }

    internal static int BlockCount(int length)
    {
        if (length % BlockSize != 0)
            throw new ArgumentException($"Length {length} is not a multiple of the q8_0 block size {BlockSize}.", nameof(length));
        return length / BlockSize;
    }
}

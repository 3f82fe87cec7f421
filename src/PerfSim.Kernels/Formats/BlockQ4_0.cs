using System.Buffers.Binary;

namespace PerfSim.Kernels.Formats;

/// <summary>
/// GGML q4_0: 32 values as a 2-byte IEEE fp16 scale <c>d</c> followed by 16 bytes <c>qs</c>.
/// Element j = ((qs[j] &amp; 0x0F) − 8) × d and element j+16 = ((qs[j] &gt;&gt; 4) − 8) × d.
/// Quantization follows ggml: d = (signed value of largest magnitude) / −8, q = min(15, (int)(x/d + 8.5)).
/// </summary>
public static class BlockQ4_0
{
    public const int BlockSize = 32;
    public const int BytesPerBlock = 18;
    public const int ScaleBytes = 2;

    public static void Quantize(ReadOnlySpan<float> src, Span<byte> dst)
    {
        int nb = BlockCount(src.Length);
        if (dst.Length < nb * BytesPerBlock) throw new ArgumentException("Destination too small.", nameof(dst));
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<float> x = src.Slice(b * BlockSize, BlockSize);
            Span<byte> blk = dst.Slice(b * BytesPerBlock, BytesPerBlock);
            float amax = 0f, max = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                if (amax < MathF.Abs(x[j])) { amax = MathF.Abs(x[j]); max = x[j]; }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(blk, Fp16.FromSingle(d));
            for (int j = 0; j < BlockSize / 2; j++)
            {
                // (int8_t) cast in ggml truncates toward zero; the +8.5 makes that a rounding.
                int q0 = Math.Min(15, (int)(sbyte)(x[j] * id + 8.5f));
                int q1 = Math.Min(15, (int)(sbyte)(x[j + 16] * id + 8.5f));
                blk[ScaleBytes + j] = (byte)(q0 | (q1 << 4));
            }
        }
    }

    public static void Dequantize(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int nb = BlockCount(dst.Length);
        if (src.Length < nb * BytesPerBlock) throw new ArgumentException("Source too small.", nameof(src));
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<byte> blk = src.Slice(b * BytesPerBlock, BytesPerBlock);
            float d = Fp16.ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(blk));
            for (int j = 0; j < BlockSize / 2; j++)
            {
                byte q = blk[ScaleBytes + j];
                dst[b * BlockSize + j] = ((q & 0x0F) - 8) * d;
                dst[b * BlockSize + j + 16] = ((q >> 4) - 8) * d;
            }
        }
    }

    internal static int BlockCount(int length)
    {
        if (length % BlockSize != 0)
            throw new ArgumentException($"Length {length} is not a multiple of the q4_0 block size {BlockSize}.", nameof(length));
        return length / BlockSize;
    }
}

namespace PerfSim.Kernels.Formats;

/// <summary>Format-generic quantize/dequantize of one row (the fp32/fp16 references included).</summary>
public static class Quantizer
{
    public static void Quantize(QuantFormat format, ReadOnlySpan<float> src, Span<byte> dst)
    {
        switch (format)
        {
            case QuantFormat.Q8_0: BlockQ8_0.Quantize(src, dst); break;
            case QuantFormat.Q4_0: BlockQ4_0.Quantize(src, dst); break;
            case QuantFormat.F16:
                for (int i = 0; i < src.Length; i++)
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(dst[(2 * i)..], Fp16.FromSingle(src[i]));
                break;
            case QuantFormat.F32:
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(src).CopyTo(dst);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(format));
        }
    }

    public static void Dequantize(QuantFormat format, ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (format)
        {
            case QuantFormat.Q8_0: BlockQ8_0.Dequantize(src, dst); break;
            case QuantFormat.Q4_0: BlockQ4_0.Dequantize(src, dst); break;
            case QuantFormat.F16:
                for (int i = 0; i < dst.Length; i++)
                    dst[i] = Fp16.ToSingle(System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]));
                break;
            case QuantFormat.F32:
                src[..(dst.Length * 4)].CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(dst));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(format));
        }
    }
}

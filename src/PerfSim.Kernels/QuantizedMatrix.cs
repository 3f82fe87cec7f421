using System.Runtime.InteropServices;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels;

/// <summary>
/// A row-major matrix of <see cref="Rows"/> × <see cref="Cols"/> weights stored as consecutive
/// ggml blocks (or raw fp16/fp32), in one 64-byte aligned native buffer so SIMD loads never split pages
/// needlessly and the GC never moves it. Rows are contiguous exactly as in a GGUF tensor.
/// </summary>
public sealed unsafe class QuantizedMatrix : IDisposable
{
    private byte* _data;

    public QuantFormat Format { get; }
    public QuantFormatTraits Traits { get; }
    public int Rows { get; }
    public int Cols { get; }
    public long RowBytes { get; }
    public long TotalBytes => RowBytes * Rows;
    public long WeightCount => (long)Rows * Cols;

    public QuantizedMatrix(QuantFormat format, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if (cols % 32 != 0)
            throw new ArgumentException($"Column count k={cols} must be a multiple of 32 (the block size).", nameof(cols));
        Format = format;
        Traits = QuantFormatTraits.Of(format);
        Rows = rows;
        Cols = cols;
        RowBytes = Traits.RowBytes(cols);
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)TotalBytes, 64);
        NativeMemory.Clear(_data, (nuint)TotalBytes);
    }

    internal byte* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(QuantizedMatrix));

    internal byte* RowPtr(int row) => Data + row * RowBytes;

    public Span<byte> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        return new Span<byte>(RowPtr(row), checked((int)RowBytes));
    }

    /// <summary>Quantizes an fp32 row-major matrix (rows × cols) into this format.</summary>
    public static QuantizedMatrix FromFloats(QuantFormat format, ReadOnlySpan<float> values, int rows, int cols)
    {
        if (values.Length != (long)rows * cols) throw new ArgumentException("values.Length must equal rows × cols.", nameof(values));
        var m = new QuantizedMatrix(format, rows, cols);
        for (int r = 0; r < rows; r++) Quantizer.Quantize(format, values.Slice(r * cols, cols), m.Row(r));
        return m;
    }

    /// <summary>
    /// Fills a matrix with seeded random blocks directly in the target format (random int8/nibble codes,
    /// small fp16 scales). Much faster than quantizing fp32 data, which matters for 500M-weight benchmark
    /// matrices; the kernels' speed does not depend on the values.
    /// </summary>
    public static QuantizedMatrix Random(QuantFormat format, int rows, int cols, ulong seed)
    {
        var m = new QuantizedMatrix(format, rows, cols);
        Parallel.For(0, rows, r =>
        {
            ulong s = seed * 0x9E3779B97F4A7C15UL + (ulong)r * 0xD1B54A32D192ED03UL + 1;
            byte* p = m.RowPtr(r);
            long bytes = m.RowBytes;
            for (long i = 0; i < bytes; i++)
            {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                p[i] = (byte)(s >> 24);
            }
            switch (format)
            {
                case QuantFormat.Q8_0:
                    for (long b = 0; b < bytes; b += BlockQ8_0.BytesPerBlock)
                    {
                        *(ushort*)(p + b) = Fp16.FromSingle(0.01f + (p[b] & 15) * 0.001f);
                        for (int j = 2; j < BlockQ8_0.BytesPerBlock; j++) if (p[b + j] == 0x80) p[b + j] = 0x81; // q8_0 never holds −128
                    }
                    break;
                case QuantFormat.Q4_0:
                    for (long b = 0; b < bytes; b += BlockQ4_0.BytesPerBlock)
                        *(ushort*)(p + b) = Fp16.FromSingle(0.01f + (p[b] & 15) * 0.001f);
                    break;
                case QuantFormat.F16:
                    for (long i = 0; i < bytes; i += 2)
                        *(ushort*)(p + i) = Fp16.FromSingle((*(short*)(p + i)) / 32768f);
                    break;
                case QuantFormat.F32:
                    for (long i = 0; i < bytes; i += 4)
                        *(float*)(p + i) = (*(int*)(p + i)) / 2147483648f;
                    break;
            }
        });
        return m;
    }

    public void DequantizeRow(int row, Span<float> dst) => Quantizer.Dequantize(Format, Row(row), dst[..Cols]);

    public void Dispose()
    {
        if (_data != null) { NativeMemory.AlignedFree(_data); _data = null; }
        GC.SuppressFinalize(this);
    }

    ~QuantizedMatrix() { if (_data != null) NativeMemory.AlignedFree(_data); }
}

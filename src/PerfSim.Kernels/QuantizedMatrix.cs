using System.Runtime.InteropServices;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels;

/// <summary>
/// A matrix of <see cref="Rows"/> × <see cref="Cols"/> weights stored as ggml blocks (or raw fp16/fp32), in one
/// 64-byte aligned native buffer so SIMD loads never split cache lines needlessly and the GC never moves it.
/// <see cref="WeightLayout.RowMajor"/> keeps rows contiguous exactly as in a GGUF tensor; q4_0/q8_0 can be repacked
/// into <see cref="WeightLayout.Interleaved16"/> at load time (<see cref="ToPreferredLayout"/>), which the kernels
/// run faster on. The row-major matrix stays the reference every layout is tested against.
/// </summary>
public sealed unsafe class QuantizedMatrix : IDisposable
{
    private byte* _data;

    public QuantFormat Format { get; }
    public WeightLayout Layout { get; }
    public QuantFormatTraits Traits { get; }
    public int Rows { get; }
    public int Cols { get; }
    public long RowBytes { get; }
    public long TotalBytes => RowBytes * Rows;
    public long WeightCount => (long)Rows * Cols;

    public QuantizedMatrix(QuantFormat format, int rows, int cols) : this(format, rows, cols, WeightLayout.RowMajor) { }

    public QuantizedMatrix(QuantFormat format, int rows, int cols, WeightLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if (cols % 32 != 0)
            throw new ArgumentException($"Column count k={cols} must be a multiple of 32 (the block size).", nameof(cols));
        if (layout == WeightLayout.Interleaved16 && !Interleaved.Fits(format, rows, cols))
            throw new ArgumentException($"The interleaved layout needs q4_0/q8_0, rows a multiple of {Interleaved.Rows} and k a multiple of 64 (got {format} {rows}×{cols}).", nameof(layout));
        Format = format;
        Layout = layout;
        Traits = QuantFormatTraits.Of(format);
        Rows = rows;
        Cols = cols;
        RowBytes = Traits.RowBytes(cols);
        _data = NativeBuffer.Alloc((nuint)TotalBytes);
        NativeMemory.Clear(_data, (nuint)TotalBytes);
    }

    internal byte* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(QuantizedMatrix));

    internal byte* RowPtr(int row) => Data + row * RowBytes;

    /// <summary>Start of the 16-row group holding <paramref name="row"/> (interleaved layout).</summary>
    internal byte* GroupPtr(int row) => Data + (row / Interleaved.Rows) * Interleaved.GroupBytes(Format, Cols);

    /// <summary>The raw ggml bytes of one row (row-major layout only: interleaved rows are not contiguous).</summary>
    public Span<byte> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        if (Layout != WeightLayout.RowMajor) throw new InvalidOperationException("Row() needs the row-major layout; use CopyRow or DequantizeRow.");
        return new Span<byte>(RowPtr(row), checked((int)RowBytes));
    }

    /// <summary>Copies one row's ggml blocks (the row-major bytes) out of any layout.</summary>
    public void CopyRow(int row, Span<byte> dst)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        if (dst.Length < RowBytes) throw new ArgumentException("Destination shorter than a row.", nameof(dst));
        if (Layout == WeightLayout.RowMajor) { Row(row).CopyTo(dst); return; }
        int nb = Cols / 32, cb = Interleaved.CodeBytesPerBlock(Format), bpb = Traits.BytesPerBlock;
        byte flip = Format == QuantFormat.Q8_0 ? (byte)0x80 : (byte)0;
        for (int b = 0; b < nb; b++)
        {
            long so = Interleaved.ScaleOffset(Format, Cols, row, b);
            dst[b * bpb] = _data[so];
            dst[b * bpb + 1] = _data[so + 1];
            for (int j = 0; j < cb; j++) dst[b * bpb + 2 + j] = (byte)(_data[Interleaved.CodeOffset(Format, Cols, row, b, j)] ^ flip);
        }
    }

    /// <summary>
    /// The layout the kernels run fastest on for this shape: interleaved for q4_0/q8_0 when it fits, else row-major.
    /// </summary>
    public static WeightLayout PreferredLayout(QuantFormat format, int rows, int cols) =>
        Interleaved.Fits(format, rows, cols) ? WeightLayout.Interleaved16 : WeightLayout.RowMajor;

    /// <summary>A copy of this matrix in <paramref name="layout"/> (the same values, other byte order).</summary>
    public QuantizedMatrix ToLayout(WeightLayout layout)
    {
        var m = new QuantizedMatrix(Format, Rows, Cols, layout);
        if (layout == WeightLayout.RowMajor)
        {
            for (int r = 0; r < Rows; r++) CopyRow(r, m.Row(r));
            return m;
        }
        int nb = Cols / 32, cb = Interleaved.CodeBytesPerBlock(Format), bpb = Traits.BytesPerBlock;
        byte flip = Format == QuantFormat.Q8_0 ? (byte)0x80 : (byte)0;
        // Groups write disjoint ranges, so they repack in parallel (a 4096×14336 matrix is 33–62 MB).
        Parallel.For(0, Rows / Interleaved.Rows, () => new byte[RowBytes], (g, _, row) =>
        {
            for (int r = g * Interleaved.Rows; r < (g + 1) * Interleaved.Rows; r++)
            {
                CopyRow(r, row);
                for (int b = 0; b < nb; b++)
                {
                    long so = Interleaved.ScaleOffset(Format, Cols, r, b);
                    m._data[so] = row[b * bpb];
                    m._data[so + 1] = row[b * bpb + 1];
                    long co = Interleaved.CodeOffset(Format, Cols, r, b, 0);
                    for (int j = 0; j < cb; j += 4)
                        for (int i = 0; i < 4; i++) m._data[co + j * 16 + i] = (byte)(row[b * bpb + 2 + j + i] ^ flip);
                }
            }
            return row;
        }, _ => { });
        return m;
    }

    /// <summary>This matrix repacked into <see cref="PreferredLayout"/>; disposes this one (load-time repack).</summary>
    public QuantizedMatrix ToPreferredLayout()
    {
        WeightLayout layout = PreferredLayout(Format, Rows, Cols);
        if (layout == Layout) return this;
        QuantizedMatrix m = ToLayout(layout);
        Dispose();
        return m;
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

    public void DequantizeRow(int row, Span<float> dst)
    {
        if (Layout == WeightLayout.RowMajor) { Quantizer.Dequantize(Format, Row(row), dst[..Cols]); return; }
        var bytes = new byte[RowBytes];
        CopyRow(row, bytes);
        Quantizer.Dequantize(Format, bytes, dst[..Cols]);
    }

    public void Dispose()
    {
        if (_data != null) { NativeBuffer.Free(_data); _data = null; }
        GC.SuppressFinalize(this);
    }

    ~QuantizedMatrix() { if (_data != null) NativeBuffer.Free(_data); }
}

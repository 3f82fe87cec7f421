namespace PerfSim.Kernels.Formats;

/// <summary>How a matrix's blocks sit in memory.</summary>
public enum WeightLayout
{
    /// <summary>Rows one after another, exactly as in a GGUF tensor. The oracle every other layout is tested against.</summary>
    RowMajor,

    /// <summary>
    /// q4_0/q8_0 rows interleaved in groups of <see cref="Interleaved.Rows"/> (as llama.cpp's repack does), so one
    /// activation load and one scale conversion serve 16 rows and each int32 SIMD lane accumulates one row.
    /// See <see cref="Interleaved"/> for the byte layout.
    /// </summary>
    Interleaved16,
}

/// <summary>
/// Byte layout of <see cref="WeightLayout.Interleaved16"/>. Per group of 16 rows, per pair of blocks (b, b+1) a
/// "superblock": the 16 fp16 scales of block b, the 16 of block b+1 (64 bytes, one cache line), then block b's codes,
/// then block b+1's. A block's codes are 4-byte chunks: chunk c holds, for rows 0..15 in turn, that row's code bytes
/// 4c..4c+3 — so a 64-byte load is one chunk of all 16 rows and lane r of an int32 vector is row r.
/// q4_0 keeps ggml's nibble packing (byte j: element j low, element j+16 high): 4 chunks per block.
/// q8_0 stores each code plus 128 (offset binary, 1..255) so the unsigned operand of vpdpbusd/vpmaddubsw is the
/// weight: 8 chunks per block. Superblocks are 576 (q4_0) and 1088 (q8_0) bytes: whole cache lines, same total size
/// as the row-major matrix.
/// </summary>
public static class Interleaved
{
    public const int Rows = 16;
    public const int ScaleBytes = 64;

    public static int CodeBytesPerBlock(QuantFormat format) => format switch
    {
        QuantFormat.Q4_0 => 16,
        QuantFormat.Q8_0 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Only q4_0 and q8_0 have an interleaved layout."),
    };

    /// <summary>Bytes of one superblock (2 blocks × 16 rows).</summary>
    public static int SuperblockBytes(QuantFormat format) => ScaleBytes + 2 * Rows * CodeBytesPerBlock(format);

    /// <summary>The layout fits when rows come in whole groups and blocks in whole pairs (k a multiple of 64).</summary>
    public static bool Fits(QuantFormat format, int rows, int cols) =>
        format is QuantFormat.Q4_0 or QuantFormat.Q8_0 && rows % Rows == 0 && cols % 64 == 0;

    /// <summary>Byte offset of (row, block)'s scale and of its code byte j, inside the matrix.</summary>
    internal static long ScaleOffset(QuantFormat format, int cols, int row, int block) =>
        GroupOffset(format, cols, row) + (long)(block >> 1) * SuperblockBytes(format) + (block & 1) * 32 + (row % Rows) * 2;

    internal static long CodeOffset(QuantFormat format, int cols, int row, int block, int j)
    {
        int cb = CodeBytesPerBlock(format);
        return GroupOffset(format, cols, row) + (long)(block >> 1) * SuperblockBytes(format) + ScaleBytes + (block & 1) * Rows * cb
               + (j >> 2) * 64 + (row % Rows) * 4 + (j & 3);
    }

    internal static long GroupBytes(QuantFormat format, int cols) => (long)(cols / 64) * SuperblockBytes(format);

    private static long GroupOffset(QuantFormat format, int cols, int row) => (row / Rows) * GroupBytes(format, cols);
}

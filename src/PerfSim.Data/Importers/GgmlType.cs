namespace PerfSim.Data.Importers;

/// <summary>ggml tensor types by their on-disk id (ggml.h `enum ggml_type`). Ids 4, 5, 31–33 and 36–38 were removed upstream.</summary>
public enum GgmlType : uint
{
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
}

/// <summary>
/// Block layout of each ggml type (ggml.c `type_traits`): a block of `BlockSize` weights takes `BlockBytes` bytes,
/// scales included. q4_0 = fp16 d + 16 nibble bytes = 18 bytes per 32 weights = 4.5 bits.
/// </summary>
public static class GgmlTypes
{
    public readonly record struct Traits(GgmlType Type, int BlockSize, int BlockBytes)
    {
        public double BitsPerWeight => BlockBytes * 8.0 / BlockSize;
    }

    const int QK_K = 256;

    static readonly Dictionary<GgmlType, Traits> Table = new Traits[]
    {
        new(GgmlType.F32, 1, 4), new(GgmlType.F16, 1, 2), new(GgmlType.BF16, 1, 2), new(GgmlType.F64, 1, 8),
        new(GgmlType.I8, 1, 1), new(GgmlType.I16, 1, 2), new(GgmlType.I32, 1, 4), new(GgmlType.I64, 1, 8),
        new(GgmlType.Q4_0, 32, 2 + 16),               // d, qs[16]
        new(GgmlType.Q4_1, 32, 2 + 2 + 16),           // d, m, qs[16]
        new(GgmlType.Q5_0, 32, 2 + 4 + 16),           // d, qh[4], qs[16]
        new(GgmlType.Q5_1, 32, 2 + 2 + 4 + 16),       // d, m, qh[4], qs[16]
        new(GgmlType.Q8_0, 32, 2 + 32),               // d, qs[32]
        new(GgmlType.Q8_1, 32, 2 + 2 + 32),           // d, s, qs[32]
        new(GgmlType.Q2_K, QK_K, 16 + 64 + 2 + 2),    // scales[16], qs[64], d, dmin = 84
        new(GgmlType.Q3_K, QK_K, 32 + 64 + 12 + 2),   // hmask[32], qs[64], scales[12], d = 110
        new(GgmlType.Q4_K, QK_K, 2 + 2 + 12 + 128),   // d, dmin, scales[12], qs[128] = 144
        new(GgmlType.Q5_K, QK_K, 2 + 2 + 12 + 32 + 128), // d, dmin, scales[12], qh[32], qs[128] = 176
        new(GgmlType.Q6_K, QK_K, 128 + 64 + 16 + 2),  // ql[128], qh[64], scales[16], d = 210
        new(GgmlType.Q8_K, QK_K, 4 + 256 + 32),       // float d, qs[256], bsums[16] int16 = 292
        new(GgmlType.IQ2_XXS, QK_K, 2 + 64),          // d, qs[QK_K/8] uint16 = 66
        new(GgmlType.IQ2_XS, QK_K, 2 + 64 + 8),       // d, qs[QK_K/8] uint16, scales[QK_K/32] = 74
        new(GgmlType.IQ2_S, QK_K, 2 + 64 + 8 + 8),    // d, qs[QK_K/4], qh[QK_K/32], scales[QK_K/32] = 82
        new(GgmlType.IQ3_XXS, QK_K, 2 + 96),          // d, qs[3*QK_K/8] = 98
        new(GgmlType.IQ3_S, QK_K, 2 + 64 + 8 + 32 + 4), // d, qs[QK_K/4], qh[QK_K/32], signs[QK_K/8], scales[QK_K/64] = 110
        new(GgmlType.IQ1_S, QK_K, 2 + 32 + 16),       // d, qs[QK_K/8], qh[QK_K/32] uint16 = 50
        new(GgmlType.IQ1_M, QK_K, 32 + 16 + 8),       // qs[QK_K/8], qh[QK_K/16], scales[QK_K/32] = 56
        new(GgmlType.IQ4_NL, 32, 2 + 16),             // d, qs[16] = 18
        new(GgmlType.IQ4_XS, QK_K, 2 + 2 + 4 + 128),  // d, scales_h, scales_l[QK_K/64], qs[QK_K/2] = 136
        new(GgmlType.TQ1_0, QK_K, 48 + 4 + 2),        // qs[(QK_K - 4*QK_K/64)/5], qh[QK_K/64], d = 54
        new(GgmlType.TQ2_0, QK_K, 64 + 2),            // qs[QK_K/4], d = 66
        new(GgmlType.MXFP4, 32, 1 + 16),              // e (E8M0), qs[16] = 17
    }.ToDictionary(t => t.Type);

    public static bool TryGet(uint id, out Traits traits) => Table.TryGetValue((GgmlType)id, out traits);

    public static Traits Of(GgmlType type) =>
        Table.TryGetValue(type, out var t) ? t : throw new ArgumentOutOfRangeException(nameof(type), $"unknown ggml type {(uint)type}");

    public static IEnumerable<Traits> All => Table.Values;

    /// <summary>Name as llama.cpp prints it ("q4_K", "f16", "mxfp4").</summary>
    public static string Name(GgmlType type) => type.ToString().ToLowerInvariant().Replace("_k", "_K");
}

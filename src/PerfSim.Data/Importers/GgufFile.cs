namespace PerfSim.Data.Importers;

/// <summary>GGUF metadata value types (gguf.h `enum gguf_type`).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9,
    UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>
/// A metadata array. Arrays of up to <see cref="GgufReader.MaxMaterializedArray"/> elements keep their values
/// (boxed byte/sbyte/ushort/short/uint/int/float/bool/string/ulong/long/double); longer ones (a 128k-entry
/// token list) are validated and skipped, keeping only <see cref="Count"/>, so a header is inspected in milliseconds.
/// </summary>
public sealed record GgufArray(GgufValueType ElementType, long Count, IReadOnlyList<object>? Values);

/// <summary>One tensor's description. `Dims` are ggml's ne[] (ne[0] is the contiguous row length); `Offset` is relative to the data section.</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dims, GgmlType Type, long Offset, long Elements, long Bytes)
{
    public double BitsPerWeight => Bytes * 8.0 / Elements;
}

/// <summary>The parsed header of a GGUF file: metadata key-values and tensor infos, no tensor data.</summary>
public sealed class GgufFile
{
    public string File { get; }
    public uint Version { get; }
    /// <summary>Metadata in file order; values are boxed primitives, strings or <see cref="GgufArray"/>.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public uint Alignment { get; }
    /// <summary>Byte offset of the tensor data section (end of the header, rounded up to the alignment).</summary>
    public long DataOffset { get; }
    public long FileLength { get; }

    readonly Dictionary<string, GgufTensorInfo> byName;

    public GgufFile(string file, uint version, IReadOnlyDictionary<string, object> metadata, IReadOnlyList<GgufTensorInfo> tensors,
        uint alignment, long dataOffset, long fileLength)
    {
        File = file; Version = version; Metadata = metadata; Tensors = tensors; Alignment = alignment;
        DataOffset = dataOffset; FileLength = fileLength;
        byName = new Dictionary<string, GgufTensorInfo>(StringComparer.Ordinal);
        foreach (var t in tensors) byName.TryAdd(t.Name, t);
    }

    public long TotalElements => Tensors.Sum(t => t.Elements);
    public long TotalBytes => Tensors.Sum(t => t.Bytes);

    public GgufTensorInfo? Tensor(string name) => byName.GetValueOrDefault(name);
    public bool HasTensor(string name) => byName.ContainsKey(name);

    public string? String(string key) => Metadata.GetValueOrDefault(key) is { } v
        ? v as string ?? throw Bad(key, "expected a string", v)
        : null;

    /// <summary>An integer of any GGUF integer type; per-layer arrays give their largest element.</summary>
    public long? Integer(string key)
    {
        if (!Metadata.TryGetValue(key, out var v)) return null;
        if (v is GgufArray { Values: { Count: > 0 } vals })
            return vals.Select(x => ToLong(key, x)).Max();
        return ToLong(key, v);
    }

    public double? Number(string key) => Metadata.GetValueOrDefault(key) switch
    {
        null => null,
        float f => f,
        double d => d,
        var v => Integer(key),
    };

    public GgufArray? Array(string key) => Metadata.GetValueOrDefault(key) is { } v
        ? v as GgufArray ?? throw Bad(key, "expected an array", v)
        : null;

    long ToLong(string key, object v) => v switch
    {
        byte b => b, sbyte sb => sb, ushort us => us, short s => s, uint ui => ui, int i => i, long l => l,
        ulong ul when ul <= long.MaxValue => (long)ul,
        _ => throw Bad(key, "expected an integer", v),
    };

    GgufFormatException Bad(string key, string expected, object v) =>
        new(File, -1, $"metadata '{key}': {expected}, got {Describe(v)}");

    static string Describe(object v) => v switch
    {
        string s => $"string \"{GgufReader.Printable(s)}\"",
        GgufArray a => $"array of {a.Count} {a.ElementType}",
        _ => $"{v.GetType().Name} {v}",
    };
}

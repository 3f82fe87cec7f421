using System.Buffers.Binary;
using System.Text;

namespace PerfSim.Data.Importers;

/// <summary>
/// Reads a GGUF v2/v3 header (llama.cpp's gguf.cpp layout): magic "GGUF", version, tensor count, KV count, the
/// typed key-values, the tensor infos and the alignment padding. Tensor data is never read: only the header
/// region is touched, through a small buffer, so a 40 GB file is inspected in milliseconds.
/// Input is untrusted: every length is checked against the bytes left in the file and against sane limits
/// before anything is allocated, so a hostile or truncated file gives a <see cref="GgufFormatException"/>
/// and never a crash, a hang or a huge allocation.
/// </summary>
public static partial class GgufReader
{
    public const uint Magic = 0x46554747; // "GGUF" little-endian
    public const long MaxTensors = 1 << 20;
    public const long MaxKeyValues = 1 << 20;
    public const int MaxKeyBytes = 1 << 16;
    public const int MaxStringBytes = 1 << 26;
    public const int MaxDims = 4;
    public const int MaxMaterializedArray = 4096;
    public const uint DefaultAlignment = 32;

    /// <param name="requireTensorData">
    /// Check that every tensor's data lies inside the file (a truncated download fails). Tests that build
    /// header-only files pass false; tensor offsets are still checked for alignment and overlap.
    /// </param>
    public static GgufFile Read(string path, bool requireTensorData = true)
    {
        var display = Path.GetFileName(path);
        // A FIFO would block the open below forever; /dev/zero would read as an endless header.
        if (Input.InputFiles.NotARegularFile(path) is { } why) throw new GgufFormatException(display, -1, why);
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        { throw new GgufFormatException(display, -1, $"cannot open file: {e.Message}"); }
        using (fs) return Read(fs, display, requireTensorData);
    }

    /// <summary>Reads from a seekable stream positioned at the start of the GGUF file.</summary>
    public static GgufFile Read(Stream stream, string displayName, bool requireTensorData = true)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new GgufFormatException(displayName, -1, "the stream must be readable and seekable");
        var r = new Reader(stream, displayName);
        return Parse(r, requireTensorData);
    }

    static GgufFile Parse(Reader r, bool requireTensorData)
    {
        var magic = r.U32();
        if (magic != Magic)
            throw r.Error(0, magic == 0x47475546 ? "byte-swapped magic (big-endian GGUF is not supported)"
                : $"not a GGUF file: magic is 0x{magic:X8}, expected \"GGUF\"");
        var version = r.U32();
        if (version is 0x02000000 or 0x03000000) throw r.Error(4, "big-endian GGUF is not supported");
        if (version == 1) throw r.Error(4, "GGUF version 1 is not supported (versions 2 and 3 are)");
        if (version is not (2 or 3)) throw r.Error(4, $"unsupported GGUF version {version} (versions 2 and 3 are supported)");

        long tensorCountAt = r.Position;
        var tensorCount = r.U64();
        long kvCountAt = r.Position;
        var kvCount = r.U64();
        // smallest tensor info: name length 8 + n_dims 4 + one dim 8 + type 4 + offset 8; smallest KV: key length 8 + type 4 + a 1-byte value
        if (tensorCount > MaxTensors || tensorCount * 32 > (ulong)r.Remaining)
            throw r.Error(tensorCountAt, $"tensor count {tensorCount} is impossible for the {r.Remaining} bytes left (limit {MaxTensors})");
        if (kvCount > MaxKeyValues || kvCount * 13 > (ulong)r.Remaining)
            throw r.Error(kvCountAt, $"key-value count {kvCount} is impossible for the {r.Remaining} bytes left (limit {MaxKeyValues})");

        var metadata = new Dictionary<string, object>((int)kvCount, StringComparer.Ordinal);
        for (ulong i = 0; i < kvCount; i++)
        {
            long at = r.Position;
            var key = r.String(MaxKeyBytes, "key");
            if (key.Length == 0) throw r.Error(at, $"key-value {i} has an empty key");
            long typeAt = r.Position;
            var type = r.U32();
            if (!Enum.IsDefined((GgufValueType)type)) throw r.Error(typeAt, $"metadata '{Printable(key)}': unknown value type {type}");
            var value = ReadValue(r, (GgufValueType)type, key);
            if (!metadata.TryAdd(key, value)) throw r.Error(at, $"duplicate metadata key '{Printable(key)}'");
        }

        uint alignment = DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out var al))
        {
            if (al is not uint a || a == 0 || (a & (a - 1)) != 0 || a > 1 << 20)
                throw r.Error(-1, $"metadata 'general.alignment' must be a uint32 power of two up to 1 MiB, got {al}");
            alignment = a;
        }

        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            long at = r.Position;
            var name = r.String(MaxKeyBytes, "tensor name");
            if (!names.Add(name)) throw r.Error(at, $"duplicate tensor name '{Printable(name)}'");
            long dimsAt = r.Position;
            var nDims = r.U32();
            if (nDims is 0 or > MaxDims) throw r.Error(dimsAt, $"tensor '{Printable(name)}' has {nDims} dimensions (1 to {MaxDims} allowed)");
            var dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++)
            {
                long dimAt = r.Position;
                var ne = r.U64();
                if (ne == 0 || ne > long.MaxValue) throw r.Error(dimAt, $"tensor '{Printable(name)}' dimension {d} is {ne}");
                dims[d] = (long)ne;
                if (elements > long.MaxValue / dims[d])
                    throw r.Error(dimAt, $"tensor '{Printable(name)}' has more than 2^63 elements (dimensions overflow)");
                elements *= dims[d];
            }
            long typeAt = r.Position;
            var typeId = r.U32();
            if (!GgmlTypes.TryGet(typeId, out var traits)) throw r.Error(typeAt, $"tensor '{Printable(name)}' has unknown ggml type {typeId}");
            if (dims[0] % traits.BlockSize != 0)
                throw r.Error(dimsAt, $"tensor '{Printable(name)}': row length {dims[0]} is not a multiple of the {GgmlTypes.Name(traits.Type)} block size {traits.BlockSize}");
            long bytes = elements / traits.BlockSize;
            if (bytes > long.MaxValue / traits.BlockBytes) throw r.Error(dimsAt, $"tensor '{Printable(name)}' size overflows");
            bytes *= traits.BlockBytes;
            long offAt = r.Position;
            var offset = r.U64();
            if (offset > long.MaxValue - (ulong)bytes) throw r.Error(offAt, $"tensor '{Printable(name)}' offset {offset} overflows");
            if (offset % alignment != 0) throw r.Error(offAt, $"tensor '{Printable(name)}' offset {offset} is not a multiple of the alignment {alignment}");
            tensors.Add(new GgufTensorInfo(name, dims, traits.Type, (long)offset, elements, bytes));
        }

        long headerEnd = r.Position;
        long dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
        long dataBytes = r.Length - dataOffset;

        // Tensors must not overlap, and (unless told otherwise) must lie inside the file.
        long end = 0;
        string? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Offset))
        {
            if (t.Offset < end) throw r.Error(-1, $"tensor '{Printable(t.Name)}' at data offset {t.Offset} overlaps tensor '{Printable(previous!)}'");
            end = t.Offset + t.Bytes;
            previous = t.Name;
        }
        if (requireTensorData)
        {
            if (tensors.Count > 0 && end > dataBytes)
                throw r.Error(-1, $"file is truncated: the tensor data needs {end} bytes after offset {dataOffset} but the file has {Math.Max(0, dataBytes)}");
        }
        return new GgufFile(r.Name, version, metadata, tensors, alignment, dataOffset, r.Length);
    }

    static object ReadValue(Reader r, GgufValueType type, string key) => type switch
    {
        GgufValueType.UInt8 => r.Byte(),
        GgufValueType.Int8 => (sbyte)r.Byte(),
        GgufValueType.UInt16 => (ushort)r.U16(),
        GgufValueType.Int16 => (short)r.U16(),
        GgufValueType.UInt32 => r.U32(),
        GgufValueType.Int32 => (int)r.U32(),
        GgufValueType.Float32 => BitConverter.Int32BitsToSingle((int)r.U32()),
        GgufValueType.Bool => r.Bool(key),
        GgufValueType.String => r.String(MaxStringBytes, $"metadata '{Printable(key)}'"),
        GgufValueType.UInt64 => r.U64(),
        GgufValueType.Int64 => (long)r.U64(),
        GgufValueType.Float64 => BitConverter.Int64BitsToDouble((long)r.U64()),
        GgufValueType.Array => ReadArray(r, key),
        _ => throw r.Error(r.Position, $"metadata '{Printable(key)}': unknown value type {(uint)type}"),
    };

    static int FixedSize(GgufValueType t) => t switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    static GgufArray ReadArray(Reader r, string key)
    {
        long at = r.Position;
        var et = r.U32();
        if (!Enum.IsDefined((GgufValueType)et)) throw r.Error(at, $"metadata '{Printable(key)}': array of unknown type {et}");
        var elementType = (GgufValueType)et;
        if (elementType == GgufValueType.Array) throw r.Error(at, $"metadata '{Printable(key)}': arrays of arrays are not supported");
        long countAt = r.Position;
        var count = r.U64();
        int size = FixedSize(elementType);
        ulong minBytes = elementType == GgufValueType.String ? 8UL : (ulong)size;
        if (count > int.MaxValue || count * minBytes > (ulong)r.Remaining)
            throw r.Error(countAt, $"metadata '{Printable(key)}': array length {count} exceeds the {r.Remaining} bytes left in the file");
        if (count <= MaxMaterializedArray)
        {
            var values = new object[count];
            for (int i = 0; i < (int)count; i++) values[i] = ReadValue(r, elementType, key);
            return new GgufArray(elementType, (long)count, values);
        }
        if (elementType == GgufValueType.String)
        {
            var what = $"metadata '{Printable(key)}'";
            for (ulong i = 0; i < count; i++) r.SkipString(MaxStringBytes, what);
        }
        else if (elementType == GgufValueType.Bool)
            for (ulong i = 0; i < count; i++) r.Bool(key);
        else
            r.Skip((long)count * size);
        return new GgufArray(elementType, (long)count, null);
    }

    /// <summary>A name from the file, safe to put in a one-line message: control characters escaped, long names cut.</summary>
    internal static string Printable(string s) => Input.Printable.Of(s);

    /// <summary>Buffered little-endian reader that knows the file length and refuses to read past it.</summary>
    sealed class Reader(Stream stream, string name)
    {
        readonly byte[] buffer = new byte[1 << 16];
        int bufStart, bufEnd;              // valid bytes in buffer[bufStart..bufEnd)
        long bufferFileOffset;             // file offset of buffer[0]
        public string Name { get; } = name;
        public long Length { get; } = stream.Length;
        public long Position => bufferFileOffset + bufStart;
        public long Remaining => Length - Position;

        public GgufFormatException Error(long offset, string problem) => new(Name, offset, problem);

        void Need(long n, string what)
        {
            if (n > Remaining) throw Error(Position, $"file is truncated: {what} needs {n} bytes but {Remaining} are left");
        }

        ReadOnlySpan<byte> Take(int n, string what)
        {
            Need(n, what);
            if (bufEnd - bufStart < n) Fill(n);
            var span = new ReadOnlySpan<byte>(buffer, bufStart, n);
            bufStart += n;
            return span;
        }

        void Fill(int n)
        {
            // move the unread tail to the front, then read until n bytes are available
            int left = bufEnd - bufStart;
            Array.Copy(buffer, bufStart, buffer, 0, left);
            bufferFileOffset += bufStart;
            bufStart = 0;
            bufEnd = left;
            stream.Seek(bufferFileOffset + bufEnd, SeekOrigin.Begin);
            while (bufEnd < n)
            {
                int got = stream.Read(buffer, bufEnd, buffer.Length - bufEnd);
                if (got <= 0) throw Error(bufferFileOffset + bufEnd, "file is truncated (unexpected end of stream)");
                bufEnd += got;
            }
        }

        public void Skip(long n)
        {
            Need(n, "array data");
            long inBuffer = bufEnd - bufStart;
            if (n <= inBuffer) { bufStart += (int)n; return; }
            bufferFileOffset = Position + n;
            bufStart = bufEnd = 0;
        }

        public byte Byte() => Take(1, "a value")[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a value"));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a value"));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a value"));

        public bool Bool(string key)
        {
            long at = Position;
            var b = Byte();
            return b switch { 0 => false, 1 => true, _ => throw Error(at, $"metadata '{Printable(key)}': bool must be 0 or 1, got {b}") };
        }

        ulong StringLength(int max, string what)
        {
            long at = Position;
            var len = U64();
            if (len > (ulong)Remaining) throw Error(at, $"{what}: string length {len} exceeds the {Remaining} bytes left in the file");
            if (len > (ulong)max) throw Error(at, $"{what}: string length {len} exceeds the limit of {max} bytes");
            return len;
        }

        public string String(int max, string what)
        {
            int len = (int)StringLength(max, what);
            if (len <= buffer.Length) return Encoding.UTF8.GetString(Take(len, what));
            var bytes = new byte[len];
            int done = 0;
            while (done < len)
            {
                int n = Math.Min(buffer.Length, len - done);
                Take(n, what).CopyTo(bytes.AsSpan(done));
                done += n;
            }
            return Encoding.UTF8.GetString(bytes);
        }

        public void SkipString(int max, string what) => Skip((long)StringLength(max, what));
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;
using PerfSim.Data.Importers;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Importers;

public class GgufReaderTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));
    static readonly Lazy<byte[]> Llama3Q4_0 = new(() => GgufWriter.Llama3_8B().Build(withData: false));
    static readonly Lazy<byte[]> TinyFile = new(() => GgufWriter.Tiny().Build());

    static GgufFile Read(byte[] bytes, bool requireData = true) => GgufReader.Read(new MemoryStream(bytes, writable: false), "test.gguf", requireData);

    [Fact]
    public void Llama3_8B_ImportsToTheBuiltInArchitecture()
    {
        var f = Read(Llama3Q4_0.Value, requireData: false);
        Assert.Equal(3u, f.Version);
        Assert.Equal(291, f.Tensors.Count);
        Assert.Equal(128256, f.Array("tokenizer.ggml.tokens")!.Count);
        Assert.Null(f.Array("tokenizer.ggml.tokens")!.Values); // long arrays are skipped, not materialized
        Assert.Equal(0, f.DataOffset % 32);

        var import = GgufReader.Import(f, "models/Meta-Llama-3-8B.Q4_0.gguf");
        var builtIn = Catalog.Value.GetModel("llama-3-8b");
        Assert.Equal(builtIn.Architecture, import.Model.Architecture);
        Assert.Equal("Meta Llama 3 8B", import.Model.Name);
        Assert.Equal(8_030_261_248, (long)import.Model.PublishedParameters); // sum of the tensor elements
        Assert.Equal(ParameterCount.Of(builtIn.Architecture).Total, import.Model.PublishedParameters);
    }

    [Fact]
    public void Llama3_8B_Q4_0_QuantMixIsExact()
    {
        var import = GgufReader.Import(Read(Llama3Q4_0.Value, requireData: false));
        var q = import.Quant;
        Assert.Equal("gguf:test.gguf", q.Id);
        Assert.Equal(DataType.Int4, q.WeightType);
        Assert.Equal(32, q.GroupSize);
        Assert.Equal(4.5, q.EmbeddingBitsPerWeight!.Value, 10);
        Assert.Equal(6.5625, q.LmHeadBitsPerWeight!.Value, 10);
        // layers: all q4_0 except 65 f32 norm vectors of 4096 (2 per layer and output_norm)
        double layerWeights = 32 * 218_103_808.0 + 65 * 4096, norms = 65 * 4096;
        Assert.Equal(((layerWeights - norms) * 4.5 + norms * 32) / layerWeights, q.BitsPerWeight, 9);
        var mix = import.Mix;
        double embedding = 128256.0 * 4096;
        double totalBits = (layerWeights - norms) * 4.5 + norms * 32 + embedding * 4.5 + embedding * 6.5625;
        Assert.Equal(totalBits / mix.TotalWeights, mix.OverallBitsPerWeight, 9);
        Assert.Equal(8_030_261_248, mix.TotalWeights);
        // llama.cpp reports Llama 3 8B Q4_0 as 4.33 GiB (4.64 GiB with its 8.03B: 4.64 bits/weight)
        Assert.InRange(mix.TotalBytes / Math.Pow(2, 30), 4.32, 4.35);
    }

    [Fact]
    public void Llama3_8B_Q4_K_M_MixMatchesTheQuantScheme()
    {
        var import = GgufReader.Import(Read(GgufWriter.Llama3_8B(q4km: true, merges: 10).Build(false), requireData: false));
        var scheme = Catalog.Value.GetQuant("q4_k_m");
        Assert.InRange(import.Mix.OverallBitsPerWeight, 4.88, 4.90);   // llama.cpp: 4.58 GiB for 8.03B weights
        Assert.InRange(import.Quant.BitsPerWeight, scheme.BitsPerWeight - 0.02, scheme.BitsPerWeight + 0.02);
        Assert.Equal(scheme.EmbeddingBitsPerWeight, import.Quant.EmbeddingBitsPerWeight);
        Assert.Equal(scheme.LmHeadBitsPerWeight, import.Quant.LmHeadBitsPerWeight);
        Assert.Equal(GgmlType.Q4_K, import.Mix.DominantLayerType);
    }

    [Fact]
    public void TiedEmbeddingsWhenThereIsNoOutputTensor()
    {
        var g = GgufWriter.Tiny();
        var bytes = g.Build();
        var m = GgufReader.Import(Read(bytes)).Model;
        Assert.False(m.Architecture.TiedEmbeddings);
        Assert.Equal(32, m.Architecture.Vocab);
        Assert.Equal(2, m.Architecture.KvHeads);
    }

    [Fact]
    public void MetadataValuesOfEveryTypeRoundTrip()
    {
        var f = Read(TinyFile.Value);
        Assert.Equal((byte)7, f.Metadata["test.u8"]);
        Assert.Equal((sbyte)-7, f.Metadata["test.i8"]);
        Assert.Equal((ushort)700, f.Metadata["test.u16"]);
        Assert.Equal((short)-700, f.Metadata["test.i16"]);
        Assert.Equal(-70000000000L, f.Integer("test.i64"));
        Assert.Equal(70000000000L, f.Integer("test.u64"));
        Assert.Equal(0.25, f.Number("test.f64"));
        Assert.Equal(true, f.Metadata["test.bool"]);
        Assert.Equal(new object[] { 1f, 2f, 3f }, f.Array("test.floats")!.Values);
        Assert.Equal("tiny", f.String("general.name"));
    }

    [Fact]
    public void HugeFileIsInspectedWithoutReadingTensorData()
    {
        var header = Llama3Q4_0.Value;
        using var s = new CountingStream(header, fakeLength: 40L << 30);
        var sw = Stopwatch.StartNew();
        var f = GgufReader.Read(s, "huge.gguf", requireTensorData: true);
        sw.Stop();
        Assert.Equal(291, f.Tensors.Count);
        Assert.True(s.BytesRead <= header.Length + (1 << 16), $"read {s.BytesRead} bytes of a {header.Length}-byte header");
        Assert.True(sw.ElapsedMilliseconds < 2000, $"took {sw.ElapsedMilliseconds} ms");
    }

    // ---- broken files ----

    static GgufFormatException Broken(byte[] bytes, bool requireData = true)
    {
        var e = Assert.Throws<GgufFormatException>(() => GgufReader.Import(Read(bytes, requireData)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("test.gguf", e.Message);
        return e;
    }

    [Fact]
    public void TruncationAtEveryOffsetIsAFormatError()
    {
        var full = TinyFile.Value;
        Read(full); // the untruncated file is fine
        for (int len = 0; len < full.Length; len++)
            Broken(full[..len]);
    }

    [Fact]
    public void TruncatedHeaderOfTheLlamaFileIsAFormatError()
    {
        var full = Llama3Q4_0.Value;
        var rng = new Random(7);
        for (int i = 0; i < 40; i++)
        {
            int len = rng.Next(full.Length - 64);
            Assert.Throws<GgufFormatException>(() => Read(full[..len], requireData: false));
        }
    }

    static byte[] Header(uint magic, uint version, ulong tensors, ulong kvs, Action<BinaryWriter>? rest = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(magic); w.Write(version); w.Write(tensors); w.Write(kvs);
        rest?.Invoke(w);
        w.Write(new byte[64]); // some slack so limits, not truncation, are what trips
        return ms.ToArray();
    }

    const uint GGUF = 0x46554747;

    static void Key(BinaryWriter w, string key, GgufValueType type) { GgufWriter.WriteString(w, key); w.Write((uint)type); }

    [Fact]
    public void BadMagic() => Assert.Contains("not a GGUF file", Broken(Header(0x46554746, 3, 0, 0)).Message);

    [Fact]
    public void Version99() => Assert.Contains("unsupported GGUF version 99", Broken(Header(GGUF, 99, 0, 0)).Message);

    [Fact]
    public void Version1AndBigEndian()
    {
        Broken(Header(GGUF, 1, 0, 0));
        Assert.Contains("big-endian", Broken(Header(GGUF, 0x03000000, 0, 0)).Message);
    }

    [Fact]
    public void Version2IsRead() => Assert.Equal(2u, Read(new GgufWriter { Version = 2 }.Add("a", 1u).Build()).Version);

    [Fact]
    public void StringLength2Pow62() =>
        Assert.Contains("string length 4611686018427387904", Broken(Header(GGUF, 3, 0, 1, w => { Key(w, "k", GgufValueType.String); w.Write(1UL << 62); })).Message);

    [Fact]
    public void KeyLength2Pow62() =>
        Assert.Contains("string length", Broken(Header(GGUF, 3, 0, 1, w => w.Write(1UL << 62))).Message);

    [Fact]
    public void ArrayLength2Pow40() =>
        Assert.Contains("array length 1099511627776", Broken(Header(GGUF, 3, 0, 1, w => { Key(w, "k", GgufValueType.Array); w.Write((uint)GgufValueType.UInt8); w.Write(1UL << 40); })).Message);

    [Fact]
    public void StringArrayLengthBeyondFile() =>
        Broken(Header(GGUF, 3, 0, 1, w => { Key(w, "k", GgufValueType.Array); w.Write((uint)GgufValueType.String); w.Write(1000UL); }));

    [Fact]
    public void TensorCount2Pow40() => Assert.Contains("tensor count 1099511627776", Broken(Header(GGUF, 3, 1UL << 40, 0)).Message);

    [Fact]
    public void KvCount2Pow40() => Assert.Contains("key-value count", Broken(Header(GGUF, 3, 0, 1UL << 40)).Message);

    static Action<BinaryWriter> OneTensor(string name, uint nDims, ulong[] dims, uint type, ulong offset) => w =>
    {
        GgufWriter.WriteString(w, name); w.Write(nDims);
        foreach (var d in dims) w.Write(d);
        w.Write(type); w.Write(offset);
    };

    [Fact]
    public void NDims100() => Assert.Contains("100 dimensions", Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 100, [], 0, 0))).Message);

    [Fact]
    public void DimsWhoseProductOverflows() =>
        Assert.Contains("overflow", Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 3, [1UL << 32, 1UL << 32, 1UL << 32], 0, 0))).Message);

    [Fact]
    public void DimOfZeroOrAbove2Pow63() => Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 2, [0, 4], 0, 0)));

    [Fact]
    public void UnknownGgmlType() => Assert.Contains("unknown ggml type 4", Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 1, [32], 4, 0))).Message);

    [Fact]
    public void RowNotAMultipleOfTheBlock() => Assert.Contains("block size", Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 1, [33], 2, 0))).Message);

    [Fact]
    public void MisalignedTensorOffset() => Assert.Contains("alignment", Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 1, [8], 0, 4)), requireData: false).Message);

    [Fact]
    public void TensorSizeOverflowsWithOffset() => Broken(Header(GGUF, 3, 1, 0, OneTensor("t", 2, [1UL << 31, 1UL << 31], 0, ulong.MaxValue - 31)), requireData: false);

    [Fact]
    public void OverlappingTensors()
    {
        var e = Broken(Header(GGUF, 3, 2, 0, w => { OneTensor("a", 1, [64], 0, 0)(w); OneTensor("b", 1, [64], 0, 128)(w); }), requireData: false);
        Assert.Contains("overlaps", e.Message);
    }

    [Fact]
    public void NestedArraysOfArrays() =>
        Assert.Contains("arrays of arrays", Broken(Header(GGUF, 3, 0, 1, w => { Key(w, "k", GgufValueType.Array); w.Write((uint)GgufValueType.Array); w.Write(1UL); })).Message);

    [Fact]
    public void UnknownValueType() =>
        Assert.Contains("unknown value type 13", Broken(Header(GGUF, 3, 0, 1, w => Key(w, "k", (GgufValueType)13))).Message);

    [Fact]
    public void BoolThatIsNeither0Nor1() =>
        Broken(Header(GGUF, 3, 0, 1, w => { Key(w, "k", GgufValueType.Bool); w.Write((byte)2); }));

    [Fact]
    public void DuplicateKeys() =>
        Assert.Contains("duplicate metadata key 'a'", Broken(new GgufWriter().Add("a", 1u).Add("a", 2u).Build()).Message);

    [Fact]
    public void DuplicateTensorNames() =>
        Assert.Contains("duplicate tensor name", Broken(new GgufWriter().Tensor("t", GgmlType.F32, 8).Tensor("t", GgmlType.F32, 8).Build()).Message);

    [Fact]
    public void AlignmentNotAPowerOfTwo() =>
        Assert.Contains("general.alignment", Broken(new GgufWriter().Add("general.alignment", 48u).Build()).Message);

    [Fact]
    public void CustomAlignmentIsHonoured()
    {
        var g = GgufWriter.Tiny();
        g.Alignment = 64;
        g.Add("general.alignment", 64u);
        var f = Read(g.Build());
        Assert.Equal(64u, f.Alignment);
        Assert.Equal(0, f.DataOffset % 64);
    }

    [Fact]
    public void MissingDataIsTruncation() =>
        Assert.Contains("truncated", Broken(GgufWriter.Tiny().Build(withData: false)).Message);

    [Theory]
    [InlineData("general.architecture", "mamba", "not supported")]
    [InlineData("llama.block_count", null, "llama.block_count' is missing")]
    public void ImportErrorsNameTheKey(string key, string? value, string expected)
    {
        var g = new GgufWriter().Add("general.architecture", key == "general.architecture" ? value! : "llama");
        if (key != "llama.block_count") g.Add("llama.block_count", 2u);
        g.Add("llama.embedding_length", 64u).Add("llama.attention.head_count", 4u).Add("llama.context_length", 64u)
         .Add("llama.feed_forward_length", 128u).Tensor("token_embd.weight", GgmlType.F32, 64, 10);
        Assert.Contains(expected, Broken(g.Build()).Message);
    }

    [Fact]
    public void AbsurdBlockCountIsAnError()
    {
        var g = new GgufWriter().Add("general.architecture", "llama").Add("llama.block_count", (ulong)1e12)
            .Add("llama.embedding_length", 64u).Add("llama.attention.head_count", 4u).Add("llama.context_length", 64u)
            .Add("llama.feed_forward_length", 128u).Tensor("token_embd.weight", GgmlType.F32, 64, 10);
        Assert.Contains("block_count", Broken(g.Build()).Message);
    }

    /// <summary>Seeded random byte flips on a valid file: each result parses or throws the format exception, nothing else.</summary>
    [Fact]
    public void RandomByteFlipsNeverCrash()
    {
        var seed = TinyFile.Value;
        var headerEnd = (int)Read(seed).DataOffset;
        var rng = new Random(int.Parse(Environment.GetEnvironmentVariable("FUZZ_SEED") ?? "12345"));
        int parsed = 0, rejected = 0;
        for (int i = 0; i < int.Parse(Environment.GetEnvironmentVariable("FUZZ_N") ?? "600"); i++)
        {
            var bytes = (byte[])seed.Clone();
            int flips = 1 + rng.Next(4);
            for (int k = 0; k < flips; k++)
            {
                int at = rng.Next(10) < 9 ? rng.Next(headerEnd) : rng.Next(bytes.Length);
                bytes[at] = rng.Next(3) switch { 0 => (byte)(bytes[at] ^ (1 << rng.Next(8))), 1 => 0xFF, _ => (byte)rng.Next(256) };
            }
            try
            {
                GgufReader.Import(Read(bytes));
                parsed++;
            }
            catch (GgufFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
        }
        Assert.True(rejected > 100 && parsed > 10, $"parsed {parsed}, rejected {rejected}");
    }

    /// <summary>Serves `data` then zeros up to a fake length (a "40 GB" file) and counts the bytes read.</summary>
    sealed class CountingStream(byte[] data, long fakeLength) : Stream
    {
        long pos;
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => fakeLength;
        public override long Position { get => pos; set => pos = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, Math.Max(0, fakeLength - pos));
            for (int i = 0; i < n; i++) buffer[offset + i] = pos + i < data.Length ? data[pos + i] : (byte)0;
            pos += n;
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => pos = origin switch
        {
            SeekOrigin.Begin => offset, SeekOrigin.Current => pos + offset, _ => fakeLength + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Text;
using PerfSim.Data.Importers;

namespace PerfSim.Core.Tests.Importers;

/// <summary>
/// Builds GGUF files in memory with llama.cpp's layout (gguf.cpp gguf_write_to_buf): magic "GGUF", version,
/// tensor count (u64), KV count (u64), the KV pairs (u64-length key, u32 type, value), the tensor infos
/// (name, n_dims u32, ne[] u64, type u32, offset u64), padding to `general.alignment` (default 32), then the
/// tensor data with each tensor padded to the alignment. Data is zeros, or left out for header-only files.
/// </summary>
sealed class GgufWriter
{
    public uint Version { get; set; } = 3;
    public uint Alignment { get; set; } = 32;

    readonly List<(string Key, GgufValueType Type, object Value)> kvs = [];
    readonly List<(string Name, long[] Dims, GgmlType Type)> tensors = [];

    public GgufWriter Add(string key, string v) { kvs.Add((key, GgufValueType.String, v)); return this; }
    public GgufWriter Add(string key, uint v) { kvs.Add((key, GgufValueType.UInt32, v)); return this; }
    public GgufWriter Add(string key, int v) { kvs.Add((key, GgufValueType.Int32, v)); return this; }
    public GgufWriter Add(string key, ulong v) { kvs.Add((key, GgufValueType.UInt64, v)); return this; }
    public GgufWriter Add(string key, float v) { kvs.Add((key, GgufValueType.Float32, v)); return this; }
    public GgufWriter Add(string key, double v) { kvs.Add((key, GgufValueType.Float64, v)); return this; }
    public GgufWriter Add(string key, bool v) { kvs.Add((key, GgufValueType.Bool, v)); return this; }
    public GgufWriter Add(string key, GgufValueType type, object v) { kvs.Add((key, type, v)); return this; }

    public GgufWriter AddArray<T>(string key, GgufValueType elementType, IEnumerable<T> values) where T : notnull
    {
        kvs.Add((key, GgufValueType.Array, (elementType, values.Cast<object>().ToArray())));
        return this;
    }

    public GgufWriter Tensor(string name, GgmlType type, params long[] dims) { tensors.Add((name, dims, type)); return this; }

    public static long Bytes(GgmlType type, long[] dims)
    {
        var t = GgmlTypes.Of(type);
        return dims.Aggregate(1L, (a, b) => a * b) / t.BlockSize * t.BlockBytes;
    }

    long Pad(long x) => (x + Alignment - 1) / Alignment * Alignment;

    /// <summary>The header (and tensor data when `withData`), as llama.cpp writes it.</summary>
    public byte[] Build(bool withData = true)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(Encoding.ASCII.GetBytes("GGUF"));
        w.Write(Version);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)kvs.Count);
        foreach (var (key, type, value) in kvs)
        {
            WriteString(w, key);
            w.Write((uint)type);
            WriteValue(w, type, value);
        }
        long offset = 0;
        foreach (var (name, dims, type) in tensors)
        {
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims) w.Write((ulong)d);
            w.Write((uint)type);
            w.Write((ulong)offset);
            offset += Pad(Bytes(type, dims));
        }
        w.Flush();
        long dataStart = Pad(ms.Length);
        ms.SetLength(dataStart);
        if (withData && tensors.Count > 0)
        {
            var (_, lastDims, lastType) = tensors[^1];
            ms.SetLength(dataStart + offset - Pad(Bytes(lastType, lastDims)) + Bytes(lastType, lastDims));
        }
        return ms.ToArray();
    }

    public static void WriteString(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    static void WriteValue(BinaryWriter w, GgufValueType type, object v)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write(Convert.ToByte(v)); break;
            case GgufValueType.Int8: w.Write(Convert.ToSByte(v)); break;
            case GgufValueType.UInt16: w.Write(Convert.ToUInt16(v)); break;
            case GgufValueType.Int16: w.Write(Convert.ToInt16(v)); break;
            case GgufValueType.UInt32: w.Write(Convert.ToUInt32(v)); break;
            case GgufValueType.Int32: w.Write(Convert.ToInt32(v)); break;
            case GgufValueType.Float32: w.Write(Convert.ToSingle(v)); break;
            case GgufValueType.Bool: w.Write((bool)v ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)v); break;
            case GgufValueType.UInt64: w.Write(Convert.ToUInt64(v)); break;
            case GgufValueType.Int64: w.Write(Convert.ToInt64(v)); break;
            case GgufValueType.Float64: w.Write(Convert.ToDouble(v)); break;
            case GgufValueType.Array:
                var (et, values) = ((GgufValueType, object[]))v;
                w.Write((uint)et);
                w.Write((ulong)values.Length);
                foreach (var x in values) WriteValue(w, et, x);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    /// <summary>
    /// Llama 3 8B as llama.cpp's convert_hf_to_gguf.py + llama-quantize write it: the same metadata keys, a
    /// 128256-entry vocabulary and merges, and all 291 tensors. `layerType` for the layer matrices and token
    /// embedding (q4_0 file: Q4_0), output.weight Q6_K, norms F32. `q4km` applies llama.cpp's Q4_K_M rule instead.
    /// </summary>
    public static GgufWriter Llama3_8B(GgmlType layerType = GgmlType.Q4_0, bool q4km = false, int merges = 280147)
    {
        const int layers = 32, hidden = 4096, ff = 14336, kv = 1024, vocab = 128256;
        var g = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.type", "model")
            .Add("general.name", "Meta Llama 3 8B")
            .Add("general.basename", "Meta-Llama-3")
            .Add("general.size_label", "8B")
            .Add("general.license", "llama3")
            .Add("llama.block_count", (uint)layers)
            .Add("llama.context_length", 8192u)
            .Add("llama.embedding_length", (uint)hidden)
            .Add("llama.feed_forward_length", (uint)ff)
            .Add("llama.attention.head_count", 32u)
            .Add("llama.attention.head_count_kv", 8u)
            .Add("llama.rope.freq_base", 500000f)
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("general.file_type", q4km ? 15u : 2u)
            .Add("llama.vocab_size", (uint)vocab)
            .Add("llama.rope.dimension_count", 128u)
            .Add("tokenizer.ggml.model", "gpt2")
            .Add("tokenizer.ggml.pre", "llama-bpe")
            .AddArray("tokenizer.ggml.tokens", GgufValueType.String, Enumerable.Range(0, vocab).Select(i => i < 128000 ? $"tok{i}" : $"<|reserved_special_token_{i - 128000}|>"))
            .AddArray("tokenizer.ggml.token_type", GgufValueType.Int32, Enumerable.Range(0, vocab).Select(i => i < 128000 ? 1 : 3))
            .AddArray("tokenizer.ggml.merges", GgufValueType.String, Enumerable.Range(0, merges).Select(i => $"Ġ{i} t{i}"))
            .Add("tokenizer.ggml.bos_token_id", 128000u)
            .Add("tokenizer.ggml.eos_token_id", 128001u)
            .Add("tokenizer.chat_template", "{% set loop_messages = messages %}{% for message in loop_messages %}...{% endfor %}")
            .Add("general.quantization_version", 2u);

        var baseType = q4km ? GgmlType.Q4_K : layerType;
        g.Tensor("token_embd.weight", baseType, hidden, vocab);
        for (int i = 0; i < layers; i++)
        {
            bool more = i < layers / 8 || i >= 7 * layers / 8 || (i - layers / 8) % 3 == 2;
            var six = q4km && more ? GgmlType.Q6_K : baseType;
            g.Tensor($"blk.{i}.attn_norm.weight", GgmlType.F32, hidden)
             .Tensor($"blk.{i}.attn_q.weight", baseType, hidden, hidden)
             .Tensor($"blk.{i}.attn_k.weight", baseType, hidden, kv)
             .Tensor($"blk.{i}.attn_v.weight", six, hidden, kv)
             .Tensor($"blk.{i}.attn_output.weight", baseType, hidden, hidden)
             .Tensor($"blk.{i}.ffn_norm.weight", GgmlType.F32, hidden)
             .Tensor($"blk.{i}.ffn_gate.weight", baseType, hidden, ff)
             .Tensor($"blk.{i}.ffn_up.weight", baseType, hidden, ff)
             .Tensor($"blk.{i}.ffn_down.weight", six, ff, hidden);
        }
        g.Tensor("output_norm.weight", GgmlType.F32, hidden);
        g.Tensor("output.weight", GgmlType.Q6_K, hidden, vocab);
        return g;
    }

    /// <summary>A small llama-shaped model with real (zero) tensor data and one KV of every value type: the seed for the broken-file corpus.</summary>
    public static GgufWriter Tiny()
    {
        var g = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", "tiny")
            .Add("llama.block_count", 2u)
            .Add("llama.context_length", 256u)
            .Add("llama.embedding_length", 64u)
            .Add("llama.feed_forward_length", 128u)
            .Add("llama.attention.head_count", 4u)
            .Add("llama.attention.head_count_kv", 2u)
            .Add("test.u8", GgufValueType.UInt8, (byte)7)
            .Add("test.i8", GgufValueType.Int8, (sbyte)-7)
            .Add("test.u16", GgufValueType.UInt16, (ushort)700)
            .Add("test.i16", GgufValueType.Int16, (short)-700)
            .Add("test.i64", GgufValueType.Int64, -70000000000L)
            .Add("test.u64", 70000000000UL)
            .Add("test.f64", 0.25)
            .Add("test.bool", true)
            .Add("llama.rope.freq_base", 10000f)
            .AddArray("test.floats", GgufValueType.Float32, new[] { 1f, 2f, 3f })
            .AddArray("tokenizer.ggml.tokens", GgufValueType.String, Enumerable.Range(0, 32).Select(i => $"t{i}"));
        g.Tensor("token_embd.weight", GgmlType.Q4_0, 64, 32);
        for (int i = 0; i < 2; i++)
        {
            g.Tensor($"blk.{i}.attn_norm.weight", GgmlType.F32, 64)
             .Tensor($"blk.{i}.attn_q.weight", GgmlType.Q4_0, 64, 64)
             .Tensor($"blk.{i}.attn_k.weight", GgmlType.Q4_0, 64, 32)
             .Tensor($"blk.{i}.attn_v.weight", GgmlType.Q8_0, 64, 32)
             .Tensor($"blk.{i}.attn_output.weight", GgmlType.Q4_0, 64, 64)
             .Tensor($"blk.{i}.ffn_norm.weight", GgmlType.F32, 64)
             .Tensor($"blk.{i}.ffn_gate.weight", GgmlType.Q4_0, 64, 128)
             .Tensor($"blk.{i}.ffn_up.weight", GgmlType.Q4_0, 64, 128)
             .Tensor($"blk.{i}.ffn_down.weight", GgmlType.Q5_0, 128, 64);
        }
        g.Tensor("output_norm.weight", GgmlType.F32, 64);
        g.Tensor("output.weight", GgmlType.Q8_0, 64, 32);
        return g;
    }
}

using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Data.Validation;

namespace PerfSim.Data.Importers;

/// <summary>Weights and bytes of one ggml type in a file.</summary>
public sealed record GgufTypeShare(GgmlType Type, long Tensors, long Weights, long Bytes)
{
    public double BitsPerWeight => Bytes * 8.0 / Weights;
}

/// <summary>
/// The quantization mix of a GGUF file, exact from its tensor infos. `OverallBitsPerWeight` = all tensor bytes × 8 /
/// all weights; `LayerBitsPerWeight` is the same over everything but the token embedding and output matrices, which
/// have their own figures (llama.cpp usually stores output.weight as q6_K).
/// </summary>
public sealed record GgufQuantMix(
    IReadOnlyList<GgufTypeShare> ByType,
    long TotalWeights,
    long TotalBytes,
    double OverallBitsPerWeight,
    double LayerBitsPerWeight,
    double? EmbeddingBitsPerWeight,
    double? LmHeadBitsPerWeight,
    GgmlType DominantLayerType);

/// <summary>What a GGUF file says about its model: the architecture, the quantization mix as a scheme, and the raw header.</summary>
public sealed record GgufImport(ModelProfile Model, QuantScheme Quant, GgufQuantMix Mix, GgufFile File);

public static partial class GgufReader
{
    /// <summary>Architectures (`general.architecture`) this importer maps; Mixtral is `llama` with `llama.expert_count`.</summary>
    public static readonly IReadOnlyList<string> KnownArchitectures =
        ["llama", "mistral", "qwen2", "qwen3", "qwen3moe", "gemma", "gemma2", "phi3", "gptj", "gpt2", "deepseek2", "gpt-oss"];

    public static GgufImport Import(string path, bool requireTensorData = true) => Import(Read(path, requireTensorData), path);

    public static GgufImport Import(GgufFile f, string? sourcePath = null)
    {
        var model = ToModel(f, sourcePath ?? f.File);
        // Without transformer-block tensors there is nothing to take the layers' bits per weight from (it would be 0).
        if (!f.Tensors.Any(t => t.Name.StartsWith("blk.", StringComparison.Ordinal)))
            throw Bad(f, "no layer tensors (blk.N.*): the file holds no transformer-block weights, so its bits per weight are unknown");
        var mix = QuantMix(f);
        var quant = ToQuant(f, mix, sourcePath ?? f.File);
        if (WorkloadRules.Check(quant) is { } v) throw Bad(f, $"tensor types give {v.Field} out of range: {v.Problem}");
        return new GgufImport(model, quant, mix, f);
    }

    static GgufFormatException Bad(GgufFile f, string problem) => new(f.File, -1, problem);

    public static ModelProfile ToModel(GgufFile f, string sourcePath)
    {
        var arch = f.String("general.architecture") ?? throw Bad(f, "metadata 'general.architecture' is missing");
        if (!KnownArchitectures.Contains(arch))
            throw Bad(f, $"metadata 'general.architecture': '{Printable(arch)}' is not supported; known: {string.Join(", ", KnownArchitectures)}");

        int Req(string key, long max) => Check(key, f.Integer($"{arch}.{key}") ?? throw Bad(f, $"metadata '{arch}.{key}' is missing"), 1, max);
        int? Opt(string key, long min, long max) => f.Integer($"{arch}.{key}") is { } v ? Check(key, v, min, max) : null;
        int Check(string key, long v, long min, long max) =>
            v < min || v > max ? throw Bad(f, $"metadata '{arch}.{key}': expected a whole number from {min} to {max}, got {v}") : (int)v;

        var layers = Req("block_count", ModelLimits.Layers);
        var hidden = Req("embedding_length", ModelLimits.Hidden);
        var heads = Req("attention.head_count", ModelLimits.Heads);
        var kvHeads = Opt("attention.head_count_kv", 1, ModelLimits.Heads) ?? heads;
        var context = Req("context_length", ModelLimits.Context);
        var experts = Opt("expert_count", 0, ModelLimits.Experts) ?? 0;
        var expertsUsed = Opt("expert_used_count", 0, ModelLimits.Experts) ?? 0;
        var ff = Opt("feed_forward_length", 1, ModelLimits.Intermediate);
        var expertFf = Opt("expert_feed_forward_length", 1, ModelLimits.Intermediate);
        var keyLength = Opt("attention.key_length_mla", 1, ModelLimits.HeadDim) ?? Opt("attention.key_length", 1, ModelLimits.HeadDim);
        var valueLength = Opt("attention.value_length_mla", 1, ModelLimits.HeadDim) ?? Opt("attention.value_length", 1, ModelLimits.HeadDim);

        long vocabL = f.Integer($"{arch}.vocab_size") ?? f.Array("tokenizer.ggml.tokens")?.Count
            ?? (f.Tensor("token_embd.weight") is { Dims.Count: 2 } te ? te.Dims[1] : 0);
        if (vocabL < 1 || vocabL > ModelLimits.Vocab)
            throw Bad(f, vocabL == 0 ? "vocabulary size unknown: no tokenizer.ggml.tokens and no token_embd.weight tensor"
                : $"vocabulary size {vocabL} is out of range (1 to {ModelLimits.Vocab})");
        int vocab = (int)vocabL;

        bool Has(string name) => f.HasTensor(name);
        bool AnyLayer(string suffix) => Enumerable.Range(0, layers).Any(i => Has($"blk.{i}.{suffix}"));

        MoeSpec? moe = null;
        if (experts > 0)
        {
            if (expertsUsed < 1 || expertsUsed > experts)
                throw Bad(f, $"metadata '{arch}.expert_used_count': expected 1 to expert_count ({experts}), got {expertsUsed}");
            var dense = Opt("leading_dense_block_count", 0, layers - 1) ?? 0;
            var shared = Opt("expert_shared_count", 0, ModelLimits.Experts) ?? 0;
            var expertInter = expertFf ?? ff ?? throw Bad(f, $"metadata '{arch}.expert_feed_forward_length' is missing");
            var sharedInter = Opt("expert_shared_feed_forward_length", 1, ModelLimits.Intermediate) ?? (shared > 0 ? expertInter : 0);
            moe = new MoeSpec(experts, expertsUsed, shared, expertInter, sharedInter, dense,
                dense > 0 ? ff ?? expertInter : 0,
                RouterBias: AnyLayer("ffn_gate_inp.bias") || AnyLayer("exp_probs_b.bias") || AnyLayer("exp_probs_b"));
        }
        int intermediate = ff ?? expertFf ?? throw Bad(f, $"metadata '{arch}.feed_forward_length' is missing");

        MlaSpec? mla = null;
        int headDim;
        if (arch == "deepseek2")
        {
            var kvLora = Opt("attention.kv_lora_rank", 1, ModelLimits.Hidden) ?? throw Bad(f, $"metadata '{arch}.attention.kv_lora_rank' is missing");
            var qLora = Opt("attention.q_lora_rank", 0, ModelLimits.Hidden) ?? 0;
            var rope = Opt("rope.dimension_count", 1, ModelLimits.HeadDim) ?? throw Bad(f, $"metadata '{arch}.rope.dimension_count' is missing");
            var qk = keyLength ?? throw Bad(f, $"metadata '{arch}.attention.key_length' is missing");
            if (qk <= rope) throw Bad(f, $"metadata '{arch}.attention.key_length' ({qk}) must exceed rope.dimension_count ({rope})");
            mla = new MlaSpec(qLora, kvLora, qk - rope, rope, valueLength ?? qk - rope);
            headDim = qk;
            kvHeads = heads; // MLA decompresses K and V per head; llama.cpp may record 1 for its absorbed form
        }
        else
        {
            if (keyLength is null && hidden % heads != 0)
                throw Bad(f, $"metadata '{arch}.embedding_length' ({hidden}) is not a multiple of the head count ({heads}) and no key_length is given");
            headDim = keyLength ?? hidden / heads;
        }
        if (heads % kvHeads != 0)
            throw Bad(f, $"metadata '{arch}.attention.head_count_kv' ({kvHeads}) must divide attention.head_count ({heads})");

        bool plain = arch is "gpt2" or "gptj";
        int norms = f.Tensors.Count(t => t.Name.StartsWith("blk.0.", StringComparison.Ordinal) && t.Name.EndsWith("_norm.weight", StringComparison.Ordinal)
                                          && !t.Name.Contains("attn_q_norm") && !t.Name.Contains("attn_k_norm")
                                          && !t.Name.Contains("attn_q_a_norm") && !t.Name.Contains("attn_kv_a_norm"));
        SlidingWindow? window = Opt("attention.sliding_window", 0, ModelLimits.Context) is > 0 and var w
            ? new SlidingWindow(w, arch is "gemma2" or "gpt-oss" ? 2 : 1) : null;

        bool attnBias = Has("blk.0.attn_q.bias") || Has("blk.0.attn_k.bias") || Has("blk.0.attn_qkv.bias");
        bool outBias = Has("blk.0.attn_output.bias");
        var a = new ModelArchitecture(
            layers, hidden, heads, kvHeads, headDim, intermediate, vocab,
            plain ? MlpKind.Plain : MlpKind.Gated,
            Has("blk.0.attn_norm.bias") ? NormKind.LayerNorm : NormKind.RmsNorm,
            Has("position_embd.weight") ? PositionKind.Learned : PositionKind.Rope,
            TiedEmbeddings: !Has("output.weight"),
            AttentionBias: attnBias,
            MlpBias: AnyLayer("ffn_up.bias") || AnyLayer("ffn_down.bias") || AnyLayer("ffn_up_exps.bias") || AnyLayer("ffn_down_exps.bias"),
            MaxContext: context, Moe: moe, Mla: mla, Window: window,
            NormsPerLayer: norms > 0 ? norms : 2,
            ParallelAttentionMlp: arch == "gptj",
            AttentionOutBias: outBias == attnBias ? null : outBias,
            LmHeadBias: Has("output.bias") && Has("output.weight"),
            AttentionSinks: Has("blk.0.attn_sinks.weight") || Has("blk.0.attn_sinks"),
            QkNorm: Has("blk.0.attn_q_norm.weight"));

        if (ModelRules.Check(a) is { } v) throw Bad(f, $"metadata '{KeyOf(arch, v.Field)}': {v.Problem}");
        var p = ParameterCount.Of(a);
        var id = Path.GetFileNameWithoutExtension(f.File);
        var name = f.String("general.name") is { Length: > 0 } n ? n : id;
        long inFile = f.TotalElements;
        return new ModelProfile(id, name, sourcePath, a, inFile > 0 ? inFile : p.Total, moe is null ? null : p.ActivePerToken,
            $"sum of tensor elements in {f.File}", sourcePath);
    }

    /// <summary>The GGUF metadata key behind a schema field named by <see cref="ModelRules"/>.</summary>
    static string KeyOf(string arch, string field) => field switch
    {
        "layers" => $"{arch}.block_count",
        "hidden" => $"{arch}.embedding_length",
        "heads" => $"{arch}.attention.head_count",
        "kv_heads" => $"{arch}.attention.head_count_kv",
        "head_dim" => $"{arch}.attention.key_length",
        "intermediate" => $"{arch}.feed_forward_length",
        "max_context" => $"{arch}.context_length",
        "vocab" => "tokenizer.ggml.tokens",
        "mla.kv_lora_rank" => $"{arch}.attention.kv_lora_rank",
        "sliding_window.window" => $"{arch}.attention.sliding_window",
        _ => $"{arch} architecture: {field}",
    };

    static bool IsEmbedding(string name) => name is "token_embd.weight" or "position_embd.weight";
    static bool IsLmHead(string name) => name is "output.weight";

    public static GgufQuantMix QuantMix(GgufFile f)
    {
        var byType = f.Tensors.GroupBy(t => t.Type)
            .Select(g => new GgufTypeShare(g.Key, g.Count(), g.Sum(t => t.Elements), g.Sum(t => t.Bytes)))
            .OrderByDescending(s => s.Bytes).ToArray();
        long w = f.TotalElements, b = f.TotalBytes;
        var layer = f.Tensors.Where(t => !IsEmbedding(t.Name) && !IsLmHead(t.Name)).ToArray();
        long lw = layer.Sum(t => t.Elements), lb = layer.Sum(t => t.Bytes);
        var dominant = layer.Where(t => t.Dims.Count >= 2).GroupBy(t => t.Type).OrderByDescending(g => g.Sum(t => t.Bytes))
            .Select(g => (GgmlType?)g.Key).FirstOrDefault() ?? GgmlType.F32;
        var emb = f.Tensor("token_embd.weight");
        var head = f.Tensor("output.weight") ?? emb;
        return new GgufQuantMix(byType, w, b, w > 0 ? b * 8.0 / w : 0, lw > 0 ? lb * 8.0 / lw : 0,
            emb?.BitsPerWeight, head?.BitsPerWeight, dominant);
    }

    static DataType WeightType(GgmlType t) => t switch
    {
        GgmlType.F32 or GgmlType.F64 => DataType.Fp32,
        GgmlType.F16 => DataType.Fp16,
        GgmlType.BF16 => DataType.Bf16,
        GgmlType.MXFP4 => DataType.Fp4,
        GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q5_K or GgmlType.Q6_K or GgmlType.Q8_0 or GgmlType.Q8_1 or GgmlType.Q8_K
            or GgmlType.I8 or GgmlType.I16 or GgmlType.I32 or GgmlType.I64 => DataType.Int8,
        _ => DataType.Int4, // q4 and below (k-quants, i-quants, ternary) unpack into 4-bit or narrower integers
    };

    static QuantScheme ToQuant(GgufFile f, GgufQuantMix mix, string sourcePath)
    {
        var traits = GgmlTypes.Of(mix.DominantLayerType);
        var mixText = string.Join(", ", mix.ByType.Select(s => $"{GgmlTypes.Name(s.Type)} {s.Tensors} tensors {s.BitsPerWeight:0.###} bits"));
        return new QuantScheme(
            $"gguf:{Path.GetFileName(f.File)}",
            $"GGUF mix of {f.File} ({mix.OverallBitsPerWeight:0.###} bits/weight overall)",
            $"tensor infos of {sourcePath}: {mixText}",
            WeightType(mix.DominantLayerType),
            mix.LayerBitsPerWeight,
            traits.BlockSize > 1 ? traits.BlockSize : null,
            DataType.Fp16, DataType.Fp16, "fp16",
            mix.EmbeddingBitsPerWeight, mix.LmHeadBitsPerWeight, [], sourcePath);
    }
}

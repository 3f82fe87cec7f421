using System.Text.Json;
using PerfSim.Core.Workloads;
using PerfSim.Data.Validation;

namespace PerfSim.Data.Importers;

/// <summary>
/// Reads a Hugging Face transformers `config.json` into a <see cref="ModelProfile"/> for the Llama, Mistral,
/// Mixtral, Qwen2, Qwen3, Qwen3-MoE, Gemma, Gemma 2, Phi-3, GPT-J, GPT-2, DeepSeek-V2/V3 and gpt-oss families
/// (chosen by `model_type`, else `architectures[0]`). The published parameter count is the derived one.
/// Input is untrusted: an unknown family, a missing field or an out-of-range number is a one-line
/// <see cref="ModelImportException"/> naming the file and the field.
/// </summary>
public static class HuggingFaceConfigImporter
{
    public const long MaxFileBytes = Input.ReaderLimits.JsonBytes;

    /// <summary>model_type values understood, and the `architectures` class names that map to them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Families = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["llama"] = "LlamaForCausalLM", ["mistral"] = "MistralForCausalLM", ["mixtral"] = "MixtralForCausalLM",
        ["qwen2"] = "Qwen2ForCausalLM", ["qwen3"] = "Qwen3ForCausalLM", ["qwen3_moe"] = "Qwen3MoeForCausalLM",
        ["gemma"] = "GemmaForCausalLM", ["gemma2"] = "Gemma2ForCausalLM", ["phi3"] = "Phi3ForCausalLM",
        ["gptj"] = "GPTJForCausalLM", ["gpt2"] = "GPT2LMHeadModel", ["deepseek_v2"] = "DeepseekV2ForCausalLM",
        ["deepseek_v3"] = "DeepseekV3ForCausalLM", ["gpt_oss"] = "GptOssForCausalLM",
    };

    public static ModelProfile Import(string path)
    {
        var display = path.Replace('\\', '/');
        var json = Input.InputFiles.ReadText(path, MaxFileBytes, why => new ModelImportException(display, "", why));
        return Parse(json, display);
    }

    /// <param name="sourcePath">Shown in errors and kept as the profile's source; its file name gives the id unless it is `config.json`.</param>
    public static ModelProfile Parse(string json, string sourcePath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Input.ReaderLimits.JsonDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (ArgumentException)
        {
            // Only text that is not valid UTF-16 gets here (a lone surrogate char); text read from a file never is.
            throw new ModelImportException(sourcePath, "", "not valid JSON: the text is not valid Unicode (a lone surrogate)");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? $" at line {l + 1}" : "";
            throw new ModelImportException(sourcePath, "", $"not valid JSON{where}: {e.Message.Split('\n')[0]}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelImportException(sourcePath, "", "expected a JSON object of config fields");
            CheckUnicode(doc.RootElement, sourcePath, "");
            return new Reader(doc.RootElement, sourcePath).Model();
        }
    }

    /// <summary>
    /// JSON may spell a lone surrogate (`"\ud800"`), which is no text at all: refuse it here, naming the field, so that
    /// no later read of a name or a string fails. Depth is bounded by the reader's MaxDepth.
    /// </summary>
    static void CheckUnicode(JsonElement e, string file, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    string name;
                    try { name = p.Name; }
                    catch (InvalidOperationException) { throw new ModelImportException(file, path, "a field name is not valid Unicode (a lone surrogate escape such as \\ud800)"); }
                    CheckUnicode(p.Value, file, path.Length == 0 ? name : path + "." + name);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray()) CheckUnicode(item, file, $"{path}[{i++}]");
                break;
            case JsonValueKind.String:
                try { e.GetString(); }
                catch (InvalidOperationException) { throw new ModelImportException(file, path, "expected text, got a lone surrogate escape such as \\ud800 (not valid Unicode)"); }
                break;
        }
    }

    sealed class Reader(JsonElement root, string file)
    {
        ModelImportException Error(string field, string problem) => new(file, field, problem);

        JsonElement? Get(string key)
        {
            if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v;
        }

        long? OptLong(string key, long min, long max)
        {
            if (Get(key) is not { } v) return null;
            if (v.ValueKind != JsonValueKind.Number)
                throw Error(key, $"expected a whole number from {min} to {max}, got {v.ValueKind.ToString().ToLowerInvariant()} {Short(v)}");
            if (!v.TryGetInt64(out var n))
            {
                // 1e12 or 4096.0: accept whole doubles only to give a range error rather than a type error
                if (!v.TryGetDouble(out var d) || d != Math.Floor(d) || double.IsInfinity(d))
                    throw Error(key, $"expected a whole number from {min} to {max}, got {Short(v)}");
                if (d < min || d > max) throw Error(key, $"expected a whole number from {min} to {max}, got {Short(v)}");
                n = (long)d;
            }
            if (n < min || n > max) throw Error(key, $"expected a whole number from {min} to {max}, got {Short(v)}");
            return n;
        }

        int? Opt(string key, long min, long max) => (int?)OptLong(key, min, max);
        int Req(string key, long max) => Opt(key, 1, max) ?? throw Error(key, "is required but missing");
        int ReqAny(long max, params string[] keys)
        {
            foreach (var k in keys) if (Opt(k, 1, max) is { } v) return v;
            throw Error(keys[0], "is required but missing");
        }

        bool Bool(string key, bool fallback)
        {
            if (Get(key) is not { } v) return fallback;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(key, $"expected true or false, got {Short(v)}"),
            };
        }

        string? Str(string key) => Get(key) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(key, $"expected a string, got {Short(v)}")
            : null;

        static string Short(JsonElement v) => GgufReader.Printable(v.GetRawText());

        string Family()
        {
            if (Str("model_type") is { } mt)
            {
                if (Families.ContainsKey(mt)) return mt;
                throw Error("model_type", $"'{GgufReader.Printable(mt)}' is not a supported family; supported: {string.Join(", ", Families.Keys)}");
            }
            if (Get("architectures") is { ValueKind: JsonValueKind.Array } archs && archs.GetArrayLength() > 0 &&
                archs[0].ValueKind == JsonValueKind.String)
            {
                var cls = archs[0].GetString()!;
                foreach (var (k, v) in Families) if (v == cls) return k;
                throw Error("architectures", $"'{GgufReader.Printable(cls)}' is not a supported architecture; supported: {string.Join(", ", Families.Values)}");
            }
            throw Error("model_type", "is required but missing (and there is no 'architectures' list to fall back on)");
        }

        string Id()
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            if (!string.Equals(stem, "config", StringComparison.OrdinalIgnoreCase) && stem.Length > 0)
                return Slug(stem.EndsWith("-config", StringComparison.OrdinalIgnoreCase) ? stem[..^7] : stem);
            if (Str("_name_or_path") is { Length: > 0 } np) return Slug(np.TrimEnd('/').Split('/')[^1]);
            var dir = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)) ?? "");
            return dir.Length > 0 ? Slug(dir) : "imported-model";
        }

        static string Slug(string s) => new string(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray());

        public ModelProfile Model()
        {
            var family = Family();
            var a = family switch
            {
                "gpt2" => Gpt2(),
                "gptj" => GptJ(),
                _ => LlamaLike(family),
            };
            if (a.Heads % a.KvHeads != 0)
                throw Error("num_key_value_heads", $"({a.KvHeads}) must divide num_attention_heads ({a.Heads}) evenly");
            if (ModelRules.Check(a) is { } v) throw Error(KeyOf(family, v.Field), v.Problem);
            var p = ParameterCount.Of(a);
            var id = Id();
            var name = Str("_name_or_path") is { Length: > 0 } np ? np : id;
            return new ModelProfile(id, name, file, a, p.Total, a.Moe is null ? null : p.ActivePerToken,
                $"derived from {file} (ParameterCount.Of)", file);
        }

        /// <summary>The config.json key behind a schema field named by <see cref="ModelRules"/>.</summary>
        static string KeyOf(string family, string field)
        {
            bool gpt = family is "gpt2" or "gptj";
            return field switch
            {
                "layers" => gpt ? "n_layer" : "num_hidden_layers",
                "hidden" => gpt ? "n_embd" : "hidden_size",
                "heads" => gpt ? "n_head" : "num_attention_heads",
                "kv_heads" => "num_key_value_heads",
                "head_dim" => "head_dim",
                "intermediate" => gpt ? "n_inner" : "intermediate_size",
                "vocab" => "vocab_size",
                "max_context" => gpt ? "n_positions" : "max_position_embeddings",
                "moe.expert_intermediate" => "moe_intermediate_size",
                "mla.kv_lora_rank" => "kv_lora_rank",
                "mla.q_lora_rank" => "q_lora_rank",
                "mla.qk_nope_head_dim" => "qk_nope_head_dim",
                "mla.qk_rope_head_dim" => "qk_rope_head_dim",
                "mla.v_head_dim" => "v_head_dim",
                "sliding_window.window" => "sliding_window",
                _ => field,
            };
        }

        int HeadDimFor(int hidden, int heads, string headDimKey = "head_dim")
        {
            if (Opt(headDimKey, 1, ModelLimits.HeadDim) is { } hd) return hd;
            if (hidden % heads != 0)
                throw Error("num_attention_heads", $"({heads}) does not divide hidden_size ({hidden}) and no {headDimKey} is given");
            return hidden / heads;
        }

        ModelArchitecture Gpt2()
        {
            var hidden = Req("n_embd", ModelLimits.Hidden);
            var layers = Req("n_layer", ModelLimits.Layers);
            var heads = Req("n_head", ModelLimits.Heads);
            if (hidden % heads != 0) throw Error("n_head", $"({heads}) does not divide n_embd ({hidden})");
            var inner = Opt("n_inner", 1, ModelLimits.Intermediate) ?? 4 * hidden;
            var vocab = Req("vocab_size", ModelLimits.Vocab);
            var ctx = ReqAny((int)ModelLimits.Context, "n_positions", "n_ctx");
            return new ModelArchitecture(layers, hidden, heads, heads, hidden / heads, inner, vocab, MlpKind.Plain, NormKind.LayerNorm,
                PositionKind.Learned, Bool("tie_word_embeddings", true), AttentionBias: true, MlpBias: true, ctx, null, null, null);
        }

        ModelArchitecture GptJ()
        {
            var hidden = Req("n_embd", ModelLimits.Hidden);
            var layers = Req("n_layer", ModelLimits.Layers);
            var heads = Req("n_head", ModelLimits.Heads);
            if (hidden % heads != 0) throw Error("n_head", $"({heads}) does not divide n_embd ({hidden})");
            var inner = Opt("n_inner", 1, ModelLimits.Intermediate) ?? 4 * hidden;
            var vocab = Req("vocab_size", ModelLimits.Vocab);
            var ctx = Req("n_positions", ModelLimits.Context);
            var tied = Bool("tie_word_embeddings", false);
            return new ModelArchitecture(layers, hidden, heads, heads, hidden / heads, inner, vocab, MlpKind.Plain, NormKind.LayerNorm,
                PositionKind.Rope, tied, AttentionBias: false, MlpBias: true, ctx, null, null, null,
                NormsPerLayer: 1, ParallelAttentionMlp: true, LmHeadBias: !tied);
        }

        ModelArchitecture LlamaLike(string family)
        {
            var hidden = Req("hidden_size", ModelLimits.Hidden);
            var layers = Req("num_hidden_layers", ModelLimits.Layers);
            var heads = Req("num_attention_heads", ModelLimits.Heads);
            var kvHeads = Opt("num_key_value_heads", 1, ModelLimits.Heads) ?? heads;
            var vocab = Req("vocab_size", ModelLimits.Vocab);
            var ctx = Req("max_position_embeddings", ModelLimits.Context);
            bool gemma = family is "gemma" or "gemma2";
            bool deepseek = family is "deepseek_v2" or "deepseek_v3";
            var tied = Bool("tie_word_embeddings", gemma);
            var attnBias = Bool("attention_bias", family is "qwen2" or "gpt_oss");
            bool? attnOutBias = family == "qwen2" ? false : null;
            var mlpBias = Bool("mlp_bias", family == "gpt_oss");
            int norms = family == "gemma2" ? 4 : 2;

            MoeSpec? moe = null;
            MlaSpec? mla = null;
            int intermediate;
            switch (family)
            {
                case "mixtral":
                case "gpt_oss":
                {
                    intermediate = Req("intermediate_size", ModelLimits.Intermediate);
                    var experts = Req("num_local_experts", ModelLimits.Experts);
                    var active = Opt("num_experts_per_tok", 1, experts) ?? Opt("experts_per_token", 1, experts)
                                 ?? throw Error("num_experts_per_tok", "is required but missing");
                    moe = new MoeSpec(experts, active, 0, intermediate, 0, 0, 0, RouterBias: family == "gpt_oss");
                    break;
                }
                case "qwen3_moe":
                {
                    intermediate = Req("intermediate_size", ModelLimits.Intermediate);
                    var experts = Req("num_experts", ModelLimits.Experts);
                    var active = Opt("num_experts_per_tok", 1, experts) ?? throw Error("num_experts_per_tok", "is required but missing");
                    var expertInter = Req("moe_intermediate_size", ModelLimits.Intermediate);
                    var step = Opt("decoder_sparse_step", 1, layers) ?? 1;
                    int denseLayers = 0;
                    if (Get("mlp_only_layers") is { ValueKind: JsonValueKind.Array } only) denseLayers = only.GetArrayLength();
                    if (step > 1) denseLayers = layers - layers / step;
                    if (denseLayers >= layers) throw Error("mlp_only_layers", $"leaves no MoE layer of {layers}");
                    moe = new MoeSpec(experts, active, 0, expertInter, 0, denseLayers, denseLayers > 0 ? intermediate : 0);
                    break;
                }
                case "deepseek_v2":
                case "deepseek_v3":
                {
                    intermediate = Req("intermediate_size", ModelLimits.Intermediate);
                    var experts = Opt("n_routed_experts", 1, ModelLimits.Experts);
                    if (experts is { } n)
                    {
                        var active = Opt("num_experts_per_tok", 1, n) ?? throw Error("num_experts_per_tok", "is required but missing");
                        var shared = Opt("n_shared_experts", 0, ModelLimits.Experts) ?? 0;
                        var expertInter = Req("moe_intermediate_size", ModelLimits.Intermediate);
                        var dense = Opt("first_k_dense_replace", 0, layers - 1) ?? 0;
                        if ((Opt("moe_layer_freq", 1, layers) ?? 1) != 1)
                            throw Error("moe_layer_freq", "only 1 (every layer after first_k_dense_replace is MoE) is supported");
                        moe = new MoeSpec(n, active, shared, expertInter, shared > 0 ? expertInter : 0, dense, dense > 0 ? intermediate : 0,
                            RouterBias: family == "deepseek_v3" || Str("topk_method") == "noaux_tc");
                    }
                    var kvLora = Req("kv_lora_rank", ModelLimits.Hidden);
                    var qLora = Opt("q_lora_rank", 1, ModelLimits.Hidden) ?? 0;
                    var nope = Req("qk_nope_head_dim", ModelLimits.HeadDim);
                    var rope = Req("qk_rope_head_dim", ModelLimits.HeadDim);
                    var v = Req("v_head_dim", ModelLimits.HeadDim);
                    mla = new MlaSpec(qLora, kvLora, nope, rope, v);
                    kvHeads = heads;
                    break;
                }
                default:
                    intermediate = Req("intermediate_size", ModelLimits.Intermediate);
                    break;
            }

            int headDim = deepseek ? (mla!.QkNopeHeadDim + mla.QkRopeHeadDim) : HeadDimFor(hidden, heads);

            SlidingWindow? window = null;
            bool useSwa = family switch
            {
                "qwen2" or "qwen3" or "qwen3_moe" => Bool("use_sliding_window", false),
                _ => true,
            };
            if (useSwa && family is "mistral" or "mixtral" or "phi3" or "gemma2" or "gpt_oss" or "qwen2" or "qwen3" or "qwen3_moe"
                && Opt("sliding_window", 0, ModelLimits.Context) is > 0 and var w)
                window = new SlidingWindow(w, family is "gemma2" or "gpt_oss" ? 2 : 1);

            return new ModelArchitecture(layers, hidden, heads, kvHeads, headDim, intermediate, vocab, MlpKind.Gated, NormKind.RmsNorm,
                PositionKind.Rope, tied, attnBias, mlpBias, ctx, moe, mla, window,
                NormsPerLayer: norms, AttentionOutBias: attnOutBias, AttentionSinks: family == "gpt_oss",
                QkNorm: family is "qwen3" or "qwen3_moe");
        }
    }
}

using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Data.Validation;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Data.Workloads;

/// <summary>Loads models, quantization schemes, KV-cache formats and scenarios from YAML, strictly.</summary>
public static class WorkloadLoader
{
    public static ModelProfile LoadModel(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var source = root.String("source");
        var p = root.Map("parameters");
        var published = p.PositiveNumber("published");
        var active = p.OptionalPositiveNumber("active");
        if (active > published) throw p.Error("active", $"cannot exceed the published total ({published})");
        var activeWithEmbedding = p.OptionalBool("active_includes_embedding", true);
        if (active is null && p.Has("active_includes_embedding"))
            throw p.Error("active_includes_embedding", "only applies when 'active' is given");
        var pSource = p.String("source");
        p.Done();
        var archMap = root.Map("architecture");
        var arch = ReadArchitecture(archMap);
        root.OptionalString("notes");
        root.Done();
        var model = new ModelProfile(id, name, source, arch, published, active, pSource, root.File, activeWithEmbedding);
        if (ModelRules.Check(model) is { } v)
            throw v.Field.StartsWith("parameters.", StringComparison.Ordinal) ? At(p, v, "parameters.") : At(archMap, v, "architecture.");
        return model;
    }

    /// <summary>A rule's violation as a one-line error at the line of the field it names (nested names: their first part).</summary>
    static ProfileException At(YamlMap map, Violation v, string prefix)
    {
        var field = v.Field.StartsWith(prefix, StringComparison.Ordinal) ? v.Field[prefix.Length..] : v.Field;
        var at = map.Error(field.Split('.')[0], v.Problem);
        return new ProfileException(at.File, at.Line, map.Path.Length == 0 ? field : map.Path + "." + field, v.Problem);
    }

    public static ModelArchitecture ReadArchitecture(YamlMap a)
    {
        var layers = a.PositiveInt("layers");
        var hidden = a.PositiveInt("hidden");
        var heads = a.PositiveInt("heads");
        var kvHeads = a.OptionalPositiveInt("kv_heads") ?? heads;
        if (heads % kvHeads != 0) throw a.Error("kv_heads", $"must divide heads ({heads}) evenly, got {kvHeads}");
        var explicitHeadDim = a.OptionalPositiveInt("head_dim");
        if (explicitHeadDim is null && hidden % heads != 0)
            throw a.Error("heads", $"({heads}) does not divide hidden ({hidden}) and no head_dim is given");
        var headDim = explicitHeadDim ?? hidden / heads;
        var intermediate = a.PositiveInt("intermediate");
        var vocab = a.PositiveInt("vocab");
        var mlp = a.OptionalEnum("mlp", MlpKind.Gated);
        var norm = a.OptionalEnum("norm", NormKind.RmsNorm);
        var position = a.OptionalEnum("position", PositionKind.Rope);
        var tied = a.OptionalBool("tied_embeddings", false);
        var attnBias = a.OptionalBool("attention_bias", false);
        var mlpBias = a.OptionalBool("mlp_bias", false);
        var maxContext = a.PositiveInt("max_context");
        var norms = a.OptionalNonNegativeInt("norms_per_layer") ?? 2;
        if (norms > 8) throw a.Error("norms_per_layer", $"expected at most 8 norms per layer, got {norms}");
        var parallel = a.OptionalBool("parallel_attention_mlp", false);
        bool? attnOutBias = a.Has("attention_out_bias") ? a.OptionalBool("attention_out_bias", attnBias) : null;
        var lmHeadBias = a.OptionalBool("lm_head_bias", false);
        if (lmHeadBias && tied) throw a.Error("lm_head_bias", "needs an untied lm_head (tied_embeddings: false)");
        var sinks = a.OptionalBool("attention_sinks", false);
        var qkNorm = a.OptionalBool("qk_norm", false);

        MoeSpec? moe = null;
        if (a.OptionalMap("moe") is { } m)
        {
            var experts = m.PositiveInt("experts");
            var activeExperts = m.PositiveInt("active");
            if (activeExperts > experts) throw m.Error("active", $"cannot exceed experts ({experts})");
            moe = new MoeSpec(experts, activeExperts, m.OptionalNonNegativeInt("shared") ?? 0, m.PositiveInt("expert_intermediate"),
                m.OptionalPositiveInt("shared_intermediate") ?? 0, m.OptionalNonNegativeInt("dense_layers") ?? 0,
                m.OptionalPositiveInt("dense_intermediate") ?? 0, m.OptionalBool("router_bias", false));
            if (moe.DenseLayers >= layers) throw m.Error("dense_layers", $"must be fewer than layers ({layers})");
            m.Done();
        }
        MlaSpec? mla = null;
        if (a.OptionalMap("mla") is { } l)
        {
            mla = new MlaSpec(l.OptionalNonNegativeInt("q_lora_rank") ?? 0, l.PositiveInt("kv_lora_rank"),
                l.PositiveInt("qk_nope_head_dim"), l.PositiveInt("qk_rope_head_dim"), l.PositiveInt("v_head_dim"));
            l.Done();
        }
        SlidingWindow? window = null;
        if (a.OptionalMap("sliding_window") is { } w)
        {
            window = new SlidingWindow(w.PositiveInt("window"), w.OptionalPositiveInt("every_nth_layer") ?? 1);
            w.Done();
        }
        a.Done();
        return new ModelArchitecture(layers, hidden, heads, kvHeads, headDim, intermediate, vocab, mlp, norm, position,
            tied, attnBias, mlpBias, maxContext, moe, mla, window, norms, parallel, attnOutBias, lmHeadBias, sinks, qkNorm);
    }

    public static QuantScheme LoadQuant(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var source = root.String("source");
        var aliases = root.OptionalStringList("aliases");
        var w = root.Map("weights");
        var wType = ReadType(w, "type");
        var bits = w.PositiveNumber("bits_per_weight");
        if (bits > 32) throw w.Error("bits_per_weight", $"expected at most 32 bits per weight, got {bits}");
        var group = w.OptionalPositiveInt("group_size");
        var emb = w.OptionalPositiveNumber("embedding_bits_per_weight");
        var head = w.OptionalPositiveNumber("lm_head_bits_per_weight");
        var attention = w.OptionalPositiveNumber("attention_bits_per_weight");
        w.Done();
        var act = ReadType(root, "activations");
        var compute = ReadType(root, "compute");
        var kv = root.String("kv_cache");
        root.OptionalString("notes");
        root.Done();
        var q = new QuantScheme(id, name, source, wType, bits, group, act, compute, kv, emb, head, aliases, root.File, attention);
        if (WorkloadRules.Check(q) is { } v) throw At(w, v, "weights.");
        return q;
    }

    static DataType ReadType(YamlMap m, string key) => m.Enum<DataType>(key);

    public static KvCacheFormat LoadKv(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var kv = new KvCacheFormat(root.String("id"), root.String("name"), root.PositiveNumber("bits_per_element"), root.String("source"), root.File);
        root.OptionalString("notes");
        root.Done();
        if (WorkloadRules.Check(kv) is { } v) throw At(root, v, "");
        return kv;
    }

    public static Scenario LoadScenario(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var s = new Scenario(root.String("id"), root.PositiveInt("batch"), root.PositiveInt("prompt_tokens"),
            root.PositiveInt("gen_tokens"), root.OptionalString("description") ?? "");
        root.Done();
        if (WorkloadRules.Check(s) is { } v) throw At(root, v, "");
        return s;
    }
}

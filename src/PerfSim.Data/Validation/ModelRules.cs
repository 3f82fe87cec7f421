using System.Globalization;
using PerfSim.Core.Workloads;

namespace PerfSim.Data.Validation;

/// <summary>
/// The one check of a model's architecture, shared by the YAML loader and the config.json and GGUF importers, run
/// before anything reaches the engine: every number in range, heads divisible by KV heads, widths (heads × head_dim)
/// and the implied parameter count bounded, so no product overflows and every figure the engine derives is finite.
/// Field names are the YAML schema's (docs/profile-schema.md); importers translate them to their own keys.
/// </summary>
public static class ModelRules
{
    public static Violation? Check(ModelArchitecture a)
    {
        static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        Violation? Range(string field, long v, long min, long max) =>
            v < min || v > max ? new(field, $"expected a whole number from {min} to {max}, got {v}") : null;
        Violation? Width(string field, string what, long v) =>
            v > ModelLimits.Width ? new(field, $"{what} = {v} is more than the limit of {ModelLimits.Width}") : null;

        var v = Range("layers", a.Layers, 1, ModelLimits.Layers)
            ?? Range("hidden", a.Hidden, 1, ModelLimits.Hidden)
            ?? Range("heads", a.Heads, 1, ModelLimits.Heads)
            ?? Range("kv_heads", a.KvHeads, 1, a.Heads)
            ?? (a.Heads % a.KvHeads != 0 ? new Violation("kv_heads", $"must divide heads ({a.Heads}) evenly, got {a.KvHeads}") : null)
            ?? Range("head_dim", a.HeadDim, 1, ModelLimits.HeadDim)
            ?? Width("head_dim", $"heads × head_dim = {a.Heads} × {a.HeadDim}", (long)a.Heads * a.HeadDim)
            ?? Range("intermediate", a.Intermediate, 1, ModelLimits.Intermediate)
            ?? Range("vocab", a.Vocab, 1, ModelLimits.Vocab)
            ?? Range("max_context", a.MaxContext, 1, ModelLimits.Context)
            ?? Range("norms_per_layer", a.NormsPerLayer, 0, ModelLimits.NormsPerLayer);
        if (v is not null) return v;

        if (a.Mla is { } m)
        {
            v = Range("mla.q_lora_rank", m.QLoraRank, 0, ModelLimits.Hidden)
                ?? Range("mla.kv_lora_rank", m.KvLoraRank, 1, ModelLimits.Hidden)
                ?? Range("mla.qk_nope_head_dim", m.QkNopeHeadDim, 1, ModelLimits.HeadDim)
                ?? Range("mla.qk_rope_head_dim", m.QkRopeHeadDim, 1, ModelLimits.HeadDim)
                ?? Range("mla.v_head_dim", m.VHeadDim, 1, ModelLimits.HeadDim)
                ?? Width("mla.qk_nope_head_dim", $"heads × (qk_nope_head_dim + qk_rope_head_dim) = {a.Heads} × {(long)m.QkNopeHeadDim + m.QkRopeHeadDim}", a.Heads * ((long)m.QkNopeHeadDim + m.QkRopeHeadDim))
                ?? Width("mla.v_head_dim", $"heads × v_head_dim = {a.Heads} × {m.VHeadDim}", (long)a.Heads * m.VHeadDim)
                ?? Width("mla.kv_lora_rank", $"kv_lora_rank + qk_rope_head_dim = {m.KvLoraRank} + {m.QkRopeHeadDim}", (long)m.KvLoraRank + m.QkRopeHeadDim);
            if (v is not null) return v;
        }
        if (a.Moe is { } e)
        {
            v = Range("moe.experts", e.Experts, 1, ModelLimits.Experts)
                ?? Range("moe.active", e.Active, 1, e.Experts)
                ?? Range("moe.shared", e.Shared, 0, ModelLimits.Experts)
                ?? Range("moe.expert_intermediate", e.ExpertIntermediate, 1, ModelLimits.Intermediate)
                ?? Range("moe.shared_intermediate", e.SharedIntermediate, 0, ModelLimits.Intermediate)
                ?? Range("moe.dense_layers", e.DenseLayers, 0, a.Layers - 1)
                ?? Range("moe.dense_intermediate", e.DenseIntermediate, 0, ModelLimits.Intermediate);
            if (v is not null) return v;
        }
        if (a.Window is { } w)
        {
            v = Range("sliding_window.window", w.Window, 1, ModelLimits.Context)
                ?? Range("sliding_window.every_nth_layer", w.EveryNthLayer, 1, a.Layers);
            if (v is not null) return v;
        }

        var p = ParameterCount.Of(a);
        foreach (var (name, value) in new[] { ("total", p.Total), ("active", p.ActivePerToken) })
            if (!double.IsFinite(value) || value <= 0 || value > ModelLimits.Parameters)
                return new Violation("layers", $"the shape implies {N(value)} {name} parameters; expected a positive number up to {N(ModelLimits.Parameters)}");
        return null;
    }

    /// <summary>The architecture and the published counts (positive, finite, at most the limit; active ≤ total).</summary>
    public static Violation? Check(ModelProfile m)
    {
        static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        if (Check(m.Architecture) is { } v) return v;
        if (!(m.PublishedParameters > 0 && m.PublishedParameters <= ModelLimits.Parameters))
            return new("parameters.published", $"expected a positive number up to {N(ModelLimits.Parameters)}, got {N(m.PublishedParameters)}");
        if (m.PublishedActiveParameters is { } act && !(act > 0 && act <= m.PublishedParameters))
            return new("parameters.active", $"expected a positive number up to the published total ({N(m.PublishedParameters)}), got {N(act)}");
        return null;
    }
}

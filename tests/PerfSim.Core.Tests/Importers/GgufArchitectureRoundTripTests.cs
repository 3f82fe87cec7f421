using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Importers;

/// <summary>
/// Writes a header-only GGUF for a built-in model with llama.cpp's tensor names (fused attn_qkv for gpt2, per-expert
/// stacks ffn_*_exps for MoE, post-norms for gemma2) and checks that the import gives back the same architecture and
/// that the tensor elements sum to <see cref="ParameterCount"/>'s total: two independent counts of the same model.
/// </summary>
public class GgufArchitectureRoundTripTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));

    [Theory]
    [InlineData("gpt-2-xl", "gpt2")]
    [InlineData("gpt-j-6b", "gptj")]
    [InlineData("mixtral-8x7b", "llama")]
    [InlineData("gemma-2-9b", "gemma2")]
    [InlineData("qwen2.5-0.5b", "qwen2")]
    [InlineData("qwen3-30b-a3b", "qwen3moe")]
    [InlineData("gpt-oss-20b", "gpt-oss")]
    [InlineData("llama-3.2-1b", "llama")]
    public void BuiltInModelRoundTripsThroughGguf(string id, string arch)
    {
        var model = Catalog.Value.GetModel(id);
        var bytes = Write(model.Architecture, arch).Build(withData: false);
        var import = GgufReader.Import(GgufReader.Read(new MemoryStream(bytes), id + ".gguf", requireTensorData: false));
        Assert.Equal(model.Architecture, import.Model.Architecture);
        Assert.Equal(ParameterCount.Of(model.Architecture).Total, import.File.TotalElements);
    }

    static GgufWriter Write(ModelArchitecture a, string arch)
    {
        const GgmlType W = GgmlType.F16, V = GgmlType.F32;
        long h = a.Hidden, q = a.QueryWidth, kv = a.KvWidth;
        var g = new GgufWriter()
            .Add("general.architecture", arch)
            .Add($"{arch}.block_count", (uint)a.Layers)
            .Add($"{arch}.context_length", (uint)a.MaxContext)
            .Add($"{arch}.embedding_length", (uint)a.Hidden)
            .Add($"{arch}.feed_forward_length", (uint)a.Intermediate)
            .Add($"{arch}.attention.head_count", (uint)a.Heads)
            .Add($"{arch}.attention.head_count_kv", (uint)a.KvHeads);
        if (a.HeadDim * a.Heads != a.Hidden) g.Add($"{arch}.attention.key_length", (uint)a.HeadDim).Add($"{arch}.attention.value_length", (uint)a.HeadDim);
        if (a.Window is { } w) g.Add($"{arch}.attention.sliding_window", (uint)w.Window);
        if (a.Moe is { } moe)
        {
            g.Add($"{arch}.expert_count", (uint)moe.Experts).Add($"{arch}.expert_used_count", (uint)moe.Active);
            if (moe.ExpertIntermediate != a.Intermediate || arch != "llama") g.Add($"{arch}.expert_feed_forward_length", (uint)moe.ExpertIntermediate);
        }
        bool ln = a.Norm == NormKind.LayerNorm;
        void Norm(string name) { g.Tensor(name + ".weight", V, h); if (ln) g.Tensor(name + ".bias", V, h); }

        g.Tensor("token_embd.weight", W, h, a.Vocab);
        if (a.Position == PositionKind.Learned) g.Tensor("position_embd.weight", W, h, a.MaxContext);
        for (int i = 0; i < a.Layers; i++)
        {
            var b = $"blk.{i}.";
            Norm(b + "attn_norm");
            if (a.NormsPerLayer >= 2) Norm(b + (arch == "gpt-oss" ? "post_attention_norm" : "ffn_norm"));
            if (a.NormsPerLayer == 4) { Norm(b + "post_attention_norm"); Norm(b + "post_ffw_norm"); }
            if (arch == "gpt2")
            {
                g.Tensor(b + "attn_qkv.weight", W, h, q + 2 * kv).Tensor(b + "attn_qkv.bias", V, q + 2 * kv);
            }
            else
            {
                g.Tensor(b + "attn_q.weight", W, h, q).Tensor(b + "attn_k.weight", W, h, kv).Tensor(b + "attn_v.weight", W, h, kv);
                if (a.AttentionBias) g.Tensor(b + "attn_q.bias", V, q).Tensor(b + "attn_k.bias", V, kv).Tensor(b + "attn_v.bias", V, kv);
            }
            g.Tensor(b + "attn_output.weight", W, a.AttentionOutWidth, h);
            if (a.HasAttentionOutBias) g.Tensor(b + "attn_output.bias", V, h);
            if (a.QkNorm) g.Tensor(b + "attn_q_norm.weight", V, a.HeadDim).Tensor(b + "attn_k_norm.weight", V, a.HeadDim);
            if (a.AttentionSinks) g.Tensor(b + "attn_sinks.weight", V, a.Heads);
            if (a.Moe is { } m)
            {
                long e = m.Experts, f = m.ExpertIntermediate;
                g.Tensor(b + "ffn_gate_inp.weight", V, h, e);
                if (m.RouterBias) g.Tensor(b + "ffn_gate_inp.bias", V, e);
                g.Tensor(b + "ffn_gate_exps.weight", W, h, f, e).Tensor(b + "ffn_up_exps.weight", W, h, f, e).Tensor(b + "ffn_down_exps.weight", W, f, h, e);
                if (a.MlpBias) g.Tensor(b + "ffn_gate_exps.bias", V, f, e).Tensor(b + "ffn_up_exps.bias", V, f, e).Tensor(b + "ffn_down_exps.bias", V, h, e);
            }
            else
            {
                long f = a.Intermediate;
                if (a.Mlp == MlpKind.Gated) g.Tensor(b + "ffn_gate.weight", W, h, f);
                g.Tensor(b + "ffn_up.weight", W, h, f).Tensor(b + "ffn_down.weight", W, f, h);
                if (a.MlpBias)
                {
                    if (a.Mlp == MlpKind.Gated) g.Tensor(b + "ffn_gate.bias", V, f);
                    g.Tensor(b + "ffn_up.bias", V, f).Tensor(b + "ffn_down.bias", V, h);
                }
            }
        }
        Norm("output_norm");
        if (!a.TiedEmbeddings) g.Tensor("output.weight", W, h, a.Vocab);
        if (a.LmHeadBias) g.Tensor("output.bias", V, a.Vocab);
        return g;
    }
}

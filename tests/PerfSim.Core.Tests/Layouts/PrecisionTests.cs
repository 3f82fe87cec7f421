using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Layouts;

/// <summary>Per-tensor precision and MLA prefill.</summary>
public class PrecisionTests
{
    [Fact]
    public void Mxfp4_keeps_attention_embeddings_and_head_at_16_bits()
    {
        var p = LayoutFixtures.Predict("nvidia-h200-sxm", "gpt-oss-120b", "mxfp4").Prediction;
        var a = p.Workload.Arch;
        var parts = ParameterCount.Of(a);
        double attention = parts.AttentionPerLayer * a.Layers;
        double experts = parts.RoutedExpertPerExpert * a.Moe!.Experts * a.MoeLayers;
        double rest = parts.Total - parts.Embedding - parts.LmHead - attention - experts;
        double expected = attention * 2 + (experts + rest) * 4.25 / 8 + (parts.Embedding + parts.LmHead) * 2;
        Assert.Equal(expected, p.Memory.Weights.Value, 0);
        var qkv = p.Decode.Operators.Single(o => o.Operator.Name == "qkv_proj").Operator;
        Assert.Equal(2.0, qkv.WeightBytes / ((parts.AttentionPerLayer - (double)a.AttentionOutWidth * a.Hidden)), 6);
    }

    [Fact]
    public void Mla_prefill_uses_the_non_absorbed_form_when_it_is_cheaper()
    {
        // DeepSeek-V3, one sequence of 8192 tokens, one layer's attention FLOPs (TP1):
        // absorbed: pairs × 2 × 128 × (2 × 512 + 64); non-absorbed: pairs × (2 × 128 × 192 + 2 × 128 × 128)
        // + 8192 keys × 2 × 512 × 128 × (128 + 128).
        var p = LayoutFixtures.Predict("nvidia-h200-sxm", "deepseek-v3", "fp8", devices: 8, tp: 8, batch: 1, prompt: 8192, gen: 16).Prediction;
        var att = p.Prefill.Operators.Single(o => o.Operator.Name == "attention").Operator;
        double pairs = 8192.0 * 8193 / 2;
        double absorbed = pairs * 2 * 128 * (2 * 512 + 64);
        double plain = pairs * (2 * 128 * 192 + 2 * 128 * 128) + 8192.0 * 2 * 512 * 128 * 256;
        Assert.True(plain < absorbed);
        Assert.Equal(plain / 8, att.Flops, 0);
        // Decode stays absorbed (one query per step: the expansion would cost more than it saves).
        var dec = p.Decode.Operators.Single(o => o.Operator.Name == "attention").Operator;
        Assert.Equal(p.Decode.ContextTokens * 2 * 128 * (2 * 512 + 64) / 8, dec.Flops, 0);
    }
}

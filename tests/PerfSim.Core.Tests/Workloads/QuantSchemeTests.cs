using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Workloads;

public class QuantSchemeTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));

    [Fact]
    public void CatalogLoadsWithEveryRequiredSchemeAndKvFormat()
    {
        var c = Catalog.Value;
        foreach (var id in new[] { "fp16", "f16", "bf16", "fp8", "int8", "w8a16", "w4a16", "int4-g128", "q8_0", "q4_0", "q4_1",
                     "q5_0", "q5_1", "q4_k_m", "q5_k_m", "q6_k", "mxfp4", "nvfp4" })
            Assert.NotNull(c.GetQuant(id));
        foreach (var id in new[] { "fp16", "fp8", "int8", "q8_0", "q4_0" })
            Assert.NotNull(c.GetKv(id));
        Assert.Same(c.GetQuant("fp16"), c.GetQuant("f16"));
    }

    [Fact]
    public void EveryReferencedKvFormatExists()
    {
        var c = Catalog.Value;
        foreach (var q in c.Quants.Values)
            Assert.True(c.KvFormats.ContainsKey(q.KvCache), $"{q.Id}: kv_cache '{q.KvCache}' is not a KV format");
    }

    /// <summary>Schemes that are one ggml block type: bits per weight = block bytes × 8 / block size.</summary>
    [Theory]
    [InlineData("q4_0", GgmlType.Q4_0, 4.5)]
    [InlineData("q4_1", GgmlType.Q4_1, 5.0)]
    [InlineData("q5_0", GgmlType.Q5_0, 5.5)]
    [InlineData("q5_1", GgmlType.Q5_1, 6.0)]
    [InlineData("q8_0", GgmlType.Q8_0, 8.5)]
    [InlineData("q6_k", GgmlType.Q6_K, 6.5625)]
    [InlineData("mxfp4", GgmlType.MXFP4, 4.25)]
    [InlineData("fp16", GgmlType.F16, 16)]
    [InlineData("bf16", GgmlType.BF16, 16)]
    public void GgmlBlockSchemesMatchTheirBlockLayout(string id, GgmlType type, double expected)
    {
        var t = GgmlTypes.Of(type);
        Assert.Equal(expected, t.BitsPerWeight, 10);
        Assert.Equal(t.BitsPerWeight, Catalog.Value.GetQuant(id).BitsPerWeight, 10);
    }

    [Fact]
    public void GgmlKvFormatsMatchTheirBlockLayout()
    {
        Assert.Equal(GgmlTypes.Of(GgmlType.Q8_0).BitsPerWeight, Catalog.Value.GetKv("q8_0").BitsPerElement, 10);
        Assert.Equal(GgmlTypes.Of(GgmlType.Q4_0).BitsPerWeight, Catalog.Value.GetKv("q4_0").BitsPerElement, 10);
    }

    [Theory]
    [InlineData(GgmlType.Q2_K, 2.625)]
    [InlineData(GgmlType.Q3_K, 3.4375)]
    [InlineData(GgmlType.Q4_K, 4.5)]
    [InlineData(GgmlType.Q5_K, 5.5)]
    [InlineData(GgmlType.Q8_K, 9.125)]
    [InlineData(GgmlType.IQ4_XS, 4.25)]
    [InlineData(GgmlType.IQ2_XXS, 2.0625)]
    public void KQuantBlockSizes(GgmlType type, double bits) => Assert.Equal(bits, GgmlTypes.Of(type).BitsPerWeight, 10);

    [Theory]
    [InlineData("nvfp4", 16, 4 + 8.0 / 16)]  // FP4 E2M1 + one FP8 E4M3 scale per 16
    [InlineData("w4a16", 128, 4 + 16.0 / 128)] // int4 + one fp16 scale per 128
    [InlineData("int4-g128", 128, 4 + 32.0 / 128)] // int4 + one fp32 scale per 128 (Neural Speed default)
    public void GroupedSchemesMatchTheirLayout(string id, int group, double bits)
    {
        var q = Catalog.Value.GetQuant(id);
        Assert.Equal(group, q.GroupSize);
        Assert.Equal(bits, q.BitsPerWeight, 10);
    }

    /// <summary>
    /// q4_K_M / q5_K_M are mixes: llama.cpp's use_more_bits rule puts attn_v and ffn_down at Q6_K in the first and
    /// last eighth of the layers and every third layer between, output at Q6_K, the rest at the base type.
    /// The scheme's layer bits must match that mix on Llama-class shapes, and the whole-file average must come out
    /// at llama.cpp's published file sizes (Llama 2 7B q4_K_M 3.80 GiB ≈ 4.85 bpw, Llama 3 8B ≈ 4.89 bpw).
    /// </summary>
    [Theory]
    [InlineData("q4_k_m", "llama-2-7b", GgmlType.Q4_K, 4.85)]
    [InlineData("q4_k_m", "llama-3-8b", GgmlType.Q4_K, 4.89)]
    [InlineData("q5_k_m", "llama-2-7b", GgmlType.Q5_K, 5.67)]
    [InlineData("q5_k_m", "llama-3-8b", GgmlType.Q5_K, 5.70)]
    public void KQuantMixesMatchLlamaCppRule(string quant, string model, GgmlType baseType, double fileBits)
    {
        var q = Catalog.Value.GetQuant(quant);
        var a = Catalog.Value.GetModel(model).Architecture;
        var p = ParameterCount.Of(a);
        double b = GgmlTypes.Of(baseType).BitsPerWeight, q6 = GgmlTypes.Of(GgmlType.Q6_K).BitsPerWeight;
        double h = a.Hidden, v = h * a.KvWidth, down = h * a.Intermediate;
        double layerWeights = p.AttentionPerLayer + p.DenseMlpPerLayer;
        double layerBits = 0;
        for (int i = 0; i < a.Layers; i++)
        {
            bool more = i < a.Layers / 8 || i >= 7 * a.Layers / 8 || (i - a.Layers / 8) % 3 == 2;
            layerBits += more ? (v + down) * q6 + (layerWeights - v - down) * b : layerWeights * b;
        }
        double layerAvg = layerBits / (a.Layers * layerWeights);
        Assert.InRange(q.BitsPerWeight, layerAvg - 0.03, layerAvg + 0.03);
        Assert.Equal(b, q.EmbeddingBitsPerWeight!.Value, 10);
        Assert.Equal(q6, q.LmHeadBitsPerWeight!.Value, 10);
        double file = (layerBits + p.Embedding * b + p.LmHead * q6) / (p.Total - p.FinalNorm - a.Layers * p.NormsPerLayer);
        Assert.InRange(file, fileBits - 0.015, fileBits + 0.015);
    }
}

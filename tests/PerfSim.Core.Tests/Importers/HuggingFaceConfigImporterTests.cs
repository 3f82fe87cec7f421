using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Importers;

public class HuggingFaceConfigImporterTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));

    /// <summary>Real config.json files as published; each must import to the built-in profile's architecture.</summary>
    [Theory]
    [InlineData("llama-3-8b-config.json", "llama-3-8b")]
    [InlineData("mixtral-8x7b-config.json", "mixtral-8x7b")]
    [InlineData("qwen2.5-7b-config.json", "qwen2.5-7b")]
    [InlineData("gpt-2-xl-config.json", "gpt-2-xl")]
    [InlineData("deepseek-v3-config.json", "deepseek-v3")]
    [InlineData("gpt-oss-20b-config.json", "gpt-oss-20b")]
    [InlineData("gemma-2-9b-config.json", "gemma-2-9b")]
    [InlineData("gpt-j-6b-config.json", "gpt-j-6b")]
    [InlineData("qwen3-30b-a3b-config.json", "qwen3-30b-a3b")]
    [InlineData("phi-3-mini-config.json", "phi-3-mini")]
    public void FixtureImportsToTheBuiltInArchitecture(string fixture, string modelId)
    {
        var path = TestData.Fixture(fixture);
        var imported = HuggingFaceConfigImporter.Import(path);
        var builtIn = Catalog.Value.GetModel(modelId);
        Assert.Equal(builtIn.Architecture, imported.Architecture);
        Assert.Equal(modelId, imported.Id);
        Assert.Equal(path.Replace('\\', '/'), imported.Source);
        var p = ParameterCount.Of(imported.Architecture);
        Assert.Equal(p.Total, imported.PublishedParameters);
        Assert.InRange(imported.PublishedParameters / builtIn.PublishedParameters, 0.98, 1.02);
        Assert.Equal(imported.Architecture.Moe is not null, imported.PublishedActiveParameters is not null);
    }

    static ModelImportException Fails(string json, string file = "models/x/config.json") =>
        Assert.Throws<ModelImportException>(() => HuggingFaceConfigImporter.Parse(json, file));

    const string Llama = """
        { "model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
          "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "max_position_embeddings": 8192 }
        """;

    [Fact]
    public void IdComesFromNameOrPathWhenTheFileIsConfigJson()
    {
        var m = HuggingFaceConfigImporter.Parse(Llama.Replace("{", "{ \"_name_or_path\": \"meta-llama/Meta-Llama-3-8B\","), "x/config.json");
        Assert.Equal("meta-llama-3-8b", m.Id);
        Assert.Equal("my-model", HuggingFaceConfigImporter.Parse(Llama, "dir/my-model.json").Id);
        Assert.Equal("x", HuggingFaceConfigImporter.Parse(Llama, "x/config.json").Id);
    }

    [Fact]
    public void ArchitecturesListIsTheFallbackForModelType()
    {
        var m = HuggingFaceConfigImporter.Parse(Llama.Replace("\"model_type\": \"llama\"", "\"architectures\": [\"MistralForCausalLM\"]"), "m.json");
        Assert.Equal(32, m.Architecture.Layers);
    }

    [Fact]
    public void UnknownModelTypeNamesFileAndField()
    {
        var e = Fails(Llama.Replace("\"llama\"", "\"mamba\""));
        Assert.StartsWith("models/x/config.json: field 'model_type': 'mamba' is not a supported family", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MissingModelTypeAndArchitectures() =>
        Assert.Contains("field 'model_type': is required", Fails(Llama.Replace("\"model_type\": \"llama\",", "")).Message);

    [Theory]
    [InlineData("\"hidden_size\": 4096,", "hidden_size")]
    [InlineData("\"num_hidden_layers\": 32,", "num_hidden_layers")]
    [InlineData("\"vocab_size\": 128256,", "vocab_size")]
    [InlineData("\"intermediate_size\": 14336,", "intermediate_size")]
    public void MissingRequiredFieldIsNamed(string remove, string field)
    {
        var e = Fails(Llama.Replace(remove, ""));
        Assert.Equal($"models/x/config.json: field '{field}': is required but missing", e.Message);
    }

    [Theory]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": -1", "num_hidden_layers")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 0", "num_hidden_layers")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 1e12", "num_hidden_layers")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 1e400", "num_hidden_layers")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 32.5", "num_hidden_layers")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": \"32\"", "num_hidden_layers")]
    [InlineData("\"hidden_size\": 4096", "\"hidden_size\": 99999999999999999999999", "hidden_size")]
    [InlineData("\"vocab_size\": 128256", "\"vocab_size\": 1000000000000", "vocab_size")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 7", "num_key_value_heads")]
    [InlineData("\"num_attention_heads\": 32", "\"num_attention_heads\": 30", "num_attention_heads")]
    public void OutOfRangeNumbersAreErrors(string from, string to, string field)
    {
        var e = Fails(Llama.Replace(from, to));
        Assert.Contains($"field '{field}'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MixtralActiveMustNotExceedExperts() =>
        Assert.Contains("num_experts_per_tok",
            Fails(File.ReadAllText(TestData.Fixture("mixtral-8x7b-config.json")).Replace("\"num_experts_per_tok\": 2", "\"num_experts_per_tok\": 9")).Message);

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"model_type\": ")]
    [InlineData("not json")]
    public void MalformedJsonIsOneLineError(string json)
    {
        var e = Fails(json);
        Assert.StartsWith("models/x/config.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsRejected() =>
        Fails(Llama.Replace("}", ", \"x\": " + new string('[', 200) + new string(']', 200) + " }"));

    [Fact]
    public void MissingFileIsAnError() =>
        Assert.Throws<ModelImportException>(() => HuggingFaceConfigImporter.Import("/nonexistent/config.json"));
}

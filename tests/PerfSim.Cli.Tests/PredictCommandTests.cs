using System.Text.Json;
using PerfSim.Cli;

namespace PerfSim.Cli.Tests;

public class PredictCommandTests
{
    [Fact]
    public void Predict_Json_HasEveryRequiredKey()
    {
        var (code, output, err) = CliRunner.Run("predict", "--model", "llama-2-7b", "--format", "json");
        Assert.True(code == ExitCode.Ok, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (var path in new[] { "ttft_s", "tpot_s", "prefill.tokens_per_s", "decode.tokens_per_s", "decode.bound",
                     "utilization.compute", "utilization.memory_bandwidth", "energy.joules_per_token",
                     "cost.usd_per_million_tokens", "cost.usd_per_query", "memory.total_bytes", "memory.fits" })
        {
            var e = root;
            foreach (var part in path.Split('.')) Assert.True(e.TryGetProperty(part, out e), $"missing {path}");
            if (path == "memory.fits") Assert.Equal(JsonValueKind.True, e.ValueKind);
            else if (path == "decode.bound") Assert.Equal("memory", e.GetString());
            else Assert.True(e.GetDouble() > 0, $"{path} should be positive");
        }
    }

    [Fact]
    public void Predict_Json_GivesEachFigureAnIntervalAroundIt_AndWidensOutsideTheFit()
    {
        double Width(string model)
        {
            var (code, output, err) = CliRunner.Run("predict", "-H", "apple-m2-max-38c", "--model", model, "-q", "q4_0", "--backend", "llama.cpp-metal",
                "--prompt", "256", "--gen", "128", "--format", "json");
            Assert.True(code == ExitCode.Ok, err);
            var root = JsonDocument.Parse(output).RootElement;
            var d = root.GetProperty("decode");
            double v = d.GetProperty("tokens_per_s").GetDouble();
            var iv = d.GetProperty("tokens_per_s_interval");
            Assert.True(iv[0].GetDouble() < v && v <= iv[1].GetDouble(), "the interval holds the prediction");
            var t = root.GetProperty("ttft_s_interval");
            Assert.True(t[0].GetDouble() <= root.GetProperty("ttft_s").GetDouble() && root.GetProperty("ttft_s").GetDouble() < t[1].GetDouble());
            if (model == "llama-3.1-70b")
                Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("extrapolated: no measurement of llama.cpp-metal above", StringComparison.Ordinal));
            return iv[1].GetDouble() / iv[0].GetDouble();
        }
        Assert.True(Width("llama-3.1-70b") > Width("llama-2-7b"), "a model ten times larger than any measured gets a wider interval");
    }

    [Fact]
    public void Predict_DecodeEnergyParts_AddUpToJoulesPerToken()
    {
        var (_, output, _) = CliRunner.Run("predict", "--model", "llama-3.1-8b", "--batch", "8", "-f", "json");
        var energy = JsonDocument.Parse(output).RootElement.GetProperty("energy");
        var decode = energy.GetProperty("decode");
        double sum = 0;
        foreach (var part in decode.EnumerateObject())
            sum += part.Value.ValueKind == JsonValueKind.Object ? part.Value.EnumerateObject().Sum(l => l.Value.GetDouble()) : part.Value.GetDouble();
        Assert.True(decode.GetProperty("active_baseline_j").GetDouble() > 0, "a busy device draws more than idle");
        Assert.Equal(energy.GetProperty("joules_per_token").GetDouble(), sum, 3);
    }

    [Fact]
    public void Predict_BatchAggregate_IsBatchTimesPerSequence()
    {
        var (_, output, _) = CliRunner.Run("predict", "--model", "llama-2-7b", "--batch", "8", "-f", "json");
        var d = JsonDocument.Parse(output).RootElement.GetProperty("decode");
        Assert.Equal(8 * d.GetProperty("tokens_per_s_per_sequence").GetDouble(), d.GetProperty("tokens_per_s").GetDouble(), 6);
    }

    [Fact]
    public void Predict_PathGivenAsModelId_SaysItIsAPathNotAnId()
    {
        var (code, output, err) = CliRunner.Run("predict", "--model", "/dev/zero");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains("'/dev/zero': this looks like a path", err);
        Assert.Contains("catalog ID", err);
    }

    [Fact]
    public void Predict_UnknownHardware_IsUsageErrorWithClosestIds()
    {
        var (code, output, err) = CliRunner.Run("predict", "--hardware", "nvidia-h100-sxmm", "--model", "llama-2-7b");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains("closest known: nvidia-h100-sxm", err);
    }

    [Theory]
    [InlineData("--batch", "0")]
    [InlineData("--batch", "x")]
    [InlineData("--format", "yaml")]
    [InlineData("--utilization", "1.5")]
    public void Predict_BadOption_IsOneLineUsageError(string option, string value)
    {
        var (code, _, err) = CliRunner.Run("predict", "--model", "llama-2-7b", option, value);
        Assert.Equal(ExitCode.Usage, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Predict_ModelTooLargeForDevice_ExitsWithDoesNotFit()
    {
        // Llama 2 7B at fp16 needs ~13.5 GB; an RTX 3070 has 8 GB and no offload.
        var (code, output, _) = CliRunner.Run("predict", "--hardware", "nvidia-rtx-3070", "--model", "llama-2-7b", "-f", "json");
        Assert.Equal(ExitCode.DoesNotFit, code);
        Assert.False(JsonDocument.Parse(output).RootElement.GetProperty("memory").GetProperty("fits").GetBoolean());
    }

    [Fact]
    public void Predict_BrokenDataFolder_IsInvalidInputWithFileAndLine()
    {
        var root = Directory.CreateTempSubdirectory("perfsim-cli-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "hardware-profiles", "gpu"));
            Directory.CreateDirectory(Path.Combine(root, "workloads"));
            File.WriteAllText(Path.Combine(root, "hardware-profiles", "gpu", "bad.yaml"), "id: bad\nname: Bad\nkind: gpu\nvendor: x\nyear: 2023\nsources: { a: b }\nengines: oops\n");
            // Catalog policy: the broken profile fails the command that asks for it, with its file:line.
            var (code, _, err) = CliRunner.Run("predict", "-H", "bad", "--data", root);
            Assert.Equal(ExitCode.InvalidInput, code);
            Assert.StartsWith("perfsim: hardware-profiles/gpu/bad.yaml:7: field 'engines'", err);
            Assert.Single(err.TrimEnd().Split('\n'));
        }
        finally { Directory.Delete(root, true); }
    }

    [Theory]
    [InlineData("table", "time to first token")]
    [InlineData("markdown", "| metric |")]
    [InlineData("csv", "decode.tokens_per_s")]
    public void Predict_EveryFormat_Renders(string format, string expected)
    {
        var (code, output, _) = CliRunner.Run("predict", "--model", "llama-2-7b", "-f", format);
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Predict_Csv_IsCultureInvariantAndParsesBack()
    {
        var (_, output, _) = CliRunner.Run("predict", "--model", "llama-2-7b", "-f", "csv");
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',');
        int i = Array.IndexOf(header, "tpot_s");
        var value = lines[1].Split(',')[i];
        Assert.True(double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var tpot) && tpot > 0, value);
    }

    [Fact]
    public void Predict_Output_WritesFileAtomicallyAndReplacesIt()
    {
        var dir = Directory.CreateTempSubdirectory("perfsim-out-").FullName;
        try
        {
            var path = Path.Combine(dir, "report.json");
            File.WriteAllText(path, "old");
            var (code, stdout, _) = CliRunner.Run("predict", "--model", "llama-2-7b", "-f", "json", "-o", path);
            Assert.Equal(ExitCode.Ok, code);
            Assert.Equal("", stdout);
            Assert.True(JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("tpot_s", out _));
            Assert.Single(Directory.GetFiles(dir));   // no temp file left behind
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Predict_OutputIntoMissingFolder_FailsAndWritesNothing()
    {
        var (code, _, err) = CliRunner.Run("predict", "--model", "llama-2-7b", "-o", "/nonexistent-dir-xyz/r.json");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void Compare_PutsConfigurationsSideBySide()
    {
        var (code, output, _) = CliRunner.Run("compare", "-H", "nvidia-h100-sxm,nvidia-rtx-4090", "-m", "llama-2-7b", "-q", "fp16", "q4_0", "-f", "json");
        Assert.Equal(ExitCode.Ok, code);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("candidates");
        Assert.Equal(4, results.GetArrayLength());
        var speeds = results.EnumerateArray().Select(r => (r.GetProperty("candidate").GetString(), r.GetProperty("quant").GetString(), r.GetProperty("decode").GetProperty("tokens_per_s").GetDouble())).ToArray();
        // 4-bit weights move ~3.5× fewer bytes than fp16: faster decode on the same device.
        foreach (var hw in new[] { "nvidia-h100-sxm", "nvidia-rtx-4090" })
            Assert.True(speeds.Single(s => s.Item1 == hw && s.Item2 == "q4_0").Item3 > speeds.Single(s => s.Item1 == hw && s.Item2 == "fp16").Item3);
    }
}

public class ModelImportCliTests
{
    static string Fixture(string name) => Path.Combine(CliRunner.Root, "tests", "PerfSim.Core.Tests", "Fixtures", name);

    [Fact]
    public void Predict_HuggingFaceConfig_MatchesBuiltInProfile()
    {
        var (c1, fromFile, e1) = CliRunner.Run("predict", "-m", Fixture("llama-3-8b-config.json"), "-f", "json");
        var (c2, builtIn, _) = CliRunner.Run("predict", "-m", "llama-3-8b", "-f", "json");
        Assert.True(c1 == ExitCode.Ok, e1);
        Assert.Equal(ExitCode.Ok, c2);
        double Tpot(string json) => JsonDocument.Parse(json).RootElement.GetProperty("tpot_s").GetDouble();
        Assert.Equal(Tpot(builtIn), Tpot(fromFile), 12);
    }

    [Fact]
    public void Predict_BrokenConfig_IsInvalidInputOneLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-broken-{Environment.ProcessId}-config.json");
        File.WriteAllText(path, "{ \"model_type\": \"llama\", \"hidden_size\": -4096 }");
        try
        {
            var (code, _, err) = CliRunner.Run("predict", "-m", path);
            Assert.Equal(ExitCode.InvalidInput, code);
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.Contains(Path.GetFileName(path), err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Predict_MissingModelFile_IsInvalidInput()
    {
        var (code, _, err) = CliRunner.Run("predict", "-m", "/no/such/model.gguf");
        Assert.Equal(ExitCode.InvalidInput, code);
        Assert.Contains("no such file", err);
    }
}

public class GgufQuantOptionTests
{
    [Fact]
    public void Predict_Gguf_UsesTheFilesQuantUnlessQuantIsGiven_EvenWhenItIsTheDefault()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-tiny-{Environment.ProcessId}.gguf");
        File.WriteAllBytes(path, PerfSim.Core.Tests.Importers.GgufWriter.Tiny().Build());
        try
        {
            string Quant(params string[] extra)
            {
                var (code, output, err) = CliRunner.Run(["predict", "-m", path, "-f", "json", "--prompt", "64", "--gen", "32", .. extra]);
                Assert.True(code == ExitCode.Ok, err);
                return JsonDocument.Parse(output).RootElement.GetProperty("quant").GetString()!;
            }
            Assert.StartsWith("gguf:", Quant());                      // no --quant: the file's exact mix
            Assert.Equal("fp16", Quant("--quant", "fp16"));           // an explicit --quant wins, default value or not
            Assert.Equal("q8_0", Quant("--quant", "q8_0"));
        }
        finally { File.Delete(path); }
    }
}

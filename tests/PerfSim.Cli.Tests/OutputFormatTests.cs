using System.Text.Json;
using PerfSim.Data.Catalog;

namespace PerfSim.Cli.Tests;

/// <summary>Multi-device predictions render in every format; tables fit the terminal; refused requests are one line.</summary>
public class OutputFormatTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(CliRunner.Root));

    public static TheoryData<string, string> SystemsAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var h in Catalog.Value.Hardware.Values.Where(h => h.System is not null).Select(h => h.Id).Order(StringComparer.Ordinal))
            foreach (var f in new[] { "table", "json", "csv", "markdown" })
                data.Add(h, f);
        foreach (var f in new[] { "table", "json", "csv", "markdown" }) data.Add("nvidia-h100-sxm --devices 4", f);
        return data;
    }

    [Theory]
    [MemberData(nameof(SystemsAndFormats))]
    public void MultiDevicePrediction_RendersInEveryFormat(string hardware, string format)
    {
        var (code, output, err) = CliRunner.Run(["predict", "-H", .. hardware.Split(' '), "-m", "llama-3.1-70b", "-q", "fp8", "--batch", "8", "-f", format]);
        Assert.True(code is ExitCode.Ok or ExitCode.DoesNotFit, err);
        Assert.False(string.IsNullOrWhiteSpace(output));
        Assert.DoesNotContain("NaN", output);
        Assert.DoesNotContain("Infinity", output);
        switch (format)
        {
            case "json":
                var root = JsonDocument.Parse(output).RootElement;
                Assert.True(root.GetProperty("devices").GetInt32() >= 1);
                break;
            case "csv":
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(2, lines.Length);
                break;
        }
        if (code == ExitCode.DoesNotFit) Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(120)]
    public void CompareTable_FitsTheTerminal_AndNeverCutsAnId(int width)
    {
        var ids = new[] { "nvidia-h100-sxm", "amd-mi300x", "intel-gaudi3", "nvidia-rtx-4090" };
        var (_, output, _) = CliRunner.RunWithWidth(width, "compare", "-H", string.Join(",", ids), "-m", "llama-3.1-8b", "-q", "fp16,q4_0");
        foreach (var line in output.Split('\n')) Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}");
        foreach (var id in ids) Assert.Contains(id, output);
        Assert.DoesNotContain("E+", output);
        Assert.DoesNotContain("E-", output);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void PredictTable_FitsTheTerminal(int width)
    {
        var (_, output, _) = CliRunner.RunWithWidth(width, "predict", "-H", "nvidia-dgx-h100", "-m", "llama-3.1-70b", "-q", "fp8", "--batch", "64");
        foreach (var line in output.Split('\n')) Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}");
    }

    [Fact]
    public void Compare_NoCandidateFits_ExitsDoesNotFit()
    {
        var (code, output, err) = CliRunner.Run("compare", "-H", "nvidia-rtx-4090,nvidia-rtx-3090", "-m", "llama-3.1-405b", "-q", "fp16", "-f", "json");
        Assert.Equal(ExitCode.DoesNotFit, code);
        Assert.Contains("no candidate fits", err);
        var c = JsonDocument.Parse(output).RootElement.GetProperty("candidates")[0];
        Assert.Equal(JsonValueKind.Null, c.GetProperty("tpot_s").ValueKind);
        Assert.Equal("does not fit", c.GetProperty("tpot_s_reason").GetString());
    }

    [Fact]
    public void Predict_DoesNotFit_PrintsNoSpeedAndSaysByHowMuch()
    {
        var (code, output, err) = CliRunner.Run("predict", "-H", "nvidia-rtx-4090", "-m", "llama-3.1-70b", "-q", "fp16", "-f", "json");
        Assert.Equal(ExitCode.DoesNotFit, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("does not fit: needs", err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("tpot_s").ValueKind);
        Assert.False(root.GetProperty("memory").GetProperty("fits").GetBoolean());
    }

    public static TheoryData<string, string> RefusedRequests() => new()
    {
        { "predict -H apple-m2-max-38c --backend llama.cpp-cuda -q q4_0", "does not run on apple hardware" },
        { "predict -H nvidia-h100-sxm --backend llama.cpp-metal -q q4_0", "does not run on nvidia hardware" },
        { "predict -H amd-mi300x --backend tensorrt-llm -q fp8", "does not run on amd hardware" },
        { "predict --backend tensorrt-llm -q q4_0", "does not run this format" },
        { "predict --prompt 130000 --gen 2000", "exceeds the context" },
        { "predict -H nvidia-dgx-h100 --devices 9", "has 8 devices" },
        { "predict -m llama-3.1-8b --tp 3", "do not divide by 3" },
        { "predict --pue 1,5", "comma is not a decimal separator" },
        { "predict --pue NaN", "expected a finite number" },
        { "predict --pue 0.5", "--pue must be a number from 1" },
        { "predict --batch abc", "--batch: expected a whole number" },
        { "predict --batch 99999999999", "too large" },
        { "predict --utilization 0", "--utilization must be a number" },
        { "predcit", "did you mean 'predict'" },
        { "predict -f yaml", "--format must be one of" },
        { "predict -H nvidia-h100-sxm --engine cpu", "has no cpu engine" },
        { "predict -o /nonexistent-dir/x.json", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public void InconsistentRequest_IsRefusedWithOneLine(string command, string expected)
    {
        var (code, _, err) = CliRunner.Run(command.Split(' '));
        Assert.Equal(ExitCode.Usage, code);
        var lines = err.Trim().Split('\n');
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("System.", lines[0]);
        Assert.DoesNotContain("(Parameter", lines[0]);
    }

    [Fact]
    public void Help_AndCompletion_Work()
    {
        var (code, output, _) = CliRunner.Run("help");
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("predict", output);
        var (c2, script, _) = CliRunner.Run("completion", "bash");
        Assert.Equal(ExitCode.Ok, c2);
        Assert.Contains("complete -F _perfsim perfsim", script);
        Assert.Contains("--hardware", script);
    }

    [Fact]
    public void List_HonoursOutput_AndJsonIsOnlyJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-list-{Environment.ProcessId}.json");
        try
        {
            var (code, output, _) = CliRunner.Run("list", "hardware", "--show", "nvidia-h100-sxm", "-f", "json", "-o", path);
            Assert.Equal(ExitCode.Ok, code);
            Assert.Equal("", output);
            JsonDocument.Parse(File.ReadAllText(path)).Dispose();
            var (_, stdout, _) = CliRunner.Run("list", "hardware", "--show", "nvidia-h100-sxm", "-f", "json");
            JsonDocument.Parse(stdout).Dispose();
        }
        finally { File.Delete(path); }
    }
}

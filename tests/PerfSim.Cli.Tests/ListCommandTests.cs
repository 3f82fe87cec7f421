using System.Text.Json;
using PerfSim.Cli;

namespace PerfSim.Cli.Tests;

public class ListCommandTests
{
    [Fact]
    public void ListHardware_Json_HasOneObjectPerProfileWithId()
    {
        var (code, output, _) = CliRunner.Run("list", "hardware", "-f", "json");
        Assert.Equal(ExitCode.Ok, code);
        var items = JsonDocument.Parse(output).RootElement.GetProperty("hardware").EnumerateArray().ToArray();
        Assert.True(items.Length > 50);
        Assert.Contains(items, i => i.GetProperty("id").GetString() == "nvidia-h100-sxm");
    }

    [Fact]
    public void ListHardware_FiltersByKindVendorAndYear()
    {
        var (_, output, _) = CliRunner.Run("list", "hardware", "--kind", "gpu", "--vendor", "nvidia", "--year", "2022", "-f", "json");
        var items = JsonDocument.Parse(output).RootElement.GetProperty("hardware").EnumerateArray().ToArray();
        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            Assert.Equal("gpu", i.GetProperty("kind").GetString());
            Assert.Equal("nvidia", i.GetProperty("vendor").GetString());
            Assert.Equal(2022, i.GetProperty("year").GetInt32());
        });
    }

    [Fact]
    public void ListModels_Json_HasParametersAndActiveParameters()
    {
        var (code, output, _) = CliRunner.Run("list", "models", "-f", "json");
        Assert.Equal(ExitCode.Ok, code);
        var llama = JsonDocument.Parse(output).RootElement.GetProperty("models").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "llama-2-7b");
        Assert.Equal(6_738_415_616, llama.GetProperty("parameters").GetDouble());
        Assert.Equal(llama.GetProperty("parameters").GetDouble(), llama.GetProperty("active_parameters").GetDouble());
    }

    [Fact]
    public void ListHardware_Show_PrintsEveryFigureWithItsSource()
    {
        var (code, output, _) = CliRunner.Run("list", "hardware", "--show", "nvidia-h100-sxm", "-f", "csv");
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("memory.hbm.bandwidth", output);
        Assert.Contains("H100", output);
        Assert.DoesNotContain(",\n", output);   // no figure without a source
    }

    [Fact]
    public void List_UnknownKind_IsUsageError()
    {
        var (code, _, err) = CliRunner.Run("list", "gizmos");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("expected one of", err);
    }
}

public class CalibrateCommandTests
{
    // The measuring path takes ~25 s and is exercised by the calibration unit tests on a hand-built measurement;
    // here only the argument checks that must fail fast, before any measuring starts.
    [Theory]
    [InlineData("--format", "yaml", "--format must be one of")]
    [InlineData("--threads", "-1", "--threads must be 0")]
    public void Calibrate_BadOption_FailsBeforeMeasuring(string option, string value, string expected)
    {
        var (code, _, err) = CliRunner.Run("calibrate", option, value, "--output", Path.Combine(Path.GetTempPath(), "never-written.yaml"));
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains(expected, err);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "never-written.yaml")));
    }
}

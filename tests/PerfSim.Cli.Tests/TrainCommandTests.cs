using System.Text.Json;

namespace PerfSim.Cli.Tests;

public class TrainCommandTests
{
    static readonly string[] Gpt3 = ["train", "--model", "gpt-3-175b", "--tokens", "300B", "--hardware", "nvidia-a100-sxm-80gb", "--devices", "1024",
        "--tp", "8", "--pp", "8", "--dp", "16", "--interleave", "1", "--micro-batch", "1", "--zero", "1", "--recompute", "full", "--global-batch", "1536", "--seq-len", "2048"];

    [Fact]
    public void Json_carries_the_documented_fields()
    {
        var (code, output, err) = CliRunner.Run([.. Gpt3, "--format", "json"]);
        Assert.True(code == ExitCode.Ok, err);
        var j = JsonDocument.Parse(output).RootElement;
        foreach (var key in new[] { "days", "device_hours", "cost_usd", "energy_mwh", "tokens_per_s", "mfu", "memory_per_device_bytes", "fits", "comm_to_compute_ratio" })
            Assert.True(j.TryGetProperty(key, out _), key);
        Assert.Equal(8, j.GetProperty("layout").GetProperty("tp").GetInt32());
        var step = j.GetProperty("step_s");
        double total = step.GetProperty("total").GetDouble();
        double sum = step.GetProperty("compute").GetDouble() + step.GetProperty("communication").GetDouble() + step.GetProperty("bubble").GetDouble();
        Assert.Equal(total, sum, total * 1e-9);
        Assert.InRange(j.GetProperty("mfu").GetDouble(), 0.05, 1);
    }

    [Fact]
    public void A_layout_that_does_not_fit_exits_4()
    {
        var (code, _, _) = CliRunner.Run("train", "--model", "gpt-3-175b", "--tokens", "1B", "--devices", "1", "--tp", "1", "--pp", "1", "--dp", "1",
            "--micro-batch", "1", "--zero", "0", "--recompute", "full", "--seq-len", "2048");
        Assert.Equal(ExitCode.DoesNotFit, code);
    }

    [Fact]
    public void Bad_options_are_one_line_usage_errors()
    {
        var (code, _, err) = CliRunner.Run("train", "--tokens", "lots");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("--tokens", err);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = CliRunner.Run("train", "--tokens", "1B", "--recompute", "some");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("--recompute", err);
    }

    [Fact]
    public void Sweep_reports_where_communication_reaches_compute()
    {
        var (code, output, err) = CliRunner.Run("train", "--model", "gpt-3-175b", "--tokens", "300B", "--tp", "8", "--pp", "8", "--interleave", "1",
            "--micro-batch", "1", "--zero", "1", "--recompute", "full", "--global-batch", "1536", "--seq-len", "2048", "--sweep-devices", "64-4096", "--format", "json");
        Assert.True(code == ExitCode.Ok, err);
        var j = JsonDocument.Parse(output).RootElement;
        var rows = j.GetProperty("sweep").EnumerateArray().ToList();
        Assert.True(rows.Count >= 5);
        double first = rows[0].GetProperty("comm_to_compute_ratio").GetDouble(), last = rows[^1].GetProperty("comm_to_compute_ratio").GetDouble();
        Assert.True(last > first);
    }

    [Fact]
    public void Validate_recognises_a_training_file_by_its_header()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "t.csv");
            File.WriteAllText(path, "hardware,devices,model,params,layers,hidden,heads,seq_len,global_batch_tokens_or_sequences,tp,pp,dp,ep,zero,recompute,precision,metric,value,source,notes\n"
                + "nvidia-a100-sxm-80gb,8,GPT 22B,22B,48,6144,64,2048,4 seq,8,1,1,,,full,mixed precision (16-bit),iteration_s,1.42,\"Korthikanti et al. 2022 Table 5\",micro-batch 4\n"
                + "nvidia-h800,8,X,1B,2,64,2,128,8 seq,1,1,8,,,,,iteration_s,1,test,not in the catalog\n");
            var (code, output, err) = CliRunner.Run("validate", "--reference", path, "--format", "json");
            Assert.True(code == ExitCode.Ok, err);
            var j = JsonDocument.Parse(output).RootElement;
            Assert.True(j.GetProperty("summary").GetProperty("by_metric").GetProperty("iteration_s").TryGetProperty("mape", out _));
            Assert.Single(j.GetProperty("rows").EnumerateArray());
            Assert.Contains("nvidia-h800", j.GetProperty("unpredicted")[0].GetProperty("reason").GetString());
        }
        finally { dir.Delete(true); }
    }
}

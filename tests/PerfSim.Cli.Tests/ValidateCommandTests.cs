using System.Text.Json;
using PerfSim.Cli;
using PerfSim.Data.Catalog;

namespace PerfSim.Cli.Tests;

public class ValidateCommandTests
{
    static string Root => ProfileCatalog.LocateRoot();

    static (ExitCode Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        var code = PerfSimCli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Json_has_summary_rows_and_unpredicted()
    {
        var (code, output, err) = Run("validate", "--reference", Path.Combine(Root, "validation", "public-measurements.csv"), "-f", "json", "--data", Root);
        Assert.True(code == ExitCode.Ok, err);
        using var doc = JsonDocument.Parse(output);
        var s = doc.RootElement.GetProperty("summary");
        Assert.True(s.GetProperty("count").GetInt32() > 70);
        Assert.True(s.GetProperty("mape").GetDouble() > 0);
        Assert.True(s.GetProperty("by_metric").GetProperty("decode_tokens_per_s").GetProperty("mape").GetDouble() <= 10);
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.True(row.GetProperty("predicted").GetDouble() > 0);
        Assert.True(row.GetProperty("measured").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Number, row.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("unpredicted").ValueKind);
        // Every row carries its out-of-sample 80 % interval; the coverage and the side-by-side table are there.
        foreach (var r in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            var iv = r.GetProperty("interval");
            Assert.Equal(JsonValueKind.Array, iv.ValueKind);
            Assert.True(iv[0].GetDouble() > 0 && iv[0].GetDouble() <= r.GetProperty("predicted").GetDouble() && r.GetProperty("predicted").GetDouble() <= iv[1].GetDouble());
        }
        Assert.InRange(doc.RootElement.GetProperty("intervals").GetProperty("coverage").GetDouble(), 0.7, 0.9);
        var side = doc.RootElement.GetProperty("error_side_by_side");
        Assert.Contains(side.EnumerateArray(), e => e.GetProperty("scope").GetString() == "backend" && e.GetProperty("lodo_mape").GetDouble() > 0);
        Assert.Contains(side.EnumerateArray(), e => e.GetProperty("scope").GetString() == "metric");
    }

    [Fact]
    public void Bad_file_is_a_one_line_error_with_exit_code_3()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-bad-{Environment.ProcessId}.csv");
        File.WriteAllText(path, "hardware,model\nx,y\n");
        try
        {
            var (code, _, err) = Run("validate", "--reference", path, "--data", Root);
            Assert.Equal(ExitCode.InvalidInput, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains(":1", err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_rows_are_listed_and_the_command_succeeds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-rows-{Environment.ProcessId}.csv");
        File.WriteAllText(path, "hardware,devices,threads,model,quant,backend,batch,prompt_tokens,gen_tokens,metric,value,source,notes\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,158.16,s,\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,watts,300,s,\n" +
            "nvidia-rtx-9999,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,1,s,\n");
        try
        {
            var (code, output, _) = Run("validate", "--reference", path, "-f", "json", "--data", Root);
            Assert.Equal(ExitCode.Ok, code);
            using var doc = JsonDocument.Parse(output);
            Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("count").GetInt32());
            Assert.Equal(2, doc.RootElement.GetProperty("unpredicted").GetArrayLength());
        }
        finally { File.Delete(path); }
    }
}

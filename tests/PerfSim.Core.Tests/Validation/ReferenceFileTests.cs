using PerfSim.Data.Measurements;
using PerfSim.Validation;
using PerfSim.Data.Profiles;

namespace PerfSim.Core.Tests.Validation;

public class ReferenceFileTests
{
    const string Header = "hardware,devices,threads,model,quant,backend,batch,prompt_tokens,gen_tokens,metric,value,source,notes";

    [Fact]
    public void Reads_quoted_fields_with_commas_and_empty_optionals()
    {
        var f = ReferenceFile.Parse(Header + "\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,158.16,\"a, b \"\"c\"\"\",\n" +
            "amd-mi300x,1,8,llama-2-70b,fp8,vllm-rocm,,294,265,throughput_tokens_per_s,3062.72,s,\"multi\nline\"\n", "t.csv");
        Assert.Empty(f.Issues);
        Assert.Equal(2, f.Rows.Count);
        Assert.Equal("a, b \"c\"", f.Rows[0].Source);
        Assert.Null(f.Rows[0].Threads);
        Assert.Equal(2, f.Rows[0].Line);
        Assert.Null(f.Rows[1].Batch);
        Assert.Equal(8, f.Rows[1].Threads);
        Assert.Equal(Metric.ThroughputTokensPerS, f.Rows[1].Metric);
        Assert.Equal("multi\nline", f.Rows[1].Notes);
    }

    [Fact]
    public void Missing_column_is_a_file_error_with_line_and_field()
    {
        var e = Assert.Throws<ProfileException>(() => ReferenceFile.Parse("hardware,model,quant,backend,prompt_tokens,gen_tokens,value\nx,y,z,w,1,1,1\n", "bad.csv"));
        Assert.Equal(1, e.Line);
        Assert.Equal("metric", e.Field);
        Assert.Contains("bad.csv:1", e.Message);
    }

    [Fact]
    public void Bad_number_and_unknown_metric_are_reported_per_row()
    {
        var f = ReferenceFile.Parse(Header + "\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,fast,s,\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,watts_per_dollar,1.5,s,\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,150,s\n" +
            "nvidia-rtx-3090,1,,llama-2-7b,q4_0,llama.cpp-cuda,1,0,128,decode_tokens_per_s,150,s,\n", "t.csv");
        Assert.Single(f.Rows);
        Assert.Equal(3, f.Issues.Count);
        Assert.Contains("value", f.Issues[0].Reason);
        Assert.Equal(2, f.Issues[0].Line);
        Assert.Contains("unknown metric", f.Issues[1].Reason);
        Assert.Contains("fields", f.Issues[2].Reason);
    }

    [Fact]
    public void Unclosed_quote_is_a_file_error()
    {
        Assert.Throws<ProfileException>(() => ReferenceFile.Parse(Header + "\nx,1,,m,q,b,1,1,1,ttft_s,1,\"open\n", "t.csv"));
    }
}

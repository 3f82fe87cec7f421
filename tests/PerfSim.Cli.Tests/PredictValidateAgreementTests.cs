using System.Globalization;
using System.Text.Json;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Tests;

/// <summary>
/// The same request gives the same figure everywhere: for every row of the public measurement file, `perfsim predict`
/// with the row's options prints exactly (to the last digit) what `validate` predicts for it.
/// </summary>
public class PredictValidateAgreementTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(CliRunner.Root));
    static readonly Lazy<ReferenceFile> File = new(() => ReferenceFile.Load(Path.Combine(CliRunner.Root, "validation", "public-measurements.csv")));

    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        foreach (var r in File.Value.Rows) data.Add(r.Line);
        return data;
    }

    static string[] ArgsFor(ReferenceRow row)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { "predict", "-H", row.Hardware, "-m", row.Model, "-q", row.Quant, "--backend", row.Backend,
            "--devices", row.Devices.ToString(inv), "--prompt", Math.Max(1, row.PromptTokens).ToString(inv), "--gen", Math.Max(1, row.GenTokens).ToString(inv), "-f", "json" };
        if (row.Threads is { } t) args.AddRange(["--threads", t.ToString(inv)]);
        if (row.Batch is { } b) args.AddRange(["--batch", b.ToString(inv)]); else args.Add("--offline");
        return args.ToArray();
    }

    static double Read(JsonElement root, Metric metric) => metric switch
    {
        Metric.PrefillTokensPerS => root.GetProperty("prefill").GetProperty("tokens_per_s").GetDouble(),
        Metric.DecodeTokensPerS => root.GetProperty("decode").GetProperty("tokens_per_s").GetDouble(),
        Metric.ThroughputTokensPerS => root.GetProperty("throughput").GetProperty("generated_tokens_per_s").GetDouble(),
        Metric.TtftS => root.GetProperty("ttft_s").GetDouble(),
        Metric.TpotS => root.GetProperty("tpot_s").GetDouble(),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Predict_PrintsWhatValidatePredicts(int line)
    {
        var row = File.Value.Rows.Single(r => r.Line == line);
        var (validated, _) = Validator.PredictRow(Catalog.Value, row, Catalog.Value.GetBackend(row.Backend));
        var (code, output, err) = CliRunner.Run(ArgsFor(row));
        Assert.True(code == ExitCode.Ok, $"line {line}: {err}");
        var printed = Read(JsonDocument.Parse(output).RootElement, row.Metric);
        Assert.Equal(validated, printed);
    }
}

using System.CommandLine;
using PerfSim.Reporting.Builders;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim compare`: every hardware × model × quantization combination, one row per candidate.</summary>
public static class CompareCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Hardware profile IDs (comma-separated or repeated)", Required = true, AllowMultipleArgumentsPerToken = true };
        var models = new Option<string[]>("--model", "-m") { Description = "Model IDs or files (comma-separated or repeated)", DefaultValueFactory = _ => [Defaults.Model], AllowMultipleArgumentsPerToken = true };
        var quants = new Option<string[]>("--quant", "-q") { Description = "Quantization scheme IDs (comma-separated or repeated)", DefaultValueFactory = _ => [Defaults.Quant], AllowMultipleArgumentsPerToken = true };
        var o = new WorkloadOptions();
        var cmd = new Command("compare", "Compare hardware × model × quantization side by side, one row per candidate.");
        cmd.Options.Add(hardware); cmd.Options.Add(models); cmd.Options.Add(quants);
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(o.Format)!);
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
            var quantList = r.GetResult(quants) is { Implicit: false } ? Split(r.GetValue(quants)).Select(x => (string?)x).ToArray() : [(string?)null];
            var candidates = new List<ComparisonReport.Candidate>();
            foreach (var h in Split(r.GetValue(hardware)))
                foreach (var m in Split(r.GetValue(models)))
                    foreach (var q in quantList)
                    {
                        var c = Composer.Predict(catalog, o.Request(r, h, m, q));
                        candidates.Add(new(c.Prediction, PredictCommand.Context(c, Uncertainty.For(catalog, c))));
                    }
            ReportOutput.Write(ctx, ComparisonReport.Build(candidates), renderer.Format, r.GetValue(o.Output));
            if (candidates.Any(c => c.Prediction.Memory.Runnable)) return (int)ExitCode.Ok;
            ctx.Error.WriteLine("perfsim: no candidate fits in memory");
            return (int)ExitCode.DoesNotFit;
        });
        return cmd;
    }
}

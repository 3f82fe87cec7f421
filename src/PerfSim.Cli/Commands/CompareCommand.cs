using System.CommandLine;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim compare`: several hardware IDs, quantization schemes and/or models side by side (their cross product).</summary>
public static class CompareCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Hardware IDs (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultHardware] };
        var models = new Option<string[]>("--model", "-m") { Description = "Model IDs", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultModel] };
        var quants = new Option<string[]>("--quant", "-q") { Description = "Quantization scheme IDs", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultQuant] };
        var o = new WorkloadOptions();
        var cmd = new Command("compare", "Compare configurations side by side.");
        cmd.Options.Add(hardware); cmd.Options.Add(models); cmd.Options.Add(quants);
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
            var reports = new List<Rendering.Report>();
            foreach (var h in Split(r.GetValue(hardware)))
                foreach (var m in Split(r.GetValue(models)))
                    foreach (var q in r.GetResult(quants) is { Implicit: false } ? Split(r.GetValue(quants)).Select(x => (string?)x).ToArray() : [(string?)null])
                    {
                        var p = PredictCommand.Evaluate(catalog, o, r, h, m, q);
                        var rep = PredictionReport.Build(p, details: false);
                        reports.Add(rep with { Title = $"{h} {m} {p.Workload.Quant.Id}" });
                    }
            ReportOutput.Write(ctx, reports, r.GetValue(o.Format)!, r.GetValue(o.Output));
            return (int)ExitCode.Ok;
        });
        return cmd;
    }
}

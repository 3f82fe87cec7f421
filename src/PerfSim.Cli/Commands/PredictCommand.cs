using System.CommandLine;
using PerfSim.Data.Catalog;
using PerfSim.Reporting.Builders;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim predict`: one hardware × model × quantization × scenario, as a what-if report.</summary>
public static class PredictCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string>("--hardware", "-H") { Description = "Hardware profile ID, or a path to a profile .yaml (e.g. one written by `perfsim calibrate`)", DefaultValueFactory = _ => Defaults.Hardware };
        var model = new Option<string>("--model", "-m") { Description = "Model ID, or a path to a Hugging Face config.json or a .gguf file", DefaultValueFactory = _ => Defaults.Model };
        var quant = new Option<string>("--quant", "-q") { Description = "Quantization scheme ID (default: a GGUF's own mix, else fp16)", DefaultValueFactory = _ => Defaults.Quant };
        var o = new WorkloadOptions();
        var cmd = new Command("predict", "Predict speed, latency, utilization, energy, cost and memory for one configuration.");
        cmd.Options.Add(hardware); cmd.Options.Add(model); cmd.Options.Add(quant);
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(o.Format)!);
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var composed = Composer.Predict(catalog, o.Request(r, r.GetValue(hardware)!, r.GetValue(model)!,
                r.GetResult(quant) is { Implicit: false } ? r.GetValue(quant) : null));
            var report = PredictionReport.Build(composed.Prediction, Context(composed, Uncertainty.For(catalog, composed)));
            ReportOutput.Write(ctx, report, renderer.Format, r.GetValue(o.Output));
            if (composed.Prediction.Memory.Runnable) return (int)ExitCode.Ok;
            ctx.Error.WriteLine($"perfsim: {report.Warnings[0]}");
            return (int)ExitCode.DoesNotFit;
        });
        return cmd;
    }

    public static PredictionContext Context(ComposedPrediction c, PerfSim.Core.Uncertainty.PredictionIntervals? intervals = null) =>
        new(c.Configuration.Replicas, c.Configuration.Notes, intervals);
}

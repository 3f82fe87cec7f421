using System.CommandLine;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim predict`: one hardware × model × quantization × scenario, as a what-if report.</summary>
public static class PredictCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string>("--hardware", "-H") { Description = "Hardware profile ID", DefaultValueFactory = _ => CommonOptions.DefaultHardware };
        var model = new Option<string>("--model", "-m") { Description = "Model ID, or a path to a Hugging Face config.json or a .gguf file", DefaultValueFactory = _ => CommonOptions.DefaultModel };
        var quant = new Option<string>("--quant", "-q") { Description = "Quantization scheme ID", DefaultValueFactory = _ => CommonOptions.DefaultQuant };
        var o = new WorkloadOptions();
        var cmd = new Command("predict", "Predict speed, latency, utilization, energy, cost and memory for one configuration.");
        cmd.Options.Add(hardware); cmd.Options.Add(model); cmd.Options.Add(quant);
        o.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var prediction = Evaluate(catalog, o, r, r.GetValue(hardware)!, r.GetValue(model)!,
                r.GetResult(quant) is { Implicit: false } ? r.GetValue(quant) : null);
            ReportOutput.Write(ctx, [PredictionReport.Build(prediction)], r.GetValue(o.Format)!, r.GetValue(o.Output));
            return (int)(prediction.Memory.Runnable ? ExitCode.Ok : ExitCode.DoesNotFit);
        });
        return cmd;
    }

    public static Prediction Evaluate(ProfileCatalog catalog, WorkloadOptions o, ParseResult r, string hardware, string model, string? quant) =>
        Composer.Predict(catalog, o.Request(r, hardware, model, quant)).Prediction;
}

using System.CommandLine;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim validate --reference FILE.csv`: predict every measured row through the composition path and report
/// predicted vs measured, with the leave-one-device-out error beside the (possibly in-sample) error.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var reference = new Option<string>("--reference", "-r") { Description = "Measurement file (CSV, schema of shared/validation/README.md; inference or training, told apart by the header)", Required = true };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var data = CommonOptions.Data();
        var worst = NumberOptions.Int("--worst", "How many worst rows to list", 5);
        var noLodo = new Option<bool>("--no-lodo") { Description = "Skip the leave-one-device-out refit (faster; in-sample error only)" };
        var fitTraining = new Option<bool>("--fit-training") { Description = "Training files: also fit one GEMM efficiency per device class and report leave-one-source-out error (slow)" };
        var cmd = new Command("validate", "Predict every row of a measurement file and report predicted vs measured, signed error and MAPE per metric and backend.");
        foreach (var o in new Option[] { reference, format, output, worst, noLodo, fitTraining, data }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(format)!);
            var catalog = ctx.Catalog(r.GetValue(data));
            var path = r.GetValue(reference)!;
            if (PerfSim.Data.Input.InputFiles.NotARegularFile(path) is { } why) throw new InputFileException($"{path}: {why}");
            if (TrainingReferenceFile.IsTrainingFile(path))
                return TrainingValidationOutput.Run(ctx, catalog, path, DisplayPath(path), renderer.Format, r.GetValue(output), r.GetValue(worst), r.GetValue(fitTraining),
                    Command(r, path) + (r.GetValue(fitTraining) ? " --fit-training" : ""));
            var file = ReferenceFile.Load(path);
            var result = Validator.Run(catalog, file);
            var inSample = InSample.FittedOn(catalog, file);
            var fit = r.GetValue(noLodo) ? null : Fitter.Run(catalog, file);
            var lodo = fit?.LeaveOneDeviceOut;
            var intervals = lodo is null ? null : OutOfSampleIntervals.Check(catalog, result, lodo);
            // Energy rows: the shipped power parameters are fitted on the energy file, so their error there is in-sample.
            inSample |= result.Rows.Any(x => x.Row.Metric.IsEnergy()) && Path.GetFileName(path) == EnergyFitter.ShippedOn;
            var report = ValidationReport.Build("PerfSim validation", DisplayPath(path), result, r.GetValue(worst), lodo,
                fit is null ? null : [.. fit.Energy is { } e ? EnergyFitter.Describe(e) : [], .. Fitter.Describe(fit)], inSample: inSample, intervals: intervals, command: Command(r, path));
            ReportOutput.Write(ctx, report, renderer.Format, r.GetValue(output));
            if (result.Rows.Count > 0) return (int)ExitCode.Ok;
            ctx.Error.WriteLine($"perfsim: {DisplayPath(path)}: no row could be predicted ({result.Unpredicted.Count} rows not predicted)");
            return (int)ExitCode.InvalidInput;
        });
        return cmd;
    }

    /// <summary>The command line that reproduces this report (printed in it, so a generated doc names its command).</summary>
    static string Command(ParseResult r, string path)
    {
        var parts = new List<string> { "perfsim validate --reference", DisplayPath(path) };
        if (r.GetResult(r.CommandResult.Command.Options.First(o => o.Name == "--format")) is { Implicit: false } f) parts.Add($"--format {f.GetValueOrDefault<string>()}");
        if (r.GetResult(r.CommandResult.Command.Options.First(o => o.Name == "--output")) is { Implicit: false } o) parts.Add($"--output {DisplayPath(o.GetValueOrDefault<string>() ?? "")}");
        return string.Join(" ", parts);
    }

    /// <summary>The path as given when relative (stable in generated docs), else the file name.</summary>
    public static string DisplayPath(string path) => Path.IsPathRooted(path) ? Path.GetFileName(path) : path.Replace('\\', '/');
}

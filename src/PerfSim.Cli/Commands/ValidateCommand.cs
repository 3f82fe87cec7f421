using System.CommandLine;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim validate --reference FILE.csv`: predict every measured row, print the errors.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var reference = new Option<string>("--reference", "-r") { Description = "Measurement file (CSV, schema of shared/validation/README.md; inference or training, told apart by the header)", Required = true };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var data = CommonOptions.Data();
        var worst = new Option<int>("--worst") { Description = "How many worst rows to list", DefaultValueFactory = _ => 5 };
        var cmd = new Command("validate", "Predict every row of a measurement file and report predicted vs measured, signed error and MAPE per metric and backend.");
        foreach (var o in new Option[] { reference, format, output, worst, data }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var catalog = ctx.Catalog(r.GetValue(data));
            var path = r.GetValue(reference)!;
            if (TrainingReferenceFile.IsTrainingFile(path))
                return TrainingValidationOutput.Run(ctx, catalog, path, DisplayPath(path), r.GetValue(format)!, r.GetValue(output), r.GetValue(worst));
            var file = ReferenceFile.Load(path);
            var result = Validator.Run(catalog, file);
            var fmt = r.GetValue(format)!;
            void Render(TextWriter w) => ValidationOutput.Write(w, fmt, "PerfSim validation", result, DisplayPath(path), r.GetValue(worst));
            if (r.GetValue(output) is { } o) { AtomicFile.Write(o, Render); ctx.Error.WriteLine($"wrote {o}"); }
            else Render(ctx.Out);
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    /// <summary>The path as given when relative (stable in generated docs), else the file name.</summary>
    public static string DisplayPath(string path) => Path.IsPathRooted(path) ? Path.GetFileName(path) : path.Replace('\\', '/');
}

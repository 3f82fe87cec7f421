using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim validate` on a training measurement file (recognised by its header): predict, optionally fit, report.</summary>
public static class TrainingValidationOutput
{
    public static int Run(CliContext ctx, ProfileCatalog catalog, string path, string display, string format, string? output, int worst, bool fit, string? command = null)
    {
        var file = TrainingReferenceFile.Load(path);
        var result = TrainingValidator.Run(catalog, file);
        var fitted = fit ? TrainingFitter.Run(catalog, file) : null;
        ReportOutput.Write(ctx, TrainingValidationReport.Build(display, result, worst, fitted, command), format, output);
        if (result.Rows.Count > 0) return (int)ExitCode.Ok;
        ctx.Error.WriteLine($"perfsim: {display}: no row could be predicted ({result.Unpredicted.Count} rows not predicted)");
        return (int)ExitCode.InvalidInput;
    }
}

using PerfSim.Data.Backends;
using PerfSim.Data.Uncertainty;
using PerfSim.Reporting;
using System.CommandLine;
using System.Globalization;
using PerfSim.Core.Backends;
using PerfSim.Data.Measurements;
using PerfSim.Validation;
using PerfSim.Core.Hardware;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim fit --reference FILE.csv`: least squares on log error of each backend's `fit:` parameters (shared by all
/// its devices), written atomically to --backends-out DIR (or, with --update-profiles, over workloads/backends/*.yaml);
/// prints the fit error and the leave-one-device-out error.
/// </summary>
public static class FitCommand
{
    public static Command Create(CliContext ctx)
    {
        var reference = new Option<string>("--reference", "-r") { Description = "Measurement file (CSV) to fit to", Required = true };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var data = CommonOptions.Data();
        var outDir = new Option<string?>("--backends-out") { Description = "Write the fitted backend profiles into this folder (the shipped profiles are not touched)" };
        var update = new Option<bool>("--update-profiles") { Description = "Write the fitted backends over the shipped profiles in workloads/backends/ (explicit opt-in)" };
        var evals = NumberOptions.Int("--evaluations", "Objective evaluations per backend fit (Nelder–Mead)", 1500);
        var cmd = new Command("fit", "Fit backend parameters to measurements (least squares on log error) and report fit and leave-one-device-out error.");
        foreach (var o in new Option[] { reference, format, output, outDir, update, evals, data }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            var renderer = ReportOutput.Renderer(r.GetValue(format)!);
            if (r.GetValue(outDir) is { } od && !Directory.Exists(od)) throw new UsageException($"--backends-out: folder '{od}' does not exist");
            var catalog = ctx.Catalog(r.GetValue(data));
            var path = r.GetValue(reference)!;
            var file = ReferenceFile.Load(path);
            int n = r.GetValue(evals);
            if (n < 10) throw new UsageException("--evaluations must be at least 10");
            FitResult result;
            using (var bar = Progress.ProgressBar.For(ctx, "fitting backends", Fitter.Fits(catalog, file)))
                result = Fitter.Run(catalog, file, n, bar);
            var display = ValidateCommand.DisplayPath(path);
            var hash = InSample.HashPrefix(path);
            var summary = new List<(string, string)>();
            foreach (var fit in result.Backends)
            {
                var text = $"perfsim fit --reference {Path.GetFileName(path)} (sha256 {hash}…): least squares on log error over {fit.Rows} rows on {fit.Devices} device(s), rms log error {fit.Rms.ToString("0.###", CultureInfo.InvariantCulture)}";
                var sources = new Dictionary<string, string>(fit.Fitted.Sources, StringComparer.Ordinal) { ["fit"] = text };
                var profile = fit.Fitted with { Sources = sources };
                profile = profile.With(fit.Values, Basis.Fitted, text);
                summary.Add((fit.Fitted.Id, string.Join(", ", fit.Values.Select(kv => $"{kv.Key} = {Show(kv.Key, kv.Value)}"))));
                var targetDir = r.GetValue(update) ? catalog.Root : r.GetValue(outDir);
                if (targetDir is not null)
                {
                    var yaml = BackendWriter.ToYaml(profile,
                    [
                        "Backend profile (see docs/backends.md). Parameters under `fit:` were fitted by `perfsim fit`;",
                        $"the others are assumed priors. Fit: {fit.Rows} rows, {fit.Devices} device(s), rms log error {fit.Rms.ToString("0.###", CultureInfo.InvariantCulture)}.",
                    ]);
                    var target = r.GetValue(update) ? Path.Combine(catalog.Root, fit.Fitted.File) : Path.Combine(targetDir, Path.GetFileName(fit.Fitted.File));
                    // Over an existing profile, its hand-written comments and field order stay (BackendLayout).
                    if (File.Exists(target)) yaml = BackendLayout.Keep(File.ReadAllText(target), yaml);
                    AtomicFile.Write(target, w => w.Write(yaml));
                    ctx.Error.WriteLine($"wrote {target}");
                }
            }
            // The interval statistics go beside the backends they describe: workloads/residuals.json, or the folder given.
            var residualTarget = r.GetValue(update) ? ResidualFile.PathIn(catalog.Root) : r.GetValue(outDir) is { } rd ? Path.Combine(rd, "residuals.json") : null;
            if (residualTarget is not null)
            {
                var stats = OutOfSampleIntervals.Statistics(catalog, result, $"perfsim fit --reference {Path.GetFileName(path)} (sha256 {hash}…)");
                AtomicFile.Write(residualTarget, w => w.Write(ResidualFile.ToJson(stats)));
                ctx.Error.WriteLine($"wrote {residualTarget}");
            }
            if (!r.GetValue(update) && r.GetValue(outDir) is null)
                ctx.Error.WriteLine("note: fitted backends not written (give --backends-out DIR, or --update-profiles to replace the shipped ones)");
            var report = ValidationReport.Build("PerfSim fit", display, result.Fit, 5, result.LeaveOneDeviceOut, summary, inSample: true,
                intervals: OutOfSampleIntervals.Check(catalog, result.Fit, result.LeaveOneDeviceOut));
            ReportOutput.Write(ctx, report, renderer.Format, r.GetValue(output));
            foreach (var f in result.Folds.Where(f => f.PriorOnly))
                ctx.Error.WriteLine(f.PooledFrom is { Count: > 0 } from
                    ? $"note: leave-one-device-out for {f.Backend} on {f.Device}: no other device measured, prior parameters with gemm pooled from {string.Join(", ", from)}"
                    : $"note: leave-one-device-out for {f.Backend} on {f.Device}: no other device measured, prior parameters used");
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    static string Show(string name, double v) =>
        BackendProfile.Spec(name).Unit == "s" ? (v * 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " us" : v.ToString("0.####", CultureInfo.InvariantCulture);
}

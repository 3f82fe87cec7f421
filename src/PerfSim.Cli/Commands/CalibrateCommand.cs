using PerfSim.Data.Hardware;
using System.CommandLine;
using PerfSim.Reporting;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Microbench;
using PerfSim.Microbench.Calibration;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim calibrate`: measures this host with PerfSim's own kernels (about half a minute), writes a hardware profile
/// whose figures are marked measured, and with --check predicts every measured kernel and the synthetic decoder with
/// the engine and that profile, printing predicted vs measured.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the profile (default: ~/.config/perfsim/host.yaml, outside the repository; use it with -H FILE); an existing file is kept as <file>.bak" };
        var id = new Option<string>("--id") { Description = "ID of the written profile", DefaultValueFactory = _ => "host" };
        var check = new Option<bool>("--check") { Description = "Also predict each measured kernel and the synthetic decoder with the engine, and compare" };
        var threads = NumberOptions.Int("--threads", "Threads for the measurements (0 = all logical cores)", 0);
        var lmHead = new Option<bool>("--lm-head") { Description = "Also measure the 128256×4096 LM-head GEMV (a few seconds more)" };
        var report = new Option<string?>("--report") { Description = "Write the report to this file (atomically) instead of standard output" };
        var format = CommonOptions.Format();
        var data = CommonOptions.Data();
        var cmd = new Command("calibrate", "Measure this host and write a calibrated hardware profile (with --check: predicted vs measured).");
        foreach (var o in new Option[] { output, id, check, threads, lmHead, format, report, data }) cmd.Options.Add(o);
        cmd.SetAction(r =>
        {
            int t = r.GetValue(threads);
            if (t < 0) throw new UsageException($"--threads must be 0 (all) or positive, got {t}");
            var profileId = r.GetValue(id)!;
            var catalog = ctx.Catalog(r.GetValue(data));
            if (catalog.Hardware.TryGetValue(profileId, out var existing))
                throw new UsageException($"--id '{profileId}' is already a profile in the catalog ({existing.File}); choose another ID");
            var path = r.GetValue(output) ?? DefaultProfilePath();
            if (r.GetValue(output) is null) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            else if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)))) throw new UsageException($"--output: folder of '{path}' does not exist");
            var renderer = ReportOutput.Renderer(r.GetValue(format)!);   // reject a bad format before half a minute of measuring

            var suite = new QuickSuiteOptions(Threads: t, IncludeLmHeadShape: r.GetValue(lmHead));
            HostMeasurement m;
            using (var bar = Progress.ProgressBar.For(ctx, "measuring", QuickSuite.Steps(suite)))
                m = QuickSuite.Run(suite with { Log = bar.Log, Progress = bar });
            var yaml = HostProfileBuilder.ToYaml(m, profileId, DateTime.UtcNow);
            // Read it back with the strict loader before writing: what we write must load.
            var docs = new YamlDocumentSet();
            var profile = HardwareLoader.Load(docs.ParseText(yaml, Path.GetFileName(path)), docs);
            if (File.Exists(path)) File.Copy(path, path + ".bak", overwrite: true);
            AtomicFile.Write(path, w => w.Write(yaml));
            ctx.Error.WriteLine($"wrote {path}");

            CalibrationCheckResult? result = null;
            if (r.GetValue(check))
            {
                ctx.Error.WriteLine("check: measuring single-thread GEMVs and a wider GEMM to predict out of sample …");
                var extra = CalibrationCheck.ExtraMeasurements(m);
                result = CalibrationCheck.Run(m, extra, profile, catalog.GetQuant, m.Host.LogicalCores);
            }
            ReportOutput.Write(ctx, CalibrationReport.Build(m, profile, path, result), renderer.Format, r.GetValue(report));
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    /// <summary>Where a calibrated profile goes by default: the user's config folder, never the repository.</summary>
    public static string DefaultProfilePath() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "perfsim", "host.yaml");
}

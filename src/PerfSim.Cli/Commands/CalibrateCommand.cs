using PerfSim.Data.Hardware;
using System.CommandLine;
using System.Globalization;
using PerfSim.Cli.Rendering;
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
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the profile (default: hardware-profiles/host.yaml in the data folder); an existing file is kept as <file>.bak" };
        var id = new Option<string>("--id") { Description = "ID of the written profile", DefaultValueFactory = _ => "host" };
        var check = new Option<bool>("--check") { Description = "Also predict each measured kernel and the synthetic decoder with the engine, and compare" };
        var threads = new Option<int>("--threads") { Description = "Threads for the measurements (0 = all logical cores)", DefaultValueFactory = _ => 0 };
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
            var path = r.GetValue(output) ?? Path.Combine(catalog.Root, "hardware-profiles", "host.yaml");
            CheckId(catalog, profileId, path);
            var formatName = r.GetValue(format)!;
            Renderers.For(formatName);   // reject a bad format before half a minute of measuring

            var m = QuickSuite.Run(new QuickSuiteOptions(Threads: t, IncludeLmHeadShape: r.GetValue(lmHead), Log: s => ctx.Error.WriteLine(s)));
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
            ReportOutput.Write(ctx, [Build(m, profile, path, result)], formatName, r.GetValue(report));
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The written profile must load and must not take another profile's ID (the catalog would refuse both); only the
    /// file being replaced may already hold it.
    /// </summary>
    static void CheckId(PerfSim.Data.Catalog.ProfileCatalog catalog, string id, string path)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"))
            throw new UsageException($"--id must be letters, digits, '.', '_' or '-' (at most 80), got '{PerfSim.Data.Input.Printable.Of(id)}'");
        var taken = catalog.Hardware.Values.FirstOrDefault(h => string.Equals(h.Id, id, StringComparison.OrdinalIgnoreCase));
        if (taken is not null && Path.GetFullPath(Path.Combine(catalog.Root, taken.File)) != Path.GetFullPath(path))
            throw new UsageException($"--id '{id}' is already the ID of {taken.File}; choose another --id, or --output that file to replace it");
    }

    static string N(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    public static Report Build(HostMeasurement m, HardwareProfile profile, string path, CalibrationCheckResult? check)
    {
        var rows = new List<ReportRow>
        {
            new("host", "host.cpu", "CPU", m.Host.CpuModel),
            new("host", "host.logical_cores", "logical cores", m.Host.LogicalCores),
            new("host", "host.isa", "instruction sets", string.Join(" ", m.Host.IsaFlags)),
            new("host", "host.kernel_path", "kernel path", m.Host.BestKernelPath),
            new("host", "profile", "profile written", path),
            new("memory", "memory.read_gbps", "DRAM read, all threads", m.ReadGBpsAllThreads, "GB/s"),
            new("memory", "memory.read_gbps_one_thread", "DRAM read, one thread", m.ReadGBpsOneThread, "GB/s"),
        };
        foreach (var level in profile.Memory)
            rows.Add(new("memory", $"memory.levels.{level.Id}_gbps", $"{level.Id} read bandwidth ({level.Capacity.Value})", level.Bandwidth.Value.GBps, "GB/s"));
        rows.Add(new("compute", "compute.fp32_gflops", "fp32 FMA, all cores", m.Compute.Fp32FmaGflopsAllCores, "GFLOP/s"));
        rows.Add(new("compute", "compute.int8_gops", "int8 dot, all cores", m.Compute.Int8DotGopsAllCores, "GOP/s"));
        foreach (var h in m.HotUnpack)
            rows.Add(new("compute", $"compute.unpack_gweights_per_s.{h.Format}", $"{h.Format} unpack+dot, weights hot in cache", h.WeightsPerSecondAllCores / 1e9, "Gweights/s"));

        DetailTable kernels;
        var decoder = m.Decoder.FirstOrDefault();
        if (check is null)
        {
            kernels = new DetailTable("kernels", ["format", "path", "shape", "n", "threads", "measured_ms", "gbps", "gflops"],
                m.Kernels.Select(k => (IReadOnlyList<string>)[k.Format, k.Path, $"{k.M}x{k.K}", k.N.ToString(CultureInfo.InvariantCulture),
                    k.Threads.ToString(CultureInfo.InvariantCulture), N(k.Milliseconds), N(k.EffectiveWeightGBps), N(k.Gflops)]).ToArray());
            if (decoder is not null) rows.Add(new("decoder", "decoder.measured_tokens_per_s", $"synthetic decoder ({decoder.Format}, {decoder.Config.Layers} layers)", decoder.TokensPerSecond, "tok/s"));
            return Report.Of($"Calibration of {m.Host.CpuModel}", rows, [kernels], ["run with --check to predict each kernel with the engine and compare"]);
        }

        kernels = new DetailTable("kernels", ["format", "path", "shape", "n", "threads", "measured_ms", "predicted_ms", "error", "bound", "weights_from", "gbps", "gflops", "role"],
            check.Kernels.Select(k => (IReadOnlyList<string>)[k.Format, k.Path, k.Shape, k.N.ToString(CultureInfo.InvariantCulture),
                k.Threads.ToString(CultureInfo.InvariantCulture), N(k.MeasuredMs), N(k.PredictedMs), N(k.Error), k.Bound.Kebab(), k.ServedFrom,
                N(k.WeightGBps), N(k.Gflops), k.Role.Kebab()]).ToArray());
        var decoders = new DetailTable("decoders", ["format", "layers", "context", "measured_tokens_per_s", "predicted_tokens_per_s", "error", "bound",
                "measured_matmul_ms", "predicted_matmul_ms", "measured_attention_ms", "predicted_attention_ms"],
            check.Decoders.Select(d => (IReadOnlyList<string>)[d.Format, d.Layers.ToString(CultureInfo.InvariantCulture), d.Context.ToString(CultureInfo.InvariantCulture),
                N(d.MeasuredTokensPerSecond), N(d.PredictedTokensPerSecond), N(d.Error), d.Bound.Kebab(),
                N(d.MeasuredMatmulMs), N(d.PredictedMatmulMs), N(d.MeasuredAttentionMs), N(d.PredictedAttentionMs)]).ToArray());
        if (check.Decoders.FirstOrDefault() is { } dc)
        {
            rows.Add(new("decoder", "decoder.format", "synthetic decoder format", dc.Format));
            rows.Add(new("decoder", "decoder.measured_tokens_per_s", "measured", dc.MeasuredTokensPerSecond, "tok/s"));
            rows.Add(new("decoder", "decoder.predicted_tokens_per_s", "predicted", dc.PredictedTokensPerSecond, "tok/s"));
            rows.Add(new("decoder", "decoder.error", "error (predicted − measured) ÷ measured", dc.Error));
        }
        rows.Add(new("check", "check.held_out", "held-out comparisons", check.HeldOutErrors.Count()));
        rows.Add(new("check", "check.mean_abs_error_percent", "mean |error| over held-out rows", check.MeanAbsErrorPercent, "%"));
        rows.Add(new("check", "check.max_abs_error_percent", "max |error| over held-out rows", check.MaxAbsErrorPercent, "%"));
        var notes = new[]
        {
            "error = (predicted − measured) ÷ measured; role 'calibration-input' rows fed the profile (their GEMM rate), so matching them is not evidence",
            "bound 'kernel': the kernel's unpack+dot rate, not DRAM, limits the GEMV — what a 4-bit GEMV on few cores does",
            "the host is a shared VM: repeated runs move by 10–30 %",
        };
        return Report.Of($"Calibration check on {m.Host.CpuModel}", rows, [kernels, decoders], notes);
    }
}

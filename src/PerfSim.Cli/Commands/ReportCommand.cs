using System.CommandLine;
using PerfSim.Data.Measurements;
using PerfSim.Plots.Html;
using PerfSim.Plots.Studies;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim report -o DIR`: a shareable study — report.html (self-contained: opens offline, charts inline), report.md
/// and one CSV per table — of the candidates hardware × model × quantization, with quantization and batch what-ifs.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Hardware IDs (repeat or comma-separate); the first is studied in depth", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultHardware] };
        var models = new Option<string[]>("--model", "-m") { Description = "Model IDs or files", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultModel] };
        var quants = new Option<string[]>("--quant", "-q") { Description = "Quantization scheme IDs (default: fp16; the quantization what-if uses fp16, int8, int4-g128 unless two or more are given)", AllowMultipleArgumentsPerToken = true };
        var batches = new Option<string>("--batches") { Description = "Batch sizes of the batch what-if, comma-separated", DefaultValueFactory = _ => string.Join(',', WhatIf.DefaultBatches) };
        var reference = new Option<string?>("--reference", "-r") { Description = "Measurement CSV: adds the predicted-vs-measured chart" };
        var o = new WorkloadOptions();
        var output = new Option<string>("--output", "-o") { Description = "Folder to write report.html, report.md and the CSV files into (created if missing)", Required = true };
        var cmd = new Command("report", "Write a shareable HTML report (charts inline, opens offline) with the same tables as CSV and markdown.");
        foreach (var opt in new Option[] { hardware, models, quants, batches, reference, output })
            cmd.Options.Add(opt);
        foreach (var opt in new Option[] { o.Batch, o.Prompt, o.Gen, o.Scenario, o.Kv, o.Backend, o.Engine, o.Devices, o.Threads, o.Lifetime, o.Electricity, o.Pue, o.Utilization, o.Pricing, o.Data })
            cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var hw = Split(r.GetValue(hardware));
            var ms = Split(r.GetValue(models));
            var qs = r.GetResult(quants) is { Implicit: false } ? Split(r.GetValue(quants)) : null;
            ValidationResult? validation = null;
            string? source = null;
            if (r.GetValue(reference) is { } path)
            {
                validation = Validator.Run(catalog, ReferenceFile.Load(path));
                source = ValidateCommand.DisplayPath(path);
            }
            var doc = ReportStudy.Build(catalog, new StudyRequest(o.Request(r, hw[0], ms[0], qs?[0]), hw, ms, qs,
                PlotCommand.ParseInts("--batches", r.GetValue(batches)!), validation, source));
            var dir = r.GetValue(output)!;
            var parent = Path.GetDirectoryName(Path.GetFullPath(dir));
            if (parent is null || !Directory.Exists(parent)) throw new UsageException($"-o '{dir}': its parent folder does not exist");
            Directory.CreateDirectory(dir);
            var files = ReportFolder.Write(doc, dir);
            ctx.Error.WriteLine($"wrote {files.Count} files to {dir}: report.html ({doc.Charts.Count} charts), report.md, {files.Count - 2} CSV");
            return (int)ExitCode.Ok;
        });
        return cmd;
    }
}

using System.CommandLine;
using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;
using PerfSim.Plots.Rendering;
using PerfSim.Plots.Studies;
using PerfSim.Validation;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim plot KIND -o FILE.png|.svg`: one chart, its requests built and predicted through the composition layer.</summary>
public static class PlotCommand
{
    public static readonly IReadOnlyList<string> Kinds =
        [RooflineChart.Kind, BatchChart.Kind, ModelSizeChart.Kind, QuantChart.Kind, EnergyChart.Kind, CostChart.Kind, ValidationChart.Kind,
         ParetoChart.Kind, ServingCharts.LoadKind, ServingCharts.TimelineKind, TrainingCharts.SplitKind, TrainingCharts.RatioKind];

    /// <summary>Kinds whose data come from modules not on this branch yet: they say so instead of drawing anything made up.</summary>
    static readonly IReadOnlyDictionary<string, string> Pending = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ParetoChart.Kind] = "a plan: run `perfsim plan ... --chart FILE.png`",
        [ServingCharts.LoadKind] = "runs at several loads: build it from the library (ServingChartData.Load over ServingSimulator.Run results)",
        [ServingCharts.TimelineKind] = "a serving run: run `perfsim serve ... --chart FILE.png`",
        [TrainingCharts.SplitKind] = "a training sweep: run `perfsim train ... --sweep-devices A-B --chart FILE.png`",
        [TrainingCharts.RatioKind] = "a training sweep: run `perfsim train ... --sweep-devices A-B --chart FILE.png` (writes FILE-ratio.png)",
    };

    public static Command Create(CliContext ctx)
    {
        var kind = new Argument<string>("kind") { Description = "Chart: " + string.Join(", ", Kinds) };
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Hardware IDs (repeat or comma-separate; model-size, energy and cost compare them)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultHardware] };
        var models = new Option<string[]>("--model", "-m") { Description = "Model IDs or files (model-size compares them)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultModel] };
        var quants = new Option<string[]>("--quant", "-q") { Description = "Quantization scheme IDs (quant compares them; default there: fp16, int8, int4-g128)", AllowMultipleArgumentsPerToken = true };
        var batches = new Option<string>("--batches") { Description = "Batch sizes of the batch chart, comma-separated", DefaultValueFactory = _ => string.Join(',', WhatIf.DefaultBatches) };
        var reference = new Option<string?>("--reference", "-r") { Description = "Measurement CSV for the validation chart" };
        var times = new Option<bool>("--times") { Description = "Validation chart of TTFT/TPOT (seconds) instead of rates (tokens/s)" };
        var width = new Option<int>("--width") { Description = "Image width in pixels", DefaultValueFactory = _ => ChartRenderer.DefaultWidth };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => ChartRenderer.DefaultHeight };
        var o = new WorkloadOptions();
        var cmd = new Command("plot", "Draw a chart (PNG or SVG by the file's extension): " + string.Join(", ", Kinds) + ".");
        cmd.Arguments.Add(kind);
        foreach (var opt in new Option[] { hardware, models, quants, batches, reference, times, width, height }) cmd.Options.Add(opt);
        foreach (var opt in new Option[] { o.Batch, o.Prompt, o.Gen, o.Scenario, o.Kv, o.Backend, o.Engine, o.Devices, o.Threads, o.Lifetime, o.Electricity, o.Pue, o.Utilization, o.Pricing, o.Output, o.Data })
            cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            var k = r.GetValue(kind)!;
            if (!Kinds.Contains(k)) throw new UsageException($"plot: unknown chart '{k}'; expected one of {string.Join(", ", Kinds)}");
            if (Pending.TryGetValue(k, out var module)) throw new UsageException($"plot {k}: drawn from {module}");
            var path = r.GetValue(o.Output) ?? throw new UsageException("plot: -o FILE.png or FILE.svg is required");
            if (Path.GetExtension(path).ToLowerInvariant() is not (".png" or ".svg")) throw new UsageException($"-o '{path}': expected a file ending in .png or .svg");
            int w = r.GetValue(width), h = r.GetValue(height);
            if (w is < 100 or > 8000 || h is < 100 or > 8000) throw new UsageException($"--width/--height must be 100–8000 pixels, got {w}×{h}");
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var chart = Build(k, catalog, r, o, Split(r.GetValue(hardware)), Split(r.GetValue(models)),
                r.GetResult(quants) is { Implicit: false } ? Split(r.GetValue(quants)) : null, r.GetValue(batches)!, r.GetValue(reference), r.GetValue(times));
            try { ChartRenderer.Save(chart, path, w, h); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            ctx.Error.WriteLine($"wrote {path}");
            foreach (var n in chart.Notes ?? []) ctx.Error.WriteLine($"note: {n}");
            return (int)ExitCode.Ok;
        });
        return cmd;
    }

    static Chart Build(string kind, ProfileCatalog catalog, ParseResult r, WorkloadOptions o, string[] hardware, string[] models, string[]? quants,
        string batches, string? reference, bool times)
    {
        var request = o.Request(r, hardware[0], models[0], quants?[0]);
        IReadOnlyList<string?> qs = quants is not null ? quants : new string?[] { null };
        return kind switch
        {
            RooflineChart.Kind => RooflineChart.From(Composer.Predict(catalog, request)),
            BatchChart.Kind => BatchChart.From(WhatIf.Batches(catalog, request, ParseInts("--batches", batches))),
            ModelSizeChart.Kind => ModelSizeChart.From(WhatIf.Grid(catalog, request, hardware, models, qs)),
            QuantChart.Kind => QuantChart.From(WhatIf.Grid(catalog, request, [hardware[0]], [models[0]], (IEnumerable<string?>?)quants ?? WhatIf.DefaultQuants)),
            EnergyChart.Kind => EnergyChart.From(WhatIf.Grid(catalog, request, hardware, models, qs)),
            CostChart.Kind => CostChart.From(WhatIf.Grid(catalog, request, hardware, models, qs)),
            ValidationChart.Kind => Validation(catalog, reference ?? throw new UsageException("plot validation: --reference FILE.csv is required"), times),
            _ => throw new UsageException($"plot: unknown chart '{kind}'"),
        };
    }

    static Chart Validation(ProfileCatalog catalog, string path, bool times)
    {
        var result = Validator.Run(catalog, ReferenceFile.Load(path));
        try { return ValidationChart.From(result, times ? ValidationChart.Times : ValidationChart.Rates, ValidateCommand.DisplayPath(path)); }
        catch (ArgumentException e) { throw new UsageException($"--reference {path}: {e.Message}"); }
    }

    static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();

    public static int[] ParseInts(string option, string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException($"{option}: expected a comma-separated list of positive integers, got '{list}'");
        return parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v
            : throw new UsageException($"{option}: expected positive integers, got '{p}'")).ToArray();
    }
}

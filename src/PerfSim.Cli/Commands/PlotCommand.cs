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

    public static Command Create(CliContext ctx)
    {
        var kind = new Argument<string>("kind") { Description = "Chart: " + string.Join(", ", Kinds) };
        var hardware = new Option<string[]>("--hardware", "-H") { Description = "Hardware IDs (repeat or comma-separate; model-size, energy and cost compare them)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultHardware] };
        var models = new Option<string[]>("--model", "-m") { Description = "Model IDs or files (model-size compares them)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [CommonOptions.DefaultModel] };
        var quants = new Option<string[]>("--quant", "-q") { Description = "Quantization scheme IDs (quant compares them; default there: fp16, int8, int4-g128)", AllowMultipleArgumentsPerToken = true };
        var batches = new Option<string>("--batches") { Description = "Batch sizes of the batch chart, comma-separated", DefaultValueFactory = _ => string.Join(',', WhatIf.DefaultBatches) };
        var reference = new Option<string?>("--reference", "-r") { Description = "Measurement CSV for the validation chart" };
        var times = new Option<bool>("--times") { Description = "Validation chart of TTFT/TPOT (seconds) instead of rates (tokens/s)" };
        var rates = new Option<string>("--rates") { Description = "serving-load: offered loads to simulate, requests/s, comma-separated", DefaultValueFactory = _ => "1,2,4,8,16" };
        var rate = new Option<string>("--rate") { Description = "serving-timeline: offered load (requests/s); pareto: the load the fleet must serve", DefaultValueFactory = _ => "4" };
        var duration = new Option<string>("--duration") { Description = "serving-load, serving-timeline: seconds of arrivals per run", DefaultValueFactory = _ => "120" };
        var seed = NumberOptions.Int("--seed", "serving-load, serving-timeline: random seed (same seed, same chart)", 1);
        var ttft = new Option<string>("--ttft-p99") { Description = "pareto: target TTFT at the p99 (s)", DefaultValueFactory = _ => "2" };
        var tpot = new Option<string>("--tpot-p99") { Description = "pareto: target time per output token at the p99 (s)", DefaultValueFactory = _ => "0.1" };
        var confirm = new Option<string>("--confirm") { Description = "pareto: confirm the short list with sim (the serving simulator, as `plan`) or none (the analytic screen)", DefaultValueFactory = _ => "sim" };
        var sweep = new Option<string>("--sweep-devices") { Description = "training-split, training-ratio: device counts, a range A-B (powers of two) or a list", DefaultValueFactory = _ => "8-256" };
        var tokens = new Option<string>("--tokens") { Description = "training-split, training-ratio: training tokens (sets nothing on the chart but the run's length)", DefaultValueFactory = _ => "1T" };
        var width = new Option<int>("--width") { Description = "Image width in pixels", DefaultValueFactory = _ => ChartRenderer.DefaultWidth };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => ChartRenderer.DefaultHeight };
        var o = new WorkloadOptions();
        var cmd = new Command("plot", "Draw a chart (PNG or SVG by the file's extension): " + string.Join(", ", Kinds) + ".");
        cmd.Arguments.Add(kind);
        foreach (var opt in new Option[] { hardware, models, quants, batches, reference, times, rates, rate, duration, seed, ttft, tpot, confirm, sweep, tokens, width, height }) cmd.Options.Add(opt);
        foreach (var opt in new Option[] { o.Batch, o.Prompt, o.Gen, o.Scenario, o.Kv, o.Backend, o.Engine, o.Devices, o.Threads, o.Lifetime, o.Electricity, o.Pue, o.Utilization, o.Pricing, o.Output, o.Data })
            cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            var k = r.GetValue(kind)!;
            if (!Kinds.Contains(k)) throw new UsageException($"plot: unknown chart '{k}'; expected one of {string.Join(", ", Kinds)}");
            var path = r.GetValue(o.Output) ?? throw new UsageException("plot: -o FILE.png or FILE.svg is required");
            if (Path.GetExtension(path).ToLowerInvariant() is not (".png" or ".svg")) throw new UsageException($"-o '{path}': expected a file ending in .png or .svg");
            int w = r.GetValue(width), h = r.GetValue(height);
            if (w is < 100 or > 8000 || h is < 100 or > 8000) throw new UsageException($"--width/--height must be 100–8000 pixels, got {w}×{h}");
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var q = r.GetResult(quants) is { Implicit: false } ? Split(r.GetValue(quants)) : null;
            var hw = Split(r.GetValue(hardware));
            var ms = Split(r.GetValue(models));
            var chart = k switch
            {
                ServingCharts.LoadKind or ServingCharts.TimelineKind => Serving(ctx, k, catalog, o.Request(r, hw[0], ms[0], q?[0]), r.GetValue(o.Prompt), r.GetValue(o.Gen),
                    ParseDoubles("--rates", r.GetValue(rates)!), PositiveNumber("--rate", r.GetValue(rate)!), PositiveNumber("--duration", r.GetValue(duration)!), r.GetValue(seed)),
                ParetoChart.Kind => Pareto(ctx, catalog, r, o, hw, ms[0], q, PositiveNumber("--rate", r.GetValue(rate)!),
                    PositiveNumber("--ttft-p99", r.GetValue(ttft)!), PositiveNumber("--tpot-p99", r.GetValue(tpot)!), r.GetValue(confirm)!),
                TrainingCharts.SplitKind or TrainingCharts.RatioKind => Training(k, catalog, hw[0], ms[0], r.GetValue(sweep)!, r.GetValue(tokens)!, q?[0], o.Assumptions(r)),
                _ => Build(k, catalog, r, o, hw, ms, q, r.GetValue(batches)!, r.GetValue(reference), r.GetValue(times)),
            };
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

    /// <summary>serving-load: one simulator run per offered rate; serving-timeline: one run at `--rate`. A bar on a terminal counts the simulated time.</summary>
    static Chart Serving(CliContext ctx, string kind, ProfileCatalog catalog, PredictionRequest request, int prompt, int gen, double[] rates, double rate, double duration, int seed)
    {
        try
        {
            if (kind == ServingCharts.LoadKind)
            {
                List<LoadRun> runs;
                using (var bar = Progress.ProgressBar.For(ctx, "simulating loads", rates.Length))
                    runs = [.. ServingStudy.Loads(catalog, request, rates, prompt, gen, duration, seed, progress: bar)];
                return Plots.Adapters.ServingChartData.Load(runs, $"Serving latency vs load: {What(request, prompt, gen)}");
            }
            PerfSim.Serving.ServingResult run;
            using (var b = Progress.ProgressBar.For(ctx, "simulating", Progress.ProgressBar.Steps))
                run = ServingStudy.Run(catalog, request, rate, prompt, gen, duration, seed, progress: b.Fraction);
            return Plots.Adapters.ServingChartData.Timeline(run) with { Title = $"KV-cache occupancy and batch over time: {What(request, prompt, gen)}, {rate:0.###} requests/s" };
        }
        catch (PerfSim.Serving.ServingException e)
        {
            throw e.Kind switch
            {
                PerfSim.Serving.ServingError.InvalidInput => new InputFileException(e.Message),
                PerfSim.Serving.ServingError.DoesNotFit => new DoesNotFitException(e.Message),
                _ => new UsageException(e.Message),
            };
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>pareto: the planner over the `-H` candidates (as `perfsim plan -c`), its feasible fleets on cost vs p99 TTFT.</summary>
    static Chart Pareto(CliContext ctx, ProfileCatalog catalog, ParseResult r, WorkloadOptions o, string[] candidates, string model, string[]? quants,
        double rate, double ttft, double tpot, string confirm)
    {
        foreach (var c in candidates) catalog.GetHardware(c);
        var request = new PerfSim.Planning.PlanRequest
        {
            Model = model,
            Traffic = new PerfSim.Planning.Traffic(rate, r.GetValue(o.Prompt), r.GetValue(o.Gen)),
            Slo = new PerfSim.Planning.Slo(new Core.Units.Seconds(ttft), new Core.Units.Seconds(tpot)),
            Candidates = candidates,
            Quants = quants ?? ["fp16"],
            Assumptions = o.Assumptions(r),
        };
        var screen = new PerfSim.Planning.Serving.EngineReplicaModel(catalog, model, request.Assumptions);
        PerfSim.Planning.Serving.IReplicaModel? check = confirm.ToLowerInvariant() switch
        {
            "sim" => new PerfSim.Planning.Serving.SimulatedReplicaModel(catalog, model, request.Assumptions),
            "none" => null,
            _ => throw new UsageException($"--confirm must be sim or none, got '{confirm}'"),
        };
        PerfSim.Planning.Search.PlanResult plan;
        using (var bar = Progress.ProgressBar.For(ctx, "planning", candidates.Length))
            plan = PerfSim.Planning.Search.Planner.Plan(catalog, request, screen, check, bar);
        if (plan.Pareto.Count == 0)
            throw new DoesNotFitException($"plot pareto: no feasible fleet of {string.Join(", ", candidates)} serves {model} at {rate} requests/s within TTFT {ttft} s and TPOT {tpot} s");
        return Plots.Adapters.PlanChartData.Pareto(plan);
    }

    /// <summary>training-split / training-ratio: the data-parallel device sweep `perfsim train --sweep-devices` runs.</summary>
    static Chart Training(string kind, ProfileCatalog catalog, string hardware, string model, string sweep, string tokens, string? precision, Core.Engine.Assumptions a)
    {
        var request = new TrainingRequest
        {
            Hardware = hardware, Model = model, Tokens = TrainCommand.ParseCount(tokens, "--tokens"),
            Precision = precision ?? "bf16", Assumptions = a,
        };
        var result = TrainingComposer.Sweep(catalog, request, TrainCommand.ParseSweep(sweep));
        var what = $"{hardware}, {model} {request.Precision}";
        return kind == TrainingCharts.SplitKind ? Plots.Adapters.TrainingChartData.Split(result.Points, what) : Plots.Adapters.TrainingChartData.Ratio(result.Points, what);
    }

    static string What(PredictionRequest r, int prompt, int gen) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Hardware}, {r.Model} {r.Quant ?? Defaults.Quant}, prompt {prompt}, gen {gen}");

    static double PositiveNumber(string option, string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v) ? v
            : throw new UsageException($"{option}: expected a positive number, got '{text}'");

    static double[] ParseDoubles(string option, string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException($"{option}: expected a comma-separated list of positive numbers, got '{list}'");
        return parts.Select(p => PositiveNumber(option, p)).ToArray();
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

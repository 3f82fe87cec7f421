using System.CommandLine;
using PerfSim.Cli.Progress;
using PerfSim.Sweep;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim sweep`: a grid hardware × model × quant × devices × batch × prompt × gen to CSV, streamed row by row on all
/// cores in grid order; `--shard k/N` writes only the k-th of N contiguous slices (header in slice 1 only), so a
/// cluster array job's outputs concatenate to the single-run file byte for byte.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CliContext ctx)
    {
        static Option<string[]> List(string name, string alias, string what, string dflt) =>
            new(name, alias) { Description = $"{what} (repeat or comma-separate; default {dflt})", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [dflt] };
        var hardware = List("--hardware", "-H", "Hardware IDs", CommonOptions.DefaultHardware);
        var models = List("--model", "-m", "Model IDs or files", CommonOptions.DefaultModel);
        var quants = List("--quant", "-q", "Quantization scheme IDs", CommonOptions.DefaultQuant);
        var batches = new Option<string>("--batches") { Description = "Batch sizes, comma-separated", DefaultValueFactory = _ => "1" };
        var prompts = new Option<string>("--prompts") { Description = "Prompt lengths (tokens), comma-separated", DefaultValueFactory = _ => "512" };
        var gens = new Option<string>("--gens") { Description = "Generated lengths (tokens), comma-separated", DefaultValueFactory = _ => "256" };
        var devices = new Option<string?>("--devices-list") { Description = "Layouts: tensor-parallel device counts, comma-separated (default: the hardware's own)" };
        var shard = new Option<string>("--shard") { Description = "Write only slice k of N (1-based), e.g. 3/8; slices concatenate to the whole", DefaultValueFactory = _ => "1/1" };
        var threads = new Option<int?>("--jobs", "-j") { Description = "Parallel workers (default: all cores)" };
        var o = new WorkloadOptions();
        var cmd = new Command("sweep", "Predict every point of a grid and stream the results to CSV (standard output or -o FILE).");
        foreach (var opt in new Option[] { hardware, models, quants, batches, prompts, gens, devices, shard, threads })
            cmd.Options.Add(opt);
        foreach (var opt in new Option[] { o.Kv, o.Backend, o.Engine, o.Threads, o.Lifetime, o.Electricity, o.Pue, o.Utilization, o.Pricing, o.Output, o.Data })
            cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
            var grid = new SweepGrid(Split(r.GetValue(hardware)), Split(r.GetValue(models)), Split(r.GetValue(quants)).Select(x => (string?)x).ToList(),
                r.GetValue(devices) is { } d ? PlotCommand.ParseInts("--devices-list", d).Select(x => (int?)x).ToList() : [null],
                PlotCommand.ParseInts("--batches", r.GetValue(batches)!), PlotCommand.ParseInts("--prompts", r.GetValue(prompts)!), PlotCommand.ParseInts("--gens", r.GetValue(gens)!));
            var part = Shard.Parse(r.GetValue(shard)!);
            if (r.GetValue(threads) is < 1) throw new Composition.UsageException("--jobs must be at least 1");
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var request = o.Request(r, grid.Hardware[0], grid.Models[0], grid.Quants[0]);
            var (start, end) = part.Range(grid.Count);
            void Run(TextWriter w)
            {
                using var progress = ProgressBar.For(ctx, $"sweep {part.K}/{part.N}", end - start);
                SweepRunner.Run(catalog, request, grid, part, w, progress, r.GetValue(threads));
            }
            if (r.GetValue(o.Output) is { } path) { PerfSim.Reporting.AtomicFile.Write(path, Run); ctx.Error.WriteLine($"wrote {path}: {end - start} of {grid.Count} points"); }
            else Run(ctx.Out);
            return (int)ExitCode.Ok;
        });
        return cmd;
    }
}

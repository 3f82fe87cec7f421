using System.CommandLine;
using System.Globalization;
using PerfSim.Composition;
using PerfSim.Training;
using PerfSim.Training.Reports;

namespace PerfSim.Cli.Commands;

/// <summary>`perfsim train`: time, energy, cost and memory of training a model on N devices; a layout search when none is given; a device sweep.</summary>
public static class TrainCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model ID, or a path to a Hugging Face config.json", DefaultValueFactory = _ => "gpt-3-175b" };
        var tokens = new Option<string>("--tokens") { Description = "Training tokens (e.g. 300e9, 300B, 1.2T)", Required = true };
        var hardware = new Option<string>("--hardware", "-H") { Description = "Hardware profile ID: a device (its system's node is used) or a system", DefaultValueFactory = _ => "nvidia-a100-sxm-80gb" };
        var devices = NumberOptions.OptionalInt("--devices", "Devices in all (default: tp × pp × dp, or one node)");
        var tp = NumberOptions.OptionalInt("--tp", "Tensor-parallel degree (default: searched)");
        var pp = NumberOptions.OptionalInt("--pp", "Pipeline-parallel stages (default: searched)");
        var dp = NumberOptions.OptionalInt("--dp", "Data-parallel replicas (default: devices ÷ (tp × pp × cp))");
        var ep = NumberOptions.OptionalInt("--ep", "Expert-parallel degree, inside the data-parallel group (MoE models)");
        var cp = NumberOptions.Int("--cp", "Context-parallel degree (the sequence split across devices)", 1);
        var interleave = NumberOptions.OptionalInt("--interleave", "Model chunks per pipeline stage (interleaved 1F1B; default 1 = 1F1B)");
        var zero = NumberOptions.OptionalInt("--zero", "ZeRO stage 0-3 (3 = FSDP full sharding; default: searched among 0 and 1)");
        var recompute = new Option<string?>("--recompute") { Description = "Activation recomputation: none, selective or full (default: searched)" };
        var micro = NumberOptions.OptionalInt("--micro-batch", "Sequences per micro-batch (default: searched)");
        var global = NumberOptions.OptionalInt("--global-batch", "Sequences per optimizer step (default: about 3.1M tokens)");
        var seq = NumberOptions.OptionalInt("--seq-len", "Tokens per sequence (default: the model's context, at most 4096)");
        var precision = new Option<string>("--precision") { Description = "Matmul arithmetic: bf16, fp16 or fp8", DefaultValueFactory = _ => "bf16" };
        var offload = new Option<string>("--offload") { Description = "Optimizer state offload: none, cpu or nvme", DefaultValueFactory = _ => "none" };
        var overlap = new Option<bool>("--overlap-grad-reduce") { Description = "Overlap the data-parallel gradient reduction with the backward pass" };
        var noFlash = new Option<bool>("--no-flash-attention") { Description = "Attention scores go through memory (pre-flash-attention kernels)" };
        var network = new Option<string?>("--network") { Description = "Interconnect ID between nodes (default: the system's scale-out NICs)" };
        var nics = NumberOptions.OptionalInt("--nics-per-node", "NIC ports per node on --network (default: one per device)");
        var perNode = NumberOptions.OptionalInt("--devices-per-node", "Devices per node (default: the system's)");
        var sharp = new Option<bool>("--in-network-reduction") { Description = "Switches reduce in the network (InfiniBand SHARP) between nodes" };
        var cloud = new Option<string?>("--usd-per-device-hour") { Description = "Cloud price per device-hour in USD (prices the run as cloud)" };
        var sweep = new Option<string?>("--sweep-devices") { Description = "Data-parallel scaling sweep: a range A-B (powers of two) or a list 64,128,..." };
        var chart = ChartOption.Create("the sweep's step-time split, and its communication : compute ratio vs devices beside it as FILE-ratio.png|svg,");
        var o = new WorkloadOptions();
        var cmd = new Command("train", "Estimate a training run: step time (compute, exposed communication, bubble), tokens/s, days, device-hours, energy, cost, memory per device.");
        foreach (var opt in new Option[] { model, tokens, hardware, devices, tp, pp, dp, ep, cp, interleave, zero, recompute, micro, global, seq, precision, offload,
                     overlap, noFlash, network, nics, perNode, sharp, cloud, sweep, chart, o.Lifetime, o.Electricity, o.Pue, o.Pricing, o.Format, o.Output, o.Data })
            cmd.Options.Add(opt);
        cmd.SetAction(r =>
        {
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var pricing = r.GetValue(o.Pricing)?.ToLowerInvariant() switch
            {
                "auto" => TrainingPricing.Auto, "purchase" => TrainingPricing.Purchase, "cloud" => TrainingPricing.Cloud,
                var p => throw new UsageException($"--pricing must be auto, purchase or cloud, got '{p}'"),
            };
            var a = new Core.Engine.Assumptions(r.GetValue(o.Lifetime), r.GetValue(o.Electricity), r.GetValue(o.Pue));
            var request = new TrainingRequest
            {
                Hardware = r.GetValue(hardware)!,
                Model = r.GetValue(model)!,
                Tokens = ParseCount(r.GetValue(tokens)!, "--tokens"),
                Devices = r.GetValue(devices),
                Tp = r.GetValue(tp), Pp = r.GetValue(pp), Dp = r.GetValue(dp), Ep = r.GetValue(ep), Cp = r.GetValue(cp),
                Interleave = r.GetValue(interleave),
                Zero = r.GetValue(zero),
                Recompute = r.GetValue(recompute) is { } rc ? ParseRecompute(rc) : null,
                MicroBatch = r.GetValue(micro),
                GlobalBatch = r.GetValue(global),
                SeqLen = r.GetValue(seq),
                Precision = r.GetValue(precision)!,
                Offload = ParseOffload(r.GetValue(offload)!),
                OverlapGradientReduce = r.GetValue(overlap),
                FlashAttention = !r.GetValue(noFlash),
                Network = r.GetValue(network),
                NicsPerNode = r.GetValue(nics),
                DevicesPerNode = r.GetValue(perNode),
                InNetworkReduction = r.GetValue(sharp),
                Assumptions = a,
                Pricing = pricing,
                CloudUsdPerDeviceHour = r.GetValue(cloud) is { } usd ? ParsePrice(usd) : null,
            };
            if (r.GetValue(sweep) is { } sw)
            {
                var counts = ParseSweep(sw);
                ChartOption.Check(r.GetValue(chart));
                var sweepResult = TrainingComposer.Sweep(catalog, request, counts);
                ChartOption.Save(ctx, r.GetValue(chart), () => Plots.Adapters.TrainingChartData.Split(sweepResult.Points));
                if (r.GetValue(chart) is { } cp0) ChartOption.Save(ctx, RatioPath(cp0), () => Plots.Adapters.TrainingChartData.Ratio(sweepResult.Points));
                ReportOutput.Write(ctx, TrainingReport.Sweep(sweepResult), r.GetValue(o.Format)!, r.GetValue(o.Output));
                return (int)ExitCode.Ok;
            }
            if (r.GetValue(chart) is not null) throw new UsageException("--chart: needs --sweep-devices (the charts are over device counts)");
            var estimate = TrainingComposer.Estimate(catalog, request);
            ReportOutput.Write(ctx, TrainingReport.Build(estimate.Outcome), r.GetValue(o.Format)!, r.GetValue(o.Output));
            return (int)(estimate.Step.Memory.Fits ? ExitCode.Ok : ExitCode.DoesNotFit);
        });
        return cmd;
    }

    /// <summary>The ratio chart goes beside the split chart: step.png → step-ratio.png.</summary>
    static string RatioPath(string path) => Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "-ratio" + Path.GetExtension(path));

    /// <summary>A count with an optional suffix: K, M, B (or G), T; or plain/scientific notation.</summary>
    public static double ParseCount(string text, string option)
    {
        var s = text.Trim();
        double scale = 1;
        if (s.Length > 0 && char.IsLetter(s[^1]))
        {
            scale = char.ToUpperInvariant(s[^1]) switch { 'K' => 1e3, 'M' => 1e6, 'B' or 'G' => 1e9, 'T' => 1e12, _ => double.NaN };
            s = s[..^1];
        }
        if (double.IsNaN(scale) || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v > 0) || !double.IsFinite(v * scale))
            throw new UsageException($"{option} must be a positive count such as 300e9, 300B or 1.2T; got '{text}'");
        return v * scale;
    }

    static double ParsePrice(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v) ? v
            : throw new UsageException($"--usd-per-device-hour must be a price of zero or more, such as 2.5; got '{text}'");

    static Recompute ParseRecompute(string s) => s.ToLowerInvariant() switch
    {
        "none" => Recompute.None, "selective" => Recompute.Selective, "full" => Recompute.Full,
        _ => throw new UsageException($"--recompute must be none, selective or full; got '{s}'"),
    };

    static Offload ParseOffload(string s) => s.ToLowerInvariant() switch
    {
        "none" => Offload.None, "cpu" => Offload.Cpu, "nvme" => Offload.Nvme,
        _ => throw new UsageException($"--offload must be none, cpu or nvme; got '{s}'"),
    };

    public static IReadOnlyList<int> ParseSweep(string s)
    {
        var bad = new UsageException($"--sweep-devices must be a range A-B (powers of two from A to B) or a list such as 64,128,256; got '{s}'");
        var list = new List<int>();
        if (s.Contains('-'))
        {
            var parts = s.Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi) || lo < 1 || hi < lo || hi > 1 << 20) throw bad;
            for (long n = lo; n <= hi; n *= 2) list.Add((int)n);
        }
        else
            foreach (var p in s.Split(','))
                list.Add(int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 1 << 20 ? n : throw bad);
        return list;
    }
}

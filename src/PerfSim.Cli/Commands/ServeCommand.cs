using System.CommandLine;
using PerfSim.Core.Engine;
using PerfSim.Serving;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim serve`: a serving simulation (arrivals, continuous batching, paged KV, routing, optional disaggregated
/// prefill/decode) of servers built by the composition layer, as a report with tail latencies and goodput.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var hardware = new Option<string>("--hardware", "-H") { Description = "Hardware profile ID of each server (the prefill servers when disaggregated)", DefaultValueFactory = _ => Defaults.Hardware };
        var model = new Option<string>("--model", "-m") { Description = "Model ID, or a path to a Hugging Face config.json or a .gguf file", DefaultValueFactory = _ => Defaults.Model };
        var quant = new Option<string>("--quant", "-q") { Description = "Quantization scheme ID (default: a GGUF's own mix, else fp16)", DefaultValueFactory = _ => Defaults.Quant };
        var rate = new Option<double?>("--rate") { Description = "Open loop: mean arrival rate (requests/s), Poisson unless --burst-cv", CustomParser = r => Num(r, "--rate") };
        var burst = new Option<double?>("--burst-cv") { Description = "Bursty arrivals: gamma gaps with this coefficient of variation (1 = Poisson)", CustomParser = r => Num(r, "--burst-cv") };
        var trace = new Option<string?>("--trace") { Description = "A request trace CSV: arrival_s,prompt_tokens,output_tokens" };
        var users = NumberOptions.OptionalInt("--users", "Closed loop: this many users, each sending its next request after the last finishes");
        var think = NumberOptions.Double("--think", "Closed loop: mean think time between a user's requests (s, exponential)", 0);
        var offline = NumberOptions.OptionalInt("--offline", "Offline: this many requests all at once; the run lasts until the last finishes");
        var duration = NumberOptions.Double("--duration", "Seconds of arrivals (open and closed loop)", 300);
        var warmup = NumberOptions.Double("--warmup", "Seconds at the start left out of the statistics", 0);
        var seed = NumberOptions.Int("--seed", "Random seed (same seed, same result)", 1);
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt lengths: " + LengthSpec.Help, DefaultValueFactory = _ => Defaults.Prompt.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var output = new Option<string>("--output-tokens", "--gen") { Description = "Output lengths: " + LengthSpec.Help, DefaultValueFactory = _ => Defaults.Gen.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var replicas = NumberOptions.Int("--replicas", "Identical servers behind the router", 1);
        var routing = new Option<string>("--routing") { Description = "round-robin or least-outstanding", DefaultValueFactory = _ => "least-outstanding" };
        var defaults = new SchedulerOptions();
        var maxBatch = NumberOptions.Int("--max-batch", "Most requests running at once per server (vLLM max_num_seqs)", defaults.MaxRunningBatch);
        var maxTokens = NumberOptions.Int("--max-tokens-per-step", "Token budget of one iteration (vLLM max_num_batched_tokens)", defaults.MaxTokensPerStep);
        var noChunk = new Option<bool>("--no-chunked-prefill") { Description = "Prefill each prompt whole in one step" };
        var prefillFirst = new Option<bool>("--prefill-first") { Description = "Schedule prefill before decodes (without chunking: prefill-only steps, vLLM V0)" };
        var block = NumberOptions.Int("--block-size", "Tokens per KV-cache block", defaults.BlockTokens);
        var memUtil = NumberOptions.Double("--memory-utilization", "Share of device memory for weights + KV cache (vLLM gpu_memory_utilization)", defaults.MemoryUtilization);
        var preempt = new Option<string>("--preemption") { Description = "When KV runs out: recompute or swap", DefaultValueFactory = _ => "recompute" };
        var prefix = NumberOptions.Double("--prefix-hit-rate", "Share of each prompt already in the prefix cache", 0);
        var ttftSlo = new Option<double?>("--ttft-slo") { Description = "Goodput target: time to first token (s)", CustomParser = r => Num(r, "--ttft-slo") };
        var tpotSlo = new Option<double?>("--tpot-slo") { Description = "Goodput target: time per output token (s)", CustomParser = r => Num(r, "--tpot-slo") };
        var prefillServers = NumberOptions.OptionalInt("--prefill-replicas", "Disaggregated: prefill servers (with --decode-replicas)");
        var decodeServers = NumberOptions.OptionalInt("--decode-replicas", "Disaggregated: decode servers");
        var decodeHw = new Option<string?>("--decode-hardware") { Description = "Disaggregated: hardware profile ID of the decode servers (default: --hardware)" };
        var linkGbps = NumberOptions.Double("--kv-link-gbps", "Disaggregated: KV hand-off link bandwidth, GB/s (assumed default: one 400 Gb/s NIC)", 50);
        var linkUs = NumberOptions.Double("--kv-link-latency-us", "Disaggregated: KV hand-off latency, µs (assumed default)", 10);
        var o = new WorkloadOptions();

        var cmd = new Command("serve", "Simulate a server under load: throughput, TTFT/TPOT/ITL tails, goodput, batch and KV occupancy, energy and cost.");
        foreach (var opt in new Option[] { hardware, model, quant, rate, burst, trace, users, think, offline, duration, warmup, seed, prompt, output,
                     replicas, routing, maxBatch, maxTokens, noChunk, prefillFirst, block, memUtil, preempt, prefix, ttftSlo, tpotSlo,
                     prefillServers, decodeServers, decodeHw, linkGbps, linkUs,
                     o.Kv, o.Backend, o.Engine, o.Devices, o.Threads, o.Lifetime, o.Electricity, o.Pue, o.Utilization, o.Pricing, o.Format, o.Output, o.Data })
            cmd.Options.Add(opt);

        var chart = ChartOption.Create("KV-cache occupancy and the running batch over the run");
        cmd.Options.Add(chart);
        cmd.SetAction(r =>
        {
            ChartOption.Check(r.GetValue(chart));
            // -o is the report file in every verb; here it is easily taken for --output-tokens, so a length is refused.
            if (r.GetValue(o.Output) is { } file && LengthSpec.LooksLikeSpec(file))
                throw new UsageException($"--output: '{file}' is a length distribution, not a report file; output lengths are --output-tokens (or --gen)");
            var renderer = ReportOutput.Renderer(r.GetValue(o.Format)!);
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            try
            {
                var traffic = Traffic(r);
                var scheduler = new SchedulerOptions(r.GetValue(maxBatch), r.GetValue(maxTokens), !r.GetValue(noChunk),
                    r.GetValue(prefillFirst) ? StepPriority.PrefillFirst : StepPriority.DecodeFirst, r.GetValue(block), r.GetValue(memUtil),
                    r.GetValue(preempt)?.ToLowerInvariant() switch
                    {
                        "recompute" => Preemption.Recompute,
                        "swap" => Preemption.Swap,
                        var p => throw new UsageException($"--preemption must be recompute or swap, got {NumberOptions.Shown(p ?? "")}"),
                    });
                string? q = r.GetResult(quant) is { Implicit: false } ? r.GetValue(quant) : null;
                PerfSim.Core.Uncertainty.PredictionIntervals? intervals = null;
                StepCost CostOn(string hw)
                {
                    // The composition layer resolves every ID; the scenario it checks and places memory for is the server's
                    // full batch at the mean lengths.
                    var (meanPrompt, meanOutput) = MeanLengths(traffic);
                    var request = new PredictionRequest
                    {
                        Hardware = hw, Model = r.GetValue(model)!, Quant = q, KvCache = r.GetValue(o.Kv), Backend = r.GetValue(o.Backend),
                        Engine = o.EngineOf(r), Threads = r.GetValue(o.Threads), Devices = r.GetValue(o.Devices),
                        Scenario = new ScenarioRequest(Batch: Math.Max(1, scheduler.MaxRunningBatch), Prompt: meanPrompt, Gen: meanOutput),
                        Assumptions = o.Assumptions(r),
                    };
                    var c = Composer.Compose(catalog, request);
                    intervals ??= Uncertainty.For(catalog, c);
                    return StepCost.For(c.Deployment, c.Workload, c.Execution, c.Assumptions);
                }
                var config = Config(r, CostOn, scheduler);
                ServingResult result;
                using (var progress = Progress.ProgressBar.For(ctx, "simulating", Progress.ProgressBar.Steps))
                    result = ServingSimulator.Run(config, traffic, new ServingOptions(r.GetValue(seed), r.GetValue(ttftSlo), r.GetValue(tpotSlo),
                        Progress: progress.Drawing ? progress.Fraction : null));
                EstimateResult? estimate = config.Disaggregated ? null : ServingEstimate.Estimate(config, traffic);
                var report = ServingReport.Build(result, config, estimate, intervals: intervals,
                    openLoop: traffic.Arrivals is PoissonArrivals or GammaArrivals or TraceArrivals);
                ReportOutput.Write(ctx, report, renderer.Format, r.GetValue(o.Output));
                ChartOption.Save(ctx, r.GetValue(chart), () => Plots.Adapters.ServingChartData.Timeline(result));
                return (int)ExitCode.Ok;
            }
            catch (ServingException e)
            {
                throw e.Kind switch
                {
                    ServingError.InvalidInput => new InputFileException(e.Message),
                    ServingError.DoesNotFit => new DoesNotFitException(e.Message),
                    _ => new UsageException(e.Message),
                };
            }

            ServingConfig Config(ParseResult pr, Func<string, StepCost> costOn, SchedulerOptions scheduler)
            {
                var route = pr.GetValue(routing)?.ToLowerInvariant() switch
                {
                    "round-robin" => Routing.RoundRobin,
                    "least-outstanding" => Routing.LeastOutstanding,
                    var x => throw new UsageException($"--routing must be round-robin or least-outstanding, got {NumberOptions.Shown(x ?? "")}"),
                };
                var hw = pr.GetValue(hardware)!;
                int? pre = pr.GetValue(prefillServers), dec = pr.GetValue(decodeServers);
                if (pre is null && dec is null)
                {
                    int n = pr.GetValue(replicas);
                    if (n < 1) throw new UsageException($"--replicas must be at least 1, got {n}");
                    var cost = costOn(hw);
                    return new ServingConfig(Enumerable.Range(0, n).Select(_ => new ReplicaSpec(cost, scheduler)).ToArray(), route);
                }
                if (pre is not >= 1 || dec is not >= 1) throw new UsageException("--prefill-replicas and --decode-replicas: expected both, each at least 1");
                var preCost = costOn(hw);
                var decCost = pr.GetValue(decodeHw) is { } dh ? costOn(dh) : preCost;
                double gbps = pr.GetValue(linkGbps), us = pr.GetValue(linkUs);
                if (!(gbps > 0)) throw new UsageException($"--kv-link-gbps must be positive, got {gbps}");
                if (!(us >= 0)) throw new UsageException($"--kv-link-latency-us must be zero or more, got {us}");
                var specs = Enumerable.Range(0, pre.Value).Select(_ => new ReplicaSpec(preCost, scheduler, ReplicaRole.Prefill))
                    .Concat(Enumerable.Range(0, dec.Value).Select(_ => new ReplicaSpec(decCost, scheduler, ReplicaRole.Decode))).ToArray();
                return new ServingConfig(specs, route, new KvLink(gbps * 1e9, us * 1e-6, $"{gbps:0.###} GB/s, {us:0.###} µs (assumed)"));
            }

            Traffic Traffic(ParseResult pr)
            {
                var promptDist = LengthSpec.Parse(pr.GetValue(prompt)!, "--prompt");
                var outputDist = LengthSpec.Parse(pr.GetValue(output)!, "--output-tokens");
                int chosen = (pr.GetValue(rate) is null ? 0 : 1) + (pr.GetValue(trace) is null ? 0 : 1) + (pr.GetValue(users) is null ? 0 : 1) + (pr.GetValue(offline) is null ? 0 : 1);
                if (chosen != 1) throw new UsageException("serve: expected exactly one of --rate, --trace, --users or --offline");
                ArrivalProcess arrivals =
                    pr.GetValue(rate) is { } rt ? (pr.GetValue(burst) is { } cv ? new GammaArrivals(rt, cv) : new PoissonArrivals(rt))
                    : pr.GetValue(trace) is { } path ? TraceFile.Read(path)
                    : pr.GetValue(users) is { } u ? new ClosedLoopArrivals(u, pr.GetValue(think))
                    : new OfflineArrivals(pr.GetValue(offline)!.Value);
                double d = pr.GetResult(duration) is { Implicit: false } || arrivals is not TraceArrivals ? pr.GetValue(duration) : 0;
                return new Serving.Traffic(arrivals, promptDist, outputDist, d, pr.GetValue(warmup), pr.GetValue(prefix));
            }
        });
        return cmd;
    }

    /// <summary>Mean prompt and output lengths of the traffic, whole and at least 1 (the scenario the composition checks).</summary>
    static (int, int) MeanLengths(Serving.Traffic t)
    {
        double p = t.Prompt.Mean, g = t.Output.Mean;
        if (t.Arrivals is TraceArrivals tr) { p = tr.Requests.Average(q => q.PromptTokens); g = tr.Requests.Average(q => q.OutputTokens); }
        return (Math.Max(1, (int)Math.Round(p)), Math.Max(1, (int)Math.Round(g)));
    }

    static double? Num(System.CommandLine.Parsing.ArgumentResult r, string name)
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        r.AddError($"{name}: expected a finite number, got {NumberOptions.Shown(text)}");
        return null;
    }
}

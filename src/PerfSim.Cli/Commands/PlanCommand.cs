using System.CommandLine;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Planning;
using PerfSim.Planning.Reports;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;

namespace PerfSim.Cli.Commands;

/// <summary>
/// `perfsim plan`: the cheapest fleet that serves a model at a rate within p99 latency targets, per candidate and
/// overall. Exit 0 with a plan; 4 when no candidate is feasible (the report still lists every reason).
/// </summary>
public static class PlanCommand
{
    public static Command Create(CliContext ctx)
    {
        var o = new PlanOptions();
        var cmd = new Command("plan", "Procurement plan: the cheapest fleet (devices, servers, racks, kW, capex, TCO) meeting a load and p99 latency targets.");
        o.AddTo(cmd, withModel: true);
        var chart = ChartOption.Create("the cost vs p99 TTFT Pareto front of the feasible fleets");
        cmd.Options.Add(chart);
        cmd.SetAction(r =>
        {
            ChartOption.Check(r.GetValue(chart));
            var renderer = ReportOutput.Renderer(r.GetValue(o.Format)!);
            var catalog = ctx.Catalog(r.GetValue(o.Data));
            var request = o.Request(r, catalog, r.GetValue(o.Model)!);
            PlanResult plan;
            using (var bar = Progress.ProgressBar.For(ctx, "planning candidates", request.Candidates.Count))
                plan = Planner.Plan(catalog, request, o.Screen(r, catalog, request), o.Confirm(r, catalog, request), bar);
            ReportOutput.Write(ctx, PlanReport.Build(plan, r.GetValue(o.ParetoAll)), renderer.Format, r.GetValue(o.Output));
            if (plan.Pareto.Count > 0) ChartOption.Save(ctx, r.GetValue(chart), () => Plots.Adapters.PlanChartData.Pareto(plan));
            if (plan.Best is not null) return (int)ExitCode.Ok;
            ctx.Error.WriteLine("perfsim: no candidate is feasible (each candidate's reason is in the report)");
            return (int)ExitCode.DoesNotFit;
        });
        return cmd;
    }
}

/// <summary>The options of a plan (shared with `perfsim hybrid`, which plans its cloud part).</summary>
public sealed class PlanOptions
{
    public Option<string> Model { get; } = new("--model", "-m") { Description = "Model ID or file", DefaultValueFactory = _ => Defaults.Model };
    public Option<double?> Rate { get; } = new("--rate") { Description = "Offered requests per second (Poisson arrivals)", CustomParser = a => Positive(a, "--rate") };
    public Option<int?> Users { get; } = NumberOptions.OptionalInt("--users", "Concurrent users instead of --rate: each sends a request every --think-s seconds");
    public Option<double> Think { get; } = NumberOptions.Double("--think-s", "With --users: seconds between one user's requests (assumed default 30 s)", 30);
    public Option<int> Prompt { get; } = NumberOptions.Int("--prompt", "Prompt tokens per request", 1024, "-p");
    public Option<int> Gen { get; } = NumberOptions.Int("--gen", "Generated tokens per request", 256, "-g");
    public Option<double> Ttft { get; } = NumberOptions.Double("--ttft-p99", "Target TTFT at the goodput quantile (seconds)", 2);
    public Option<double> Tpot { get; } = NumberOptions.Double("--tpot-p99", "Target time per output token at the goodput quantile (seconds)", 0.1);
    public Option<double> Goodput { get; } = NumberOptions.Double("--goodput", "Share of requests that must meet the targets (the quantile)", 0.99);
    public Option<string[]> Candidates { get; } = new("--candidates", "-c") { Description = "Hardware IDs to consider (devices or systems; comma-separated or repeated)", AllowMultipleArgumentsPerToken = true };
    public Option<bool> All { get; } = new("--all") { Description = "Consider every GPU, accelerator and system profile" };
    public Option<string[]> Quants { get; } = new("--quant", "-q") { Description = "Quantization scheme IDs allowed", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["fp16"] };
    public Option<double> RackKw { get; } = NumberOptions.Double("--rack-kw", "Power a rack may draw (kW)", 20);
    public Option<double?> Budget { get; } = new("--budget") { Description = "Most to spend (USD): capital when buying, rental over the lifetime in the cloud", CustomParser = a => Positive(a, "--budget") };
    public Option<string> Pricing { get; } = new("--pricing") { Description = "auto (purchase when the profile has a price, else cloud), purchase or cloud", DefaultValueFactory = _ => "auto" };
    public Option<double> Lifetime { get; } = CommonOptions.Lifetime();
    public Option<double> Electricity { get; } = CommonOptions.Electricity();
    public Option<double> Pue { get; } = CommonOptions.Pue();
    public Option<string[]> BatchCaps { get; } = new("--batch-caps") { Description = "Batch caps to try per replica (default: 1, 2, 4, … up to what fits)", AllowMultipleArgumentsPerToken = true };
    public Option<string> ConfirmWith { get; } = new("--confirm") { Description = "Confirm the short list with: sim (the serving simulator) or none (the analytic screen alone)", DefaultValueFactory = _ => "sim" };
    public Option<int> SimRequests { get; } = NumberOptions.Int("--sim-requests", "Requests per simulated replica when confirming", 1500);
    public Option<bool> Pessimistic { get; } = new("--pessimistic") { Description = "Plan against the slow end of every step time's 80 % interval (the analytic screen; the simulator confirmation is skipped)" };
    public Option<bool> ParetoAll { get; } = new("--pareto-all") { Description = "List every feasible fleet in the cost–latency table, not only the fronts" };
    public Option<string?> Data { get; } = CommonOptions.Data();
    public Option<string> Format { get; } = CommonOptions.Format();
    public Option<string?> Output { get; } = CommonOptions.Output();

    public void AddTo(Command c, bool withModel)
    {
        if (withModel) c.Options.Add(Model);
        foreach (var o in new Option[] { Rate, Users, Think, Prompt, Gen, Ttft, Tpot, Goodput, Candidates, All, Quants, RackKw, Budget, Pricing, Lifetime, Electricity, Pue,
                     BatchCaps, ConfirmWith, SimRequests, Pessimistic, ParetoAll, Format, Output, Data })
            c.Options.Add(o);
    }

    public PlanRequest Request(ParseResult r, PerfSim.Data.Catalog.ProfileCatalog catalog, string model)
    {
        double rate = (r.GetValue(Rate), r.GetValue(Users)) switch
        {
            ({ } x, null) => x,
            (null, { } u) when u >= 1 => u / Positive(r.GetValue(Think), "--think-s"),
            (null, { } u) => throw new UsageException($"--users must be at least 1, got {u}"),
            (null, null) => throw new UsageException("--rate: give the offered requests per second (or --users)"),
            _ => throw new UsageException("--rate and --users: give one, not both"),
        };
        var candidates = Split(r.GetValue(Candidates));
        if (r.GetValue(All))
            candidates = [.. candidates, .. catalog.Hardware.Values
                .Where(h => h.Kind is DeviceKind.Gpu or DeviceKind.Accelerator or DeviceKind.System).Select(h => h.Id).Order(StringComparer.Ordinal)];
        candidates = candidates.Distinct().ToArray();
        if (candidates.Length == 0) throw new UsageException("--candidates: give at least one hardware ID (or --all)");
        foreach (var c in candidates) catalog.GetHardware(c);
        var quants = Split(r.GetValue(Quants));
        foreach (var q in quants) catalog.GetQuant(q);
        var pricing = r.GetValue(Pricing)?.ToLowerInvariant() switch
        {
            "auto" => PlanPricing.Auto,
            "purchase" => PlanPricing.Purchase,
            "cloud" => PlanPricing.Cloud,
            var p => throw new UsageException($"--pricing must be auto, purchase or cloud, got '{p}'"),
        };
        int[]? caps = r.GetValue(BatchCaps) is { Length: > 0 } bc
            ? Split(bc).Select(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 1 ? v
                : throw new UsageException($"--batch-caps: expected whole numbers of at least 1, got '{s}'")).ToArray()
            : null;
        return new PlanRequest
        {
            Model = model,
            Traffic = new Traffic(rate, r.GetValue(Prompt), r.GetValue(Gen)),
            Slo = new Slo(new Seconds(r.GetValue(Ttft)), new Seconds(r.GetValue(Tpot)), r.GetValue(Goodput)),
            Candidates = candidates,
            Quants = quants,
            RackKw = r.GetValue(RackKw),
            Budget = r.GetValue(Budget) is { } b ? new Usd(b) : null,
            Pricing = pricing,
            Assumptions = Assumptions.Default with { LifetimeYears = r.GetValue(Lifetime), UsdPerKwh = r.GetValue(Electricity), Pue = r.GetValue(Pue) },
            BatchCaps = caps,
        };
    }

    public IReplicaModel Screen(ParseResult r, PerfSim.Data.Catalog.ProfileCatalog catalog, PlanRequest request) =>
        new EngineReplicaModel(catalog, request.Model, request.Assumptions, pessimistic: r.GetValue(Pessimistic));

    public IReplicaModel? Confirm(ParseResult r, PerfSim.Data.Catalog.ProfileCatalog catalog, PlanRequest request)
    {
        int n = r.GetValue(SimRequests);
        if (n < 50) throw new UsageException($"--sim-requests must be at least 50, got {n}");
        // The simulator runs the engine's step costs as they are; a pessimistic plan stays on the (pessimistic) screen.
        if (r.GetValue(Pessimistic)) return null;
        return r.GetValue(ConfirmWith)?.ToLowerInvariant() switch
        {
            "sim" => new SimulatedReplicaModel(catalog, request.Model, request.Assumptions, requests: n),
            "none" => null,
            var c => throw new UsageException($"--confirm must be sim or none, got '{c}'"),
        };
    }

    public static string[] Split(string[]? v) => (v ?? []).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();

    static double? Positive(System.CommandLine.Parsing.ArgumentResult a, string name)
    {
        var text = a.Tokens.Count > 0 ? a.Tokens[^1].Value : "";
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0) return v;
        a.AddError($"{name}: expected a positive number, got {NumberOptions.Shown(text)}");
        return null;
    }

    static double Positive(double v, string name) => v > 0 && double.IsFinite(v) ? v : throw new UsageException($"{name} must be a positive number, got {v}");
}

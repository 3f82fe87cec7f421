using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Serving;

namespace PerfSim.Validation;

/// <summary>
/// One measured server configuration to reproduce through the serving simulator: a vLLM sweep point (server cap,
/// measured average running batch, throughput, inter-token latency, power, energy) or a static/offline batch.
/// </summary>
public sealed record ServingCase(
    string Kind, string Hardware, int Devices, string Model, string Quant, string Backend, int Cap, int? Prompt, double Gen,
    bool V0, IReadOnlyDictionary<string, double> Measured, string File, int Line, LayoutRequest? Layout = null)
{
    public string Label => $"{Hardware}×{Devices} {Model} {Quant} {Backend} cap {Cap}";
}

public sealed record ServingCaseResult(ServingCase Case, IReadOnlyDictionary<string, double> Simulated, string BackendUsed, string? Unpredicted);

/// <summary>
/// Server sweeps (energy-measurements.csv rows with a `max_num_seqs` cap) and static/offline throughput rows
/// (public-measurements.csv) run through <see cref="ServingSimulator"/>, with the error per metric.
/// Assumed where the sources are silent: chat prompts log-normal, mean 300 tokens, CV 1 (README: "chat prompts of a
/// few hundred tokens"); output lengths log-normal with the row's mean and CV 1; `16-bit (not stated)` is bf16 (vLLM's
/// dtype auto on these bf16 checkpoints). vLLM 0.5 rows (ML.ENERGY v2, all requests at t = 0) run the V0 scheduler
/// (prefill-first, no chunked prefill), vLLM 0.11 rows (v3) the V1 defaults (chunked prefill, decode first); both as a
/// closed loop of `cap` users with no think time, measured after a warm-up (the measured batch is at the cap).
/// </summary>
public static class ServingValidation
{
    public const int AssumedChatPrompt = 300;
    static readonly string[] Metrics = ["throughput_tokens_per_s", "tpot_s", "power_w", "joules_per_token"];

    public static List<ServingCase> ServerSweeps(string path)
    {
        var records = Csv.Parse(File.ReadAllText(path), path);
        var header = records[0].Fields.ToList();
        int Col(string n) => header.IndexOf(n);
        var groups = new Dictionary<string, (ServingCase Case, Dictionary<string, double> M)>();
        foreach (var rec in records.Skip(1))
        {
            var f = rec.Fields;
            string notes = f[Col("notes")];
            var cap = Regex.Match(notes, @"max_num_seqs=(\d+)");
            if (!cap.Success) continue;
            string metric = f[Col("metric")];
            if (!Metrics.Contains(metric)) continue;
            if (!double.TryParse(f[Col("batch")], CultureInfo.InvariantCulture, out var measuredBatch) || measuredBatch <= 0
                || !double.TryParse(f[Col("gen_tokens")], CultureInfo.InvariantCulture, out _)
                || !double.TryParse(f[Col("value")], CultureInfo.InvariantCulture, out _)) continue;
            string key = string.Join("|", f[Col("hardware")], f[Col("devices")], f[Col("model")], f[Col("quant")], f[Col("backend")], cap.Groups[1].Value, f[Col("gen_tokens")]);
            if (!groups.TryGetValue(key, out var g))
            {
                var m = new Dictionary<string, double>();
                m["batch"] = measuredBatch;
                g = (new ServingCase("server sweep", f[Col("hardware")], int.Parse(f[Col("devices")], CultureInfo.InvariantCulture), f[Col("model")],
                    f[Col("quant")], f[Col("backend")], int.Parse(cap.Groups[1].Value, CultureInfo.InvariantCulture), null,
                    double.Parse(f[Col("gen_tokens")], CultureInfo.InvariantCulture), notes.Contains("vLLM 0.5", StringComparison.Ordinal), m, path, rec.Line, StatedLayout(notes)), m);
                groups[key] = g;
            }
            g.M[metric] = double.Parse(f[Col("value")], CultureInfo.InvariantCulture);
        }
        return groups.Values.Select(g => g.Case).ToList();
    }

    public static List<ServingCase> StaticBatches(string path)
    {
        var records = Csv.Parse(File.ReadAllText(path), path);
        var header = records[0].Fields.ToList();
        int Col(string n) => header.IndexOf(n);
        var list = new List<ServingCase>();
        foreach (var rec in records.Skip(1))
        {
            var f = rec.Fields;
            if (f[Col("metric")] != "throughput_tokens_per_s") continue;
            string batch = f[Col("batch")];
            bool offline = batch.Length == 0;
            if (!offline && int.Parse(batch, CultureInfo.InvariantCulture) <= 1) continue;
            list.Add(new ServingCase(offline ? "offline" : "static batch", f[Col("hardware")], int.Parse(f[Col("devices")], CultureInfo.InvariantCulture),
                f[Col("model")], f[Col("quant")], f[Col("backend")], offline ? OfflineBatch.Cap : int.Parse(batch, CultureInfo.InvariantCulture),
                int.Parse(f[Col("prompt_tokens")], CultureInfo.InvariantCulture), double.Parse(f[Col("gen_tokens")], CultureInfo.InvariantCulture), false,
                new Dictionary<string, double> { ["throughput_tokens_per_s"] = double.Parse(f[Col("value")], CultureInfo.InvariantCulture) }, path, rec.Line));
        }
        return list;
    }

    /// <summary>
    /// The layout the notes state ("TP=4 EP=1 DP=1", "TP=8 PP=1"): the sweep served one batch on all its devices, so a
    /// missing DP means 1 (left to the search, a small cap would pick data-parallel replicas the replay does not run).
    /// </summary>
    public static LayoutRequest StatedLayout(string notes)
    {
        int? Dim(string name) => Regex.Match(notes, $@"\b{name}=(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return new LayoutRequest(Dim("TP"), Dim("PP"), Dim("EP"), Dim("DP") ?? 1);
    }

    /// <summary>`16-bit (not stated)` is bf16: vLLM's dtype auto on these bf16 checkpoints.</summary>
    public static string QuantOf(string quant) => quant == "16-bit (not stated)" ? "bf16" : quant;

    public static ServingCaseResult Run(ProfileCatalog catalog, ServingCase c, long seed = 1)
    {
        string quant = QuantOf(c.Quant);
        string? backend = catalog.Backends.ContainsKey(c.Backend) ? c.Backend : null;
        string used = backend ?? "ideal (no profile for " + c.Backend + ")";
        if (!catalog.Models.ContainsKey(c.Model)) return new(c, new Dictionary<string, double>(), used, $"model '{c.Model}' not in the catalog");
        if (!catalog.Hardware.ContainsKey(c.Hardware)) return new(c, new Dictionary<string, double>(), used, $"hardware '{c.Hardware}' not in the catalog");
        bool chat = c.Prompt is null;
        int prompt = c.Prompt ?? AssumedChatPrompt;
        int gen = (int)Math.Round(c.Gen);
        try
        {
            PredictionRequest Request(LayoutRequest? layout) => new()
            {
                Hardware = c.Hardware, Model = c.Model, Quant = quant, Backend = backend, Devices = c.Devices,
                Layout = c.Devices > 1 ? layout : null,
                Scenario = new ScenarioRequest(Batch: c.Cap, Prompt: prompt, Gen: gen),
            };
            Configuration config;
            // The stated layout when PerfSim can build it (else one replica on all devices, layout searched).
            try { config = Composer.Compose(catalog, Request(c.Layout ?? new LayoutRequest(Dp: 1))); }
            catch (UsageException) { config = Composer.Compose(catalog, Request(new LayoutRequest(Dp: 1))); }
            var cost = StepCost.For(config.Deployment, config.Workload, config.Execution, config.Assumptions);
            LengthDistribution p = chat ? new LogNormalLength(prompt, 1, 8192) : LengthDistribution.Fixed(prompt);
            LengthDistribution o = chat ? new LogNormalLength(gen, 1, 4096) : LengthDistribution.Fixed(gen);
            SchedulerOptions s;
            Traffic traffic;
            switch (c.Kind)
            {
                case "static batch":
                    // A static batch: every prompt prefilled together, then every sequence decoded together.
                    s = new SchedulerOptions(c.Cap, Math.Max(8192, c.Cap * prompt), false, StepPriority.PrefillFirst);
                    traffic = new Traffic(new OfflineArrivals(c.Cap), p, o, 0);
                    break;
                case "offline":
                    s = new SchedulerOptions(c.Cap);
                    traffic = new Traffic(new OfflineArrivals(4 * c.Cap), p, o, 0);
                    break;
                default:
                    s = c.V0 ? new SchedulerOptions(c.Cap, 8192, false, StepPriority.PrefillFirst) : new SchedulerOptions(c.Cap);
                    // Both generations kept the server full: the measured average running batch is the cap (or what KV
                    // admits), e.g. 1006 of 1024 on v2 Mixtral, more than the 500 prompts of one pass, so a single burst of
                    // 500 that drains would be the wrong physics. A closed loop of `cap` users keeps `cap` requests
                    // offered; the batch the simulator reaches is then set by the cap, KV capacity and preemption.
                    traffic = new Traffic(new ClosedLoopArrivals(c.Cap, 0), p, o, 90, 30);
                    break;
            }
            var r = ServingSimulator.Run(ServingConfig.Single(cost, s), traffic, new ServingOptions(seed));
            var sim = new Dictionary<string, double>
            {
                ["throughput_tokens_per_s"] = r.OutputTokensPerSecond,
                // v3 publishes the median inter-token latency, v2 the mean time per output token.
                ["tpot_s"] = c.V0 ? r.TpotSeconds.Mean : r.ItlSeconds.P50,
                ["power_w"] = r.Economics.AverageWatts,
                ["joules_per_token"] = r.Economics.JoulesPerOutputToken,
                ["batch"] = r.MeanRunningBatch,
            };
            return new(c, sim, used, null);
        }
        catch (Exception e) when (e is UsageException or DoesNotFitException or ServingException or Data.Catalog.UnknownIdException)
        {
            return new(c, new Dictionary<string, double>(), used, e.Message);
        }
    }

    /// <summary>Error per metric: mean absolute percentage error and the mean signed error over the cases that have it.</summary>
    public static IReadOnlyDictionary<string, (int Count, double Mape, double MeanSigned)> Errors(IEnumerable<ServingCaseResult> results)
    {
        var acc = new Dictionary<string, List<double>>();
        foreach (var r in results)
            foreach (var (k, measured) in r.Case.Measured)
                if (r.Simulated.TryGetValue(k, out var s) && double.IsFinite(s) && measured > 0)
                    (acc.TryGetValue(k, out var l) ? l : acc[k] = new()).Add((s - measured) / measured * 100);
        return acc.ToDictionary(kv => kv.Key, kv => (kv.Value.Count, kv.Value.Average(Math.Abs), kv.Value.Average()));
    }

    public static string Table(IReadOnlyList<ServingCaseResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| case | backend | metric | measured | simulated | error |");
        sb.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var r in results)
        {
            if (r.Unpredicted is { } why) { sb.AppendLine($"| {r.Case.Label} ({r.Case.Kind}) | {r.BackendUsed} | — | — | — | not predicted: {why} |"); continue; }
            foreach (var (k, m) in r.Case.Measured.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var s = r.Simulated.TryGetValue(k, out var v) ? v : double.NaN;
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Case.Label} ({r.Case.Kind}) | {r.BackendUsed} | {k} | {m:G4} | {s:G4} | {Signed((s - m) / m * 100)}% |"));
            }
        }
        sb.AppendLine();
        sb.AppendLine("| metric | cases | MAPE | mean signed error |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var (k, (n, mape, signed)) in Errors(results).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {k} | {n} | {mape:0.0}% | {Signed(signed)}% |"));
        return sb.ToString();
    }

    /// <summary>A signed percentage to one decimal; a value that rounds to zero prints as 0.0 (not "-+0.0").</summary>
    static string Signed(double percent)
    {
        double v = Math.Round(percent, 1);
        return v == 0 ? "0.0" : v.ToString("+0.0;-0.0", CultureInfo.InvariantCulture);
    }
}

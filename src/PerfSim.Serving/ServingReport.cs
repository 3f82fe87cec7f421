using PerfSim.Core.Uncertainty;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Serving;

/// <summary>
/// A serving run as a report. Keys are the stable JSON/CSV names (`ttft_s.p99`, `throughput.requests_per_s` …).
/// When the run is saturated the latency figures are missing with the reason: they describe a queue that keeps
/// growing, so no steady-state number exists; throughput then is the servers' capacity under that load.
/// </summary>
public static class ServingReport
{
    public static Report Build(ServingResult r, ServingConfig config, EstimateResult? estimate = null, IEnumerable<string>? notes = null,
        PredictionIntervals? intervals = null, bool openLoop = false)
    {
        var iv = intervals is { Missing: null } ? intervals : null;
        string noInterval = intervals?.Missing ?? "no interval computed";
        var first = config.Replicas[0].Cost;
        var w = first.Workload;
        string? sat = r.Saturated ? $"saturated: {r.SaturationReason}" : null;
        Cell Lat(double v) => sat is null ? Cell.Quantity(v, Unit.Seconds, "no request in the window produced this figure") : Cell.Missing(sat);

        var b = new ReportBuilder($"serving {w.Model.Id} ({w.Quant.Id}) on {Servers(config)}");
        // A figure's 80 % interval from the step-time spread of its stage: a mean latency scales with the step time
        // it is made of (queueing near saturation grows faster, so these understate there; the note says so).
        void Band(string key, double value, Spread? spread, Unit u, string? why = null)
        {
            string label = key.EndsWith(".mean", StringComparison.Ordinal) ? "  mean: 80 % interval" : "  80 % interval";
            if (why is not null) { b.Add(key + "_interval", label, Cell.Missing(why)); return; }
            b.Add(key + "_interval", label, spread is not null && double.IsFinite(value) ? Cell.Interval(spread.Around(value).Lo, spread.Around(value).Hi, u) : Cell.Missing(noInterval));
        }
        b.Section("setup")
            .Add("servers", "servers", Cell.Text(Servers(config)))
            .Add("routing", "routing", Cell.Text(config.Routing == Routing.RoundRobin ? "round robin" : "least outstanding requests"))
            .Add("model", "model", Cell.Text(w.Model.Id))
            .Add("quant", "quantization", Cell.Text(w.Quant.Id))
            .Add("backend", "backend", Cell.Text(first.Execution.Id))
            .Add("scheduler", "scheduler", Cell.Text(Describe(config.Replicas[0].Scheduler)))
            .Add("kv_cache.capacity_tokens", "KV cache per server", Cell.Quantity(Replica.KvBlocks(config.Replicas[0]) * (double)config.Replicas[0].Scheduler.BlockTokens, Unit.Tokens))
            .Add("traffic", "traffic", Cell.Text(r.Traffic))
            .Add("window_s", "measurement window", Cell.Quantity(r.WindowSeconds, Unit.Seconds));

        b.Section("requests")
            .Add("requests.arrived", "arrived", Cell.Count(r.Arrived))
            .Add("requests.completed", "completed", Cell.Count(r.Completed))
            .Add("requests.incomplete", "unfinished at the end", Cell.Count(r.Incomplete))
            .Add("requests.rejected", "rejected (longer than the KV cache)", Cell.Count(r.Rejected))
            .Add("saturated", "saturated", Cell.Bool(r.Saturated));

        b.Section("throughput")
            .Add("throughput.requests_per_s", "requests", Cell.Quantity(r.RequestsPerSecond, Unit.RequestsPerSecond))
            .Add("throughput.output_tokens_per_s", "output tokens", Cell.Quantity(r.OutputTokensPerSecond, Unit.TokensPerSecond));
        // Below saturation an open-loop server's output rate is the arrival rate, whatever the step time.
        bool serverBound = r.Saturated || !openLoop;
        Band("throughput.output_tokens_per_s", r.OutputTokensPerSecond, iv?.Throughput, Unit.TokensPerSecond,
            serverBound ? null : "below saturation the arrivals set the output rate, not the step time");
        b
            .Add("throughput.prompt_tokens_per_s", "prompt tokens", Cell.Quantity(r.PromptTokensPerSecond, Unit.TokensPerSecond));

        void Dist(string key, string label, Distribution d, bool full = true)
        {
            b.Add($"{key}.mean", $"{label} mean", Lat(d.Mean))
             .Add($"{key}.p50", $"{label} p50", Lat(d.P50));
            if (full) b.Add($"{key}.p90", $"{label} p90", Lat(d.P90));
            b.Add($"{key}.p99", $"{label} p99", Lat(d.P99));
        }
        b.Section("latency");
        Dist("ttft_s", "time to first token", r.TtftSeconds);
        Band("ttft_s.mean", r.TtftSeconds.Mean, iv?.Prefill, Unit.Seconds, sat);
        Dist("tpot_s", "time per output token", r.TpotSeconds);
        Band("tpot_s.mean", r.TpotSeconds.Mean, iv?.Decode, Unit.Seconds, sat);
        Dist("itl_s", "inter-token latency", r.ItlSeconds);
        Band("itl_s.mean", r.ItlSeconds.Mean, iv?.Decode, Unit.Seconds, sat);
        Dist("e2e_s", "end to end", r.EndToEndSeconds);
        Band("e2e_s.mean", r.EndToEndSeconds.Mean, Wider(iv?.Prefill, iv?.Decode), Unit.Seconds, sat);
        Dist("queue_s", "queueing delay", r.QueueSeconds);
        b.Add("goodput", "goodput (share meeting the SLOs)", r.Goodput is { } g ? Cell.Ratio(g) : Cell.Missing("no --ttft-slo or --tpot-slo given"));

        b.Section("occupancy")
            .Add("batch.mean", "running batch mean", Cell.Number(r.MeanRunningBatch))
            .Add("batch.peak", "running batch peak", Cell.Count(r.PeakRunningBatch))
            .Add("kv_cache.mean_fraction", "KV cache mean occupancy", Cell.Ratio(r.MeanKvOccupancy))
            .Add("kv_cache.peak_fraction", "KV cache peak occupancy", Cell.Ratio(r.PeakKvOccupancy))
            .Add("preemptions", "preemptions", Cell.Count(r.Preemptions))
            .Add("busy_fraction", "device busy fraction", Cell.Ratio(r.BusyFraction));

        var e = r.Economics;
        b.Section("energy and cost")
            .Add("energy.average_power_w", "average power (all servers)", Cell.Quantity(e.AverageWatts, Unit.Watts))
            .Add("energy.joules_per_request", "energy per request", Cell.Quantity(e.JoulesPerRequest, Unit.Joules, "no request finished in the window"))
            .Add("energy.joules_per_output_token", "energy per output token", Cell.Quantity(e.JoulesPerOutputToken, Unit.Joules, "no token in the window"));
        Band("energy.joules_per_output_token", e.JoulesPerOutputToken, iv?.Energy ?? iv?.Decode, Unit.Joules);
        b
            .Add("cost.usd_per_request", "cost per request", e.UsdPerRequest is { } u ? Cell.Quantity(u, Unit.Usd) : Cell.Missing(e.CostBasis))
            .Add("cost.usd_per_million_tokens", "cost per million output tokens", e.UsdPerMillionOutputTokens is { } m ? Cell.Quantity(m, Unit.Usd) : Cell.Missing(e.CostBasis));

        if (estimate is { } est)
        {
            b.Section("analytic estimate")
                .Add("estimate.requests_per_s", "requests", Cell.Quantity(est.RequestsPerSecond, Unit.RequestsPerSecond))
                .Add("estimate.capacity_requests_per_s", "capacity", Cell.Quantity(est.MaxRequestsPerSecond, Unit.RequestsPerSecond))
                .Add("estimate.ttft_s", "time to first token (mean)", Cell.Quantity(est.TtftSeconds, Unit.Seconds, "saturated: no steady state"))
                .Add("estimate.tpot_s", "time per output token (mean)", Cell.Quantity(est.TpotSeconds, Unit.Seconds))
                .Add("estimate.batch", "running batch (mean)", Cell.Number(est.MeanRunningBatch))
                .Add("estimate.saturated", "saturated", Cell.Bool(est.Saturated));
        }

        b.Section("simulation")
            .Add("simulation.steps", "server iterations simulated", Cell.Count(r.Steps))
            .Add("simulation.simulated_s", "simulated time", Cell.Quantity(r.SimulatedSeconds, Unit.Seconds))
            .Add("simulation.littles_law_error", "Little's law check (relative error)", Cell.Number(r.LittleLaw.RelativeError));

        b.Table(ReportTable.Of("time_series", "running batch, KV occupancy and queue over time",
            [new Column("t_s", "time"), new Column("batch", "running batch"), new Column("kv_fraction", "KV occupancy"), new Column("waiting", "waiting")],
            r.TimeSeries.Select(p => (IReadOnlyList<Cell>)[Cell.Quantity(p.TimeSeconds, Unit.Seconds), Cell.Number(p.RunningBatch), Cell.Ratio(p.KvOccupancy), Cell.Number(p.Waiting)])));

        if (sat is not null) b.Warn(sat);
        b.Note(r.Notes.Where(n => !n.StartsWith("saturated", StringComparison.Ordinal)));
        b.Note($"energy: step energy from the engine's operator energies + idle power × time, capped at TDP; idle time at idle power; cost basis: {e.CostBasis}");
        if (notes is not null) b.Note(notes);
        if (intervals is not null) b.Warn(intervals.Reasons);
        if (iv is not null)
            b.Note(iv.Bases().Select(x => $"80 % interval, {x}; serving means scale with the step time (queueing near saturation grows faster, so the intervals understate there)"));
        return b.Build();
    }

    /// <summary>The wider of two spreads (end to end is made of prefill and decode steps).</summary>
    static Spread? Wider(Spread? a, Spread? c) => a is null ? c : c is null ? a : a.HalfWidth >= c.HalfWidth ? a : c;

    static string Servers(ServingConfig c) =>
        string.Join(" + ", c.Replicas.GroupBy(r => (r.Role, r.Cost.Deployment.HardwareId, r.Cost.Deployment.Devices))
            .Select(g => $"{g.Count()} × {(g.Key.Devices > 1 ? $"{g.Key.Devices} × " : "")}{g.Key.HardwareId}" + (g.Key.Role == ReplicaRole.Unified ? "" : $" ({g.Key.Role.ToString().ToLowerInvariant()})")));

    static string Describe(SchedulerOptions s) =>
        $"max batch {s.MaxRunningBatch}, {s.MaxTokensPerStep} tokens/step, chunked prefill {(s.ChunkedPrefill ? "on" : "off")}, "
        + $"{(s.Priority == StepPriority.DecodeFirst ? "decode-first" : "prefill-first")}, {s.BlockTokens}-token KV blocks, "
        + $"{s.MemoryUtilization:P0} of memory, preemption by {s.Preemption.ToString().ToLowerInvariant()}";
}

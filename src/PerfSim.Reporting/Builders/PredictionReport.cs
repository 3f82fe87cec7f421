using PerfSim.Core;
using PerfSim.Core.Engine;
using PerfSim.Core.Uncertainty;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Builders;

/// <summary>What the composition layer decided around a prediction: data-parallel replicas and the choices it made.</summary>
public sealed record PredictionContext(int Replicas = 1, IReadOnlyList<string>? Notes = null, PredictionIntervals? Intervals = null)
{
    public static readonly PredictionContext None = new();
}

/// <summary>
/// A prediction as a report. Keys are the stable JSON/CSV names. A configuration that does not fit carries no speed or
/// cost figures: those cells are missing with the reason, and the report's first warning says what does not fit.
/// </summary>
public static class PredictionReport
{
    public static Report Build(Prediction p, PredictionContext? context = null, bool operators = true)
    {
        var ctx = context ?? PredictionContext.None;
        var w = p.Workload;
        var s = w.Scenario;
        var m = p.Memory;
        string? notFit = m.Runnable ? null : $"does not fit: needs {m.Total} per device, device memory is {m.Capacity}";
        Cell Q(double v, Unit u) => notFit is null ? Cell.Quantity(v, u) : Cell.Missing(notFit);
        Cell R(double v) => notFit is null ? Cell.Ratio(v) : Cell.Missing(notFit);
        var iv = ctx.Intervals is { Missing: null } pi ? pi.For(p, ctx.Replicas) : null;
        string noInterval = notFit ?? ctx.Intervals?.Missing ?? "no interval computed";
        // The figure's 80 % interval as a sibling `<key>_interval` ([lo, hi] in JSON, "lo – hi" in tables).
        Cell I(Func<FigureIntervals, Bounds?> pick, Unit u) => notFit is null && iv is not null && pick(iv) is { } bd
            ? Cell.Interval(bd.Lo, bd.Hi, u) : Cell.Missing(noInterval);
        string band = $"  {Percent(ctx.Intervals?.Coverage ?? ResidualTable.DefaultCoverage)} interval";

        var b = new ReportBuilder(Title(p, ctx));
        b.Section("setup")
            .Add("hardware", "hardware", Cell.Text(p.HardwareId))
            .Add("engine", "engine", Cell.Text(p.EngineId))
            .Add("devices", "devices per replica", Cell.Count(p.Devices))
            .Add("replicas", "data-parallel replicas", Cell.Count(ctx.Replicas))
            .Add("devices_used", "devices used", Cell.Count((long)p.Devices * ctx.Replicas))
            .Add("layout.tp", "tensor parallel (TP)", Cell.Count(p.Layout.Tp))
            .Add("layout.pp", "pipeline stages (PP)", Cell.Count(p.Layout.Pp))
            .Add("layout.ep", "expert parallel (EP)", Cell.Count(p.Layout.Ep))
            .Add("layout.dp", "data-parallel replicas (DP)", Cell.Count(p.Layout.Dp))
            .Add("model", "model", Cell.Text(w.Model.Id))
            .Add("quant", "quantization", Cell.Text(w.Quant.Id))
            .Add("kv_cache", "KV cache", Cell.Text(w.Kv.Id))
            .Add("backend", "backend", Cell.Text(p.Execution.Id))
            .Add("batch", "batch (per replica)", Cell.Count(s.Batch))
            .Add("prompt_tokens", "prompt tokens", Cell.Count(s.PromptTokens))
            .Add("gen_tokens", "generated tokens", Cell.Count(s.GeneratedTokens));

        b.Section("latency")
            .Add("ttft_s", "time to first token", Q(p.Ttft.Value, Unit.Seconds))
            .Add("ttft_s_interval", band, I(f => f.Ttft, Unit.Seconds))
            .Add("tpot_s", "time per output token", Q(p.Tpot.Value, Unit.Seconds))
            .Add("tpot_s_interval", band, I(f => f.Tpot, Unit.Seconds))
            .Add("e2e_s", "end-to-end per request", Q(p.EndToEnd.Value, Unit.Seconds))
            .Add("e2e_s_interval", band, I(f => f.EndToEnd, Unit.Seconds));

        b.Section("throughput")
            .Add("prefill.tokens_per_s", "prefill (batch)", Q(p.PrefillTokensPerSecond, Unit.TokensPerSecond))
            .Add("prefill.tokens_per_s_interval", band, I(f => f.PrefillTokensPerSecond, Unit.TokensPerSecond))
            .Add("prefill.bound", "prefill bound", Cell.Text(Kebab(p.Prefill.Bound)))
            .Add("decode.tokens_per_s", "decode (batch aggregate)", Q(p.DecodeTokensPerSecond, Unit.TokensPerSecond))
            .Add("decode.tokens_per_s_interval", band, I(f => f.DecodeTokensPerSecond, Unit.TokensPerSecond))
            .Add("decode.tokens_per_s_per_sequence", "decode per sequence", Q(p.DecodeTokensPerSecondPerSequence, Unit.TokensPerSecond))
            .Add("decode.tokens_per_s_per_sequence_interval", band, I(f => f.DecodeTokensPerSecondPerSequence, Unit.TokensPerSecond))
            .Add("decode.bound", "decode bound", Cell.Text(Kebab(p.Decode.Bound)))
            .Add("decode.interconnect_share", "decode time in collectives", R(Share(p.Decode, Bound.Interconnect)))
            .Add("decode.communication_s", "communication per decode step (collectives, hand-offs)", Q(p.Decode.Communication.Value, Unit.Seconds))
            .Add("decode.communication_share", "decode: communication share of the step", R(p.Decode.CommunicationShare))
            .Add("prefill.communication_share", "prefill: communication share", R(p.Prefill.CommunicationShare))
            .Add("decode.bytes_per_step", "bytes moved per decode step (per device)", Cell.Quantity(p.Decode.BytesMoved, Unit.Bytes))
            .Add("decode.flops_per_step", "arithmetic per decode step (per device)", Cell.Quantity(p.Decode.Flops, Unit.Flop))
            .Add("decode.context_tokens", "mean decode context", Cell.Quantity(p.Decode.ContextTokens, Unit.Tokens));
        if (p.Decode.Operators.FirstOrDefault(o => o.Collective is not null)?.Collective is { } col)
            b.Add("decode.collective", "decode: first collective (algorithm chosen)",
                Cell.Text($"{col.Op} of {col.Message} over {col.Devices} on {col.Link}: {col.Algorithm}, {col.Steps:0.##} × α + {col.SentPerDevice} ÷ β = {col.Time}"));
        b.Add("throughput.generated_tokens_per_s", ctx.Replicas > 1 ? "generated, all replicas (end to end)" : "generated (end to end, batch)",
            Q(p.GeneratedTokensPerSecond(ctx.Replicas), Unit.TokensPerSecond))
            .Add("throughput.generated_tokens_per_s_interval", band, I(f => f.GeneratedTokensPerSecond, Unit.TokensPerSecond));

        b.Section("utilization")
            .Add("utilization.compute", "decode compute (MFU)", R(p.DecodeUtilization.Compute))
            .Add("utilization.memory_bandwidth", "decode memory bandwidth (MBU)", R(p.DecodeUtilization.MemoryBandwidth))
            .Add("utilization.prefill_compute", "prefill compute (MFU)", R(p.PrefillUtilization.Compute))
            .Add("utilization.prefill_memory_bandwidth", "prefill memory bandwidth (MBU)", R(p.PrefillUtilization.MemoryBandwidth));

        var e = p.Energy;
        b.Section("energy")
            .Add("energy.joules_per_token", "per generated token", Q(e.JoulesPerToken, Unit.Joules))
            .Add("energy.joules_per_token_interval", band, I(f => f.JoulesPerToken, Unit.Joules))
            .Add("energy.decode.arithmetic_j", "  arithmetic", Q(e.DecodePerToken.Arithmetic.Value, Unit.Joules));
        foreach (var (level, j) in e.DecodePerToken.DataMovement.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            b.Add($"energy.decode.data_movement_j.{level}", $"  data movement: {level}", Q(j.Value, Unit.Joules));
        b.Add("energy.decode.links_j", "  links", Q(e.DecodePerToken.Links.Value, Unit.Joules))
            .Add("energy.decode.static_j", "  static (idle power × time)", Q(e.DecodePerToken.Static.Value, Unit.Joules))
            .Add("energy.decode.active_baseline_j", "  active baseline (busy clocks × time)", Q(e.DecodePerToken.ActiveBaseline.Value, Unit.Joules))
            .Add("energy.prefill_joules_per_token", "per prompt token (prefill)", Q(e.PrefillPerPromptToken.Total.Value, Unit.Joules))
            .Add("energy.joules_per_query", "per request", Q(e.PerQuery.Value, Unit.Joules))
            .Add("energy.joules_per_query_interval", band, I(f => f.JoulesPerQuery, Unit.Joules))
            .Add("energy.decode_power_w", "modelled power while decoding (group)", Q(e.DecodePower.Value, Unit.Watts));

        b.Section("cost");
        if (p.Cost is { } c)
            b.Add("cost.usd_per_million_tokens", "per million output tokens", Q(c.UsdPerMillionTokens, Unit.Usd))
                .Add("cost.usd_per_million_tokens_interval", band, I(f => f.UsdPerMillionTokens, Unit.Usd))
                .Add("cost.usd_per_query", "per request", Q(c.UsdPerQuery, Unit.Usd))
                .Add("cost.usd_per_query_interval", band, I(f => f.UsdPerQuery, Unit.Usd))
                .Add("cost.usd_per_hour", "per serving hour (group)", Cell.Quantity(c.UsdPerHour, Unit.UsdPerHour))
                .Add("cost.basis", "cost basis", Cell.Text(c.Basis));
        else
            b.Add("cost.usd_per_million_tokens", "per million output tokens", Cell.Missing("no price in the hardware profile"));

        b.Section("memory")
            .Add("memory.weights_bytes", "weights (per device)", Cell.Quantity(m.Weights.Value, Unit.Bytes))
            .Add("memory.kv_cache_bytes", "KV cache at full context (per device)", Cell.Quantity(m.KvCache.Value, Unit.Bytes))
            .Add("memory.activations_bytes", "activations (per device)", Cell.Quantity(m.Activations.Value, Unit.Bytes))
            .Add("memory.runtime_reserve_bytes", "runtime reserve (per device, backend's)", Cell.Quantity(m.RuntimeReserve.Value, Unit.Bytes))
            .Add("memory.total_bytes", "total (per device)", Cell.Quantity(m.Total.Value, Unit.Bytes))
            .Add("memory.kv_replicated", "KV cache replicated across TP", Cell.Bool(m.KvReplicated))
            .Add("memory.max_batch", "largest batch whose KV fits", Cell.Count(m.MaxBatch))
            .Add("memory.capacity_bytes", "device memory", Cell.Quantity(m.Capacity.Value, Unit.Bytes))
            .Add("memory.fits", "fits", Cell.Bool(m.Fits))
            .Add("memory.runnable", "runs (fits, or streams over the host link)", Cell.Bool(m.Runnable))
            .Add("memory.weights_served_from", "weights and KV streamed from", Cell.Text(m.StreamedFrom))
            .Add("memory.cached_from", "part still cached from the last step in", Cell.Text(m.CachedFrom ?? "none"))
            .Add("memory.cached_share", "share served from that cache", Cell.Ratio(m.CachedShare));

        var a = p.Assumptions;
        b.Section("assumptions")
            .Add("assumptions.lifetime_years", "purchase amortised over", Cell.Quantity(a.LifetimeYears, Unit.Years))
            .Add("assumptions.usd_per_kwh", "electricity", Cell.Quantity(a.UsdPerKwh, Unit.UsdPerKwh))
            .Add("assumptions.pue", "PUE", Cell.Number(a.Pue))
            .Add("assumptions.fleet_utilization", "fleet utilization", Cell.Ratio(a.FleetUtilization))
            .Add("assumptions.pricing", "pricing", Cell.Text(Kebab(a.Pricing)))
            .Add("assumptions.execution", "execution model", Cell.Text(p.Execution.Description));

        if (operators)
        {
            b.Table(Operators("decode.operators", "decode step: operators (per device)", p.Decode));
            b.Table(Operators("prefill.operators", "prefill: operators (per device)", p.Prefill));
        }
        if (notFit is not null) b.Warn(notFit);
        b.Warn(p.Warnings);
        if (ctx.Intervals is { } ints) b.Warn(ints.Reasons);
        b.Note(ctx.Notes ?? []);
        if (ctx.Intervals is { Missing: null } basis) b.Note(basis.Bases().Select(x => $"{Percent(basis.Coverage)} interval, {x}"));
        b.Note(Assumptions.Notes.Select(n => $"assumed {n.Name}: {n.Why}"));
        return b.Build();
    }

    public static string Title(Prediction p, PredictionContext ctx)
    {
        var s = p.Workload.Scenario;
        var devices = p.Devices > 1 ? $" ×{p.Devices}" : "";
        var replicas = ctx.Replicas > 1 ? $" (×{ctx.Replicas} replicas)" : "";
        return $"{p.Workload.Model.Id} · {p.Workload.Quant.Id} on {p.HardwareId}{devices}{replicas} · batch {s.Batch}, prompt {s.PromptTokens}, gen {s.GeneratedTokens}";
    }

    static double Share(StageResult st, Bound bound) =>
        st.Time.Value > 0 && st.TimeByBound.TryGetValue(bound, out var t) ? t.Value / st.Time.Value : 0;

    static ReportTable Operators(string key, string title, StageResult st) => ReportTable.Of(key, title,
        [
            new("operator", "operator"), new("repeat", "repeat"), new("flops", "FLOPs"), new("bytes", "bytes"),
            new("flop_per_byte", "FLOP/B"), new("weights_from", "weights from"), new("bound", "bound"),
            new("time_s", "time"), new("share", "share"),
        ],
        st.Operators.Select(o => (IReadOnlyList<Cell>)
        [
            Cell.Text(o.Operator.Name), Cell.Count(o.Operator.Repeat),
            Cell.Quantity(o.Operator.Flops * o.Operator.Repeat, Unit.Flop),
            Cell.Quantity(o.Operator.MemoryBytes * o.Operator.Repeat, Unit.Bytes),
            Cell.Quantity(o.Operator.Intensity, Unit.FlopPerByte, "no memory traffic (a collective)"),
            Cell.Text(o.WeightsFrom), Cell.Text(Kebab(o.PerOccurrence.Bound)),
            Cell.Quantity(o.Total.Value, Unit.Seconds),
            Cell.Ratio(st.Time.Value > 0 ? o.Total.Value / st.Time.Value : 0),
        ]));

    /// <summary>0.8 → "80 %".</summary>
    public static string Percent(double share) => FormattableString.Invariant($"{share * 100:0} %");

    public static string Kebab<T>(T value) where T : struct, Enum => value.Kebab();
}

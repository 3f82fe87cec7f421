using PerfSim.Core.Engine;
using PerfSim.Core.Uncertainty;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Builders;

/// <summary>
/// Several predictions side by side: one row per candidate, the figures a buyer compares as columns. A candidate
/// that does not fit shows why in its `fits` cell and no speed or cost.
/// </summary>
public static class ComparisonReport
{
    public sealed record Candidate(Prediction Prediction, PredictionContext Context);

    static readonly Column[] Columns =
    [
        new("candidate", "candidate"), new("model", "model"), new("quant", "quant"), new("fits", "fits"),
        new("ttft_s", "TTFT"), new("ttft_s_interval", "TTFT 80 %"), new("tpot_s", "TPOT"), new("tpot_s_interval", "TPOT 80 %"),
        new("decode.tokens_per_s", "decode tok/s"), new("decode.tokens_per_s_interval", "decode 80 %"),
        new("utilization.memory_bandwidth", "MBU"), new("utilization.prefill_compute", "prefill MFU"),
        new("energy.joules_per_token", "J/token"), new("energy.joules_per_token_interval", "J/token 80 %"),
        new("cost.usd_per_million_tokens", "$/M tokens"), new("cost.usd_per_million_tokens_interval", "$/M 80 %"),
        new("memory.total_bytes", "memory/device"), new("decode.bound", "decode bound"),
    ];

    public static Report Build(IReadOnlyList<Candidate> candidates)
    {
        var rows = candidates.Select(c => Row(c.Prediction, c.Context)).ToArray();
        var b = new ReportBuilder($"Comparison of {candidates.Count} configuration(s)");
        b.Section("summary")
            .Add("count", "configurations", Cell.Count(candidates.Count))
            .Add("fitting", "that fit", Cell.Count(candidates.Count(c => c.Prediction.Memory.Runnable)));
        b.Table(ReportTable.Of("candidates", "candidates", Columns, rows), primary: true);
        foreach (var c in candidates)
        {
            var id = Id(c.Prediction);
            if (!c.Prediction.Memory.Runnable) b.Warn($"{id}: does not fit: needs {c.Prediction.Memory.Total} per device, device memory is {c.Prediction.Memory.Capacity}");
            foreach (var n in c.Context.Notes ?? []) b.Note($"{id}: {n}");
            foreach (var w in c.Context.Intervals?.Reasons ?? []) b.Warn($"{id}: {w}");
        }
        if (candidates.Count > 0)
        {
            var a = candidates[0].Prediction.Assumptions;
            b.Note(FormattableString.Invariant($"assumptions: {a.LifetimeYears} years amortisation, {a.UsdPerKwh} USD/kWh, PUE {a.Pue}, fleet utilization {a.FleetUtilization}, pricing {PredictionReport.Kebab(a.Pricing)}"));
            b.Note(Assumptions.Notes.Select(n => $"assumed {n.Name}: {n.Why}"));
        }
        return b.Build();
    }

    public static string Id(Prediction p) => p.HardwareId + (p.Devices > 1 ? $" ×{p.Devices}" : "");

    static IReadOnlyList<Cell> Row(Prediction p, PredictionContext ctx)
    {
        var m = p.Memory;
        string? why = m.Runnable ? null : "does not fit";
        Cell Q(double v, Unit u) => why is null ? Cell.Quantity(v, u) : Cell.Missing(why);
        Cell R(double v) => why is null ? Cell.Ratio(v) : Cell.Missing(why);
        var iv = ctx.Intervals is { Missing: null } pi ? pi.For(p, ctx.Replicas) : null;
        string noInterval = why ?? ctx.Intervals?.Missing ?? "no interval computed";
        Cell I(Func<FigureIntervals, Bounds?> pick, Unit u) => why is null && iv is not null && pick(iv) is { } bd ? Cell.Interval(bd.Lo, bd.Hi, u) : Cell.Missing(noInterval);
        var replicas = ctx.Replicas > 1 ? $" ×{ctx.Replicas} replicas" : "";
        return
        [
            Cell.Text(Id(p) + replicas), Cell.Text(p.Workload.Model.Id), Cell.Text(p.Workload.Quant.Id),
            m.Fits ? Cell.Bool(true) : m.Runnable ? Cell.Text("offload") : Cell.Bool(false),
            Q(p.Ttft.Value, Unit.Seconds), I(f => f.Ttft, Unit.Seconds), Q(p.Tpot.Value, Unit.Seconds), I(f => f.Tpot, Unit.Seconds),
            Q(p.DecodeTokensPerSecond, Unit.TokensPerSecond), I(f => f.DecodeTokensPerSecond, Unit.TokensPerSecond),
            R(p.DecodeUtilization.MemoryBandwidth), R(p.PrefillUtilization.Compute),
            Q(p.Energy.JoulesPerToken, Unit.Joules), I(f => f.JoulesPerToken, Unit.Joules),
            p.Cost is { } c ? Q(c.UsdPerMillionTokens, Unit.Usd) : Cell.Missing("no price in the hardware profile"),
            p.Cost is not null ? I(f => f.UsdPerMillionTokens, Unit.Usd) : Cell.Missing("no price in the hardware profile"),
            Cell.Quantity(m.Total.Value, Unit.Bytes), Cell.Text(PredictionReport.Kebab(p.Decode.Bound)),
        ];
    }
}

using System.Globalization;
using PerfSim.Cli.Rendering;
using PerfSim.Core.Engine;
using PerfSim.Data.Profiles;
using PerfSim.Core.Units;

namespace PerfSim.Cli.Commands;

/// <summary>Maps a prediction to report rows. Keys are the stable JSON/CSV names; units live in the key suffixes.</summary>
public static class PredictionReport
{
    public static Report Build(Prediction p, bool details = true)
    {
        var w = p.Workload;
        var s = w.Scenario;
        var rows = new List<ReportRow>
        {
            new("setup", "hardware", "hardware", p.HardwareId),
            new("setup", "engine", "engine", p.EngineId),
            new("setup", "devices", "devices (tensor parallel)", p.Devices),
            new("setup", "model", "model", w.Model.Id),
            new("setup", "quant", "quantization", w.Quant.Id),
            new("setup", "kv_cache", "KV cache", w.Kv.Id),
            new("setup", "backend", "backend", p.Execution.Id),
            new("setup", "batch", "batch", s.Batch),
            new("setup", "prompt_tokens", "prompt tokens", s.PromptTokens),
            new("setup", "gen_tokens", "generated tokens", s.GeneratedTokens),

            new("latency", "ttft_s", "time to first token", p.Ttft.Value, "s"),
            new("latency", "tpot_s", "time per output token", p.Tpot.Value, "s"),
            new("latency", "e2e_s", "end-to-end per request", p.EndToEnd.Value, "s"),

            new("throughput", "prefill.tokens_per_s", "prefill (batch)", p.PrefillTokensPerSecond, "tok/s"),
            new("throughput", "prefill.bound", "prefill bound", p.Prefill.Bound.Kebab()),
            new("throughput", "decode.tokens_per_s", "decode (batch aggregate)", p.DecodeTokensPerSecond, "tok/s"),
            new("throughput", "decode.tokens_per_s_per_sequence", "decode per sequence", p.DecodeTokensPerSecondPerSequence, "tok/s"),
            new("throughput", "decode.bound", "decode bound", p.Decode.Bound.Kebab()),
            new("throughput", "decode.bytes_per_step", "bytes moved per decode step (per device)", p.Decode.BytesMoved, "B"),
            new("throughput", "decode.context_tokens", "mean decode context", p.Decode.ContextTokens, "tokens"),

            new("utilization", "utilization.compute", "decode compute (MFU)", p.DecodeUtilization.Compute),
            new("utilization", "utilization.memory_bandwidth", "decode memory bandwidth (MBU)", p.DecodeUtilization.MemoryBandwidth),
            new("utilization", "utilization.prefill_compute", "prefill compute (MFU)", p.PrefillUtilization.Compute),
            new("utilization", "utilization.prefill_memory_bandwidth", "prefill memory bandwidth (MBU)", p.PrefillUtilization.MemoryBandwidth),

            new("energy", "energy.joules_per_token", "per generated token", p.Energy.JoulesPerToken, "J"),
            new("energy", "energy.decode.arithmetic_j", "  arithmetic", p.Energy.DecodePerToken.Arithmetic.Value, "J"),
        };
        foreach (var (level, j) in p.Energy.DecodePerToken.DataMovement.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            rows.Add(new("energy", $"energy.decode.data_movement_j.{level}", $"  data movement: {level}", j.Value, "J"));
        rows.Add(new("energy", "energy.decode.links_j", "  links", p.Energy.DecodePerToken.Links.Value, "J"));
        rows.Add(new("energy", "energy.decode.static_j", "  static (idle power × time)", p.Energy.DecodePerToken.Static.Value, "J"));
        rows.Add(new("energy", "energy.prefill_joules_per_token", "per prompt token (prefill)", p.Energy.PrefillPerPromptToken.Total.Value, "J"));
        rows.Add(new("energy", "energy.joules_per_query", "per request", p.Energy.PerQuery.Value, "J"));
        rows.Add(new("energy", "energy.decode_power_w", "modelled power while decoding (group)", p.Energy.DecodePower.Value, "W"));

        if (p.Cost is { } c)
        {
            rows.Add(new("cost", "cost.usd_per_million_tokens", "per million output tokens", c.UsdPerMillionTokens, "USD"));
            rows.Add(new("cost", "cost.usd_per_query", "per request", c.UsdPerQuery, "USD"));
            rows.Add(new("cost", "cost.usd_per_hour", "per serving hour (group)", c.UsdPerHour, "USD"));
            rows.Add(new("cost", "cost.basis", "cost basis", c.Basis));
        }
        var m = p.Memory;
        rows.Add(new("memory", "memory.weights_bytes", "weights (per device)", m.Weights.Value, "B"));
        rows.Add(new("memory", "memory.kv_cache_bytes", "KV cache at full context (per device)", m.KvCache.Value, "B"));
        rows.Add(new("memory", "memory.activations_bytes", "activations (per device)", m.Activations.Value, "B"));
        rows.Add(new("memory", "memory.total_bytes", "total (per device)", m.Total.Value, "B"));
        rows.Add(new("memory", "memory.capacity_bytes", "device memory", m.Capacity.Value, "B"));
        rows.Add(new("memory", "memory.fits", "fits", m.Fits));
        rows.Add(new("memory", "memory.weights_served_from", "weights and KV streamed from", m.StreamedFrom));

        var a = p.Assumptions;
        rows.Add(new("assumptions", "assumptions.lifetime_years", "purchase amortised over", a.LifetimeYears, "years"));
        rows.Add(new("assumptions", "assumptions.usd_per_kwh", "electricity", a.UsdPerKwh, "USD/kWh"));
        rows.Add(new("assumptions", "assumptions.pue", "PUE", a.Pue));
        rows.Add(new("assumptions", "assumptions.fleet_utilization", "fleet utilization", a.FleetUtilization));
        rows.Add(new("assumptions", "assumptions.pricing", "pricing", a.Pricing.Kebab()));
        rows.Add(new("assumptions", "assumptions.execution", "execution model", p.Execution.Description));

        var detailTables = details ? new[] { Operators("decode.operators", p.Decode), Operators("prefill.operators", p.Prefill) } : [];
        var title = $"{w.Model.Id} · {w.Quant.Id} on {p.HardwareId}" + (p.Devices > 1 ? $" ×{p.Devices}" : "") + $" · batch {s.Batch}, prompt {s.PromptTokens}, gen {s.GeneratedTokens}";
        var notes = p.Warnings.Concat(Assumptions.Notes.Select(n => $"assumed {n.Name}: {n.Why}"));
        return Report.Of(title, rows, detailTables, notes, new Dictionary<string, object> { ["warnings"] = p.Warnings.ToArray() });
    }

    static DetailTable Operators(string title, StageResult st)
    {
        string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        var rows = st.Operators.Select(o => (IReadOnlyList<string>)new[]
        {
            o.Operator.Name, o.Operator.Repeat.ToString(CultureInfo.InvariantCulture), N(o.Operator.Flops * o.Operator.Repeat),
            N(o.Operator.MemoryBytes * o.Operator.Repeat), N(o.Operator.Intensity), o.WeightsFrom, o.PerOccurrence.Bound.Kebab(),
            N(o.Total.Value), N(st.Time.Value > 0 ? o.Total.Value / st.Time.Value : 0),
        }).ToArray();
        return new DetailTable(title, ["operator", "repeat", "flops", "bytes", "flop_per_byte", "weights_from", "bound", "time_s", "share"], rows);
    }
}

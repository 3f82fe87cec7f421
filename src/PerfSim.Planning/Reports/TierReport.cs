using PerfSim.Planning.Tiers;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Planning.Reports;

/// <summary>Each model on each tier: fits, TTFT and tokens/s for one user, energy per token and per query, battery impact, interactive.</summary>
public static class TierReport
{
    static readonly Column[] Columns =
    [
        new("model", "model"), new("tier", "tier"), new("hardware", "hardware"), new("quant", "quant"), new("fits", "fits"),
        new("devices", "devices"), new("memory_bytes", "memory/device"), new("ttft_s", "TTFT"), new("tokens_per_s", "tok/s"),
        new("joules_per_token", "J/token"), new("joules_per_query", "J/query"), new("battery_percent_per_query", "battery %/query"),
        new("queries_per_charge", "queries/charge"), new("interactive", "interactive"),
    ];

    public static Report Build(TierResult result)
    {
        var b = new ReportBuilder($"Tiers: {result.Placements.Select(p => p.Model).Distinct().Count()} model(s) on {result.Placements.Select(p => p.Tier.Name).Distinct().Count()} tier(s)");
        b.Section("thresholds")
            .Add("interactive.min_tokens_per_s", "interactive: at least", Cell.Quantity(result.Thresholds.MinTokensPerSecond, Unit.TokensPerSecond))
            .Add("interactive.max_ttft_s", "interactive: TTFT at most", Cell.Quantity(result.Thresholds.MaxTtftSeconds, Unit.Seconds))
            .Add("prompt_tokens", "prompt", Cell.Quantity(result.PromptTokens, Unit.Tokens))
            .Add("gen_tokens", "generated", Cell.Quantity(result.GenTokens, Unit.Tokens));
        b.Table(ReportTable.Of("placements", "placements", Columns, result.Placements.Select(Row)), primary: true);
        b.Note(result.Notes);
        return b.Build();
    }

    static IReadOnlyList<Cell> Row(TierPlacement p)
    {
        Cell Q(double? v, Unit u, string whyMissing) => v is { } x ? Cell.Quantity(x, u) : Cell.Missing(p.Fits ? whyMissing : "does not fit");
        return
        [
            Cell.Text(p.Model), Cell.Text(p.Tier.Name), Cell.Text(p.Tier.Hardware), Cell.Text(p.Tier.Quant), Cell.Bool(p.Fits),
            Cell.Count(p.Devices), Cell.Quantity(p.MemoryNeeded.Value, Unit.Bytes), Q(p.Ttft?.Value, Unit.Seconds, ""),
            Q(p.TokensPerSecond, Unit.TokensPerSecond, ""), Q(p.JoulesPerToken, Unit.Joules, ""), Q(p.JoulesPerQuery, Unit.Joules, ""),
            p.BatteryPercentPerQuery is { } bp ? Cell.Quantity(bp, Unit.Percent) : Cell.Missing(p.Fits ? "no battery" : "does not fit"),
            p.QueriesPerCharge is { } qc ? Cell.Number(qc) : Cell.Missing(p.Fits ? "no battery" : "does not fit"),
            Cell.Bool(p.Interactive),
        ];
    }
}

using PerfSim.Planning.Search;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Planning.Reports;

/// <summary>
/// A plan as a report: the request, the chosen fleet (`best`), one row per candidate (`candidates[]`: feasible or the
/// reason not, the fleet, its power, money and latency), the capital lines with their price sources, and the
/// cost–latency points for a Pareto plot.
/// </summary>
public static class PlanReport
{
    static readonly Column[] CandidateColumns =
    [
        new("candidate", "candidate"), new("vendor", "vendor"), new("feasible", "feasible"), new("reason", "why not"),
        new("quant", "quant"), new("layout", "layout"), new("batch_cap", "batch cap"), new("replicas", "replicas"),
        new("devices", "devices"), new("servers", "servers"), new("racks", "racks"), new("servers_per_rack", "servers/rack"),
        new("rack_power_limited", "rack power-limited"), new("power_kw", "kW at load"), new("nameplate_kw", "kW nameplate"),
        new("capex_usd", "capex"), new("opex_usd_per_year", "opex/year"), new("tco_usd", "TCO"),
        new("usd_per_million_tokens", "$/M tokens"), new("usd_per_query", "$/query"),
        new("ttft_p99_s", "p99 TTFT"), new("tpot_p99_s", "p99 TPOT"), new("utilization", "utilization"),
        new("headroom_rps", "headroom"), new("pricing", "pricing"), new("confirmed", "confirmed"),
    ];

    static readonly Column[] CostColumns =
    [
        new("candidate", "candidate"), new("item", "item"), new("quantity", "quantity"), new("unit_usd", "unit price"),
        new("total_usd", "total"), new("assumed", "assumed"), new("source", "source"),
    ];

    static readonly Column[] ParetoColumns =
    [
        new("candidate", "candidate"), new("quant", "quant"), new("layout", "layout"), new("batch_cap", "batch cap"), new("devices", "devices"),
        new("tco_usd", "TCO"), new("ttft_p99_s", "p99 TTFT"), new("tpot_p99_s", "p99 TPOT"), new("on_ttft_front", "TTFT front"), new("on_tpot_front", "TPOT front"),
    ];

    public static Report Build(PlanResult plan, bool paretoAll = false)
    {
        var r = plan.Request;
        string q = $"p{r.Slo.Goodput * 100:0.##}";
        var b = new ReportBuilder($"Plan: {r.Model} at {r.Traffic.RatePerSecond:G4} req/s, {q} TTFT ≤ {r.Slo.Ttft.Value:0.###} s, {q} TPOT ≤ {r.Slo.Tpot.Value * 1000:0.#} ms");
        b.Section("request")
            .Add("request.model", "model", Cell.Text(r.Model))
            .Add("request.rate_rps", "offered rate", Cell.Quantity(r.Traffic.RatePerSecond, Unit.RequestsPerSecond))
            .Add("request.prompt_tokens", "prompt", Cell.Quantity(r.Traffic.PromptTokens, Unit.Tokens))
            .Add("request.gen_tokens", "generated", Cell.Quantity(r.Traffic.GenTokens, Unit.Tokens))
            .Add("request.ttft_target_s", $"{q} TTFT target", Cell.Quantity(r.Slo.Ttft.Value, Unit.Seconds))
            .Add("request.tpot_target_s", $"{q} TPOT target", Cell.Quantity(r.Slo.Tpot.Value, Unit.Seconds))
            .Add("request.goodput", "goodput (quantile)", Cell.Ratio(r.Slo.Goodput))
            .Add("request.rack_kw", "rack power limit (kW)", Cell.Number(r.RackKw))
            .Add("request.budget_usd", "budget", r.Budget is { } bu ? Cell.Quantity(bu.Value, Unit.Usd) : Cell.Missing("no budget given"))
            .Add("request.lifetime_years", "lifetime", Cell.Quantity(r.Assumptions.LifetimeYears, Unit.Years))
            .Add("request.usd_per_kwh", "electricity", Cell.Quantity(r.Assumptions.UsdPerKwh, Unit.UsdPerKwh))
            .Add("request.pue", "PUE", Cell.Number(r.Assumptions.Pue))
            .Add("request.quants", "quantizations allowed", Cell.Texts(r.Quants));

        b.Section("chosen fleet");
        var best = plan.Best;
        b.Add("best", "cheapest feasible candidate", best is null ? Cell.Missing("no candidate is feasible: see each candidate's reason") : Cell.Text(best.Candidate));
        if (best?.Fleet is { } f)
        {
            var cells = Row(best, r.Traffic.RatePerSecond);
            for (int i = 4; i < CandidateColumns.Length; i++)
                b.Add("chosen." + CandidateColumns[i].Key, CandidateColumns[i].Label, cells[i]);
        }
        b.Add("evaluated", "fleets evaluated", Cell.Count(plan.Evaluated.Count));
        b.Add("screen", "screened with", Cell.Text(plan.ScreenMethod));
        b.Add("confirm", "confirmed with", Cell.Text(plan.ConfirmMethod));

        b.Table(ReportTable.Of("candidates", "candidates", CandidateColumns, plan.Candidates.Select(c => Row(c, r.Traffic.RatePerSecond))), primary: true);
        b.Table(ReportTable.Of("capex_lines", "capital cost lines (each price with its source)", CostColumns, CostRows(plan)));
        var points = paretoAll ? plan.Pareto : plan.Pareto.Where(p => p.OnTtftFront || p.OnTpotFront);
        b.Table(ReportTable.Of("pareto", paretoAll ? "cost vs latency, every feasible fleet" : "cost vs latency, the Pareto fronts", ParetoColumns, points.Select(ParetoRow)));

        foreach (var c in plan.Candidates.Where(c => !c.Feasible)) b.Warn($"{c.Candidate}: {c.Reason}");
        b.Note(plan.Assumptions);
        b.Note("screen: " + plan.ScreenMethod + "; confirm: " + plan.ConfirmMethod);
        foreach (var c in plan.Candidates) b.Note(c.Notes.Select(n => $"{c.Candidate}: {n}"));
        return b.Build();
    }

    static IReadOnlyList<Cell> Row(CandidatePlan c, double rate)
    {
        if (c.Fleet is not { } f)
        {
            var why = Cell.Missing("infeasible: " + c.Reason);
            return [Cell.Text(c.Candidate), Cell.Text(c.Vendor), Cell.Bool(false), Cell.Text(c.Reason ?? "infeasible"),
                .. Enumerable.Repeat(why, CandidateColumns.Length - 4)];
        }
        var s = f.Shape!;
        var m = f.Money!;
        return
        [
            Cell.Text(c.Candidate), Cell.Text(c.Vendor), Cell.Bool(true), Cell.Text(""),
            Cell.Text(f.Setup.Quant), Cell.Text(f.Setup.Layout.ToString()), Cell.Count(f.Setup.BatchCap), Cell.Count(f.Replicas),
            Cell.Count(s.Devices), Cell.Count(s.Servers), Cell.Count(s.Racks), Cell.Count(s.ServersPerRack), Cell.Bool(s.RackPowerLimited),
            Cell.Number(s.LoadKw), Cell.Number(s.NameplateKw),
            Cell.Quantity(m.CapexUsd, Unit.Usd), Cell.Quantity(m.OpexUsdPerYear, Unit.Usd), Cell.Quantity(m.TcoUsd, Unit.Usd),
            Cell.Quantity(m.UsdPerMillionTokens, Unit.Usd), Cell.Quantity(m.UsdPerQuery, Unit.Usd),
            Cell.Quantity(f.Outcome.TtftQuantile.Value, Unit.Seconds), Cell.Quantity(f.Outcome.TpotQuantile.Value, Unit.Seconds),
            Cell.Ratio(f.Utilization(rate)), Cell.Quantity(f.HeadroomRate, Unit.RequestsPerSecond), Cell.Text(m.Pricing), Cell.Bool(f.Confirmed),
        ];
    }

    static IEnumerable<IReadOnlyList<Cell>> CostRows(PlanResult plan)
    {
        foreach (var c in plan.Candidates.Where(c => c.Fleet?.Money is not null))
        {
            var m = c.Fleet!.Money!;
            foreach (var l in m.Capex)
                yield return [Cell.Text(c.Candidate), Cell.Text(l.Item), Cell.Count(l.Quantity), Cell.Quantity(l.UnitPrice.Usd, Unit.Usd), Cell.Quantity(l.Usd, Unit.Usd),
                    Cell.Bool(l.UnitPrice.Assumed), Cell.Text(l.UnitPrice.Source)];
            yield return [Cell.Text(c.Candidate), Cell.Text("operating cost per year"), Cell.Count(1), Cell.Quantity(m.OpexUsdPerYear, Unit.Usd), Cell.Quantity(m.OpexUsdPerYear, Unit.Usd),
                Cell.Bool(false), Cell.Text(m.OpexBasis)];
        }
    }

    static IReadOnlyList<Cell> ParetoRow(ParetoPoint p) =>
    [
        Cell.Text(p.Candidate), Cell.Text(p.Quant), Cell.Text(p.Layout), Cell.Count(p.BatchCap), Cell.Count(p.Devices), Cell.Quantity(p.TcoUsd, Unit.Usd),
        Cell.Quantity(p.TtftSeconds, Unit.Seconds), Cell.Quantity(p.TpotSeconds, Unit.Seconds), Cell.Bool(p.OnTtftFront), Cell.Bool(p.OnTpotFront),
    ];
}

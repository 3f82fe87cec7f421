using PerfSim.Planning.Hybrid;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Planning.Reports;

/// <summary>The hybrid what-if: the mixed routing against all-cloud, one row each.</summary>
public static class HybridReport
{
    static readonly Column[] Columns =
    [
        new("routing", "routing"), new("device_share", "on device"), new("cloud_candidate", "cloud fleet"), new("cloud_devices", "cloud devices"),
        new("cloud_usd_per_year", "cloud cost/year"), new("usd_per_query", "$/query"), new("joules_per_query", "J/query"),
        new("cloud_ttft_p99_s", "cloud p99 TTFT"), new("cloud_tpot_p99_s", "cloud p99 TPOT"), new("device_ttft_s", "device TTFT"),
        new("device_tpot_s", "device TPOT"), new("reason", "why not"),
    ];

    public static Report Build(HybridResult h)
    {
        var r = h.Request;
        var b = new ReportBuilder($"Hybrid routing: {r.SmallModel} on {r.Device.Name}, {r.Cloud.Model} in the cloud, {r.Cloud.Traffic.RatePerSecond:G4} req/s");
        b.Section("comparison")
            .Add("saving.usd_per_query", "cost per query saved", Ratio(h.AllCloud.UsdPerQuery, h.Mixed.UsdPerQuery))
            .Add("saving.joules_per_query", "energy per query saved", Ratio(h.AllCloud.JoulesPerQuery, h.Mixed.JoulesPerQuery));
        b.Table(ReportTable.Of("routings", "routings", Columns, new[] { h.AllCloud, h.Mixed }.Select(Row)), primary: true);
        b.Note(h.Notes);
        if (h.Mixed.CloudPlan is { } p) b.Note(p.Assumptions);
        return b.Build();
    }

    static Cell Ratio(double all, double mixed) => all > 0 && mixed >= 0 ? Cell.Ratio(1 - mixed / all) : Cell.Missing("all-cloud figure not available");

    static IReadOnlyList<Cell> Row(RoutingOutcome o)
    {
        var f = o.CloudPlan?.Best?.Fleet;
        string none = o.DeviceShare >= 1 ? "no cloud traffic" : o.Reason ?? "no feasible cloud fleet";
        Cell Q(double? v, Unit u, string why) => o.Reason is not null ? Cell.Missing(o.Reason) : v is { } x ? Cell.Quantity(x, u) : Cell.Missing(why);
        return
        [
            Cell.Text(o.Name), Cell.Ratio(o.DeviceShare), f is null ? Cell.Missing(none) : Cell.Text(f.Candidate),
            f is null ? Cell.Missing(none) : Cell.Count(f.Shape!.Devices),
            Q(o.CloudUsdPerYear, Unit.Usd, none), Q(o.UsdPerQuery, Unit.Usd, none), Q(o.JoulesPerQuery, Unit.Joules, none),
            Q(o.CloudTtftP99, Unit.Seconds, none), Q(o.CloudTpotP99, Unit.Seconds, none),
            Q(o.DeviceTtft, Unit.Seconds, "no traffic on the device"), Q(o.DeviceTpot, Unit.Seconds, "no traffic on the device"),
            Cell.Text(o.Reason ?? ""),
        ];
    }
}

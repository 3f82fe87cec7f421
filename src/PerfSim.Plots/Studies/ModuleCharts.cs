using PerfSim.Composition;
using PerfSim.Data.Catalog;
using PerfSim.Planning;
using PerfSim.Planning.Search;
using PerfSim.Planning.Serving;
using PerfSim.Plots.Adapters;
using PerfSim.Plots.Model;

namespace PerfSim.Plots.Studies;

/// <summary>
/// The report's module charts: serving load and timeline, the planner's Pareto front, training step split and
/// communication : compute. A module that cannot run the study (the model does not fit, no fleet is feasible, the
/// hardware has no training node) leaves its charts out and says why in `left`, rather than drawing anything made up.
/// </summary>
public static class ModuleCharts
{
    public static IReadOnlyList<Chart> Build(ProfileCatalog catalog, PredictionRequest primary, IReadOnlyList<string> hardware, string model, string? quant,
        ModuleStudy m, List<string> left)
    {
        var charts = new List<Chart>();
        var s = primary.Scenario;
        int prompt = s.Prompt ?? Defaults.Prompt, gen = s.Gen ?? Defaults.Gen;
        Try("serving charts", left, () =>
        {
            var rates = m.ServingRates.Append(m.TimelineRate).Distinct().Order().ToList();
            var runs = ServingStudy.Loads(catalog, primary, rates, prompt, gen, m.ServingDurationSeconds, m.Seed);
            charts.Add(ServingChartData.Load(runs.Where(r => m.ServingRates.Contains(r.OfferedRequestsPerSecond))));
            charts.Add(ServingChartData.Timeline(runs.Single(r => r.OfferedRequestsPerSecond == m.TimelineRate).Result));
        });
        Try("pareto chart", left, () =>
        {
            var request = new PlanRequest
            {
                Model = model,
                Traffic = new Traffic(m.PlanRate, prompt, gen),
                Slo = new Slo(new Core.Units.Seconds(2), new Core.Units.Seconds(0.1)),
                Candidates = hardware,
                Quants = [quant ?? Defaults.Quant],
                Assumptions = primary.Assumptions,
            };
            // The analytic screen alone (as `plan --confirm none`): the report stays quick; `perfsim plan` confirms with the simulator.
            var plan = Planner.Plan(catalog, request, new EngineReplicaModel(catalog, model, request.Assumptions));
            var chart = PlanChartData.Pareto(plan);
            charts.Add(chart with { Notes = [.. chart.Notes ?? [], $"planner: {m.PlanRate} requests/s, TTFT p99 ≤ 2 s, TPOT p99 ≤ 0.1 s, analytic screen (not confirmed by the simulator)"] });
        });
        Try("training charts", left, () =>
        {
            var sweep = TrainingComposer.Sweep(catalog, new TrainingRequest { Hardware = hardware[0], Model = model, Tokens = 1e12, Assumptions = primary.Assumptions }, m.TrainingDevices);
            charts.Add(TrainingChartData.Split(sweep.Points));
            charts.Add(TrainingChartData.Ratio(sweep.Points));
        });
        return charts;
    }

    /// <summary>Runs one module's study; a refusal of the study itself (not a bug) becomes a line in `left`.</summary>
    static void Try(string what, List<string> left, Action study)
    {
        try { study(); }
        catch (Exception e) when (e is UsageException or DoesNotFitException or ArgumentException or Serving.ServingException)
        {
            left.Add($"{what} left out: {e.Message}");
        }
    }
}

using System.Globalization;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Data.Catalog;
using PerfSim.Plots.Charts;
using PerfSim.Plots.Html;
using PerfSim.Plots.Model;
using PerfSim.Reporting.Builders;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;
using PerfSim.Validation;

namespace PerfSim.Plots.Studies;

/// <summary>What `perfsim report` studies: the candidates (hardware × model × quantization), the batch sizes of the sweep, and optionally a validation.</summary>
public sealed record StudyRequest(
    PredictionRequest Base,
    IReadOnlyList<string> Hardware,
    IReadOnlyList<string> Models,
    IReadOnlyList<string>? Quants,
    IReadOnlyList<int> Batches,
    ValidationResult? Validation = null,
    string? ValidationSource = null,
    ModuleStudy? Modules = null);

/// <summary>
/// The module studies a report adds beside the what-ifs, on the first hardware and model: serving runs at each offered
/// rate (their percentiles vs load, and the KV/batch timeline of the run at `TimelineRate`), the planner's fleets at
/// `PlanRate` over every hardware of the study (cost vs p99 TTFT), and a data-parallel training sweep.
/// </summary>
public sealed record ModuleStudy(
    IReadOnlyList<double> ServingRates,
    double TimelineRate,
    double ServingDurationSeconds,
    double PlanRate,
    IReadOnlyList<int> TrainingDevices,
    long Seed = 1)
{
    public static readonly ModuleStudy Default = new([1, 2, 4, 8, 16], 8, 60, 4, [8, 16, 32, 64, 128]);
}

/// <summary>
/// Builds the shareable report of a study: the first candidate's full prediction, the candidates compared, the
/// quantization and batch what-ifs on the first hardware, their charts, the assumptions and every profile's sources.
/// Every prediction goes through <see cref="Composer"/>.
/// </summary>
public static class ReportStudy
{
    public static StudyDocument Build(ProfileCatalog catalog, StudyRequest s)
    {
        if (s.Hardware.Count == 0 || s.Models.Count == 0) throw new ArgumentException("report: at least one hardware and one model");
        IReadOnlyList<string?> quants = s.Quants is { Count: > 0 } q ? q.ToList() : new string?[] { null };
        var primaryRequest = s.Base with { Hardware = s.Hardware[0], Model = s.Models[0], Quant = quants[0] };
        var primary = Composer.Predict(catalog, primaryRequest);
        var grid = WhatIf.Grid(catalog, s.Base, s.Hardware, s.Models, quants);
        var quantStudy = WhatIf.Grid(catalog, primaryRequest, [s.Hardware[0]], [s.Models[0]],
            s.Quants is { Count: > 1 } ? s.Quants : WhatIf.DefaultQuants);
        var batchStudy = WhatIf.Batches(catalog, primaryRequest, s.Batches);

        var whatIf = new List<NamedReport>
        {
            new("prediction", PredictionReport.Build(primary.Prediction, Context(primary))),
            new("candidates", ComparisonReport.Build(grid.Select(c => new ComparisonReport.Candidate(c.Prediction, Context(c))).ToList())
                with { Title = $"Candidates: {grid.Count} configuration(s)" }),
            new("quantization", ComparisonReport.Build(quantStudy.Select(c => new ComparisonReport.Candidate(c.Prediction, Context(c))).ToList())
                with { Title = $"Quantization what-if on {s.Hardware[0]}" }),
            new("batch", ComparisonReport.Build(batchStudy.Select(c => new ComparisonReport.Candidate(c.Prediction, Context(c))).ToList())
                with { Title = $"Batch what-if on {s.Hardware[0]}" }),
        };

        var charts = new List<Chart>
        {
            RooflineChart.From(primary),
            BatchChart.From(batchStudy),
            QuantChart.From(quantStudy),
            EnergyChart.From(grid),
            CostChart.From(grid),
        };
        if (s.Models.Count > 1) charts.Add(ModelSizeChart.From(grid));
        if (s.Validation is { } v && v.Rows.Any(r => ValidationChart.Rates.Contains(r.Row.Metric)))
            charts.Add(ValidationChart.From(v, ValidationChart.Rates, s.ValidationSource));
        var left = new List<string>();
        charts.AddRange(ModuleCharts.Build(catalog, primaryRequest, s.Hardware, s.Models[0], quants[0], s.Modules ?? ModuleStudy.Default, left));

        var a = primary.Prediction.Assumptions;
        var assumptions = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"cost: pricing {a.Pricing.ToString().ToLowerInvariant()}, {a.LifetimeYears} years amortisation, {a.UsdPerKwh} USD/kWh, PUE {a.Pue}, fleet utilization {a.FleetUtilization}"),
        };
        assumptions.AddRange(Assumptions.Notes.Select(n => $"assumed {n.Name}: {n.Why}"));
        assumptions.Add($"prefill runs in chunks of at most {InferenceEngine.PrefillChunkTokens} tokens (assumed; bounds activation memory)");
        foreach (var c in grid.Concat(quantStudy).Concat(batchStudy))
            foreach (var n in c.Configuration.Notes) assumptions.Add($"{c.Prediction.HardwareId}: {n}");
        foreach (var w in primary.Prediction.Warnings) assumptions.Add($"{primary.Prediction.HardwareId}: {w}");
        assumptions.AddRange(left);
        foreach (var c in charts.Where(c => c.Kind is ServingCharts.LoadKind or ParetoChart.Kind or TrainingCharts.SplitKind))
            foreach (var n in c.Notes ?? []) assumptions.Add($"{c.Kind}: {n}");

        var sources = new List<NamedReport>();
        foreach (var id in grid.Select(c => c.Configuration.Deployment.Device.Id).Prepend(primary.Configuration.Deployment.Device.Id)
                     .Concat(s.Hardware).Distinct(StringComparer.Ordinal))
            sources.Add(new("profile-" + ReportFolder.Slug(id), ProfileReport.Build(catalog.GetHardware(id))));
        sources.Add(new("workloads", WorkloadSources(grid.Concat(quantStudy))));

        var title = $"PerfSim report: {string.Join(", ", s.Models)} on {string.Join(", ", s.Hardware)}";
        return new StudyDocument(title, whatIf, charts, assumptions.Distinct().ToList(), sources);
    }

    static PredictionContext Context(ComposedPrediction c) => new(c.Configuration.Replicas, c.Configuration.Notes);

    /// <summary>The source of every model, quantization scheme and KV-cache format the study used.</summary>
    static Report WorkloadSources(IEnumerable<ComposedPrediction> cs)
    {
        var rows = new List<IReadOnlyList<Cell>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cs)
        {
            var w = c.Prediction.Workload;
            foreach (var (kind, id, source) in new[] { ("model", w.Model.Id, w.Model.Source), ("quantization", w.Quant.Id, w.Quant.Source), ("kv-cache", w.Kv.Id, w.Kv.Source) })
                if (seen.Add(kind + ":" + id)) rows.Add([Cell.Text(kind), Cell.Text(id), Cell.Text(source)]);
        }
        return new ReportBuilder("Workload profiles and their sources")
            .Table(ReportTable.Of("sources", "models, quantization schemes and KV-cache formats", [new("kind", "kind"), new("id", "id"), new("source", "source")], rows), primary: true)
            .Build();
    }
}

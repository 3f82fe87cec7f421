using PerfSim.Composition;
using PerfSim.Data.Catalog;

namespace PerfSim.Plots.Studies;

/// <summary>
/// Families of requests for the charts, every one predicted through <see cref="Composer"/> (the only place that
/// resolves IDs): a batch sweep, a hardware × model × quantization grid. Order is the order given.
/// </summary>
public static class WhatIf
{
    public static readonly IReadOnlyList<int> DefaultBatches = [1, 2, 4, 8, 16, 32, 64, 128, 256];
    public static readonly IReadOnlyList<string> DefaultQuants = ["fp16", "int8", "int4-g128"];

    public static IReadOnlyList<ComposedPrediction> Batches(ProfileCatalog catalog, PredictionRequest request, IEnumerable<int> batches) =>
        batches.Select(b => Composer.Predict(catalog, request with { Scenario = request.Scenario with { Batch = b, Offline = false } })).ToList();

    public static IReadOnlyList<ComposedPrediction> Grid(ProfileCatalog catalog, PredictionRequest request,
        IEnumerable<string> hardware, IEnumerable<string> models, IEnumerable<string?> quants)
    {
        var qs = quants.ToList();
        var ms = models.ToList();
        return (from h in hardware from m in ms from q in qs
                select Composer.Predict(catalog, request with { Hardware = h, Model = m, Quant = q })).ToList();
    }
}

using PerfSim.Data.Catalog;
using PerfSim.Validation;

namespace PerfSim.Benchmarks.Serving;

/// <summary>
/// The documented command behind the serving validation figures:
/// `dotnet run -c Release --project src/PerfSim.Benchmarks -- serving-validation [VALIDATION_DIR]`
/// (default ./validation from the repository root, else ../shared/validation).
/// </summary>
public static class ServingValidationRun
{
    public static string Markdown(string? dir)
    {
        var catalog = ProfileCatalog.Load();
        dir = ValidationDirectory.Find(dir);
        var cases = ServingValidation.ServerSweeps(Path.Combine(dir, "energy-measurements.csv"))
            .Concat(ServingValidation.StaticBatches(Path.Combine(dir, "public-measurements.csv"))).ToList();
        var results = new List<ServingCaseResult>();
        foreach (var c in cases)
        {
            Console.Error.WriteLine($"{c.Label} ({c.Kind})");
            results.Add(ServingValidation.Run(catalog, c));
        }
        return ServingValidation.Table(results);
    }
}

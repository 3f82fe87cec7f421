using System.Globalization;
using System.Text;
using PerfSim.Core.Backends;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Benchmarks.Serving;

/// <summary>
/// The documented command behind the vllm-cuda fit:
/// `dotnet run -c Release --project src/PerfSim.Benchmarks -- serving-fit [VALIDATION_DIR]`.
/// Fits the backend's `fit:` parameters (shared by every device) to the server sweeps' throughput and inter-token
/// latency (<see cref="ServingSpeedRows"/>) and prints the fitted values with in-sample and leave-one-device-out error.
/// </summary>
public static class ServingFitRun
{
    public static string Markdown(string? dir)
    {
        var catalog = ProfileCatalog.Load();
        dir = ValidationDirectory.Find(dir);
        var path = Path.Combine(dir, "energy-measurements.csv");
        var cases = ServingValidation.ServerSweeps(path);
        // Fitted on the vLLM 0.11.1 sweeps (ML.ENERGY v3, H100) only: the v2 rows ran vLLM 0.5.4's V0 engine, other
        // software, and are kept as the held-out check (another device and version, never seen by the fit).
        var v3 = ServingSpeedRows.From(cases.Where(c => !c.V0), path);
        var v2 = ServingSpeedRows.From(cases.Where(c => c.V0), path);
        var prior = catalog.Backends["vllm-cuda"].AtPrior();
        var fit = Fitter.FitBackend(catalog, prior, v3.Rows, 1500);
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{fit.Fitted.Id}: fitted on {fit.Rows} vLLM 0.11.1 rows, {fit.Devices} device(s), rms log error {fit.Rms:0.###}"));
        foreach (var (k, v) in fit.Values)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {k} = {(BackendProfile.Spec(k).Unit == "s" ? (v * 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " us" : v.ToString("0.#####", CultureInfo.InvariantCulture))}"));
        var inSample = Validator.Run(catalog, v3, new Dictionary<string, BackendProfile> { ["vllm-cuda"] = fit.Fitted });
        var heldOut = Validator.Run(catalog, v2, new Dictionary<string, BackendProfile> { ["vllm-cuda"] = fit.Fitted });
        // The formal leave-one-device-out over both files' rows: each device predicted by a fit on the other only.
        var all = Fitter.Run(catalog, ServingSpeedRows.From(cases, path));
        sb.AppendLine();
        sb.AppendLine("| rows | metric | cases | MAPE | mean signed |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        foreach (var (label, v) in new[] { ("in-sample (H100, vLLM 0.11.1)", inSample), ("held out (A100-40GB, vLLM 0.5.4)", heldOut),
                     ("leave-one-device-out (fit on the other device)", all.LeaveOneDeviceOut) })
            foreach (var g in v.Rows.GroupBy(r => r.Row.Metric.Name()).OrderBy(g => g.Key, StringComparer.Ordinal))
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {g.Key} | {g.Count()} | {g.Average(r => Math.Abs(r.ErrorPercent)):0.0}% | {g.Average(r => r.ErrorPercent):+0.0;-0.0}% |"));
        foreach (var fold in all.Folds)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"leave-one-device-out fold {fold.Device}: {fold.Rows.Count} rows, MAPE {(fold.Rows.Count > 0 ? fold.Rows.Average(r => Math.Abs(r.ErrorPercent)) : double.NaN):0.0}%"));
        // Every row with its error on standard error, for the per-case picture.
        foreach (var r in inSample.Rows.Concat(heldOut.Rows))
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Row.Notes} b{r.Row.Batch} {r.Row.Metric.Name()} {r.Measured:G4} {r.Predicted:G4} {r.ErrorPercent:+0;-0}%"));
        var unpredicted = inSample.Unpredicted.Concat(heldOut.Unpredicted).ToList();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"unpredicted rows: {unpredicted.Count}"));
        foreach (var u in unpredicted) sb.AppendLine($"  line {u.Line} {u.Hardware} {u.Metric}: {u.Reason}");
        return sb.ToString();
    }
}

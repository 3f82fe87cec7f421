using System.Security.Cryptography;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>
/// Whether a measurement file is the one the catalog's backends were fitted on: `perfsim fit` writes the file's name
/// and a sha256 prefix into each fitted backend's `fit` source, so an error on the same file is in-sample.
/// </summary>
public static class InSample
{
    public static string HashPrefix(string path) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..12].ToLowerInvariant();

    public static bool FittedOn(ProfileCatalog catalog, ReferenceFile file)
    {
        var hash = HashPrefix(file.Path);
        return file.Rows.Select(r => r.Backend).Distinct()
            .Any(b => catalog.Backends.TryGetValue(b, out var p) && p.Sources.TryGetValue("fit", out var s) && s.Contains(hash, StringComparison.Ordinal));
    }
}

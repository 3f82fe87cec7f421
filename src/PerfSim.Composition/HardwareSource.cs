using PerfSim.Core.Hardware;
using PerfSim.Data;
using PerfSim.Data.Catalog;
using PerfSim.Data.Hardware;
using PerfSim.Data.Profiles;

namespace PerfSim.Composition;

/// <summary>
/// Hardware by catalog ID or, for a path ending in .yaml/.yml, a profile file read with the strict loader (e.g. the
/// host profile `perfsim calibrate` writes outside the repository), added to the catalog under its own ID.
/// </summary>
public static class HardwareSource
{
    public static bool IsFile(string arg) =>
        arg.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || arg.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The catalog to resolve against and the hardware ID to use.</summary>
    public static (ProfileCatalog Catalog, string Id) Resolve(ProfileCatalog catalog, string arg)
    {
        if (!IsFile(arg)) return (catalog, arg);
        if (!File.Exists(arg)) throw new InputFileException($"{arg}: no such file");
        var docs = new YamlDocumentSet();
        var profile = HardwareLoader.Load(docs.Parse(arg, arg), docs);
        if (profile.System is not null) throw new InputFileException($"{arg}: field 'system': a profile given as a file must be a single device");
        return (catalog.WithHardware(profile), profile.Id);
    }
}

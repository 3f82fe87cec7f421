using PerfSim.Data.Catalog;

namespace PerfSim.Cli;

/// <summary>What every command handler needs: where to write, and the catalog (loaded once, on first use).</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    ProfileCatalog? catalog;
    string? catalogRoot;

    public ProfileCatalog Catalog(string? dataRoot)
    {
        if (catalog is null || catalogRoot != dataRoot)
        {
            catalog = ProfileCatalog.Load(dataRoot);
            catalogRoot = dataRoot;
        }
        return catalog;
    }
}

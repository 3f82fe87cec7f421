using PerfSim.Data.Catalog;
using PerfSim.Reporting.Renderers;

namespace PerfSim.Cli;

/// <summary>What every command handler needs: where to write, how wide, and the catalog (loaded once, on first use).</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, int? width = null)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>The terminal's width when writing to one, else $COLUMNS, else the default (100).</summary>
    public RenderOptions RenderOptions { get; } = new(width ?? TerminalWidth(stdout));

    /// <summary>True when standard output is an interactive terminal (progress bars, colours).</summary>
    public bool IsTerminal => Out == Console.Out && !Console.IsOutputRedirected;

    ProfileCatalog? catalog;
    string? catalogRoot;

    public ProfileCatalog Catalog(string? dataRoot)
    {
        if (catalog is null || catalogRoot != dataRoot)
        {
            catalog = CatalogCache() is { } dir ? ProfileCatalog.LoadCached(dataRoot, dir) : ProfileCatalog.Load(dataRoot);
            catalogRoot = dataRoot;
        }
        return catalog;
    }

    /// <summary>
    /// Where the checked catalog's snapshot is kept (docs/startup.md): $PERFSIM_CATALOG_CACHE, `off` for none, else
    /// `catalog-cache/` beside the executable (artifacts/perfsim/ for ./perfsim): build output, never the data folder.
    /// </summary>
    static string? CatalogCache()
    {
        var setting = Environment.GetEnvironmentVariable("PERFSIM_CATALOG_CACHE");
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase)) return null;
        return string.IsNullOrEmpty(setting) ? Path.Combine(AppContext.BaseDirectory, "catalog-cache") : setting;
    }

    static int TerminalWidth(TextWriter stdout)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var c) && c >= RenderOptions.MinWidth) return c;
        if (stdout == Console.Out && !Console.IsOutputRedirected)
        {
            try { if (Console.WindowWidth >= RenderOptions.MinWidth) return Console.WindowWidth; }
            catch (IOException) { }
        }
        return RenderOptions.DefaultWidth;
    }
}

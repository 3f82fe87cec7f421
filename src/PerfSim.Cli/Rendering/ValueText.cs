using System.Globalization;
using PerfSim.Core.Units;

namespace PerfSim.Cli.Rendering;

/// <summary>Culture-invariant text for report values: people-friendly in tables, round-trippable in CSV.</summary>
public static class ValueText
{
    public static string Human(object v) => v switch
    {
        double d => UnitFormat.Number(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        null => "",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public static string Exact(object v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        null => "",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}

using System.Globalization;

namespace PerfSim.Plots.Charts;

/// <summary>Short culture-invariant labels for legends.</summary>
static class Format
{
    public static string Rate(double bytesPerSecond) => bytesPerSecond >= 1e12
        ? (bytesPerSecond / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + " TB/s"
        : (bytesPerSecond / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " GB/s";

    public static string Num(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
}

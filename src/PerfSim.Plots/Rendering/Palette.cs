namespace PerfSim.Plots.Rendering;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"): eight colours distinguishable with the
/// common colour-vision deficiencies. Yellow comes late: it is faint on white.
/// </summary>
public static class Palette
{
    public static readonly IReadOnlyList<string> OkabeIto =
    [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#D55E00", // vermillion
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#F0E442", // yellow
    ];

    public static string At(int i) => OkabeIto[((i % OkabeIto.Count) + OkabeIto.Count) % OkabeIto.Count];
}

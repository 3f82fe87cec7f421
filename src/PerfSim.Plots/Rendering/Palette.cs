namespace PerfSim.Plots.Rendering;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"): eight colours distinguishable with the
/// common colour-vision deficiencies. Yellow comes late: it is faint on white. A ninth and tenth series get greys.
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

    /// <summary>Beyond the eight: neutral greys of distinct lightness (a repeated hue would read as the same series).</summary>
    public static readonly IReadOnlyList<string> Extra = ["#BBBBBB", "#444444"];

    public static string At(int i)
    {
        int n = OkabeIto.Count + Extra.Count;
        int k = ((i % n) + n) % n;
        return k < OkabeIto.Count ? OkabeIto[k] : Extra[k - OkabeIto.Count];
    }
}

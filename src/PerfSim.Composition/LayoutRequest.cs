namespace PerfSim.Composition;

/// <summary>The layout a request asks for: each of tp/pp/ep/dp given, or null for the composition to choose.</summary>
public sealed record LayoutRequest(int? Tp = null, int? Pp = null, int? Ep = null, int? Dp = null)
{
    public bool ModelParallelGiven => Tp is not null || Pp is not null;
}

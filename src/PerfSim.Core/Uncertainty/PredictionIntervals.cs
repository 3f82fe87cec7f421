using PerfSim.Core.Engine;

namespace PerfSim.Core.Uncertainty;

/// <summary>
/// The spreads a prediction's figures carry, per stage, and why (pooled groups, extrapolation). Null spreads mean no
/// interval can be given (no residuals at all), with <see cref="Missing"/> saying why.
/// </summary>
public sealed record PredictionIntervals(double Coverage, Spread? Prefill, Spread? Decode, Spread? Throughput, Spread? Energy,
    IReadOnlyList<string> Reasons, string? Missing = null)
{
    public static PredictionIntervals None(string why) => new(ResidualTable.DefaultCoverage, null, null, null, null, [], why);

    /// <summary>The interval of every headline figure of a prediction (replicas: data-parallel copies).</summary>
    public FigureIntervals For(Prediction p, int replicas = 1)
    {
        // Physics first: no end of an interval runs a stage faster than 100 % of the compute or bandwidth it is bound by.
        double prefillCap = Headroom(p.PrefillUtilization), decodeCap = Headroom(p.DecodeUtilization);
        var ttft = Slower(Prefill?.Around(p.Ttft.Value), p.Ttft.Value, prefillCap);
        var tpot = Slower(Decode?.Around(p.Tpot.Value), p.Tpot.Value, decodeCap);
        // End to end is TTFT plus the decode steps; both ends move together (comonotone), the conservative sum.
        double decodePart = Math.Max(0, p.EndToEnd.Value - p.Ttft.Value);
        var e2e = ttft is not null && Decode is not null ? ttft.Plus(Slower(Decode.Around(decodePart), decodePart, decodeCap)!) : null;
        var throughput = Faster(Throughput?.Around(p.GeneratedTokensPerSecond(replicas)), p.GeneratedTokensPerSecond(replicas), Math.Max(prefillCap, decodeCap));
        // Energy per token is power × time per token: without energy residuals it inherits the decode-time spread at
        // the modelled power (the power model's own error is not in it, and the basis says so).
        var jpt = Energy?.Around(p.Energy.JoulesPerToken) ?? (tpot is not null && p.Tpot.Value > 0 ? Scale(tpot, p.Energy.JoulesPerToken / p.Tpot.Value) : null);
        var jpq = Energy?.Around(p.Energy.PerQuery.Value) ?? (e2e is not null && p.EndToEnd.Value > 0 ? Scale(e2e, p.Energy.PerQuery.Value / p.EndToEnd.Value) : null);
        // Cost per token is cost per hour ÷ tokens per hour: the throughput interval inverted.
        Bounds? usdPerM = p.Cost is { } c && throughput is not null && p.GeneratedTokensPerSecond(replicas) is var g && g > 0
            ? new Bounds(c.UsdPerMillionTokens * g / throughput.Hi, c.UsdPerMillionTokens * g / throughput.Lo) : null;
        Bounds? usdPerQuery = p.Cost is { } c2 && e2e is not null && p.EndToEnd.Value > 0 ? Scale(e2e, c2.UsdPerQuery / p.EndToEnd.Value) : null;
        return new FigureIntervals(ttft, tpot, e2e, Faster(Prefill?.Around(p.PrefillTokensPerSecond), p.PrefillTokensPerSecond, prefillCap),
            Faster(Decode?.Around(p.DecodeTokensPerSecond), p.DecodeTokensPerSecond, decodeCap),
            Faster(Decode?.Around(p.DecodeTokensPerSecondPerSequence), p.DecodeTokensPerSecondPerSequence, decodeCap), throughput, jpt, jpq, usdPerM, usdPerQuery);
    }

    /// <summary>How much faster a stage could run before it used 100 % of its compute or bandwidth (∞ if unknown).</summary>
    static double Headroom(Utilization u) => Math.Max(u.Compute, u.MemoryBandwidth) is var m && m > 0 && double.IsFinite(m) ? Math.Max(1, 1 / m) : double.PositiveInfinity;

    /// <summary>A rate interval whose upper end is capped at value × headroom.</summary>
    static Bounds? Faster(Bounds? b, double value, double headroom) => b is null ? null : new Bounds(b.Lo, Math.Min(b.Hi, value * headroom));

    /// <summary>A time interval whose lower end is held at value ÷ headroom.</summary>
    static Bounds? Slower(Bounds? b, double value, double headroom) => b is null ? null : new Bounds(Math.Max(b.Lo, value / headroom), b.Hi);

    static Bounds Scale(Bounds b, double k) => new(b.Lo * k, b.Hi * k);

    /// <summary>Where each spread comes from, one line per stage.</summary>
    public IEnumerable<string> Bases()
    {
        if (Prefill is not null) yield return $"prefill and TTFT: {Prefill.Basis}";
        if (Decode is not null) yield return $"decode and TPOT: {Decode.Basis}";
        if (Throughput is not null) yield return $"end-to-end throughput and cost per token: {Throughput.Basis}";
        yield return Energy is not null ? $"energy: {Energy.Basis}" : "energy: the decode-time interval at the modelled power (no energy residuals for this backend; the power model's own error is not included)";
    }
}

/// <summary>The interval of each headline figure; null where none can be given.</summary>
public sealed record FigureIntervals(Bounds? Ttft, Bounds? Tpot, Bounds? EndToEnd, Bounds? PrefillTokensPerSecond, Bounds? DecodeTokensPerSecond,
    Bounds? DecodeTokensPerSecondPerSequence, Bounds? GeneratedTokensPerSecond, Bounds? JoulesPerToken, Bounds? JoulesPerQuery,
    Bounds? UsdPerMillionTokens, Bounds? UsdPerQuery);

namespace PerfSim.Serving;

/// <summary>A distribution of token counts (prompt or output lengths). Every sample is at least 1.</summary>
public abstract record LengthDistribution
{
    public abstract int Sample(Rng rng);
    /// <summary>Mean of the samples (after rounding and the floor of 1, approximately for continuous forms).</summary>
    public abstract double Mean { get; }
    /// <summary>Largest value a sample can take (for the context check), or int.MaxValue if unbounded.</summary>
    public abstract int Max { get; }
    public abstract string Describe();

    protected static int Round(double x) => x >= int.MaxValue ? int.MaxValue : Math.Max(1, (int)Math.Round(x));

    public static LengthDistribution Fixed(int tokens) => new FixedLength(tokens);
}

public sealed record FixedLength(int Tokens) : LengthDistribution
{
    public override int Sample(Rng rng) => Tokens;
    public override double Mean => Tokens;
    public override int Max => Tokens;
    public override string Describe() => $"fixed {Tokens}";
}

/// <summary>Uniform integers in [Min, Max].</summary>
public sealed record UniformLength(int Low, int High) : LengthDistribution
{
    public override int Sample(Rng rng) => Math.Min(High, Low + (int)(rng.Uniform() * (High - Low + 1)));
    public override double Mean => (Low + High) / 2.0;
    public override int Max => High;
    public override string Describe() => $"uniform {Low}–{High}";
}

/// <summary>Normal, truncated to [1, 2·mean] so the mean stays the stated one.</summary>
public sealed record NormalLength(double MeanTokens, double StdDev) : LengthDistribution
{
    public override int Sample(Rng rng) => Math.Min(Max, Round(MeanTokens + StdDev * rng.Normal()));
    public override double Mean => MeanTokens;
    public override int Max => Round(2 * MeanTokens);
    public override string Describe() => $"normal mean {MeanTokens:0.#} sd {StdDev:0.#}";
}

/// <summary>Log-normal with a stated mean and coefficient of variation (the usual shape of chat prompt and answer lengths).</summary>
public sealed record LogNormalLength(double MeanTokens, double Cv, int Cap = int.MaxValue) : LengthDistribution
{
    double Sigma => Math.Sqrt(Math.Log(1 + Cv * Cv));
    double Mu => Math.Log(MeanTokens) - Sigma * Sigma / 2;
    public override int Sample(Rng rng) => Math.Min(Cap, Round(Math.Exp(Mu + Sigma * rng.Normal())));
    public override double Mean => MeanTokens;
    public override int Max => Cap;
    public override string Describe() => $"lognormal mean {MeanTokens:0.#} cv {Cv:0.##}" + (Cap < int.MaxValue ? $" cap {Cap}" : "");
}

/// <summary>Geometric (the discrete exponential) with a stated mean ≥ 1: memoryless lengths, for queueing checks.</summary>
public sealed record GeometricLength(double MeanTokens) : LengthDistribution
{
    public override int Sample(Rng rng) => MeanTokens <= 1 ? 1 : Round(1 + Math.Floor(Math.Log(rng.Uniform()) / Math.Log(1 - 1 / MeanTokens)));
    public override double Mean => MeanTokens;
    public override int Max => int.MaxValue;
    public override string Describe() => $"geometric mean {MeanTokens:0.#}";
}

/// <summary>An empirical histogram: bins [Low, High] with weights; a sample picks a bin by weight, then uniform inside it.</summary>
public sealed record EmpiricalLength(IReadOnlyList<(int Low, int High, double Weight)> Bins, string Source) : LengthDistribution
{
    readonly double[] cumulative = Cumulative(Bins);

    static double[] Cumulative(IReadOnlyList<(int Low, int High, double Weight)> bins)
    {
        var c = new double[bins.Count];
        double s = 0;
        for (int i = 0; i < bins.Count; i++) c[i] = s += bins[i].Weight;
        for (int i = 0; i < c.Length; i++) c[i] /= s;
        return c;
    }

    public override int Sample(Rng rng)
    {
        double u = rng.Uniform();
        int i = Array.BinarySearch(cumulative, u);
        if (i < 0) i = ~i;
        var (lo, hi, _) = Bins[Math.Min(i, Bins.Count - 1)];
        return Math.Min(hi, lo + (int)(rng.Uniform() * (hi - lo + 1)));
    }

    public override double Mean
    {
        get
        {
            double s = 0, w = 0;
            foreach (var (lo, hi, wt) in Bins) { s += wt * (lo + hi) / 2.0; w += wt; }
            return s / w;
        }
    }

    public override int Max => Bins.Max(b => b.High);
    public override string Describe() => $"histogram {Source} ({Bins.Count} bins)";
}

namespace PerfSim.Serving;

/// <summary>
/// A seeded generator (xoshiro256**, seeded by SplitMix64) with the distributions the simulator draws from.
/// Own implementation so a seed gives the same stream on every .NET version and platform.
/// </summary>
public sealed class Rng
{
    ulong s0, s1, s2, s3;

    public Rng(long seed)
    {
        ulong z = (ulong)seed;
        s0 = SplitMix(ref z); s1 = SplitMix(ref z); s2 = SplitMix(ref z); s3 = SplitMix(ref z);
    }

    static ulong SplitMix(ref ulong z)
    {
        ulong x = z += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    ulong Next()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in (0, 1): never exactly 0, so logarithms are finite.</summary>
    public double Uniform() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));

    public double Exponential(double mean) => -mean * Math.Log(Uniform());

    public double Normal()
    {
        // Box–Muller; one of the pair is enough here.
        return Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());
    }

    /// <summary>Gamma with shape k and scale θ (Marsaglia–Tsang; k &lt; 1 by the boost U^(1/k)).</summary>
    public double Gamma(double shape, double scale)
    {
        if (shape < 1) return Gamma(shape + 1, scale) * Math.Pow(Uniform(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = Normal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = Uniform();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v * scale;
        }
    }

    /// <summary>A separate stream derived from this seed (arrivals, prompt and output lengths do not disturb each other).</summary>
    public static Rng Stream(long seed, int stream) => new(seed * 1_000_003L + stream);
}

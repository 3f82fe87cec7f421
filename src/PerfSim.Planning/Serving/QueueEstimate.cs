namespace PerfSim.Planning.Serving;

/// <summary>
/// Analytic steady state of a continuous-batching replica (the screen). Assumptions, all stated in reports:
/// Poisson arrivals; each prompt is prefilled alone and pre-empts decoding (no chunked prefill); decoding sequences
/// share one step whose time is the engine's step time at the current batch. Then, with ρ = λ·T_prefill:
///   mean decoding batch n solves n = λ·G·step(n)/(1−ρ)            (Little's law; decode is stretched by prefills)
///   TPOT_q = step(n_q) + k_q·T_prefill/G   (n_q, k_q: the q-quantiles of the batch and of the prefills a request sees)
///   TTFT_q = T_prefill + min(1,n)·step(n) + W_q,  W_q = ln(ρ/(1−q))·T_prefill/(1−ρ) when ρ > 1−q (M/M/1 tail)
/// The replica is unstable when ρ ≥ 1, when the batch would exceed its cap, or when the fixed point diverges.
/// </summary>
public static class QueueEstimate
{
    public const string Method = "analytic (engine step costs, M/M/1-tail queue)";

    /// <summary>The replica at `rate`; `saturation` is <see cref="SaturationRate"/> for the same table, cap and gen (computed once by the caller).</summary>
    public static ReplicaOutcome Serve(StepTable t, int cap, double rate, int gen, double quantile, double saturation)
    {
        double sat = saturation;
        var unstable = new ReplicaOutcome(false, new(double.PositiveInfinity), new(double.PositiveInfinity), cap, 1, sat, new(t.StepPower(cap)), Method);
        if (rate <= 0) return Idle(t, sat);
        if (!(MeanBatch(t, cap, rate, gen) is { } n)) return unstable;
        double rho = rate * t.PrefillSeconds;
        double nq = Math.Min(cap, PoissonQuantile(n, quantile));
        double residence = gen * t.Step(n) / (1 - rho);
        double kq = PoissonQuantile(rate * residence, quantile);
        double tpot = t.Step(nq) + kq * t.PrefillSeconds / gen;
        double wait = rho > 1 - quantile ? Math.Log(rho / (1 - quantile)) * t.PrefillSeconds / (1 - rho) : 0;
        double ttft = t.PrefillSeconds + Math.Min(1, n) * t.Step(n) + wait;
        double decodeBusy = (1 - rho) * (1 - Math.Exp(-n));
        double busy = rho + decodeBusy;
        double power = rho * t.PrefillWatts + decodeBusy * t.StepPower(n) + (1 - busy) * t.IdleWatts;
        return new ReplicaOutcome(true, new(ttft), new(tpot), n, busy, sat, new(power), Method);
    }

    static ReplicaOutcome Idle(StepTable t, double sat) =>
        new(true, new(t.PrefillSeconds), new(t.Step(1)), 0, 0, sat, new(t.IdleWatts), Method);

    /// <summary>The mean decoding batch at a rate, or null when the replica cannot keep up (ρ ≥ 1, or no fixed point within the cap).</summary>
    public static double? MeanBatch(StepTable t, int cap, double rate, int gen)
    {
        double rho = rate * t.PrefillSeconds;
        if (rho >= 1) return null;
        double k = rate * gen / (1 - rho);
        // n = k·step(n), step piecewise linear and rising: the smallest root, solved exactly segment by segment.
        double below = k * t.Step(1);
        if (below <= 1) return below <= cap ? below : null;
        var xs = t.Batches;
        int m = xs.Count;
        for (int i = 1; i <= m; i++)
        {
            // Segment i spans batches xs[i-1]..xs[i]; the last one runs on past the table at the last slope (flat for one point).
            bool tail = i == m;
            double x0 = tail ? xs[m - 1] : xs[i - 1];
            double x1 = tail ? double.PositiveInfinity : xs[i];
            double slope = m == 1 ? 0 : tail ? (t.StepSeconds[m - 1] - t.StepSeconds[m - 2]) / (xs[m - 1] - xs[m - 2]) : (t.StepSeconds[i] - t.StepSeconds[i - 1]) / (x1 - x0);
            double intercept = t.StepSeconds[tail ? m - 1 : i - 1] - slope * x0;
            double denom = 1 - k * slope;
            if (denom > 0)
            {
                double n = k * intercept / denom;
                if (n >= x0 * (1 - 1e-12) && n <= x1) return n <= cap ? n : null;
            }
            if (x1 > cap) return null;
        }
        return null;
    }

    /// <summary>The highest rate the replica sustains (mean batch within the cap), by bisection.</summary>
    public static double SaturationRate(StepTable t, int cap, int gen)
    {
        double hi = 1 / t.PrefillSeconds, lo = 0;
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (MeanBatch(t, cap, mid, gen) is not null) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>The q-quantile of a Poisson count with this mean (exact sum for small means, normal approximation above 200).</summary>
    public static double PoissonQuantile(double mean, double q)
    {
        if (mean <= 0) return 0;
        if (mean > 200) return Math.Ceiling(mean + NormalQuantile(q) * Math.Sqrt(mean));
        double p = Math.Exp(-mean), cdf = p;
        int k = 0;
        while (cdf < q && k < 10_000) { k++; p *= mean / k; cdf += p; }
        return k;
    }

    /// <summary>Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double plow = 0.02425;
        if (p < plow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - plow)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double r = p - 0.5, s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}

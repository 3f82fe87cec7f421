namespace PerfSim.Core.Fitting;

/// <summary>
/// Nelder–Mead simplex minimisation on box-bounded parameters: each x_i = lo + (hi − lo)·sigmoid(z_i) so the
/// simplex moves freely in z while every evaluated point respects the bounds. Deterministic.
/// </summary>
public static class NelderMead
{
    public static (double[] X, double F) Minimize(Func<double[], double> f, double[] x0, double[] lo, double[] hi,
        int maxEvaluations = 2000, double tolerance = 1e-10, int restarts = 2)
    {
        int n = x0.Length;
        if (n == 0) return ([], f([]));
        double[] ToX(double[] z) => z.Select((v, i) => lo[i] + (hi[i] - lo[i]) / (1 + Math.Exp(-v))).ToArray();
        double[] ToZ(double[] x) => x.Select((v, i) =>
        {
            double t = Math.Clamp((v - lo[i]) / (hi[i] - lo[i]), 1e-6, 1 - 1e-6);
            return Math.Log(t / (1 - t));
        }).ToArray();
        double F(double[] z) { var v = f(ToX(z)); return double.IsFinite(v) ? v : double.MaxValue; }

        var best = ToZ(x0);
        double bestF = F(best);
        int evals = 1;
        for (int round = 0; round <= restarts && evals < maxEvaluations; round++)
        {
            var simplex = new double[n + 1][];
            var values = new double[n + 1];
            simplex[0] = (double[])best.Clone(); values[0] = bestF;
            for (int i = 0; i < n; i++)
            {
                var p = (double[])best.Clone();
                p[i] += 1.0;
                simplex[i + 1] = p; values[i + 1] = F(p); evals++;
            }
            while (evals < maxEvaluations)
            {
                var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
                simplex = order.Select(i => simplex[i]).ToArray();
                values = order.Select(i => values[i]).ToArray();
                if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + 1e-12)) break;
                var centroid = new double[n];
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
                double[] Along(double t) => centroid.Select((c, j) => c + t * (simplex[n][j] - c)).ToArray();
                var r = Along(-1); var fr = F(r); evals++;
                if (fr < values[0])
                {
                    var e = Along(-2); var fe = F(e); evals++;
                    if (fe < fr) { simplex[n] = e; values[n] = fe; } else { simplex[n] = r; values[n] = fr; }
                }
                else if (fr < values[n - 1]) { simplex[n] = r; values[n] = fr; }
                else
                {
                    var c = fr < values[n] ? Along(-0.5) : Along(0.5);
                    var fc = F(c); evals++;
                    if (fc < Math.Min(fr, values[n])) { simplex[n] = c; values[n] = fc; }
                    else
                    {
                        for (int i = 1; i <= n; i++)
                        {
                            simplex[i] = simplex[i].Select((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j])).ToArray();
                            values[i] = F(simplex[i]); evals++;
                        }
                    }
                }
            }
            int bi = Array.IndexOf(values, values.Min());
            if (values[bi] <= bestF) { best = simplex[bi]; bestF = values[bi]; }
        }
        return (ToX(best), bestF);
    }
}

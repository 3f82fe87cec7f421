namespace PerfSim.Core.Engine;

/// <summary>
/// Small dense least squares (normal equations, columns scaled, partial pivoting). A column that is all zero or
/// collinear with earlier ones gets coefficient 0, so an unused feature never makes the system singular.
/// </summary>
static class LeastSquares
{
    public static double[] Solve(double[][] rows, double[] y)
    {
        int n = rows[0].Length;
        var scale = new double[n];
        foreach (var r in rows)
            for (int j = 0; j < n; j++) scale[j] = Math.Max(scale[j], Math.Abs(r[j]));
        var a = new double[n, n + 1];
        for (int k = 0; k < rows.Length; k++)
            for (int i = 0; i < n; i++)
            {
                if (scale[i] == 0) continue;
                double xi = rows[k][i] / scale[i];
                for (int j = 0; j < n; j++)
                    if (scale[j] > 0) a[i, j] += xi * rows[k][j] / scale[j];
                a[i, n] += xi * y[k];
            }
        var coef = new double[n];
        var used = new bool[n];
        var pivotRow = new int[n];
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(a[i, i]));
        // Gauss–Jordan; a pivot far below the diagonal's size means a dependent column, which keeps coefficient 0.
        for (int c = 0; c < n; c++)
        {
            pivotRow[c] = -1;
            int p = -1; double best = norm * 1e-11;
            for (int r = 0; r < n; r++)
                if (!used[r] && Math.Abs(a[r, c]) > best) { best = Math.Abs(a[r, c]); p = r; }
            if (p < 0) continue;
            used[p] = true;
            pivotRow[c] = p;
            for (int r = 0; r < n; r++)
            {
                if (r == p || a[r, c] == 0) continue;
                double f = a[r, c] / a[p, c];
                for (int j = c; j <= n; j++) a[r, j] -= f * a[p, j];
            }
        }
        for (int c = 0; c < n; c++)
            if (pivotRow[c] >= 0) coef[c] = a[pivotRow[c], n] / a[pivotRow[c], c] / scale[c];
        return coef;
    }
}

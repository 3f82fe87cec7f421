namespace PerfSim.Core.Engine.Power;

/// <summary>What the power model needs of one stage (or one server iteration) of the whole device group.</summary>
/// <param name="Seconds">Time of the stage at full clock.</param>
/// <param name="ComputeSeconds">The part of it bound by compute: the only part a lower clock stretches.</param>
/// <param name="DynamicJoules">Arithmetic + data movement (every level) + link energy of the stage.</param>
/// <param name="Utilization">max(compute utilization, bandwidth utilization) of the stage at full clock, 0–1.</param>
public readonly record struct PowerInput(double Seconds, double ComputeSeconds, double DynamicJoules, double Utilization,
    double IdleWatts, double TdpWatts, double CapWatts);

/// <summary>The stage after the power model: its (possibly stretched) time, average power and the energy split.</summary>
public readonly record struct PowerPoint(double Seconds, double Watts, double IdleJoules, double BaselineJoules, double DynamicJoules,
    double ClockScale, bool CapBinds)
{
    public double Joules => IdleJoules + BaselineJoules + DynamicJoules;
}

/// <summary>
/// Power of a busy device: P = idle + (TDP − idle) · min(1, floor + slope · u) · clock + dynamic energy ÷ time.
/// The first two terms are the active baseline (clocks, leakage, fabric while kernels run), the last one the energy of
/// the work itself (per FLOP, per byte at every level, per link byte). When P exceeds the cap (the power limit: TDP,
/// or the sustained limit of a phone or thin laptop), the clock drops to the scale that meets it: the compute-bound
/// part of the time stretches by 1 ÷ scale, the clock-proportional baseline shrinks with it (assumed linear in clock;
/// voltage scaling would make it steeper, so the slowdown is an upper bound). If no clock down to 5 % meets the cap
/// (a memory-bound stage whose traffic alone draws too much), the memory system is throttled too: the whole stage
/// stretches until the cap holds. Pure; the result never exceeds the cap.
/// </summary>
public static class PowerModel
{
    public const double MinClockScale = 0.05;

    public static PowerPoint Evaluate(PowerInput x, PowerParameters p)
    {
        double t = Math.Max(x.Seconds, 1e-30);
        double tc = Math.Clamp(x.ComputeSeconds, 0, t);
        double span = Math.Max(0, x.TdpWatts - x.IdleWatts);
        double cap = x.CapWatts > 0 ? Math.Max(x.CapWatts, x.IdleWatts) : double.PositiveInfinity;
        double u = Math.Clamp(x.Utilization, 0, 1);

        double Time(double s) => t - tc + tc / s;
        double Baseline(double s, double time) => span * Math.Min(1, p.BusyFloor + p.BusySlope * u * t / time) * s;
        double Power(double s)
        {
            double time = Time(s);
            return x.IdleWatts + Baseline(s, time) + x.DynamicJoules / time;
        }

        if (Power(1) <= cap) return Point(1, t, 1, false);
        double lo = MinClockScale, hi = 1;
        if (Power(lo) > cap)
        {
            // Even at the lowest clock the stage draws more than the cap: stretch all of it.
            double time = Time(lo);
            double floorWatts = x.IdleWatts + Baseline(lo, time);
            double stretch = cap > floorWatts ? Math.Max(1, x.DynamicJoules / (time * (cap - floorWatts))) : 1;
            return Point(lo, time * stretch, stretch, true);
        }
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Power(mid) > cap) hi = mid; else lo = mid;
        }
        return Point(lo, Time(lo), 1, true);

        PowerPoint Point(double s, double time, double stretch, bool binds)
        {
            double baselineWatts = Baseline(s, time / stretch);
            double idleJ = x.IdleWatts * time, baseJ = baselineWatts * time, dyn = x.DynamicJoules;
            double watts = (idleJ + baseJ + dyn) / time;
            if (binds && watts > cap)
            {
                // Rounding of the bisection or a cap below idle + floor: scale the baseline so the cap holds exactly.
                baseJ = Math.Max(0, cap * time - idleJ - dyn);
                watts = (idleJ + baseJ + dyn) / time;
            }
            return new PowerPoint(time, watts, idleJ, baseJ, dyn, s, binds);
        }
    }
}

namespace PerfSim.Core.Engine.Power;

/// <summary>
/// One operator's share of a stage at full clock: the part the core clock sets (`Compute`) and the rest it waits on
/// (memory traffic, unpacking; `Rest`), times `Repeat`. At clock scale s it takes max(Compute ÷ s, Rest) per occurrence,
/// so lowering the clock stretches an operator only once compute, not memory, is its limit.
/// </summary>
public readonly record struct ClockedSpan(double Compute, double Rest, double Repeat)
{
    /// <summary>Extra seconds at clock scale s beyond the full-clock time.</summary>
    public double StretchAt(double s) => Repeat * (Math.Max(Compute / s, Rest) - Math.Max(Compute, Rest));
}

/// <summary>What the power model needs of one stage (or one server iteration) of the whole device group.</summary>
/// <param name="Seconds">Time of the stage at full clock.</param>
/// <param name="DynamicJoules">Arithmetic + data movement (every level) + link energy of the stage.</param>
/// <param name="Utilization">max(compute utilization, bandwidth utilization) of the stage at full clock, 0–1.</param>
/// <param name="ClockFollowsCap">True where the cap is a sustained limit below the TDP (a phone, a thin laptop): the
/// clock drops to meet it. False where the cap is the TDP itself: the speed efficiencies are fitted on measurements
/// taken at that limit, so they already hold any throttling there, and only the power is held at the cap.</param>
/// <param name="HostSeconds">Part of `Seconds` the devices wait on the host (framework overhead, no kernel running):
/// they draw idle power plus the class's WaitShare of the baseline then; the clock does not stretch it.</param>
public readonly record struct PowerInput(double Seconds, double DynamicJoules, double Utilization,
    double IdleWatts, double TdpWatts, double CapWatts, bool ClockFollowsCap = true, double HostSeconds = 0);

/// <summary>The stage after the power model: its (possibly stretched) time, average power and the energy split.</summary>
public readonly record struct PowerPoint(double Seconds, double Watts, double IdleJoules, double BaselineJoules, double DynamicJoules,
    double ClockScale, bool CapBinds)
{
    public double Joules => IdleJoules + BaselineJoules + DynamicJoules;
}

/// <summary>
/// Power of a busy device: P = idle + (TDP − idle) · min(1, floor + slope · u) · clock · busy share + dynamic energy ÷ time.
/// The busy share is the part of the time kernels run plus WaitShare of the time the devices wait on the host.
/// The first two terms are the active baseline (clocks, leakage, fabric while kernels run), the last one the energy of
/// the work itself (per FLOP, per byte at every level, per link byte). When P exceeds the cap (the power limit: TDP,
/// or the sustained limit of a phone or thin laptop), the clock drops to the highest scale that meets it: each
/// operator takes max(compute ÷ scale, memory) — so the time is continuous and non-decreasing in the work, and a
/// stage turns slower only where compute is its limit — and the clock-proportional baseline shrinks with the clock
/// (assumed linear in clock; voltage scaling would make it steeper, so the slowdown is an upper bound). If no clock
/// down to 5 % meets the cap (a memory-bound stage whose traffic alone draws too much), the memory system is throttled
/// too: the whole stage stretches until the cap holds. Pure; the result never exceeds the cap.
/// </summary>
public static class PowerModel
{
    public const double MinClockScale = 0.05;

    public static PowerPoint Evaluate(PowerInput x, ReadOnlySpan<ClockedSpan> spans, PowerParameters p)
    {
        double t = Math.Max(x.Seconds, 1e-30);
        double span = Math.Max(0, x.TdpWatts - x.IdleWatts);
        // A cap at or below idle cannot run anything; such a device is held at 1 % above idle (assumed) so time stays finite.
        double cap = x.CapWatts > 0 ? Math.Max(x.CapWatts, x.IdleWatts * 1.01 + 1e-12) : double.PositiveInfinity;
        double u = Math.Clamp(x.Utilization, 0, 1);
        double dyn = Math.Max(0, x.DynamicJoules);
        double host = Math.Clamp(x.HostSeconds, 0, t);

        if (Power(1, t) <= cap) return Point(1, t, false);
        if (!x.ClockFollowsCap)
        {
            // Held at the cap at full (fitted) speed: the baseline gives way first, then the dynamic figures (45 nm
            // defaults overstate a modern node's), so the energy is cap × time.
            double room = Math.Max(0, cap - x.IdleWatts) * t;
            double dynJ = Math.Min(dyn, room), baseJ = Math.Min(Baseline(1) * t * Busy(t), room - dynJ);
            return new PowerPoint(t, (x.IdleWatts * t + baseJ + dynJ) / t, x.IdleWatts * t, baseJ, dynJ, 1, true);
        }
        double lo = MinClockScale, hi = 1;
        if (Power(lo, Time(lo, t, spans)) > cap)
        {
            // Even at the lowest clock the stage draws more than the cap: stretch all of it until the cap holds.
            double time = Time(lo, t, spans);
            // The baseline at the lowest clock keeps at most half the room above idle (the rest gated, assumed), so the
            // stretch stays finite and grows smoothly with the work.
            double baseWatts = Math.Min(Baseline(lo), 0.5 * (cap - x.IdleWatts));
            double stretched = Math.Max(time, dyn / (cap - x.IdleWatts - baseWatts));
            return Point(lo, stretched, true, baseWatts);
        }
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Power(mid, Time(mid, t, spans)) > cap) hi = mid; else lo = mid;
        }
        return Point(lo, Time(lo, t, spans), true);

        // The baseline follows the clock; its level is set by the full-clock utilization (how much of the chip the work keeps awake).
        double Baseline(double s) => span * Math.Min(1, p.BusyFloor + p.BusySlope * u) * s;
        // While waiting on the host the devices keep WaitShare of the baseline (clocks held, no kernels).
        double Busy(double time) => 1 - (1 - Math.Clamp(p.WaitShare, 0, 1)) * Math.Min(host, time) / time;
        double Power(double s, double time) => x.IdleWatts + Baseline(s) * Busy(time) + dyn / time;

        PowerPoint Point(double s, double time, bool binds, double? baseline = null)
        {
            double baselineWatts = (baseline ?? Baseline(s)) * Busy(time);
            double idleJ = x.IdleWatts * time, baseJ = baselineWatts * time;
            double watts = (idleJ + baseJ + dyn) / time;
            if (binds && watts > cap)
            {
                // Rounding of the bisection, or a cap below idle + floor: scale the baseline so the cap holds exactly.
                baseJ = Math.Max(0, cap * time - idleJ - dyn);
                watts = (idleJ + baseJ + dyn) / time;
            }
            return new PowerPoint(time, watts, idleJ, baseJ, dyn, s, binds);
        }
    }

    /// <summary>Stage time at clock scale s: the full-clock time plus each operator's stretch.</summary>
    public static double Time(double s, double fullClockSeconds, ReadOnlySpan<ClockedSpan> spans)
    {
        double t = fullClockSeconds;
        foreach (var c in spans) t += c.StretchAt(s);
        return t;
    }
}

using PerfSim.Core.Engine;

namespace PerfSim.Serving;

/// <summary>One run's state: the servers, the clock, the pending events and the running statistics.</summary>
sealed class Simulation : IStepSink
{
    readonly ServingConfig config;
    readonly Traffic traffic;
    readonly ServingOptions opt;
    readonly Replica[] replicas;
    readonly Replica[] entry, decodePool;
    readonly ArrivalSource source;
    readonly PriorityQueue<int, double> users = new();               // closed loop: user → time of next request
    readonly PriorityQueue<Request, (double, int)> transfers = new(); // KV hand-offs in flight
    readonly bool offline, closedLoop, openLoop;
    readonly double horizon, windowStart, hardStop;
    int roundRobinEntry, roundRobinDecode, nextId;

    // Statistics.
    readonly List<double> ttft = new(), tpot = new(), e2e = new(), queue = new();
    readonly LogHistogram itl = new();
    int arrived, completed, completedInWindow, rejected, goodCount, arrivedInWindow;
    long tokensInWindow, promptTokensInWindow;
    double lastT, inSystemIntegral, sojournSum;
    int inSystem;
    double runIntegral, kvIntegral, waitIntegral, measured;
    int peakBatch;
    double peakKv;
    readonly double[] waitQuarter = new double[4];
    double waitingAtEnd = -1;
    readonly double[] busyInWindow, joulesInWindow;
    readonly double[] seriesRun, seriesKv, seriesWait, seriesTime;
    double lastProgress = -1;

    public Simulation(ServingConfig config, Traffic traffic, ServingOptions opt)
    {
        this.config = config;
        this.traffic = traffic;
        this.opt = opt;
        replicas = config.Replicas.Select((r, i) => new Replica(i, r)).ToArray();
        entry = replicas.Where(r => r.Spec.Role != ReplicaRole.Decode).ToArray();
        decodePool = replicas.Where(r => r.Spec.Role == ReplicaRole.Decode).ToArray();
        int ctx = config.Replicas.Min(r => r.Cost.Workload.Arch.MaxContext);
        source = new ArrivalSource(traffic, opt.Seed, ctx);
        offline = traffic.Arrivals is OfflineArrivals;
        closedLoop = traffic.Arrivals is ClosedLoopArrivals;
        openLoop = !offline && !closedLoop;
        horizon = offline ? double.PositiveInfinity : ServingSimulator.Horizon(traffic);
        windowStart = offline ? 0 : traffic.WarmupSeconds;
        hardStop = offline ? double.PositiveInfinity : horizon + (opt.MaxDrainSeconds ?? Math.Max(60, horizon));
        busyInWindow = new double[replicas.Length];
        joulesInWindow = new double[replicas.Length];
        int points = Math.Max(1, opt.TimeSeriesPoints);
        seriesRun = new double[points]; seriesKv = new double[points]; seriesWait = new double[points]; seriesTime = new double[points];
        if (traffic.Arrivals is ClosedLoopArrivals c)
            for (int u = 0; u < c.Users; u++) users.Enqueue(u, 0);
    }

    double WindowEnd => offline ? double.PositiveInfinity : horizon;
    bool InWindow(double t) => t >= windowStart && t <= WindowEnd;

    public ServingResult Run()
    {
        while (true)
        {
            double tArrival = NextArrival();
            double tStep = double.PositiveInfinity;
            Replica? stepper = null;
            foreach (var r in replicas)
                if (r.Busy && r.StepEnd < tStep) { tStep = r.StepEnd; stepper = r; }
            double tTransfer = transfers.TryPeek(out _, out var pr) ? pr.Item1 : double.PositiveInfinity;
            double t = Math.Min(tStep, Math.Min(tArrival, tTransfer));
            if (double.IsPositiveInfinity(t) || t > hardStop) break;
            Advance(t);
            if (stepper is not null && tStep <= t) FinishStep(stepper, t);
            else if (tTransfer <= t) { transfers.TryDequeue(out var req, out _); Route(decodePool, ref roundRobinDecode).Enqueue(req!); }
            else Arrive(t);
            foreach (var r in replicas)
                if (!r.Busy && r.HasWork && r.TryStart(t)) StepStarted(r);
            Report(t);
        }
        return Summarise();
    }

    double NextArrival()
    {
        if (closedLoop) return users.TryPeek(out _, out var t) && t < horizon ? t : double.PositiveInfinity;
        double n = source.NextTime;
        return n < horizon ? n : double.PositiveInfinity;
    }

    void Arrive(double t)
    {
        int prompt, output, user = -1;
        if (closedLoop)
        {
            users.TryDequeue(out user, out _);
            (prompt, output) = source.Lengths(null);
        }
        else (_, prompt, output) = source.Take();
        var r = new Request
        {
            Id = nextId++, Arrival = t, Prompt = prompt, Output = output, User = user,
            Cached = Math.Min(prompt - 1, (int)Math.Floor(traffic.PrefixHitRate * prompt)),
            InWindow = InWindow(t),
        };
        r.Context = r.Cached;
        r.Target = prompt;
        arrived++;
        if (r.InWindow) arrivedInWindow++;
        var target = Route(entry, ref roundRobinEntry);
        if (!target.CanEverHold(r) || decodePool.Length > 0 && !decodePool.Any(d => d.CanEverHold(r)))
        {
            rejected++;
            if (closedLoop) users.Enqueue(user, t + source.ThinkTime(((ClosedLoopArrivals)traffic.Arrivals).ThinkSeconds));
            return;
        }
        inSystem++;
        target.Enqueue(r);
    }

    Replica Route(Replica[] pool, ref int roundRobin)
    {
        if (config.Routing == Routing.RoundRobin || pool.Length == 1)
        {
            var r = pool[roundRobin % pool.Length];
            roundRobin = (roundRobin + 1) % pool.Length;
            return r;
        }
        var best = pool[0];
        foreach (var r in pool)
            if (r.Outstanding < best.Outstanding) best = r;
        return best;
    }

    void StepStarted(Replica r)
    {
        if (r.Running.Count > peakBatch) peakBatch = r.Running.Count;
        if (!InWindow(r.StepStart)) return;
        busyInWindow[r.Index] += r.StepEnd - r.StepStart;
        joulesInWindow[r.Index] += r.StepJoules;
    }

    void FinishStep(Replica r, double t)
    {
        int emitted = r.Finish(t, this);
        if (InWindow(t)) tokensInWindow += emitted;
        if (r.KvOccupancy > peakKv) peakKv = r.KvOccupancy;
    }

    public void FirstToken(Request r)
    {
        if (r.InWindow && InWindow(r.FirstToken)) promptTokensInWindow += r.Prompt;
    }

    public void Gap(double seconds, long count) => itl.Add(seconds, count);

    public void Completed(Request r, double now)
    {
        r.Done = now;
        completed++;
        inSystem--;
        sojournSum += now - r.Arrival;
        if (InWindow(now)) completedInWindow++;
        if (r.InWindow)
        {
            double first = r.FirstToken - r.Arrival, total = now - r.Arrival;
            ttft.Add(first);
            e2e.Add(total);
            queue.Add(r.FirstScheduled - r.Arrival);
            double perToken = r.Output > 1 ? (now - r.FirstToken) / (r.Output - 1) : double.NaN;
            if (r.Output > 1) tpot.Add(perToken);
            bool good = (opt.TtftSloSeconds is not { } a || first <= a) && (opt.TpotSloSeconds is not { } b || r.Output <= 1 || perToken <= b);
            if (good) goodCount++;
        }
        if (closedLoop) users.Enqueue(r.User, now + source.ThinkTime(((ClosedLoopArrivals)traffic.Arrivals).ThinkSeconds));
    }

    public void HandOff(Request r, Replica from, double now)
    {
        var link = config.Link!;
        // The whole group's KV for the sequence crosses the link.
        double bytes = r.Context * from.Cost.KvBytesPerToken * Math.Max(1, from.Cost.Deployment.Devices);
        transfers.Enqueue(r, (now + link.LatencySeconds + bytes / link.BytesPerSecond, r.Id));
    }

    /// <summary>Integrates the state over [lastT, t]: requests in system (all run), and batch, KV and queue over the window.</summary>
    void Advance(double t)
    {
        double dt = t - lastT;
        if (dt <= 0) { lastT = t; return; }
        inSystemIntegral += inSystem * dt;
        double lo = Math.Max(lastT, windowStart), hi = Math.Min(t, WindowEnd);
        if (hi > lo)
        {
            double w = hi - lo;
            int running = 0, waiting = 0;
            double kv = 0;
            foreach (var r in replicas) { running += r.Running.Count; waiting += r.Waiting.Count; kv += r.KvOccupancy; }
            waiting += transfers.Count;
            kv /= replicas.Length;
            runIntegral += running * w; kvIntegral += kv * w; waitIntegral += waiting * w; measured += w;
            if (!offline)
            {
                double span = WindowEnd - windowStart;
                int q = Math.Clamp((int)((lo - windowStart) / span * 4), 0, 3);
                waitQuarter[q] += waiting * w;
                int b = Math.Clamp((int)((lo - windowStart) / span * seriesRun.Length), 0, seriesRun.Length - 1);
                seriesRun[b] += running * w; seriesKv[b] += kv * w; seriesWait[b] += waiting * w; seriesTime[b] += w;
            }
            if (!offline && t >= WindowEnd && waitingAtEnd < 0) waitingAtEnd = waiting;
        }
        lastT = t;
    }

    void Report(double t)
    {
        if (opt.Progress is null || offline) return;
        double f = Math.Min(1, t / hardStop);
        if (f - lastProgress >= 0.01) { lastProgress = f; opt.Progress(f); }
    }

    ServingResult Summarise()
    {
        double end = lastT;
        // Requests still in flight at the end count with their time so far, so Little's law covers the whole run.
        double openSojourn = 0;
        int incomplete = inSystem;
        foreach (var r in replicas)
        {
            foreach (var q in r.Running) openSojourn += end - q.Arrival;
            for (int i = 0; i < r.Waiting.Count; i++) { var q = r.Waiting.PopFront(); openSojourn += end - q.Arrival; r.Waiting.PushBack(q); }
        }
        foreach (var (q, _) in transfers.UnorderedItems) openSojourn += end - q.Arrival;
        var little = new LittleLawCheck(end > 0 ? inSystemIntegral / end : 0, end > 0 ? (arrived - rejected) / end : 0,
            arrived - rejected > 0 ? (sojournSum + openSojourn) / (arrived - rejected) : 0);

        double windowEnd = offline ? end : horizon;
        double window = Math.Max(1e-12, windowEnd - windowStart);
        if (offline)
        {
            // The window is the whole run: count everything now that its end is known.
            completedInWindow = completed;
        }
        var (saturated, reason) = Saturation(window);
        var notes = new List<string>();
        if (source.Clipped > 0) notes.Add($"{source.Clipped} sampled request(s) clipped so prompt + output fit the model's context");
        if (rejected > 0) notes.Add($"{rejected} request(s) rejected: prompt + output exceed the KV cache of a server");
        if (incomplete > 0) notes.Add($"{incomplete} request(s) still unfinished when the run stopped at {end:0.###} s");
        var notesFromSat = saturated ? $"saturated: {reason}; latencies describe a growing queue, not a steady state" : null;
        if (notesFromSat is not null) notes.Add(notesFromSat);

        var series = new List<TimeSeriesPoint>();
        if (!offline)
        {
            double span = window / seriesRun.Length;
            for (int i = 0; i < seriesRun.Length; i++)
                if (seriesTime[i] > 0)
                    series.Add(new TimeSeriesPoint(windowStart + (i + 1) * span, seriesRun[i] / seriesTime[i], seriesKv[i] / seriesTime[i], seriesWait[i] / seriesTime[i]));
        }
        double busy = replicas.Length > 0 ? busyInWindow.Sum() / (replicas.Length * window) : 0;
        long steps = replicas.Sum(r => r.Steps);
        var economics = Economics(window, Math.Max(completedInWindow, 0));
        bool anySlo = opt.TtftSloSeconds is not null || opt.TpotSloSeconds is not null;
        return new ServingResult(
            traffic.Describe(), window, arrived, completed, incomplete, rejected, source.Clipped,
            completedInWindow / window, tokensInWindow / window, promptTokensInWindow / window,
            Distribution.Of(ttft), Distribution.Of(tpot), itl.Summary(), Distribution.Of(e2e), Distribution.Of(queue),
            anySlo && ttft.Count > 0 ? (double)goodCount / ttft.Count : null,
            measured > 0 ? runIntegral / measured : 0, peakBatch, measured > 0 ? kvIntegral / measured : 0, peakKv,
            series, replicas.Sum(r => r.Preemptions), Math.Min(1, busy), economics, saturated, reason, little, steps, end, notes);
    }

    /// <summary>
    /// Open-loop traffic saturates when the queue grows without bound: requests are still waiting at the end of the
    /// arrival window in numbers beyond any steady fluctuation (more than 2 % of the window's arrivals and 20), and the
    /// waiting count in the last quarter is well above the second's.
    /// </summary>
    (bool, string?) Saturation(double window)
    {
        if (!openLoop) return (false, null);
        double q2 = waitQuarter[1] / (window / 4), q4 = waitQuarter[3] / (window / 4);
        double endQueue = Math.Max(0, waitingAtEnd);
        bool growing = q4 > 1.3 * q2 + 1;
        bool large = endQueue > Math.Max(20, 0.02 * arrivedInWindow);
        if (growing && large)
            return (true, $"{endQueue:0} requests waiting at the end of the arrivals; the queue grew from {q2:0.#} to {q4:0.#} on average between the second and last quarter");
        if (large && rejected == 0 && completedInWindow < 0.9 * arrivedInWindow)
            return (true, $"{endQueue:0} requests waiting at the end of the arrivals and only {completedInWindow} of {arrivedInWindow} finished in the window");
        return (false, null);
    }

    ServingEconomics Economics(double window, int requests)
    {
        double joules = 0;
        double? usd = 0;
        var basis = new List<string>();
        foreach (var r in replicas)
        {
            var d = r.Cost.Deployment;
            var asm = r.Cost.Assumptions;
            double idleSeconds = Math.Max(0, window - busyInWindow[r.Index]);
            double j = joulesInWindow[r.Index] + idleSeconds * d.GroupIdle.Value;
            joules += j;
            double avgKw = j / window / 1000;
            bool cloud = asm.Pricing == Pricing.Cloud || (asm.Pricing == Pricing.Auto && d.GroupPurchase is null);
            double? hourly = null;
            if (cloud && d.GroupCloudHourly is { } c)
            {
                hourly = c.Value / asm.FleetUtilization;
                basis.Add($"{d.HardwareId}: cloud {c} ÷ {asm.FleetUtilization:0.##} fleet utilization");
            }
            else if (!cloud && d.GroupPurchase is { } p)
            {
                hourly = p.Value / (asm.LifetimeYears * 8766) / asm.FleetUtilization + avgKw * asm.Pue * asm.UsdPerKwh;
                basis.Add($"{d.HardwareId}: purchase {p} over {asm.LifetimeYears:0.##} years ÷ {asm.FleetUtilization:0.##} utilization + {avgKw:0.###} kW simulated average × PUE {asm.Pue:0.##} × {asm.UsdPerKwh:0.###} USD/kWh");
            }
            else basis.Add($"{d.HardwareId}: no price in the hardware profile");
            usd = usd is { } u && hourly is { } h ? u + h * window / 3600 : null;
        }
        double tokens = tokensInWindow;
        return new ServingEconomics(joules, joules / window,
            requests > 0 ? joules / requests : double.NaN, tokens > 0 ? joules / tokens : double.NaN,
            usd, usd is { } x && requests > 0 ? x / requests : null, usd is { } y && tokens > 0 ? y / tokens * 1e6 : null,
            string.Join("; ", basis));
    }
}

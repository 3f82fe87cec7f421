using PerfSim.Core.Engine;

namespace PerfSim.Serving;

/// <summary>
/// One server's continuous-batching scheduler and its paged KV cache. Each step it picks the work of one iteration
/// (decodes and prefill chunks under the token budget and the running-batch cap), preempting the most recently
/// admitted request when a decode needs a KV block and none is free, and times the step with the step cost.
/// </summary>
sealed class Replica
{
    public readonly int Index;
    public readonly ReplicaSpec Spec;
    public readonly StepCost Cost;
    readonly SchedulerOptions opt;
    public readonly long TotalBlocks;
    long freeBlocks;
    readonly double swapBytesPerSecond;

    public readonly List<Request> Running = new();
    public readonly RequestDeque Waiting = new();
    readonly List<(Request R, int Chunk)> scheduled = new();

    public bool Busy;
    public double StepStart, StepEnd, StepJoules;
    public int Preemptions;
    public long Steps;

    public Replica(int index, ReplicaSpec spec)
    {
        Index = index;
        Spec = spec;
        Cost = spec.Cost;
        opt = spec.Scheduler;
        TotalBlocks = KvBlocks(spec);
        freeBlocks = TotalBlocks;
        swapBytesPerSecond = Cost.Deployment.HostLinkBandwidth.Value;
    }

    /// <summary>KV blocks the server holds: memory left after weights and activations within the usable share of device memory.</summary>
    public static long KvBlocks(ReplicaSpec spec)
    {
        var o = spec.Scheduler;
        if (o.KvCapacityTokens is { } t) return Math.Max(0, t / o.BlockTokens);
        var m = spec.Cost.Reference.Memory;
        double free = m.Capacity.Value * o.MemoryUtilization - m.Weights.Value - m.Activations.Value;
        double perBlock = spec.Cost.KvBytesPerToken * o.BlockTokens;
        return free <= 0 || perBlock <= 0 ? 0 : (long)Math.Floor(free / perBlock);
    }

    public int Outstanding => Running.Count + Waiting.Count;
    public double KvOccupancy => TotalBlocks > 0 ? 1 - (double)freeBlocks / TotalBlocks : 0;
    public bool HasWork => Running.Count > 0 || Waiting.Count > 0;

    long BlocksFor(long tokens) => (tokens + opt.BlockTokens - 1) / opt.BlockTokens;

    /// <summary>Whether a request can ever hold all its tokens in this server's KV cache.</summary>
    public bool CanEverHold(Request r) => BlocksFor((long)r.Prompt + r.Output) <= TotalBlocks;

    public void Enqueue(Request r) => Waiting.PushBack(r);

    /// <summary>Plans and starts one step at `now`; false if there is nothing it can run.</summary>
    public bool TryStart(double now)
    {
        if (!HasWork) return false;
        scheduled.Clear();
        plan++;
        partialPrefills = -1;
        var batch = StepBatch.Empty;
        double swapSeconds = 0;
        int budget = opt.MaxTokensPerStep;
        for (int attempt = 0; attempt < 4 && scheduled.Count == 0; attempt++)
        {
            budget = opt.MaxTokensPerStep;
            batch = StepBatch.Empty;
            partialPrefills = -1;
            if (opt.Priority == StepPriority.DecodeFirst)
            {
                ScheduleDecodes(ref batch, ref budget, ref swapSeconds, now);
                SchedulePrefills(ref batch, ref budget, ref swapSeconds, now);
            }
            else
            {
                SchedulePrefills(ref batch, ref budget, ref swapSeconds, now);
                // Without chunking, prefill-first runs prefill-only steps (vLLM's V0 default scheduler).
                if (opt.ChunkedPrefill || scheduled.Count == 0) ScheduleDecodes(ref batch, ref budget, ref swapSeconds, now);
            }
            // Stuck (partial prefills hold every block): free the most recent one and plan again.
            if (scheduled.Count == 0 && Running.Count > 0) Preempt(Running[^1], ref swapSeconds);
        }
        if (scheduled.Count == 0) return false;
        var (seconds, joules) = Cost.Evaluate(batch);
        Busy = true;
        StepStart = now;
        StepEnd = now + seconds + swapSeconds;
        StepJoules = joules + swapSeconds * Cost.Deployment.GroupIdle.Value;
        Steps++;
        return true;
    }

    void ScheduleDecodes(ref StepBatch batch, ref int budget, ref double swapSeconds, double now)
    {
        int n = 0, blockTokens = opt.BlockTokens;
        double ctx = 0, wctx = 0;
        partialPrefills = 0;
        for (int i = 0; i < Running.Count && budget > 0; i++)
        {
            var r = Running[i];
            if (r.Prefilling) { partialPrefills++; continue; }
            if (IsScheduled(r)) continue;
            // The new token's KV goes into the block after the context (ceil((context + 1) / block) > blocks, without a division).
            if (r.Context + 1 > (long)r.Blocks * blockTokens)
            {
                while (freeBlocks == 0 && Victim(i) is { } v) Preempt(v, ref swapSeconds);
                if (freeBlocks == 0) { Preempt(r, ref swapSeconds); partialPrefills = -1; break; }
                freeBlocks--; r.Blocks++;
            }
            Mark(r, 0);
            n++;
            double c = r.Context + 1;
            ctx += c;
            wctx += Cost.WindowContext(c);
            budget--;
        }
        if (n > 0) batch += StepCost.Decode(n, ctx, wctx);
    }

    long plan;
    /// <summary>Running requests part-way through their prompt, counted by the decode pass of this plan (-1: not counted).</summary>
    int partialPrefills = -1;

    /// <summary>The most recently admitted request after position i that this step has not scheduled yet (vLLM preempts the newest first).</summary>
    Request? Victim(int i)
    {
        for (int j = Running.Count - 1; j > i; j--)
            if (!IsScheduled(Running[j])) return Running[j];
        return null;
    }
    bool IsScheduled(Request r) => r.PlannedBy == this && r.Plan == plan;

    void SchedulePrefills(ref StepBatch batch, ref int budget, ref double swapSeconds, double now)
    {
        // Requests already admitted and part-way through their prompt (none to look for when the decode pass found none;
        // the decode pass stops early only when the budget is spent, and then this pass does nothing either).
        if (partialPrefills != 0)
        foreach (var r in Running)
        {
            if (budget <= 0) return;
            if (!r.Prefilling || IsScheduled(r)) continue;
            int chunk = ChunkFor(r, budget);
            if (chunk <= 0) continue;
            Take(r, chunk, ref batch, ref budget);
        }
        // Admissions, oldest first; a swapped-out request comes back before any new one.
        while (Waiting.Count > 0 && Running.Count < opt.MaxRunningBatch && budget > 0)
        {
            var r = Waiting.Front;
            if (r.Swapped || !r.Prefilling)
            {
                // Its KV exists (on the host, or handed over by a prefill server): it needs blocks, then decodes next step.
                long need = BlocksFor(r.Context + 1);
                if (need > freeBlocks) return;
                Waiting.PopFront();
                freeBlocks -= need; r.Blocks = (int)need;
                if (r.Swapped) { swapSeconds += SwapSeconds(r); r.Swapped = false; }
                if (r.FirstScheduled < 0) r.FirstScheduled = now;
                Running.Add(r);
                continue;
            }
            int c = ChunkFor(r, budget);
            if (c <= 0) return;
            Waiting.PopFront();
            if (r.FirstScheduled < 0) r.FirstScheduled = now;
            Running.Add(r);
            Take(r, c, ref batch, ref budget);
        }
    }

    /// <summary>The chunk of a prompt to run now: all of it without chunked prefill (if it fits the budget, or runs alone), as much as budget and free KV allow with it.</summary>
    int ChunkFor(Request r, int budget)
    {
        int remaining = r.Target - r.Context;
        long room = (freeBlocks + r.Blocks) * (long)opt.BlockTokens - r.Context;
        if (!opt.ChunkedPrefill)
        {
            bool fits = remaining <= budget || (scheduled.Count == 0 && budget == opt.MaxTokensPerStep);
            return fits && room >= remaining ? remaining : 0;
        }
        return (int)Math.Max(0, Math.Min(Math.Min(remaining, budget), room));
    }

    void Take(Request r, int chunk, ref StepBatch batch, ref int budget)
    {
        long need = BlocksFor(r.Context + chunk) - r.Blocks;
        if (need > 0) { freeBlocks -= need; r.Blocks += (int)need; }
        Mark(r, chunk);
        batch += Cost.Chunk(r.Context, chunk);
        budget -= chunk;
    }

    void Mark(Request r, int chunk)
    {
        scheduled.Add((r, chunk));
        r.PlannedBy = this;
        r.Plan = plan;
    }

    double SwapSeconds(Request r) =>
        swapBytesPerSecond > 0 ? r.Context * Cost.KvBytesPerToken / swapBytesPerSecond : 0;

    /// <summary>Takes a running request off the server: recompute drops its KV (it prefills prompt + output so far again); swap moves it to host memory.</summary>
    void Preempt(Request r, ref double swapSeconds)
    {
        Running.Remove(r);
        freeBlocks += r.Blocks;
        r.Blocks = 0;
        r.Preemptions++;
        Preemptions++;
        if (opt.Preemption == Preemption.Swap && swapBytesPerSecond > 0 && !r.Prefilling)
        {
            r.Swapped = true;
            swapSeconds += SwapSeconds(r);
        }
        else
        {
            r.Context = r.Cached;
            r.Target = r.Prompt + r.Generated;
        }
        Waiting.PushFront(r);
    }

    /// <summary>
    /// Applies the finished step at `now`: prefill chunks extend the cache (the chunk that completes a prompt samples a
    /// token), decodes add one token each. Calls back for every token gap, finished request and prefill hand-off.
    /// Returns the tokens emitted.
    /// </summary>
    public int Finish(double now, IStepSink sink)
    {
        Busy = false;
        int emitted = 0;
        long bulk = 0;
        foreach (var (r, chunk) in scheduled)
        {
            if (chunk > 0)
            {
                r.Context += chunk;
                if (r.Prefilling) continue;
            }
            else r.Context++;
            r.Generated++;
            emitted++;
            if (r.FirstToken < 0) { r.FirstToken = now; sink.FirstToken(r); }
            else if (r.LastToken == StepStart) bulk++;
            else sink.Gap(now - r.LastToken, 1);
            r.LastToken = now;
        }
        sink.Gap(now - StepStart, bulk);
        int w = 0;
        bool prefillServer = Spec.Role == ReplicaRole.Prefill;
        for (int i = 0; i < Running.Count; i++)
        {
            var r = Running[i];
            bool handOff = prefillServer && !r.Prefilling && !r.Finished;
            if (r.Finished || handOff)
            {
                freeBlocks += r.Blocks;
                r.Blocks = 0;
                if (r.Finished) sink.Completed(r, now); else sink.HandOff(r, this, now);
                continue;
            }
            Running[w++] = r;
        }
        Running.RemoveRange(w, Running.Count - w);
        return emitted;
    }
}

/// <summary>Where a replica reports what a step produced.</summary>
interface IStepSink
{
    void FirstToken(Request r);
    void Gap(double seconds, long count);
    void Completed(Request r, double now);
    void HandOff(Request r, Replica from, double now);
}

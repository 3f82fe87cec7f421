namespace PerfSim.Serving;

/// <summary>One request's state as it moves through router, queue, prefill and decode (mutable: the simulator's own bookkeeping).</summary>
sealed class Request
{
    public int Id;
    public double Arrival;
    public int Prompt;
    public int Output;
    /// <summary>Prompt tokens found in the prefix cache: their KV needs no compute.</summary>
    public int Cached;
    /// <summary>Tokens whose KV is in the cache now.</summary>
    public int Context;
    /// <summary>Tokens to prefill before decoding: the prompt, or prompt + generated after a recompute preemption.</summary>
    public int Target;
    public int Generated;
    public int Blocks;
    public bool Swapped;
    public int User = -1;
    public int Preemptions;
    public double FirstScheduled = -1;
    public double FirstToken = -1;
    public double LastToken;
    public double Done = -1;
    public bool InWindow;
    /// <summary>The replica and plan that last scheduled it (so a step never schedules a request twice).</summary>
    public Replica? PlannedBy;
    public long Plan;

    public bool Prefilling => Context < Target;
    public bool Finished => Generated >= Output;
}

/// <summary>A double-ended queue of requests (preempted requests go back to the front).</summary>
sealed class RequestDeque
{
    Request[] items = new Request[64];
    int head, count;

    public int Count => count;
    public Request Front => items[head];

    public void PushBack(Request r)
    {
        Grow();
        items[(head + count++) % items.Length] = r;
    }

    public void PushFront(Request r)
    {
        Grow();
        head = (head - 1 + items.Length) % items.Length;
        items[head] = r;
        count++;
    }

    public Request PopFront()
    {
        var r = items[head];
        items[head] = null!;
        head = (head + 1) % items.Length;
        count--;
        return r;
    }

    void Grow()
    {
        if (count < items.Length) return;
        var bigger = new Request[items.Length * 2];
        for (int i = 0; i < count; i++) bigger[i] = items[(head + i) % items.Length];
        items = bigger;
        head = 0;
    }
}

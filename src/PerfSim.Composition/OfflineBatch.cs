using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;

namespace PerfSim.Composition;

/// <summary>The largest batch whose weights, KV cache (prompt + gen per sequence) and activations fit in device memory.</summary>
public static class OfflineBatch
{
    /// <summary>Offline runs are capped here: beyond this, serving stacks' schedulers stop growing the batch.</summary>
    public const int Cap = 1024;

    public static int Largest(Deployment d, Workload w, ExecutionModel? exec = null, Assumptions? assumptions = null)
    {
        var s = w.Scenario;
        bool Fits(int b) =>
            InferenceEngine.Predict(d, w with { Scenario = Scenario.Of(b, s.PromptTokens, s.GeneratedTokens) }, exec ?? ExecutionModel.Ideal(d.Engine), assumptions).Memory.Fits;
        if (!Fits(1)) return 1;
        int lo = 1, hi = Cap;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Fits(mid)) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}

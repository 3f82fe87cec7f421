using PerfSim.Core.Engine;

namespace PerfSim.Composition;

/// <summary>
/// A resolved, validated request: what the engine is called with. `Replicas` data-parallel copies of the deployment
/// serve independent sequences; `Notes` says every choice the composition made that the request did not spell out.
/// </summary>
public sealed record Configuration(
    PredictionRequest Request,
    Deployment Deployment,
    Workload Workload,
    ExecutionModel Execution,
    Assumptions Assumptions,
    int Replicas,
    IReadOnlyList<string> Notes)
{
    /// <summary>Devices in use: every replica's group.</summary>
    public int DevicesUsed => Deployment.Devices * Replicas;
}

/// <summary>A configuration and the engine's answer for it, with the figures that need the replica count.</summary>
public sealed record ComposedPrediction(Configuration Configuration, Prediction Prediction)
{
    /// <summary>Generated tokens per second of all replicas, end to end (prefill included).</summary>
    public double ThroughputTokensPerSecond => Prediction.GeneratedTokensPerSecond(Configuration.Replicas);
}

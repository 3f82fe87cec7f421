namespace PerfSim.Training;

/// <summary>What a training estimate reports: the model and arithmetic named, the cluster, the step, the run, and the choices made.</summary>
public sealed record TrainingOutcome(string Model, string Precision, ClusterTopology Cluster, TrainingStep Step, TrainingRun Run, bool Searched,
    IReadOnlyList<string> Notes);

/// <summary>A scale sweep: the replica layout kept fixed, one step per device count, and where communication reaches compute.</summary>
public sealed record TrainingSweep(string Model, ClusterTopology Cluster, TrainingJob Replica, IReadOnlyList<SweepPoint> Points,
    double? CommEqualsComputeDevices, IReadOnlyList<string> Notes);

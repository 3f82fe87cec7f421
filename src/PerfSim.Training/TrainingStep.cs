using PerfSim.Core.Units;

namespace PerfSim.Training;

/// <summary>
/// Communication of one step by kind, in seconds: `Total` is every collective's time, hidden or not; `Exposed` is
/// what the step waits for (the rest overlaps with compute).
/// </summary>
public sealed record CommunicationTimes(double TensorParallel, double ExpertParallel, double ContextParallel, double Pipeline,
    double DataParallel, double Exposed)
{
    public double Total => TensorParallel + ExpertParallel + ContextParallel + Pipeline + DataParallel;
}

/// <summary>
/// One training step on the busiest device: compute (forward, backward, recompute and the optimizer step), the
/// communication it waits for, and the pipeline bubble. FLOPs are for the whole job per step.
/// </summary>
public sealed record TrainingStep(
    TrainingJob Job,
    Seconds Compute,
    Seconds ExposedCommunication,
    Seconds Bubble,
    Seconds Optimizer,
    CommunicationTimes Communication,
    double ModelFlops,
    double HardwareFlops,
    double PeakFlopsPerDevice,
    TrainingMemory Memory,
    IReadOnlyList<string> Notes)
{
    public Seconds Time => Compute + ExposedCommunication + Bubble;
    public int Devices => Job.Layout.Devices;
    public double TokensPerSecond => Job.TokensPerStep / Time.Value;
    /// <summary>Model FLOPs utilization against the dense 16-bit peak.</summary>
    public double Mfu => ModelFlops / (Time.Value * Devices * PeakFlopsPerDevice);
    public double Hfu => HardwareFlops / (Time.Value * Devices * PeakFlopsPerDevice);
    public double ModelFlopsPerDevicePerSecond => ModelFlops / Time.Value / Devices;
    public double HardwareFlopsPerDevicePerSecond => HardwareFlops / Time.Value / Devices;
    /// <summary>All communication time (hidden or exposed) over compute time: 1 is where communication equals compute.</summary>
    public double CommToComputeRatio => Communication.Total / Compute.Value;
}

using PerfSim.Plots.Charts;
using PerfSim.Plots.Model;
using PerfSim.Training;

namespace PerfSim.Plots.Adapters;

/// <summary>A training device sweep as chart data: the step's compute, exposed communication and bubble per device count.</summary>
public static class TrainingChartData
{
    public static TrainingStepPoint Point(SweepPoint p) =>
        new(p.Devices, p.Step.Compute.Value, p.Step.ExposedCommunication.Value, p.Step.Bubble.Value, p.Step.Communication.Total);

    public static IReadOnlyList<TrainingStepPoint> Points(IEnumerable<SweepPoint> sweep) => sweep.Select(Point).ToList();
    public static Chart Split(IEnumerable<SweepPoint> sweep, string? what = null) =>
        what is null ? TrainingCharts.Split(Points(sweep)) : TrainingCharts.Split(Points(sweep), $"Training step time split: {what}");
    public static Chart Ratio(IEnumerable<SweepPoint> sweep, string? what = null) =>
        what is null ? TrainingCharts.Ratio(Points(sweep)) : TrainingCharts.Ratio(Points(sweep), $"Training communication : compute vs devices: {what}");
}

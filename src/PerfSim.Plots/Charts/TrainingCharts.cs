using PerfSim.Plots.Model;

namespace PerfSim.Plots.Charts;

/// <summary>
/// One training step at one device count (plain record; an adapter builds it from the training estimator): time in
/// compute, in communication not hidden behind compute, and idle (pipeline bubble, optimizer and other exposed time).
/// </summary>
/// `TotalCommunicationSeconds` is every collective's time, hidden or not (the estimator's communication : compute ratio uses it).
public sealed record TrainingStepPoint(int Devices, double ComputeSeconds, double CommunicationSeconds, double IdleSeconds, double? TotalCommunicationSeconds = null)
{
    public double StepSeconds => ComputeSeconds + CommunicationSeconds + IdleSeconds;
    public double CommunicationToCompute => (TotalCommunicationSeconds ?? CommunicationSeconds) / ComputeSeconds;
}

/// <summary>The training estimator's charts: step-time split per device count, and communication : compute vs device count.</summary>
public static class TrainingCharts
{
    public const string SplitKind = "training-split";
    public const string RatioKind = "training-ratio";

    public static Chart Split(IReadOnlyList<TrainingStepPoint> steps, string title = "Training: step time split")
    {
        if (steps.Count == 0) throw new ArgumentException("training-split chart: no steps");
        var s = steps.OrderBy(x => x.Devices).ToList();
        Series Part(string name, Func<TrainingStepPoint, double> seconds) =>
            new(name, SeriesStyle.StackedBars, s.Select((x, i) => new ChartPoint(i, seconds(x))).ToList());
        return new Chart(SplitKind, title,
            new Axis("Devices", ""),
            new Axis("Step time", "s"),
            [Part("compute", x => x.ComputeSeconds), Part("exposed communication", x => x.CommunicationSeconds), Part("idle (pipeline bubble)", x => x.IdleSeconds)],
            Categories: s.Select(x => x.Devices.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    public static Chart Ratio(IReadOnlyList<TrainingStepPoint> steps, string title = "Training: communication : compute vs device count")
    {
        if (steps.Count == 0) throw new ArgumentException("training-ratio chart: no steps");
        var s = steps.Where(x => x.ComputeSeconds > 0).OrderBy(x => x.Devices).ToList();
        return new Chart(RatioKind, title,
            new Axis("Devices", "", Log: true),
            new Axis("Communication : compute", "ratio"),
            [new Series("communication ÷ compute", SeriesStyle.LineAndMarkers, s.Select(x => new ChartPoint(x.Devices, x.CommunicationToCompute)).ToList())]);
    }
}

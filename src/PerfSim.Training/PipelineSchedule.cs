namespace PerfSim.Training;

/// <summary>
/// Pipeline schedules (Narayanan et al. 2021 §2.2). With p stages, m micro-batches and v model chunks per device
/// (v = 1: 1F1B / GPipe; v > 1: interleaved 1F1B), the bubble is (p − 1)/v micro-batch times, so its share of the
/// step is ((p − 1)/v) / (m + (p − 1)/v); for 1F1B that is (p − 1)/(m + p − 1).
/// </summary>
public static class PipelineSchedule
{
    /// <summary>Idle time of the pipeline, in units of one micro-batch's forward + backward on one stage.</summary>
    public static double BubbleMicroBatches(int stages, int chunks) => stages <= 1 ? 0 : (stages - 1.0) / Math.Max(1, chunks);

    /// <summary>Share of the step the pipeline is idle.</summary>
    public static double BubbleFraction(int stages, long microBatches, int chunks = 1)
    {
        double bubble = BubbleMicroBatches(stages, chunks);
        return bubble / (microBatches + bubble);
    }
}

using PerfSim.Core.Engine;
using PerfSim.Core.Workloads;
using PerfSim.Training.Communication;

namespace PerfSim.Training;

/// <summary>One point of a scale sweep: the step at `Devices`, its efficiency relative to the smallest point.</summary>
public sealed record SweepPoint(int Devices, TrainingStep Step, double ScalingEfficiency);

/// <summary>
/// Data-parallel scaling at a fixed global batch: the same model replica layout (tp × pp) on more and more replicas,
/// each getting a smaller share of the batch. Reports where communication time first reaches compute time.
/// </summary>
public static class DeviceSweep
{
    public static IReadOnlyList<SweepPoint> Run(TrainingJob job, IEnumerable<int> deviceCounts, ClusterTopology cluster, QuantScheme precision,
        ExecutionModel exec, Func<ClusterTopology, ICollectiveModel> comm)
    {
        var points = new List<SweepPoint>();
        int replica = job.Layout.Tp * job.Layout.Pp * job.Layout.Cp;
        double? basePerDevice = null;
        foreach (int n in deviceCounts.Distinct().Order())
        {
            if (n % replica != 0) continue;
            int dp = n / replica;
            long mbs = job.GlobalBatch / dp;
            if (mbs < 1 || job.GlobalBatch % dp != 0) continue;
            var j = job with { Layout = job.Layout with { Dp = dp }, MicroBatch = (int)Math.Min(job.MicroBatch, mbs) };
            if (job.GlobalBatch % ((long)dp * j.MicroBatch) != 0) continue;
            TrainingStep step;
            try { step = StepEstimator.Estimate(j, cluster, precision, exec, comm(cluster)); }
            catch (ArgumentException) { continue; }
            double perDevice = step.TokensPerSecond / n;
            basePerDevice ??= perDevice;
            points.Add(new SweepPoint(n, step, perDevice / basePerDevice.Value));
        }
        return points;
    }

    /// <summary>The first device count whose communication : compute ratio reaches 1, interpolated on a log scale between sweep points.</summary>
    public static double? CommunicationEqualsCompute(IReadOnlyList<SweepPoint> points)
    {
        for (int i = 0; i < points.Count; i++)
        {
            double r = points[i].Step.CommToComputeRatio;
            if (r < 1) continue;
            if (i == 0) return points[0].Devices;
            double r0 = points[i - 1].Step.CommToComputeRatio, n0 = points[i - 1].Devices, n1 = points[i].Devices;
            double f = (Math.Log(1) - Math.Log(r0)) / (Math.Log(r) - Math.Log(r0));
            return Math.Exp(Math.Log(n0) + f * (Math.Log(n1) - Math.Log(n0)));
        }
        return null;
    }
}

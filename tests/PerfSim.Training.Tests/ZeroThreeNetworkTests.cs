using PerfSim.Composition;

namespace PerfSim.Training.Tests;

/// <summary>ZeRO-3 across nodes: flat rings at each device's NIC share, so at a fixed global batch the step stops shrinking.</summary>
public class ZeroThreeNetworkTests
{
    static TrainingStep Zero3(int devices) => TestSupport.Step(new TrainingRequest
    {
        Devices = devices, Tp = 1, Pp = 1, Dp = devices, Zero = 3, Recompute = Recompute.Full,
        MicroBatch = 1536 / devices, GlobalBatch = 1536, SeqLen = 2048,
    });

    [Fact]
    public void The_parameter_traffic_runs_at_the_NIC_share_of_each_device()
    {
        var s = TestSupport.Setup(new TrainingRequest { Devices = 768, Tp = 1, Pp = 1, Dp = 768 });
        var step = Zero3(768);
        // Three all-gathers of the 16-bit weights (forward, recompute, backward) and one reduce-scatter of the
        // 16-bit gradients, each moving (N − 1)/N of the buffer through the device's own NIC share.
        double bytes = step.Memory.ParametersPerDevice * 2;
        double floor = 4 * (767.0 / 768) * bytes / s.Cluster.InterNode.Bandwidth.Value;
        Assert.True(step.Communication.DataParallel >= floor * 0.999, $"{step.Communication.DataParallel} s < the bandwidth floor {floor} s");
        Assert.True(step.Communication.DataParallel < floor * 1.5, $"{step.Communication.DataParallel} s is far above the bandwidth floor {floor} s");
    }

    [Fact]
    public void At_a_fixed_global_batch_doubling_the_devices_no_longer_halves_the_step()
    {
        // Narayanan et al. 2021 Table 2: ZeRO-3 on 768 and 1536 A100s took about the same time per step.
        double t768 = Zero3(768).Time.Value, t1536 = Zero3(1536).Time.Value;
        Assert.True(t1536 > 0.8 * t768, $"768: {t768} s, 1536: {t1536} s");
    }
}

using PerfSim.Composition;
using PerfSim.Training.Communication;

namespace PerfSim.Training.Tests;

public class CommunicationTests
{
    static ClusterTopology Dgx => TestSupport.Setup(new TrainingRequest { Hardware = "nvidia-a100-sxm-80gb", Devices = 8, Tp = 8, Pp = 1, Dp = 1 }).Cluster;

    [Fact]
    public void Ring_all_reduce_inside_a_node_matches_the_alpha_beta_formula()
    {
        // An A100 40GB has no system profile: its node is 8 GPUs on point-to-point NVLink (not all-pairs), so the
        // ring is the fastest algorithm for a large buffer (an NVSwitch node would take the two-shot direct one).
        var c = TestSupport.Setup(new TrainingRequest { Hardware = "nvidia-a100-40gb", Devices = 8, Tp = 8, Pp = 1, Dp = 1 }).Cluster;
        Assert.False(c.IntraNode.AllPairs);
        var comm = new SharedCollectives(c);
        double bytes = 1e9;
        int n = 8;
        double alpha = c.IntraNode.Alpha.Value, beta = c.IntraNode.EffectiveBandwidth;
        double ring = 2.0 * (n - 1) / n * bytes / beta + 2.0 * (n - 1) * alpha;
        // A 1 GB buffer: the ring (bandwidth-optimal) is what the fastest-candidate choice must pick.
        Assert.Equal(ring, comm.AllReduce(bytes, new CommGroup(n, n)).Value, ring * 1e-9);
    }

    [Fact]
    public void A_group_across_nodes_is_slower_than_the_same_group_inside_one()
    {
        var comm = new SharedCollectives(Dgx);
        double inside = comm.AllReduce(1e9, new CommGroup(8, 8)).Value;
        double across = comm.AllReduce(1e9, new CommGroup(8, 1)).Value;
        Assert.True(across > inside);
    }

    [Fact]
    public void In_network_reduction_speeds_up_the_inter_node_all_reduce()
    {
        var plain = TestSupport.Setup(new TrainingRequest { Devices = 64, Tp = 1, Pp = 1, Dp = 64 }).Cluster;
        var sharp = TestSupport.Setup(new TrainingRequest { Devices = 64, Tp = 1, Pp = 1, Dp = 64, InNetworkReduction = true }).Cluster;
        var g = new CommGroup(64, 1);
        Assert.True(new SharedCollectives(sharp).AllReduce(1e9, g).Value < new SharedCollectives(plain).AllReduce(1e9, g).Value);
    }

    [Theory]
    [InlineData(8, 8, 8, 1)]     // dp peers of a tp8 group: one per node
    [InlineData(2, 4, 8, 2)]     // dp2 over tp4: both in one node
    [InlineData(64, 1, 8, 8)]    // pure dp: eight per node
    public void Group_placement_follows_the_rank_order(int size, int stride, int perNode, int expected) =>
        Assert.Equal(expected, CommGroup.Of(size, stride, perNode).PerNode);
}

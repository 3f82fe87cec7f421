using PerfSim.Core.Collectives;
using PerfSim.Core.Units;

namespace PerfSim.Core.Tests.Collectives;

/// <summary>The α–β costs against the textbook formulas, on worked numbers (α = 1 µs, β = 100 GB/s unless stated).</summary>
public class AlphaBetaTests
{
    static readonly LinkLevel Switch = new("test-switch", new Seconds(1e-6), new BytesPerSecond(100e9), AllPairs: true, InNetworkReduction: false);
    static readonly LinkLevel RingOnly = Switch with { Name = "test-ring", AllPairs = false };
    const double MB = 1e6;

    [Fact]
    public void Ring_all_reduce_is_2_n_minus_1_alpha_plus_2_n_minus_1_over_n_bytes_over_beta()
    {
        // N = 8, S = 1 MB: 14 × 1 µs + 2 × 7/8 × 1 MB ÷ 100 GB/s = 14 µs + 17.5 µs = 31.5 µs.
        var c = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.Ring, MB, 8, Switch)!;
        Assert.Equal(14, c.Steps);
        Assert.Equal(14e-6, c.Latency.Value, 12);
        Assert.Equal(17.5e-6, c.Bandwidth.Value, 12);
        Assert.Equal(31.5e-6, c.Time.Value, 12);
        Assert.Equal(1.75 * MB, c.SentPerDevice.Value, 6);
    }

    [Fact]
    public void Tree_all_reduce_is_2_log2_n_alpha_plus_2_bytes_over_beta()
    {
        // N = 8: 2 × 3 × 1 µs + 2 × 1 MB ÷ 100 GB/s = 6 µs + 20 µs = 26 µs. N = 6 rounds log2 up to 3 as well.
        var c8 = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.Tree, MB, 8, Switch)!;
        Assert.Equal(26e-6, c8.Time.Value, 12);
        var c6 = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.Tree, MB, 6, Switch)!;
        Assert.Equal(6, c6.Steps);
        Assert.Equal(2, AlphaBeta.Log2Ceiling(3));
        Assert.Equal(0, AlphaBeta.Log2Ceiling(1));
    }

    [Fact]
    public void One_shot_two_shot_and_in_network_follow_their_formulas_and_need_the_fabric()
    {
        // One-shot, N = 4, S = 64 kB: 1 µs + 3 × 64 kB ÷ 100 GB/s = 1 µs + 1.92 µs.
        var one = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.OneShot, 64e3, 4, Switch)!;
        Assert.Equal(1e-6 + 1.92e-6, one.Time.Value, 12);
        // Two-shot: 2 µs + 2 × 3/4 × 64 kB ÷ 100 GB/s = 2 µs + 0.96 µs.
        var two = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.TwoShot, 64e3, 4, Switch)!;
        Assert.Equal(2e-6 + 0.96e-6, two.Time.Value, 12);
        Assert.Null(AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.OneShot, 64e3, 4, RingOnly));
        Assert.Null(AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.InNetwork, 64e3, 4, Switch));
        var nvls = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.InNetwork, MB, 8, Switch with { InNetworkReduction = true })!;
        Assert.Equal(2e-6 + 10e-6, nvls.Time.Value, 12);
    }

    [Fact]
    public void All_gather_reduce_scatter_all_to_all_and_send_recv()
    {
        // Ring all-gather, N = 4, output 4 MB: 3 µs + 3/4 × 4 MB ÷ 100 GB/s = 3 µs + 30 µs.
        Assert.Equal(33e-6, AlphaBeta.Of(CollectiveOp.AllGather, CollectiveAlgorithm.Ring, 4 * MB, 4, Switch)!.Time.Value, 12);
        Assert.Equal(33e-6, AlphaBeta.Of(CollectiveOp.ReduceScatter, CollectiveAlgorithm.Ring, 4 * MB, 4, Switch)!.Time.Value, 12);
        // All-to-all on a switch: 1 µs + 3/4 × 4 MB ÷ β; pairwise without all-pairs links: 3 µs + the same.
        Assert.Equal(31e-6, AlphaBeta.Of(CollectiveOp.AllToAll, CollectiveAlgorithm.Direct, 4 * MB, 4, Switch)!.Time.Value, 12);
        Assert.Equal(33e-6, AlphaBeta.Of(CollectiveOp.AllToAll, CollectiveAlgorithm.Direct, 4 * MB, 4, RingOnly)!.Time.Value, 12);
        Assert.Equal(11e-6, Collective.SendRecv(MB, Switch).Time.Value, 12);
    }

    [Fact]
    public void The_library_picks_the_fastest_candidate_small_messages_latency_large_messages_bandwidth()
    {
        var g = CollectiveGroup.Flat(8, Switch);
        var small = Collective.Cost(CollectiveOp.AllReduce, 16e3, g);
        var large = Collective.Cost(CollectiveOp.AllReduce, 256 * MB, g);
        Assert.Equal(CollectiveAlgorithm.OneShot, small.Algorithm);       // 1 µs + 1.12 µs beats every multi-step algorithm
        Assert.True(large.Algorithm is CollectiveAlgorithm.Ring or CollectiveAlgorithm.TwoShot);
        foreach (var bytes in new[] { 1e3, 1e5, 1e7, 1e9 })
        {
            var best = Collective.Cost(CollectiveOp.AllReduce, bytes, g);
            Assert.All(Collective.Candidates(CollectiveOp.AllReduce, bytes, g), c => Assert.True(best.Time.Value <= c.Time.Value));
        }
        Assert.Equal(0, Collective.Cost(CollectiveOp.AllReduce, MB, CollectiveGroup.Flat(1, Switch)).Time.Value);
    }

    [Fact]
    public void Efficiency_scales_only_the_bandwidth_term()
    {
        var half = Switch with { Efficiency = 0.5 };
        var c = AlphaBeta.Of(CollectiveOp.AllReduce, CollectiveAlgorithm.Ring, MB, 8, half)!;
        Assert.Equal(14e-6, c.Latency.Value, 12);
        Assert.Equal(35e-6, c.Bandwidth.Value, 12);
    }

    [Fact]
    public void Hierarchical_all_reduce_is_the_sum_of_its_levels_and_beats_a_flat_ring_over_the_nic()
    {
        // 16 devices, 8 per node; NVLink-like α 1 µs, 450 GB/s; NIC α 5 µs, 50 GB/s per device; S = 64 MB.
        var nvlink = new LinkLevel("nvl", new Seconds(1e-6), new BytesPerSecond(450e9), true, false);
        var nic = new LinkLevel("ib", new Seconds(5e-6), new BytesPerSecond(50e9), false, false);
        var g = new CollectiveGroup(16, 8, nvlink, nic);
        var h = Collective.Candidates(CollectiveOp.AllReduce, 64 * MB, g).Single(c => c.Algorithm == CollectiveAlgorithm.Hierarchical);
        Assert.Equal(3, h.Parts!.Count);
        // Reduce-scatter in the node (ring or direct, 7/8 × 64 MB ÷ 450 GB/s = 124.4 µs + α), then the 8 MB shard across
        // 2 nodes (ring: 2 × 5 µs + 2 × 1/2 × 8 MB ÷ 50 GB/s = 10 µs + 160 µs), then all-gather in the node (as the first part).
        double inNode = 7.0 / 8 * 64 * MB / 450e9;
        Assert.Equal(1e-6 + inNode, h.Parts[0].Time.Value, 12);
        Assert.Equal(10e-6 + 160e-6, h.Parts[1].Time.Value, 12);
        Assert.Equal(h.Parts.Sum(p => p.Time.Value), h.Time.Value, 12);
        var flatRing = Collective.Candidates(CollectiveOp.AllReduce, 64 * MB, g).Single(c => c.Algorithm == CollectiveAlgorithm.Ring);
        // Flat ring: 30 × 5 µs + 2 × 15/16 × 64 MB ÷ 50 GB/s = 150 µs + 2400 µs.
        Assert.Equal(150e-6 + 2400e-6, flatRing.Time.Value, 9);
        Assert.Equal(CollectiveAlgorithm.Hierarchical, Collective.Cost(CollectiveOp.AllReduce, 64 * MB, g).Algorithm);
    }

    [Fact]
    public void More_bandwidth_or_less_latency_never_makes_a_collective_slower()
    {
        foreach (var op in Enum.GetValues<CollectiveOp>().Where(o => o != CollectiveOp.SendRecv))
            foreach (int n in new[] { 2, 3, 8, 72 })
                foreach (double bytes in new[] { 1e3, 1e6, 1e9 })
                {
                    var slow = Collective.Cost(op, bytes, CollectiveGroup.Flat(n, RingOnly));
                    var fast = Collective.Cost(op, bytes, CollectiveGroup.Flat(n, RingOnly with { Bandwidth = new BytesPerSecond(200e9), Alpha = new Seconds(0.5e-6) }));
                    Assert.True(fast.Time.Value <= slow.Time.Value, $"{op} n={n} S={bytes}");
                    Assert.True(double.IsFinite(slow.Time.Value) && slow.Time.Value > 0);
                }
    }
}

namespace PerfSim.Core.Collectives;

/// <summary>The collective operations the engine charges: what every device holds before and after.</summary>
public enum CollectiveOp
{
    /// <summary>Every device holds S bytes; afterwards every device holds their element-wise sum.</summary>
    AllReduce,
    /// <summary>Every device holds S/N bytes; afterwards every device holds all S bytes.</summary>
    AllGather,
    /// <summary>Every device holds S bytes; afterwards each holds its S/N share of the sum.</summary>
    ReduceScatter,
    /// <summary>Every device holds S bytes, S/N for each peer; afterwards each holds what the peers sent it.</summary>
    AllToAll,
    /// <summary>One device sends S bytes to one other (pipeline stage hand-off).</summary>
    SendRecv,
}

/// <summary>How a collective is run; a library picks the fastest that the fabric supports for the message size.</summary>
public enum CollectiveAlgorithm
{
    /// <summary>Ring: N−1 steps per phase, each device sends 1/N of the buffer per step (bandwidth-optimal).</summary>
    Ring,
    /// <summary>Double binary tree (NCCL): about 2·log2 N latency steps, full bandwidth for large messages.</summary>
    Tree,
    /// <summary>Every device reads every peer's whole buffer and reduces locally: one step, (N−1)·S per device. Needs all-pairs links.</summary>
    OneShot,
    /// <summary>Direct reduce-scatter then direct all-gather: two steps, 2(N−1)/N·S per device. Needs all-pairs links.</summary>
    TwoShot,
    /// <summary>The switch reduces (NVLink SHARP / NVLS, InfiniBand SHARP): each device sends and receives S once.</summary>
    InNetwork,
    /// <summary>All transfers posted at once to every peer (all-to-all, send/recv).</summary>
    Direct,
    /// <summary>Inside each node first, then between nodes over the NICs, then inside the node again.</summary>
    Hierarchical,
}

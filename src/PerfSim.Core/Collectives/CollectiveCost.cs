using PerfSim.Core.Units;

namespace PerfSim.Core.Collectives;

/// <summary>
/// The α–β cost of one collective: `Steps` × α (latency) + bytes each device sends ÷ β (bandwidth). For a hierarchical
/// collective the parts are each level's cost in order.
/// </summary>
public sealed record CollectiveCost(
    CollectiveOp Op,
    CollectiveAlgorithm Algorithm,
    int Devices,
    Bytes Message,
    double Steps,
    Seconds Latency,
    Seconds Bandwidth,
    Bytes SentPerDevice,
    string Link,
    IReadOnlyList<CollectiveCost>? Parts = null)
{
    public Seconds Time => Latency + Bandwidth;

    public static CollectiveCost None(CollectiveOp op, double bytes) =>
        new(op, CollectiveAlgorithm.Direct, 1, new Bytes(bytes), 0, Seconds.Zero, Seconds.Zero, Bytes.Zero, "none");

    public override string ToString() =>
        $"{Op} {Algorithm} over {Devices} on {Link}: {Steps:0.##} × α + {SentPerDevice} ÷ β = {Time}";
}

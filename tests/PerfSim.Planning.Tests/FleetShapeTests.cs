using PerfSim.Planning.Fleet;

namespace PerfSim.Planning.Tests;

/// <summary>"Rack power-limited" means power, not space, set the number of racks.</summary>
public sealed class FleetShapeTests
{
    static CandidateFacts Dgx => CandidateFacts.Of(Repo.Catalog, "nvidia-dgx-h100");

    [Fact]
    public void One_server_that_fits_a_rack_is_not_power_limited()
    {
        var (shape, reason) = FleetCost.Shape(Dgx, devicesPerReplica: 8, replicas: 1, replicaLoadWatts: 5000, rackKw: 40);
        Assert.Null(reason);
        Assert.Equal(1, shape!.Racks);
        Assert.False(shape.RackPowerLimited);
    }

    [Fact]
    public void A_fleet_that_needs_more_racks_for_power_than_for_space_is_power_limited()
    {
        var dgx = Dgx;
        int bySpace = ChassisAssumptions.RackUnits / dgx.ServerUnits;
        double rackKw = dgx.ServerNameplateWatts / 1000 * 1.5; // one server per rack by power
        Assert.True(bySpace > 1, "the DGX must be small enough that space allows several per rack");
        var (shape, _) = FleetCost.Shape(dgx, 8, replicas: bySpace, replicaLoadWatts: 5000, rackKw: rackKw);
        Assert.Equal(bySpace, shape!.Racks);
        Assert.True(shape.RackPowerLimited);
    }
}

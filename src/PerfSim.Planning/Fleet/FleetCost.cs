using PerfSim.Core.Engine;

namespace PerfSim.Planning.Fleet;

/// <summary>The physical fleet: devices, servers, racks and power, and why the rack count is what it is.</summary>
public sealed record FleetShape(
    long DevicesInUse,
    long Devices,
    long Servers,
    long Racks,
    int ServersPerRack,
    bool RackPowerLimited,
    double LoadKw,
    double NameplateKw,
    double RackKw);

/// <summary>What the fleet costs: capital lines, yearly operating cost (energy, or the rental), the lifetime total.</summary>
public sealed record FleetMoney(
    string Pricing,
    IReadOnlyList<CostLine> Capex,
    double OpexUsdPerYear,
    string OpexBasis,
    double TcoUsd,
    double UsdPerMillionTokens,
    double UsdPerQuery)
{
    public double CapexUsd => Capex.Sum(c => c.Usd);
    /// <summary>What a budget is compared with: the capital for a bought fleet, the rental over the lifetime for a rented one.</summary>
    public double SpendUsd(double lifetimeYears) => Pricing == "cloud" ? OpexUsdPerYear * lifetimeYears : CapexUsd;
}

/// <summary>Servers, racks, power and money for a number of replicas of one layout on one candidate. Pure arithmetic.</summary>
public static class FleetCost
{
    public const double HoursPerYear = 8766;

    /// <summary>The fleet, or the reason it cannot be racked (one server draws more than a rack may).</summary>
    public static (FleetShape? Shape, string? Reason) Shape(CandidateFacts c, int devicesPerReplica, long replicas, double replicaLoadWatts, double rackKw)
    {
        int replicasPerServer = c.DevicesPerServer / devicesPerReplica;
        if (replicasPerServer < 1) return (null, $"a replica needs {devicesPerReplica} devices, a server holds {c.DevicesPerServer}");
        long servers = (replicas + replicasPerServer - 1) / replicasPerServer;
        long inUse = replicas * devicesPerReplica;
        long devices = c.IsSystem ? servers * c.DevicesPerServer : inUse;
        // A bare-device server holds only the devices bought; a system is bought whole.
        double nameplate = c.IsSystem ? servers * c.ServerNameplateWatts : devices * c.DeviceTdpWatts + servers * c.HostWatts;
        int byPower = (int)Math.Floor(rackKw * 1000 / c.ServerNameplateWatts + 1e-9);
        if (byPower < 1) return (null, $"rack power: one server draws {c.ServerNameplateWatts / 1000:0.##} kW at nameplate, over the {rackKw:0.##} kW rack limit");
        int bySpace = Math.Max(1, ChassisAssumptions.RackUnits / c.ServerUnits);
        int perRack = Math.Min(byPower, bySpace);
        long racks = (servers + perRack - 1) / perRack;
        // Power limits the racks only when it costs racks: a fleet that fits in the racks space allows is not power-limited.
        bool powerLimited = byPower < bySpace && racks > (servers + bySpace - 1) / bySpace;
        double idleDevices = c.IsSystem ? (devices - inUse) * c.DeviceIdleWatts : 0;
        double load = replicas * replicaLoadWatts + idleDevices + servers * c.HostWatts * ChassisAssumptions.HostLoadFraction;
        return (new FleetShape(inUse, devices, servers, racks, perRack, powerLimited, load / 1000, nameplate / 1000, rackKw), null);
    }

    /// <summary>Money for a fleet at a steady rate over the lifetime, or the reason it cannot be priced.</summary>
    public static (FleetMoney? Money, string? Reason) Money(CandidateFacts c, FleetShape s, PlanPricing pricing, Assumptions a, Traffic traffic)
    {
        bool cloud = pricing == PlanPricing.Cloud || (pricing == PlanPricing.Auto && c.DevicePrice is null);
        double opex;
        string basis;
        var capex = new List<CostLine>();
        if (cloud)
        {
            if (c.CloudHourlyPerDevice is not { } h) return (null, $"no cloud price for {c.DeviceId} in its profile");
            opex = s.Devices * h.Usd * HoursPerYear;
            basis = $"{s.Devices} devices × {h.Usd:0.###} USD/h × {HoursPerYear} h (power included in the rental)";
        }
        else
        {
            if (c.DevicePrice is not { } dp) return (null, $"no purchase price for {c.DeviceId} in its profile");
            capex.Add(new CostLine($"{c.DeviceId} devices", s.Devices, dp));
            capex.Add(new CostLine("servers (chassis, host)", s.Servers, c.ChassisPrice));
            // A system comes with its ports; a bare-device server gets one per device in 8-device servers, else one per server.
            long ports = c.IsSystem ? s.Servers * c.PortsPerServer : c.PortsPerServer >= c.DevicesPerServer && c.DevicesPerServer > 1 ? s.Devices : s.Servers * c.PortsPerServer;
            capex.Add(new CostLine("network ports", ports, c.PortPrice));
            opex = s.LoadKw * a.Pue * HoursPerYear * a.UsdPerKwh;
            basis = $"{s.LoadKw:0.###} kW at load × PUE {a.Pue:0.##} × {HoursPerYear} h × {a.UsdPerKwh:0.###} USD/kWh";
        }
        double tco = capex.Sum(l => l.Usd) + opex * a.LifetimeYears;
        double seconds = a.LifetimeYears * HoursPerYear * 3600;
        double queries = traffic.RatePerSecond * seconds;
        double perQuery = tco / queries;
        double perMillion = perQuery / traffic.GenTokens * 1e6;
        return (new FleetMoney(cloud ? "cloud" : "purchase", capex, opex, basis, tco, perMillion, perQuery), null);
    }
}

using PerfSim.Composition;
using PerfSim.Data.Catalog;

namespace PerfSim.Planning.Fleet;

/// <summary>
/// A candidate as something to buy: its server (how many devices, nameplate and host power, rack units), and the
/// unit prices with their sources. A system profile gives its own device count and power; a bare device gets the
/// labelled <see cref="ChassisAssumptions"/>. Prices are per component: a system's own bundle price is not used, so
/// every candidate is costed the same way (and no price derived from a claim we test enters the plan).
/// </summary>
public sealed record CandidateFacts(
    string Id,
    string Name,
    string Vendor,
    string DeviceId,
    bool IsSystem,
    int DevicesPerServer,
    double DeviceTdpWatts,
    double DeviceIdleWatts,
    double ServerNameplateWatts,
    double HostWatts,
    int ServerUnits,
    PriceItem? DevicePrice,
    PriceItem ChassisPrice,
    int PortsPerServer,
    PriceItem PortPrice,
    PriceItem? CloudHourlyPerDevice,
    IReadOnlyList<string> Notes)
{
    public static CandidateFacts Of(ProfileCatalog catalog, string hardwareId)
    {
        var f = HardwareFacts.Of(catalog, hardwareId);
        var d = f.Device;
        var notes = new List<string>();
        var devicePrice = d.Price.Purchase is { } p ? new PriceItem(p.Value.Value, $"{d.Id}: {d.SourceText(p.Source)}", IsAssumed(p.Source)) : null;
        PriceItem? cloud = d.Price.CloudHourly is { } c ? new PriceItem(c.Value.Value, $"{d.Id}: {d.SourceText(c.Source)}", IsAssumed(c.Source)) : null;
        double deviceTdp = d.Power.Tdp.Value.Value;
        double deviceIdle = d.Power.Idle.Value.Value;

        if (f.System is { } sys)
        {
            int n = f.DevicesPerSystem!.Value;
            double nameplate = sys.Power.Tdp.Value.Value;
            double host = Math.Max(0, nameplate - n * deviceTdp);
            notes.Add($"{sys.Id}: server nameplate {nameplate / 1000:0.##} kW ({sys.SourceText(sys.Power.Tdp.Source)}); host share {host / 1000:0.##} kW = nameplate − {n} × {deviceTdp:0} W");
            PriceItem chassis;
            if (f.HostCpu?.Price.Purchase is { } hp && f.HostCpus > 0)
            {
                double usd = f.HostCpus * hp.Value.Value + ChassisAssumptions.ChassisRest.Usd;
                chassis = new PriceItem(usd, $"{f.HostCpus} × {f.HostCpu.Id} at {hp.Value.Value:0} USD ({f.HostCpu.SourceText(hp.Source)}) + {ChassisAssumptions.ChassisRest.Usd:0} USD assumed ({ChassisAssumptions.ChassisRest.Source})", true);
            }
            else chassis = new PriceItem(ChassisAssumptions.ChassisRest.Usd + 20000, "system without a host CPU price: 40k USD chassis, assumed", true);
            int ports = f.ScaleOutPorts ?? n;
            return new CandidateFacts(f.Id, f.Name, f.Vendor, d.Id, true, n, deviceTdp, deviceIdle, nameplate, host, ChassisAssumptions.ServerUnits(n),
                devicePrice, chassis, ports, ChassisAssumptions.PortPrice(d, n), cloud, notes);
        }

        int dps = ChassisAssumptions.DevicesPerServer(d);
        double hostW = ChassisAssumptions.HostPowerWatts(d, dps);
        notes.Add($"{d.Id}: bare device in an assumed {dps}-device server ({ChassisAssumptions.HostPowerWhy})");
        return new CandidateFacts(f.Id, f.Name, f.Vendor, d.Id, false, dps, deviceTdp, deviceIdle, dps * deviceTdp + hostW, hostW, ChassisAssumptions.ServerUnits(dps),
            devicePrice, ChassisAssumptions.ChassisPrice(d, dps), ChassisAssumptions.PortsPerServer(d, dps), ChassisAssumptions.PortPrice(d, dps), cloud, notes);
    }

    /// <summary>A price whose source key says assumed, or recalled (not in our reference material), counts as assumed.</summary>
    static bool IsAssumed(string sourceKey) => sourceKey.Contains("assumed", StringComparison.OrdinalIgnoreCase) || sourceKey.Contains("recalled", StringComparison.OrdinalIgnoreCase);
}

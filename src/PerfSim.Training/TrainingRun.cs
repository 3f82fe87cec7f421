using PerfSim.Core.Engine;

namespace PerfSim.Training;

/// <summary>How a run is priced: amortized purchase (with electricity) or a cloud hourly rate per device.</summary>
public enum TrainingPricing { Auto, Purchase, Cloud }

/// <summary>
/// The whole run from one step: wall-clock days, device-hours, energy at the facility (devices at their power
/// × PUE) and cost. Power: training keeps the devices near their rated power, so the device's TDP (a system's
/// share of its whole-system power when the hardware is a system profile) is used — an assumption, labelled.
/// Cost: purchase price amortized over the lifetime for the run's duration, plus electricity; or a cloud rate.
/// </summary>
public sealed record TrainingRun(TrainingStep Step, double Steps, double Seconds, double DeviceHours, double EnergyMWh,
    double? CostUsd, string CostBasis)
{
    public double Days => Seconds / 86400;

    public static TrainingRun Of(TrainingStep step, ClusterTopology cluster, Assumptions assumptions, TrainingPricing pricing, double? cloudUsdPerDeviceHour = null)
    {
        double steps = step.Job.Steps;
        double seconds = steps * step.Time.Value;
        int n = step.Devices;
        double hours = seconds / 3600;
        double deviceHours = n * hours;
        double energyMWh = n * cluster.DevicePower.Value * seconds * assumptions.Pue / 3.6e9;
        double electricity = energyMWh * 1000 * assumptions.UsdPerKwh;
        double? cloud = cloudUsdPerDeviceHour ?? cluster.DeviceCloudHourly?.Value;
        double? cost = null;
        string basis = "no price: the hardware profile has neither a purchase nor a cloud price";
        bool useCloud = pricing == TrainingPricing.Cloud || (pricing == TrainingPricing.Auto && cloud is not null && cloudUsdPerDeviceHour is not null);
        if (useCloud && cloud is { } c)
        {
            cost = deviceHours * c;
            basis = $"cloud: {deviceHours:0} device-hours × {c:0.00} USD/h";
        }
        else if (pricing != TrainingPricing.Cloud && cluster.DevicePurchase is { } buy)
        {
            double amortized = n * buy.Value * hours / (assumptions.LifetimeYears * 8766);
            cost = amortized + electricity;
            basis = $"purchase {buy.Value:0} USD per device amortized over {assumptions.LifetimeYears:0.#} years for the run's duration, plus electricity at {assumptions.UsdPerKwh:0.###} USD/kWh";
        }
        else if (pricing == TrainingPricing.Cloud) basis = "no cloud price: give --usd-per-device-hour";
        return new TrainingRun(step, steps, seconds, deviceHours, energyMWh, cost, basis);
    }
}

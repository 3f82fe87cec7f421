namespace PerfSim.Serving.Tests;

/// <summary>Runs a simulation and holds every run to Little's law (the bookkeeping must account each request's time once).</summary>
public static class Sim
{
    public static ServingResult Run(ServingConfig config, Traffic traffic, ServingOptions? options = null)
    {
        var r = ServingSimulator.Run(config, traffic, options);
        Assert.True(r.LittleLaw.RelativeError < 1e-9, $"Little's law: L = {r.LittleLaw.MeanInSystem}, λW = {r.LittleLaw.ArrivalRate * r.LittleLaw.MeanSojournSeconds}");
        Assert.True(r.LittleLaw.MeanInSystem >= 0 && double.IsFinite(r.LittleLaw.MeanInSystem));
        return r;
    }

    public static ServingResult Run(Core.Engine.StepCost cost, SchedulerOptions scheduler, Traffic traffic, ServingOptions? options = null) =>
        Run(ServingConfig.Single(cost, scheduler), traffic, options);
}

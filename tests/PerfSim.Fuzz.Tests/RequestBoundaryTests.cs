using PerfSim.Composition;
using PerfSim.Core.Engine;

namespace PerfSim.Fuzz.Tests;

/// <summary>Requests at the composition boundary: every number is range-checked (NaN fails), with --scenario or without.</summary>
public class RequestBoundaryTests
{
    static PredictionRequest Request(ScenarioRequest s, Assumptions? a = null) => new()
    {
        Hardware = "nvidia-h100-sxm", Model = "llama-3.1-8b", Scenario = s, Assumptions = a ?? Assumptions.Default,
    };

    [Theory]
    [InlineData(2147483647)]
    [InlineData(1073741825)]
    [InlineData(200000)]
    public void HugePrompt_IsRefusedNeverNegative(int prompt)
    {
        var e = Assert.Throws<UsageException>(() => Composer.Predict(FuzzRepo.Catalog, Request(new ScenarioRequest(Prompt: prompt))));
        Assert.StartsWith("--prompt", e.Message);
    }

    [Fact]
    public void ScenarioOption_GoesThroughTheSameChecks()
    {
        var id = FuzzRepo.Catalog.Scenarios.Keys.Order(StringComparer.Ordinal).First();
        var e = Assert.Throws<UsageException>(() => Composer.Predict(FuzzRepo.Catalog, Request(new ScenarioRequest(Id: id, Batch: int.MaxValue))));
        Assert.Contains($"--batch (with --scenario '{id}')", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, 0.12, 1.3, 0.6)]
    [InlineData(4, double.NaN, 1.3, 0.6)]
    [InlineData(4, 0.12, double.NaN, 0.6)]
    [InlineData(4, 0.12, 1.3, double.NaN)]
    [InlineData(double.PositiveInfinity, 0.12, 1.3, 0.6)]
    [InlineData(4, 0.12, 1e308, 0.6)]
    [InlineData(1e-320, 0.12, 1.3, 0.6)]
    [InlineData(4, 0.12, 1.3, 1e-320)]
    public void NonFiniteOrOutOfRangeAssumption_IsRefused(double years, double kwh, double pue, double util)
    {
        var a = new Assumptions(years, kwh, pue, util);
        Assert.Throws<UsageException>(() => Composer.Predict(FuzzRepo.Catalog, Request(new ScenarioRequest(), a)));
    }

    [Fact]
    public void DeviceCountBeyondTheLimit_IsRefused()
    {
        var e = Assert.Throws<UsageException>(() => Composer.Predict(FuzzRepo.Catalog, Request(new ScenarioRequest()) with { Devices = 1 << 30 }));
        Assert.Contains("--devices must be a whole number from 1 to 1048576", e.Message);
    }

    [Fact]
    public void AcceptedRequest_HasOnlyFiniteFigures()
    {
        var p = Composer.Predict(FuzzRepo.Catalog, Request(new ScenarioRequest(Batch: 8, Prompt: 4096, Gen: 512))).Prediction;
        Assert.Null(PredictionChecks.Problem(p));
        Assert.NotEmpty(PredictionChecks.Figures(p));
    }
}

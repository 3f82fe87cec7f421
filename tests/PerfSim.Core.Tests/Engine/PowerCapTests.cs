using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Engine.Power;

namespace PerfSim.Core.Tests.Engine;

/// <summary>
/// Properties of the power cap: a capped device never draws more than its cap, and more work (a larger batch) never
/// lowers its power or its throughput — the cap lowers the clock, it does not make the device go backwards.
/// </summary>
public class PowerCapTests
{
    static readonly int[] Batches = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

    public static IEnumerable<object[]> Capped =>
    [
        // A phone held at its sustained 4 W (of 12 W peak), a laptop SoC, and a data-centre GPU at its 700 W TDP.
        ["qualcomm-snapdragon-8-gen-3", "llama-3.2-1b", "q4_0"],
        ["intel-core-ultra-7-258v", "llama-3.1-8b", "q4_0"],
        ["nvidia-h100-sxm", "llama-3.1-8b", "fp16"],
    ];

    [Theory]
    [MemberData(nameof(Capped))]
    public void PowerNeverExceedsCap_AndPowerAndThroughputRiseWithBatch(string hardware, string model, string quant)
    {
        var d = DeploymentResolver.Resolve(TestRepo.Catalog, hardware);
        double cap = d.GroupTdp.Value * (d.Device.Power.Sustained?.Value.Value ?? d.Device.Power.Tdp.Value.Value) / d.Device.Power.Tdp.Value.Value;
        var sustained = Assumptions.Default with { SustainedPower = true };
        double lastPower = 0, lastThroughput = 0, lastPrefillPower = 0;
        bool anyBinds = false;
        foreach (int b in Batches)
        {
            var p = InferenceEngine.Predict(d, EngineFixtures.Workload(model, quant, batch: b, prompt: 256, gen: 128), assumptions: sustained);
            if (!p.Memory.Fits) break;
            var e = p.Energy;
            anyBinds |= e.CapBinds;
            Assert.True(e.DecodePower.Value <= cap * (1 + 1e-9), $"{hardware} batch {b}: decode {e.DecodePower.Value:F2} W > cap {cap:F2} W");
            Assert.True(e.PrefillPower.Value <= cap * (1 + 1e-9), $"{hardware} batch {b}: prefill {e.PrefillPower.Value:F2} W > cap {cap:F2} W");
            Assert.True(e.DecodePower.Value >= lastPower * (1 - 1e-9), $"{hardware} batch {b}: decode power fell {lastPower:F3} → {e.DecodePower.Value:F3} W");
            Assert.True(e.PrefillPower.Value >= lastPrefillPower * (1 - 1e-9), $"{hardware} batch {b}: prefill power fell {lastPrefillPower:F3} → {e.PrefillPower.Value:F3} W");
            Assert.True(p.DecodeTokensPerSecond >= lastThroughput * (1 - 1e-9), $"{hardware} batch {b}: throughput fell {lastThroughput:F2} → {p.DecodeTokensPerSecond:F2} tok/s");
            lastPower = e.DecodePower.Value;
            lastPrefillPower = e.PrefillPower.Value;
            lastThroughput = p.DecodeTokensPerSecond;
        }
        Assert.True(lastThroughput > 0);
        if (d.Device.Power.Sustained is not null) Assert.True(anyBinds, $"{hardware}: the sustained cap never bound, so the test checked nothing of the cap");
    }

    /// <summary>
    /// The model itself on random stages (seeded): under any cap, power ≤ cap; adding work never lowers the work rate;
    /// a stage slows down exactly when the cap binds.
    /// </summary>
    [Fact]
    public void PowerModel_MoreWork_NeverLowersPowerOrRate_AndHoldsTheCap()
    {
        var rng = new Random(14);
        var par = PowerParameterSet.Defaults.For(PowerClass.Soc);
        for (int trial = 0; trial < 300; trial++)
        {
            double idle = 0.3 + rng.NextDouble() * 5, tdp = idle + 5 + rng.NextDouble() * 50, cap = idle + rng.NextDouble() * (tdp - idle) * 1.2;
            double c0 = rng.NextDouble() * 1e-3, m0 = rng.NextDouble() * 1e-3, jPerS = rng.NextDouble() * tdp * 1.5;
            double lastRate = 0;
            for (int k = 1; k <= 64; k *= 2)
            {
                // k units of work: compute grows linearly, memory traffic sub-linearly (weights are shared by the batch).
                double c = c0 * k, m = m0 * Math.Sqrt(k);
                double t = Math.Max(c, m);
                var pt = PowerModel.Evaluate(new PowerInput(t, jPerS * (c0 * k + m0 * Math.Sqrt(k)), Math.Min(1, t > 0 ? 1 : 0), idle, tdp, cap),
                    [new ClockedSpan(c, m, 1)], par);
                Assert.True(pt.Watts <= Math.Max(cap, idle) * (1 + 1e-9), $"trial {trial} k {k}: {pt.Watts} W > cap {cap} W");
                if (pt.CapBinds) Assert.True(pt.ClockScale < 1 || pt.Seconds > t, $"trial {trial} k {k}: the cap binds but nothing slowed");
                else Assert.True(pt.Seconds == t && pt.ClockScale == 1, $"trial {trial} k {k}: slowed without the cap binding");
                Assert.True(k / pt.Seconds >= lastRate * (1 - 1e-6), $"trial {trial} k {k}: rate fell {lastRate} → {k / pt.Seconds} ({pt} c {c} m {m} idle {idle} tdp {tdp} cap {cap} jps {jPerS})");
                Assert.True(pt.Seconds >= t * (1 - 1e-12) && double.IsFinite(pt.Seconds));
                lastRate = k / pt.Seconds;
            }
        }
    }
}

using PerfSim.Core.Engine;

namespace PerfSim.Core.Tests.Engine;

/// <summary>
/// Llama-2-7B at fp16 on one H100 SXM, worked through by hand from the published shapes and datasheet figures.
/// Shapes: hidden 4096, 32 layers, 32 heads (MHA, head 128), MLP 11008 (gated), vocab 32000, untied.
/// H100 SXM: 3.35 TB/s HBM3, 989.5 TFLOPS dense FP16; assumed efficiencies 0.8 (bandwidth), 0.7 GEMM, 0.3 GEMV.
/// </summary>
public class HandWorkedTests
{
    const double Hbm = 3.35e12, BandwidthEff = 0.8, PeakFp16 = 989.5e12, Gemm = 0.7, Gemv = 0.3;

    // Per layer: Q,K,V,O = 4 × 4096² ; MLP = 3 × 4096 × 11008. Embedding and LM head: 32000 × 4096 each.
    const double MatmulWeightsPerLayer = 4.0 * 4096 * 4096 + 3.0 * 4096 * 11008;   // 202,375,168
    const double LmHead = 32000.0 * 4096;

    [Fact]
    public void ParameterCount_Llama2_7B_MatchesHandCount()
    {
        var p = PerfSim.Core.Workloads.ParameterCount.Of(TestRepo.Catalog.GetModel("llama-2-7b").Architecture);
        // 32 × (202,375,168 + 2 × 4096 norm weights) + 2 × 131,072,000 + 4096 final norm
        Assert.Equal(6_738_415_616, p.Total);
    }

    [Fact]
    public void Decode_Llama2_7B_Fp16_H100_IsMemoryBoundAtHandWorkedTime()
    {
        var w = EngineFixtures.Workload("llama-2-7b", "fp16", batch: 1, prompt: 512, gen: 256);
        var p = InferenceEngine.Predict(EngineFixtures.H100, w);

        // Each decode step reads every matmul weight once (2 bytes each) and the KV cache at the mean context
        // 512 + 256/2 = 640 tokens: 32 layers × 640 × (K+V = 2 × 4096) × 2 bytes, and writes one token's K and V.
        double weightBytes = (32 * MatmulWeightsPerLayer + LmHead) * 2;              // 13.214 GB
        double kvBytes = 32 * 640 * 2 * 4096 * 2.0 + 32 * 2 * 4096 * 2.0;            // 0.336 GB
        double expected = (weightBytes + kvBytes) / (Hbm * BandwidthEff);            // ≈ 5.056 ms

        Assert.Equal(Bound.Memory, p.Decode.Bound);
        Assert.InRange(p.Tpot.Value, expected, expected * 1.005);                   // activations add < 0.5 %
        Assert.Equal("hbm", p.Memory.StreamedFrom);
        Assert.True(p.Memory.Fits);
    }

    [Fact]
    public void Prefill_Llama2_7B_Fp16_H100_IsComputeBoundAtHandWorkedTime()
    {
        var w = EngineFixtures.Workload("llama-2-7b", "fp16", batch: 1, prompt: 512, gen: 256);
        var p = InferenceEngine.Predict(EngineFixtures.H100, w);

        // 512 rows through every layer's matmuls: 2 FLOPs per weight per row, at the GEMM efficiency for M = 512:
        // gemv + (gemm − gemv) × 512 / (512 + 16 + fill), where fill is the rows at which a matmul of width N gives half
        // of the 132 SMs a 128 × 128 tile: 66 × 128² ÷ N (MatmulFill). Q, K, V and O are 4096 wide (fill 264 rows:
        // efficiency 0.5586); the gated MLP's gate, up (11008) and down (4096) calls do equal FLOPs, so their
        // FLOP-weighted harmonic width is 3 ÷ (2/11008 + 1/4096) = 7045.1 (fill 153.5 rows: efficiency 0.6005).
        static double Eff(double width) => Gemv + (Gemm - Gemv) * 512.0 / (512 + 16 + 66.0 * 128 * 128 / width);
        double mlpWidth = 3 / (2 / 11008.0 + 1 / 4096.0);
        double matmulSeconds = 2 * 512 * 32 * (4.0 * 4096 * 4096 / Eff(4096) + 3.0 * 4096 * 11008 / Eff(mlpWidth)) / PeakFp16;  // ≈ 11.4 ms

        Assert.Equal(Bound.Compute, p.Prefill.Bound);
        // Attention, norms and the LM head add a few percent on top of the matmuls, never less.
        Assert.InRange(p.Ttft.Value, matmulSeconds, matmulSeconds * 1.08);
        Assert.Equal(512 / p.Ttft.Value, p.PrefillTokensPerSecond, 6);
    }

    [Fact]
    public void Energy_DataMovementPerToken_IsBytesTimesEnergyPerBit()
    {
        var w = EngineFixtures.Workload("llama-2-7b", "fp16");
        var p = InferenceEngine.Predict(EngineFixtures.H100, w);
        double bytes = p.Decode.BytesByLevel["hbm"];
        // The H100 profile gives 3.97 pJ/bit for HBM (O'Connor et al., assumed for HBM3).
        Assert.Equal(bytes * 8 * 3.97e-12, p.Energy.DecodePerToken.DataMovement["hbm"].Value, 1e-9);
        Assert.True(p.Energy.DecodePerToken.Static.Value > 0);
        Assert.True(p.Energy.DecodePerToken.Arithmetic.Value > 0);
    }

    [Fact]
    public void Cost_PurchasePrice_IsAmortisedByHand()
    {
        var w = EngineFixtures.Workload("llama-2-7b", "fp16");
        var a = new Assumptions(LifetimeYears: 4, UsdPerKwh: 0.1, Pue: 1.5, FleetUtilization: 0.5);
        var p = InferenceEngine.Predict(EngineFixtures.H100, w, assumptions: a);
        // $30,000 over 4 × 8766 h at 50% utilization, plus the modelled decode power × PUE × tariff.
        double hourly = 30000 / (4 * 8766.0) / 0.5 + p.Energy.DecodePower.Value / 1000 * 1.5 * 0.1;
        Assert.Equal(hourly, p.Cost!.UsdPerHour, 9);
        Assert.Equal(hourly / 3600 * p.EndToEnd.Value, p.Cost.UsdPerQuery, 12);
        Assert.Equal(p.Cost.UsdPerQuery / 256 * 1e6, p.Cost.UsdPerMillionTokens, 9);
    }
}

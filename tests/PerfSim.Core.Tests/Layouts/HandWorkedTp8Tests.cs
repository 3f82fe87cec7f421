using PerfSim.Composition;
using PerfSim.Core.Collectives;
using PerfSim.Core.Engine;

namespace PerfSim.Core.Tests.Layouts;

/// <summary>
/// Llama-3.1-70B, FP8 weights with an FP8 KV cache, TP8 on a DGX H100, batch 64, prompt 512, 256 generated; ideal
/// backend (H100 profile: 3.35 TB/s HBM3 × 0.8 assumed streaming efficiency). Every term written out by hand.
/// Shapes: hidden 8192, 80 layers, 64 heads, 8 KV heads of 128, MLP 28672 (gated), vocab 128256, untied.
/// </summary>
public class HandWorkedTp8Tests
{
    // Per layer: q, o = 8192² each; k, v = 8192 × 1024 each; MLP = 3 × 8192 × 28672.
    const double LayerMatmuls = 2.0 * 8192 * 8192 + 2.0 * 8192 * 1024 + 3.0 * 8192 * 28672;   // 855,638,016
    const double Norms = 80 * 2 * 8192 + 8192;                                                  // 1,318,912
    const double Embedding = 128256.0 * 8192;                                                   // 1,050,673,152 (lm_head the same)
    const double Batch = 64;

    static ComposedPrediction Case() =>
        LayoutFixtures.Predict("nvidia-dgx-h100", "llama-3.1-70b", "fp8", tp: 8, batch: 64, prompt: 512, gen: 256, kv: "fp8");

    [Fact]
    public void Weights_and_kv_per_device()
    {
        var p = Case().Prediction;
        Assert.Equal(new Layout(8, 1, 1, 1), p.Layout);
        // Weights: 70,553,706,496 parameters at 1 byte, ÷ 8 devices = 8,819,213,312 bytes each.
        double weights = (80 * LayerMatmuls + Norms + 2 * Embedding) / 8;
        Assert.Equal(8_819_213_312, weights);
        Assert.Equal(weights, p.Memory.Weights.Value, 0);
        // KV at full context: 64 sequences × 80 layers × 768 tokens × (K+V = 2 × 8 × 128) × 1 byte, ÷ 8 (8 KV heads, TP8).
        double kv = Batch * 80 * 768 * 2048 / 8;
        Assert.Equal(1_006_632_960, kv);
        Assert.Equal(kv, p.Memory.KvCache.Value, 0);
        Assert.False(p.Memory.KvReplicated);
    }

    [Fact]
    public void All_reduce_count_bytes_alpha_beta_and_algorithm()
    {
        var p = Case().Prediction;
        // Two all-reduces per layer (after attention and after the MLP): 160 per decode step. Each carries the batch's
        // hidden state at 16 bits: 64 × 8192 × 2 = 1,048,576 bytes.
        var ar = p.Decode.Operators.Where(o => o.Operator.Kind == OperatorKind.Collective).ToList();
        Assert.Equal(160, ar.Sum(o => o.Operator.Repeat));
        Assert.All(ar, o => Assert.Equal(1_048_576, o.Operator.CollectiveBytes));
        // NVSwitch gen3: α = 3 µs (assumed, labelled in the profile), β = 450 GB/s × 0.8 (assumed library efficiency)
        // = 360 GB/s, NVLS in-switch reduction. Candidates for 1 MiB over 8 GPUs:
        //   ring     14 × 3 µs + 2 × 7/8 × 1 MiB ÷ 360 GB/s = 42 + 5.097 µs = 47.10 µs
        //   tree      6 × 3 µs + 2 × 1 MiB ÷ 360 GB/s      = 18 + 5.825 µs = 23.83 µs
        //   one-shot  1 × 3 µs + 7 × 1 MiB ÷ 360 GB/s      =  3 + 20.39 µs = 23.39 µs
        //   two-shot  2 × 3 µs + 2 × 7/8 × 1 MiB ÷ 360 GB/s =  6 + 5.097 µs = 11.10 µs
        //   NVLS      2 × 3 µs + 1 MiB ÷ 360 GB/s          =  6 + 2.913 µs =  8.913 µs  ← fastest
        double beta = 450e9 * 0.8, bytes = 1_048_576;
        double nvls = 2 * 3e-6 + bytes / beta;
        var c = ar[0].Collective!;
        Assert.Equal(CollectiveAlgorithm.InNetwork, c.Algorithm);
        Assert.Equal(nvls, c.Time.Value, 12);
        Assert.Equal(8.9127e-6, nvls, 9);
        Assert.Equal(160 * nvls, p.Decode.Communication.Value, 9);           // 1.426 ms per step
    }

    [Fact]
    public void Decode_step_is_weights_plus_kv_over_bandwidth_plus_the_all_reduces()
    {
        var p = Case().Prediction;
        // Streamed per device per step: weights without the embedding table (only 64 rows of it are read),
        // KV read at the mean context 512 + 256/2 = 640, and one new token's KV written.
        double streamedWeights = (80 * LayerMatmuls + Norms + Embedding) / 8;                 // 8,687,879,168
        double kvRead = Batch * 80 * 640 * 2048 / 8;                                            //   838,860,800
        double kvWrite = Batch * 80 * 2048 / 8;                                                 //     1,310,720
        double memory = (streamedWeights + kvRead + kvWrite) / (3.35e12 * 0.8);                 // 3.5553 ms
        double comm = 160 * (2 * 3e-6 + 1_048_576 / (450e9 * 0.8));                            // 1.4260 ms
        // Two RMS norms per layer read and write the batch's hidden state (not split by TP), 1-byte FP8 activations:
        double norms = 2 * 80 * (2 * Batch * 8192 * 1) / (3.35e12 * 0.8);                      // 0.0626 ms
        double expected = memory + comm + norms;                                                // 5.044 ms
        Assert.Equal(Bound.Memory, p.Decode.Bound);
        // The matmuls' and attention's activation reads/writes and the 64 embedding rows add under 2 %, never less.
        Assert.InRange(p.Tpot.Value, expected, expected * 1.02);
        Assert.InRange(p.Decode.CommunicationShare, 0.27, 0.30);
    }
}

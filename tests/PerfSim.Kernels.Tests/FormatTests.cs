using System.Buffers.Binary;
using PerfSim.Kernels;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Tests;

public class FormatTests
{
    // Round-trip error bounds relative to the block's largest magnitude: half a quantization step,
    // plus fp16 rounding of the scale (2^-11 relative) applied to the largest code.
    private const float Q8RoundTripTolerance = 0.5f / 127f + 127f / 127f * (1f / 2048f) + 1e-6f;
    private const float Q4RoundTripTolerance = 0.5f / 8f + 1f / 2048f * 8f / 8f + 1e-6f; // ggml's q4_0 may clip the top code: still within one half-step
    private const float F16RelativeTolerance = 1f / 2048f;

    private static float[] RandomValues(int n, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    [Fact]
    public void Traits_MatchGgml()
    {
        Assert.Equal(8.5, QuantFormatTraits.Q8_0.BitsPerWeight);
        Assert.Equal(4.5, QuantFormatTraits.Q4_0.BitsPerWeight);
        Assert.Equal(16, QuantFormatTraits.F16.BitsPerWeight);
        Assert.Equal(34, QuantFormatTraits.Q8_0.BytesPerBlock);
        Assert.Equal(18, QuantFormatTraits.Q4_0.BytesPerBlock);
        Assert.Equal(32, QuantFormatTraits.Q4_0.BlockSize);
    }

    [Fact]
    public void Q4_0_HandBuiltBlock_DecodesGgmlLayout()
    {
        var blk = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(blk, BitConverter.HalfToUInt16Bits((Half)0.5f));
        for (int j = 0; j < 16; j++) blk[2 + j] = (byte)((j & 0x0F) | ((15 - j) << 4)); // low nibble j, high nibble 15−j
        var v = new float[32];
        BlockQ4_0.Dequantize(blk, v);
        for (int j = 0; j < 16; j++)
        {
            Assert.Equal((j - 8) * 0.5f, v[j]);          // element j from the low nibble
            Assert.Equal((15 - j - 8) * 0.5f, v[j + 16]); // element j+16 from the high nibble
        }
    }

    [Fact]
    public void Q8_0_HandBuiltBlock_DecodesGgmlLayout()
    {
        var blk = new byte[34];
        BinaryPrimitives.WriteUInt16LittleEndian(blk, 0x3C00); // fp16 1.0
        for (int j = 0; j < 32; j++) blk[2 + j] = (byte)(sbyte)(j - 16);
        var v = new float[32];
        BlockQ8_0.Dequantize(blk, v);
        for (int j = 0; j < 32; j++) Assert.Equal(j - 16, v[j]);
    }

    [Fact]
    public void Q4_0_Quantize_MatchesGgmlReferenceBytes()
    {
        // Largest magnitude −4 → d = −4/−8 = 0.5, id = 2: x=−4 → (int)(−8+8.5)=0, x=3.5 → (int)(7+8.5)=15.
        var x = new float[32];
        x[0] = -4f; x[1] = 3.5f; x[16] = 1f; x[17] = 3.9f;
        var blk = new byte[18];
        BlockQ4_0.Quantize(x, blk);
        Assert.Equal((Half)0.5f, BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(blk)));
        Assert.Equal(0 | (10 << 4), blk[2]);   // elem0 → 0, elem16 = 1·2+8.5 → 10
        Assert.Equal(15 | (15 << 4), blk[3]);  // elem1 → 15, elem17 = 3.9·2+8.5=16.3 → clipped to 15
        Assert.Equal(8 | (8 << 4), blk[4]);    // zeros → 8
    }

    [Fact]
    public void Q8_0_Quantize_MatchesGgmlReferenceBytes()
    {
        var x = new float[32];
        x[0] = 127f; x[1] = -63.5f; x[2] = 0.4f;
        var blk = new byte[34];
        BlockQ8_0.Quantize(x, blk);
        Assert.Equal((Half)1f, BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(blk)));
        Assert.Equal(127, (sbyte)blk[2]);
        Assert.Equal(-64, (sbyte)blk[3]); // roundf: half away from zero
        Assert.Equal(0, (sbyte)blk[4]);
    }

    [Theory]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.Q4_0)]
    [InlineData(QuantFormat.F16)]
    public void RoundTrip_WithinBounds(QuantFormat format)
    {
        int n = 32 * 64;
        float[] x = RandomValues(n, 7, 3f);
        var bytes = new byte[QuantFormatTraits.Of(format).RowBytes(n)];
        Quantizer.Quantize(format, x, bytes);
        var back = new float[n];
        Quantizer.Dequantize(format, bytes, back);
        for (int b = 0; b < n / 32; b++)
        {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = MathF.Max(amax, MathF.Abs(x[b * 32 + j]));
            for (int j = 0; j < 32; j++)
            {
                float err = MathF.Abs(back[b * 32 + j] - x[b * 32 + j]);
                float bound = format switch
                {
                    QuantFormat.Q8_0 => Q8RoundTripTolerance * amax,
                    QuantFormat.Q4_0 => Q4RoundTripTolerance * amax * 2, // step is amax/8; clipped top code costs up to one step
                    _ => F16RelativeTolerance * MathF.Abs(x[b * 32 + j]),
                };
                Assert.True(err <= bound, $"{format} block {b} elem {j}: err {err} > {bound}");
            }
        }
    }

    [Theory]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.Q4_0)]
    public void ZeroBlock_HasZeroScaleAndDecodesToZero(QuantFormat format)
    {
        var x = new float[64];
        var bytes = new byte[QuantFormatTraits.Of(format).RowBytes(64)];
        Quantizer.Quantize(format, x, bytes);
        // ggml stores q4_0's zero scale as −0 (0/−8); either sign of zero is a zero scale.
        Assert.Equal(0, (bytes[0] | (bytes[1] << 8)) & 0x7FFF);
        var back = new float[64];
        Quantizer.Dequantize(format, bytes, back);
        Assert.All(back, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Matrix_RejectsColsNotMultipleOf32()
    {
        var ex = Assert.Throws<ArgumentException>(() => new QuantizedMatrix(QuantFormat.Q4_0, 4, 33));
        Assert.Contains("multiple of 32", ex.Message);
    }

    [Fact]
    public void Fp16_VectorConversion_IsExactForAllFiniteHalves()
    {
        for (int h = 0; h < 65536; h += 16)
        {
            var v = System.Runtime.Intrinsics.Vector128.Create(h, h + 1, h + 5, h + 9);
            var f = Fp16.ToSingle(v);
            for (int i = 0; i < 4; i++)
            {
                ushort bits = (ushort)v[i];
                if ((bits & 0x7C00) == 0x7C00) continue; // Inf/NaN not supported by design
                Assert.Equal(Fp16.ToSingle(bits), f[i]);
            }
        }
    }

    [Fact]
    public void Fp16_RoundTripScale_EqualsHalfRoundTrip()
    {
        // Every half's exact value, the midpoints between neighbours (ties) and a quarter step either side of them,
        // plus random scales: the inline rounding must give the same float as .NET's Half conversion.
        var values = new List<float> { 0f, 6.103515625e-05f, 65504f, 65519.99f, 65520f, 1e9f };
        for (int h = 0; h < 0x7C00; h++)
        {
            float v = (float)BitConverter.UInt16BitsToHalf((ushort)h), next = (float)BitConverter.UInt16BitsToHalf((ushort)(h + 1));
            float step = next - v;
            values.AddRange([v, v + step / 2, v + step / 4, v + 3 * step / 4]);
        }
        var rng = new Random(5);
        for (int i = 0; i < 100_000; i++) values.Add((float)Math.Exp(rng.NextDouble() * 40 - 30));
        foreach (float v in values)
            Assert.True(Fp16.RoundTrip(v).Equals(Fp16.RoundTripScale(v)), $"{v:R}: {Fp16.RoundTrip(v):R} vs {Fp16.RoundTripScale(v):R}");
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PerfSim.Microbench;

/// <summary>
/// Arithmetic peaks the host reaches from .NET. Int8 counts 2 ops per multiply-accumulate; on x86 it uses
/// vpmaddubsw+vpmaddwd+vpaddd (the sequence our kernels use, since .NET 10 has no AVX512-VNNI intrinsic).
/// </summary>
public sealed record ComputePeakResult(
    double Fp32FmaGflopsOneCore, double Fp32FmaGflopsAllCores,
    double Int8DotGopsOneCore, double Int8DotGopsAllCores,
    int Threads, string Fp32Instruction, string Int8Instruction);

public static class ComputePeak
{
    private const int Iterations = 1 << 16;

    public static ComputePeakResult Run(int threads)
    {
        double fmaOps = Fp32OpsPerCall();
        double i8Ops = Int8OpsPerCall();
        double f1 = fmaOps / Timing.BestSecondsPerCall(() => Fp32Fma(Iterations), 5, 0.02) / 1e9;
        double fN = threads * fmaOps / Timing.BestSecondsPerCall(() => Parallel.For(0, threads, _ => Fp32Fma(Iterations)), 5, 0.02) / 1e9;
        double i1 = i8Ops / Timing.BestSecondsPerCall(() => Int8Dot(Iterations), 5, 0.02) / 1e9;
        double iN = threads * i8Ops / Timing.BestSecondsPerCall(() => Parallel.For(0, threads, _ => Int8Dot(Iterations)), 5, 0.02) / 1e9;
        string fi = Avx512F.IsSupported ? "vfmadd (512-bit)" : Fma.IsSupported ? "vfmadd (256-bit)" : "Vector128 FMA";
        string ii = Avx512BW.IsSupported ? "vpmaddubsw+vpmaddwd (512-bit)" : Avx2.IsSupported ? "vpmaddubsw+vpmaddwd (256-bit)" : "scalar";
        return new ComputePeakResult(f1, fN, i1, iN, threads, fi, ii);
    }

    private static double Fp32OpsPerCall() => (double)Iterations * 10 * (Avx512F.IsSupported ? 16 : 8) * 2;
    private static double Int8OpsPerCall() => (double)Iterations * 8 * (Avx512BW.IsSupported ? 64 : Avx2.IsSupported ? 32 : 1) * 2;

    // 10 independent accumulators: FMA latency 4 × 2 pipes needs ≥ 8 in flight.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Fp32Fma(int iterations)
    {
        if (Avx512F.IsSupported)
        {
            Vector512<float> m = Vector512.Create(0.999f), c = Vector512.Create(0.001f);
            Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
            for (int i = 0; i < iterations; i++)
            {
                a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
                a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
                a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
                a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
                a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
        }
        else
        {
            Vector256<float> m = Vector256.Create(0.999f), c = Vector256.Create(0.001f);
            Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
            for (int i = 0; i < iterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
                a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
                a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
                a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
                a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            }
            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Int8Dot(int iterations)
    {
        if (Avx512BW.IsSupported)
        {
            Vector512<byte> u = Vector512.Create((byte)3);
            Vector512<sbyte> s = Vector512.Create((sbyte)-2);
            Vector512<short> one = Vector512.Create((short)1);
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < iterations; i++)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a4 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a5 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a6 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                a7 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, s), one);
                u += Vector512<byte>.One; // keeps the JIT from hoisting the loop-invariant products
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
        if (Avx2.IsSupported)
        {
            Vector256<byte> u = Vector256.Create((byte)3);
            Vector256<sbyte> s = Vector256.Create((sbyte)-2);
            Vector256<short> one = Vector256.Create((short)1);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < iterations; i++)
            {
                a0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a4 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a5 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a6 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                a7 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), one);
                u += Vector256<byte>.One;
            }
            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
        int acc = 0;
        for (int i = 0; i < iterations * 8; i++) acc += (byte)i * (sbyte)-2;
        return acc;
    }
}

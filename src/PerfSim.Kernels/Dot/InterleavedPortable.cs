using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PerfSim.Kernels.Formats;

namespace PerfSim.Kernels.Dot;

/// <summary>
/// Portable Vector128 (SSE / AdvSimd) and scalar kernels on the <see cref="WeightLayout.Interleaved16"/> layout.
/// Vector128 takes a group as 4 quarters of 4 rows (16 bytes of each 64-byte chunk); codes are widened to int16,
/// multiplied by the broadcast activation chunk and widened into 4 int32 partial sums per row.
/// The scalar kernel is the layout's straightforward reading, summed in the same order as <see cref="DotScalar"/>.
/// </summary>
internal static unsafe class InterleavedPortable
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Chunk(sbyte* x) => Vector128.WidenLower(Vector128.Create(*(int*)x).AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ4Vector128(byte* group, ActCol a, int nb, float* y)
    {
        for (int q = 0; q < 4; q++)
        {
            Vector128<float> f0 = default, f1 = default, f2 = default, f3 = default;
            for (int b = 0; b < nb; b++)
            {
                byte* sb = group + (long)(b >> 1) * 576;
                byte* codes = sb + 64 + (b & 1) * 256 + 16 * q;
                sbyte* x = a.Qs + b * 32;
                Vector128<short> s01 = default, s23 = default;   // ≤ 8 products of 15·127 per lane: no int16 overflow
                for (int c = 0; c < 4; c++)
                {
                    Vector128<byte> v = Vector128.Load(codes + 64 * c);
                    (Vector128<ushort> lo01, Vector128<ushort> lo23) = Vector128.Widen(v & Vector128.Create((byte)0x0F));
                    (Vector128<ushort> hi01, Vector128<ushort> hi23) = Vector128.Widen(Vector128.ShiftRightLogical(v, 4));
                    Vector128<short> xl = Chunk(x + 4 * c), xh = Chunk(x + 16 + 4 * c);
                    s01 += lo01.AsInt16() * xl + hi01.AsInt16() * xh;
                    s23 += lo23.AsInt16() * xl + hi23.AsInt16() * xh;
                }
                (Vector128<int> r0, Vector128<int> r1) = Vector128.Widen(s01);
                (Vector128<int> r2, Vector128<int> r3) = Vector128.Widen(s23);
                Vector128<int> corr = Vector128.CreateScalar(8 * a.Sum[b]);
                ushort* d = (ushort*)(sb + (b & 1) * 32) + 4 * q;
                float dx = a.D[b];
                f0 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r0 - corr), Vector128.Create(Fp16.ScaleToSingle(d[0]) * dx), f0);
                f1 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r1 - corr), Vector128.Create(Fp16.ScaleToSingle(d[1]) * dx), f1);
                f2 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r2 - corr), Vector128.Create(Fp16.ScaleToSingle(d[2]) * dx), f2);
                f3 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r3 - corr), Vector128.Create(Fp16.ScaleToSingle(d[3]) * dx), f3);
            }
            y[4 * q] = Vector128.Sum(f0); y[4 * q + 1] = Vector128.Sum(f1); y[4 * q + 2] = Vector128.Sum(f2); y[4 * q + 3] = Vector128.Sum(f3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemvQ8Vector128(byte* group, ActCol a, int nb, float* y)
    {
        Vector128<short> offset = Vector128.Create((short)128);
        for (int q = 0; q < 4; q++)
        {
            Vector128<float> f0 = default, f1 = default, f2 = default, f3 = default;
            for (int b = 0; b < nb; b++)
            {
                byte* sb = group + (long)(b >> 1) * 1088;
                byte* codes = sb + 64 + (b & 1) * 512 + 16 * q;
                sbyte* x = a.Qs + b * 32;
                Vector128<int> r0 = default, r1 = default, r2 = default, r3 = default;
                for (int c = 0; c < 8; c++)
                {
                    (Vector128<ushort> u01, Vector128<ushort> u23) = Vector128.Widen(Vector128.Load(codes + 64 * c));
                    Vector128<short> xc = Chunk(x + 4 * c);
                    (Vector128<int> p0, Vector128<int> p1) = Vector128.Widen((u01.AsInt16() - offset) * xc);   // |w·x| ≤ 127² fits int16
                    (Vector128<int> p2, Vector128<int> p3) = Vector128.Widen((u23.AsInt16() - offset) * xc);
                    r0 += p0; r1 += p1; r2 += p2; r3 += p3;
                }
                ushort* d = (ushort*)(sb + (b & 1) * 32) + 4 * q;
                float dx = a.D[b];
                f0 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r0), Vector128.Create(Fp16.ScaleToSingle(d[0]) * dx), f0);
                f1 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r1), Vector128.Create(Fp16.ScaleToSingle(d[1]) * dx), f1);
                f2 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r2), Vector128.Create(Fp16.ScaleToSingle(d[2]) * dx), f2);
                f3 = Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(r3), Vector128.Create(Fp16.ScaleToSingle(d[3]) * dx), f3);
            }
            y[4 * q] = Vector128.Sum(f0); y[4 * q + 1] = Vector128.Sum(f1); y[4 * q + 2] = Vector128.Sum(f2); y[4 * q + 3] = Vector128.Sum(f3);
        }
    }

    public static void GemvQ4Scalar(byte* group, ActCol a, int nb, float* y) => GemvScalar(group, a, nb, y, q4: true);

    public static void GemvQ8Scalar(byte* group, ActCol a, int nb, float* y) => GemvScalar(group, a, nb, y, q4: false);

    private static void GemvScalar(byte* group, ActCol a, int nb, float* y, bool q4)
    {
        int sbBytes = q4 ? 576 : 1088, cb = q4 ? 16 : 32;
        for (int r = 0; r < Interleaved.Rows; r++)
        {
            float sum = 0f;
            for (int b = 0; b < nb; b++)
            {
                byte* sb = group + (long)(b >> 1) * sbBytes;
                byte* codes = sb + 64 + (b & 1) * 16 * cb + 4 * r;
                sbyte* x = a.Qs + b * 32;
                int s = 0;
                for (int j = 0; j < cb; j++)
                {
                    byte v = codes[(j >> 2) * 64 + (j & 3)];
                    s += q4 ? ((v & 0x0F) - 8) * x[j] + ((v >> 4) - 8) * x[j + 16] : (v - 128) * x[j];
                }
                sum += s * (Fp16.ScaleToSingle(*(ushort*)(sb + (b & 1) * 32 + 2 * r)) * a.D[b]);
            }
            y[r] = sum;
        }
    }
}

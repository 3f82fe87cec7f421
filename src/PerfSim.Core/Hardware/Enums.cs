namespace PerfSim.Core.Hardware;

/// <summary>Arithmetic data types with their own peak rates. Peaks are always dense (no structured sparsity).</summary>
public enum DataType { Fp32, Tf32, Fp16, Bf16, Fp8, Int8, Int4, Fp4 }

/// <summary>
/// Which units a backend's matmuls run on: the matrix engine (tensor cores, AMX tiles, an NPU's MAC array) whose
/// rates are an engine's `peak`, or the vector ALUs (CUDA cores / shader ALUs, AVX/NEON/VNNI, an NPU's vector unit)
/// whose rates are its `vector_peak`.
/// </summary>
public enum ComputePath { Matrix, Vector }

public enum DeviceKind { Cpu, Gpu, Npu, Soc, Accelerator, System }

/// <summary>The kind of compute engine inside a device: a SoC has several sharing one memory.</summary>
public enum EngineKind { Cpu, Gpu, Npu, Accelerator }

public enum MemoryKind
{
    Registers, Sram, L1, L2, L3, Slc,
    Ddr4, Ddr5, Lpddr4x, Lpddr5, Lpddr5x, Gddr6, Gddr6x, Gddr7, Hbm2, Hbm2e, Hbm3, Hbm3e,
}

/// <summary>How a number was obtained: an efficiency must say whether it was measured, fitted or assumed.</summary>
public enum Basis { Measured, Fitted, Assumed }

public static class DataTypeFacts
{
    public static bool IsCache(this MemoryKind k) => k <= MemoryKind.Slc;

    public static double Bytes(this DataType t) => t switch
    {
        DataType.Fp32 or DataType.Tf32 => 4,
        DataType.Fp16 or DataType.Bf16 => 2,
        DataType.Fp8 or DataType.Int8 => 1,
        DataType.Int4 or DataType.Fp4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>
    /// Where an engine has no unit for a type, the work runs on the next wider type it does have
    /// (fp8 weights on an A100 are upcast to fp16, int4 runs on int8 units).
    /// </summary>
    public static IEnumerable<DataType> FallbackChain(this DataType t) => t switch
    {
        DataType.Fp4 => [DataType.Fp4, DataType.Fp8, DataType.Fp16, DataType.Bf16, DataType.Fp32],
        DataType.Int4 => [DataType.Int4, DataType.Int8, DataType.Fp16, DataType.Bf16, DataType.Fp32],
        DataType.Fp8 => [DataType.Fp8, DataType.Fp16, DataType.Bf16, DataType.Fp32],
        DataType.Int8 => [DataType.Int8, DataType.Fp16, DataType.Bf16, DataType.Fp32],
        DataType.Fp16 => [DataType.Fp16, DataType.Bf16, DataType.Fp32],
        DataType.Bf16 => [DataType.Bf16, DataType.Fp16, DataType.Fp32],
        DataType.Tf32 => [DataType.Tf32, DataType.Fp32],
        _ => [DataType.Fp32],
    };
}

using PerfSim.Core.Hardware;
using PerfSim.Core.Units;

namespace PerfSim.Core.Engine;

/// <summary>
/// Energy figures used when a profile gives none, each with its source. They are 45 nm / older-DRAM figures, so
/// for modern parts they overstate arithmetic energy: the report marks energy from these defaults as assumed.
/// </summary>
public static class EnergyDefaults
{
    // Horowitz, ISSCC 2014, 45 nm: one FMA = mult + add; per operation (one FLOP) = half of that.
    public static (JoulesPerOp Energy, string Source) PerOp(DataType t) => t switch
    {
        DataType.Fp32 or DataType.Tf32 => (new(2.3e-12), "Horowitz ISSCC 2014 45 nm: FP32 mult 3.7 pJ + add 0.9 pJ per FMA (2 ops)"),
        DataType.Fp16 or DataType.Bf16 => (new(0.75e-12), "Horowitz ISSCC 2014 45 nm: FP16 mult 1.1 pJ + add 0.4 pJ per FMA (2 ops)"),
        DataType.Fp8 or DataType.Fp4 => (new(0.4e-12), "assumed: between Horowitz's FP16 and INT8 figures"),
        _ => (new(0.15e-12), "Horowitz ISSCC 2014 45 nm: INT8 mult 0.2 pJ + INT32 add 0.1 pJ per MAC (2 ops)"),
    };

    public static (JoulesPerByte Energy, string Source) PerByte(MemoryKind k) => k switch
    {
        MemoryKind.Registers or MemoryKind.L1 or MemoryKind.Sram =>
            (JoulesPerByte.FromPicojoulesPerBit(0.31), "Horowitz ISSCC 2014: 32 KB SRAM 20 pJ per 64-bit access"),
        MemoryKind.L2 or MemoryKind.L3 or MemoryKind.Slc =>
            (JoulesPerByte.FromPicojoulesPerBit(1.56), "Horowitz ISSCC 2014: 1 MB SRAM 100 pJ per 64-bit access"),
        MemoryKind.Hbm2 or MemoryKind.Hbm2e or MemoryKind.Hbm3 or MemoryKind.Hbm3e =>
            (JoulesPerByte.FromPicojoulesPerBit(3.97), "O'Connor et al. MICRO'17: HBM2 3.97 pJ/bit (assumed for later HBM)"),
        MemoryKind.Gddr6 or MemoryKind.Gddr6x or MemoryKind.Gddr7 =>
            (JoulesPerByte.FromPicojoulesPerBit(7.5), "Micron average device power: GDDR6 7.5 pJ/bit (vendor marketing)"),
        MemoryKind.Lpddr4x or MemoryKind.Lpddr5 or MemoryKind.Lpddr5x =>
            (JoulesPerByte.FromPicojoulesPerBit(13), "LPDDR4 13–14 pJ/bit in simulation (Stanford thesis, via DRAM_info); assumed for LPDDR5/5X"),
        _ => (JoulesPerByte.FromPicojoulesPerBit(17.5), "DDR4 15–20 pJ/bit, a common modelling assumption; assumed for DDR5"),
    };

    public static JoulesPerByte For(MemoryLevel level) => level.EnergyPerByte?.Value ?? PerByte(level.Kind).Energy;

    /// <summary>
    /// The profile's figure if it has one; otherwise the 45 nm default, capped so that running at the dense peak
    /// cannot draw more than (TDP − idle) on arithmetic alone — a physical bound that modern nodes sit well below.
    /// </summary>
    public static JoulesPerOp For(ComputeEngine engine, DataType t, Watts tdp, Watts idle)
    {
        if (engine.EnergyPerOp.TryGetValue(t, out var e)) return e.Value;
        var (_, peak) = engine.PeakFor(t);
        double cap = (tdp.Value - idle.Value) / peak.Value;
        return new JoulesPerOp(Math.Min(PerOp(t).Energy.Value, cap));
    }
}

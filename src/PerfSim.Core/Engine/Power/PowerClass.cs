using PerfSim.Core.Hardware;

namespace PerfSim.Core.Engine.Power;

/// <summary>
/// The device classes the power model has parameters for: how a class keeps its clocks, leakage and fabric up while
/// kernels run differs far more between classes (a 700 W HBM GPU, a 450 W desktop card, a laptop SoC) than between
/// parts of one class, so parameters are per class, never per device.
/// </summary>
public enum PowerClass { DatacenterGpu, ConsumerGpu, Cpu, Soc, Npu }

public static class PowerClasses
{
    /// <summary>The class of an engine on a device: an NPU engine is an NPU; a GPU with HBM is a data-centre part.</summary>
    public static PowerClass Of(HardwareProfile device, ComputeEngine engine)
    {
        if (engine.Kind == EngineKind.Npu) return PowerClass.Npu;
        if (device.Kind == DeviceKind.Soc) return PowerClass.Soc;
        if (engine.Kind == EngineKind.Cpu) return PowerClass.Cpu;
        var mem = device.DeviceMemory.Kind;
        bool hbm = mem is MemoryKind.Hbm2 or MemoryKind.Hbm2e or MemoryKind.Hbm3 or MemoryKind.Hbm3e;
        bool lp = mem is MemoryKind.Lpddr4x or MemoryKind.Lpddr5 or MemoryKind.Lpddr5x;
        return hbm || device.Kind is DeviceKind.Accelerator or DeviceKind.System ? PowerClass.DatacenterGpu : lp ? PowerClass.Soc : PowerClass.ConsumerGpu;
    }

    public static string Name(this PowerClass c) => c switch
    {
        PowerClass.DatacenterGpu => "datacenter-gpu",
        PowerClass.ConsumerGpu => "consumer-gpu",
        PowerClass.Cpu => "cpu",
        PowerClass.Soc => "soc",
        _ => "npu",
    };
}

using PerfSim.Core.Units;

namespace PerfSim.Core.Engine.Power;

/// <summary>
/// Power-model parameters of one device class.
/// `BusyFloor`: share of (TDP − idle) drawn as soon as kernels run, before any work is counted (clocks raised,
/// leakage at operating temperature and voltage, the on-chip fabric and schedulers awake) — fitted.
/// `BusySlope`: further share per unit of utilization (max of compute and bandwidth utilization): more SMs and
/// memory controllers active — fitted.
/// `OnChipBytesPerFlop`: register-file / shared-memory operand traffic per FLOP (tile reuse leaves about this much
/// after register blocking) — assumed. `OnChipEnergy`: energy per byte of that traffic.
/// `L2PassThrough`: every byte from device memory also crosses the last-level cache / network on chip once.
/// `WaitShare`: share of the busy baseline drawn while the device waits on the host between kernels (framework
/// overhead): 0 would be idle power, 1 the full baseline (clocks do not drop within a few milliseconds) — fitted.
/// </summary>
public sealed record PowerParameters(double BusyFloor, double BusySlope, double OnChipBytesPerFlop, JoulesPerByte OnChipEnergy,
    bool L2PassThrough, string Source, double WaitShare = PowerParameters.AssumedWaitShare)
{
    /// <summary>Assumed before fitting: half the baseline while the device waits (clocks held, no operand traffic).</summary>
    public const double AssumedWaitShare = 0.5;

    /// <summary>Horowitz ISSCC 2014, 45 nm: 8 KB SRAM 10 pJ per 64-bit access ≈ 0.16 pJ/bit (register file / shared memory); an upper bound for newer nodes.</summary>
    public static readonly JoulesPerByte RegisterFile = JoulesPerByte.FromPicojoulesPerBit(0.16);
}

/// <summary>The parameters of every class; a fit replaces some of them (per fold in leave-one-device-out).</summary>
public sealed record PowerParameterSet(IReadOnlyDictionary<PowerClass, PowerParameters> ByClass)
{
    public PowerParameters For(PowerClass c) => ByClass.TryGetValue(c, out var p) ? p : Defaults.ByClass[c];

    public PowerParameterSet With(PowerClass c, double busyFloor, double busySlope, string source) => With(c, busyFloor, busySlope, For(c).WaitShare, source);

    public PowerParameterSet With(PowerClass c, double busyFloor, double busySlope, double waitShare, string source)
    {
        var d = new Dictionary<PowerClass, PowerParameters>(ByClass) { [c] = For(c) with { BusyFloor = busyFloor, BusySlope = busySlope, WaitShare = waitShare, Source = source } };
        return new PowerParameterSet(d);
    }

    /// <summary>
    /// The assumed starting point of every fit, and what a class with no training measurement keeps (a
    /// leave-one-device-out fold whose class has no other device): a busy floor of 0.3 and a slope of 0.3 of
    /// (TDP − idle), i.e. 60 % of the span at full utilization (assumed: a typical GPU under a memory-bound load).
    /// </summary>
    public static readonly PowerParameterSet Priors = new(new Dictionary<PowerClass, PowerParameters>
    {
        [PowerClass.DatacenterGpu] = new(0.30, 0.30, 0.05, PowerParameters.RegisterFile, true, "assumed prior"),
        [PowerClass.ConsumerGpu] = new(0.30, 0.30, 0.05, PowerParameters.RegisterFile, true, "assumed prior"),
        [PowerClass.Cpu] = new(0.30, 0.30, 0.10, PowerParameters.RegisterFile, true, "assumed prior"),
        [PowerClass.Soc] = new(0.30, 0.30, 0.05, PowerParameters.RegisterFile, true, "assumed prior"),
        [PowerClass.Npu] = new(0.20, 0.30, 0.02, PowerParameters.RegisterFile, false, "assumed prior: NPUs stream weights through local SRAM with no large shared cache"),
    });

    /// <summary>
    /// Shipped values. BusyFloor of the datacenter and consumer GPU classes is fitted on energy-measurements.csv
    /// (ML.ENERGY v2/v3 GPU-only NVML power; geerlingguy wall power) — see docs/energy-validation.md; the CPU, SoC and NPU floors
    /// are assumed (no measurement of those classes is predictable yet: the laptop chip has no profile).
    /// Refit and copy here after a power-model change: `perfsim validate --reference energy-measurements.csv` prints the fit.
    /// </summary>
    public static readonly PowerParameterSet Defaults = new(new Dictionary<PowerClass, PowerParameters>
    {
        // Fitted: a busy H100 under vLLM sits near 480 W at batch 8 with little arithmetic (ML.ENERGY v3); power held at the TDP cap.
        // An A100 under vLLM 0.5.4 averages 120–200 W: it waits on the host loop for most of each step (ML.ENERGY v2),
        // drawing idle plus ~30 % of the baseline meanwhile (wait share fitted; the SoC's is its assumed prior: no host wait in its rows).
        // The slope fits near zero: measured power barely moves with utilization once the clocks are up.
        [PowerClass.DatacenterGpu] = new(0.409, 0.134, 0.05, PowerParameters.RegisterFile, true, "fitted on energy-measurements.csv: 188 rows, 4 devices (perfsim validate, with the fitted vllm-cuda and vllm-cuda-0.5 speed)", 0.297),
        [PowerClass.ConsumerGpu] = new(0.273, 0.112, 0.05, PowerParameters.RegisterFile, true, "fitted on energy-measurements.csv: 3 rows, 1 device (weak: one RTX 4090)", 0.422),
        // Assumed: CPUs raise all-core clocks under load; package power rises to ~60 % of TDP−idle on memory-bound decode.
        [PowerClass.Cpu] = new(0.40, 0.30, 0.10, PowerParameters.RegisterFile, true, "assumed: CPU package under an all-core memory-bound load"),
        [PowerClass.Soc] = new(0.541, 0.457, 0.05, PowerParameters.RegisterFile, true, "fitted on energy-measurements.csv: 5 rows, 2 devices (Apple wall power)"),
        [PowerClass.Npu] = new(0.20, 0.30, 0.02, PowerParameters.RegisterFile, false, "assumed: NPUs stream weights through local SRAM with no large shared cache"),
    });
}

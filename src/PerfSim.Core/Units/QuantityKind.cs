namespace PerfSim.Core.Units;

/// <summary>What a written value measures; decides which unit spellings are accepted.</summary>
public enum QuantityKind
{
    Bytes,
    BytesPerSecond,
    OpsPerSecond,
    Watts,
    EnergyPerOp,
    EnergyPerByte,
    Seconds,
    Hertz,
    Usd,
    UsdPerHour,
}

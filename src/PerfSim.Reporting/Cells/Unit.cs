namespace PerfSim.Reporting.Cells;

/// <summary>The unit of a quantity cell. JSON and CSV carry the value in the base unit named here; tables add SI prefixes.</summary>
public enum Unit
{
    Seconds,
    Days,
    Bytes,
    BytesPerSecond,
    Flop,
    FlopPerSecond,
    FlopPerByte,
    Joules,
    Watts,
    KilowattHours,
    Usd,
    UsdPerHour,
    UsdPerKwh,
    Tokens,
    TokensPerSecond,
    RequestsPerSecond,
    Years,
    Hours,
    /// <summary>A value already in percent (an error, a MAPE): shown with "%", carried as the percent number.</summary>
    Percent,
}

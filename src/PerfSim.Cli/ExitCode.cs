namespace PerfSim.Cli;

/// <summary>Exit codes: scripts can tell a typo in the command line from a bad file from a model that does not fit.</summary>
public enum ExitCode
{
    Ok = 0,
    Failure = 1,
    Usage = 2,
    InvalidInput = 3,
    DoesNotFit = 4,
}

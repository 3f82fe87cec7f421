namespace PerfSim.Composition;

/// <summary>
/// A request that cannot be honoured as asked: a value out of range, a conflicting pair, a backend that does not run
/// on the device. `Option` names the command-line option (or request field) at fault; the message is one line.
/// </summary>
public sealed class UsageException(string message) : Exception(message);

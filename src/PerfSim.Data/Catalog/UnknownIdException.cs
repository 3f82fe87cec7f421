using PerfSim.Data.Input;
namespace PerfSim.Data.Catalog;

/// <summary>An ID that names nothing known; the message lists the closest known IDs.</summary>
public sealed class UnknownIdException(string what, string id, IReadOnlyList<string> closest)
    : Exception(closest.Count > 0
        ? $"unknown {what} '{Printable.Of(id)}'; closest known: {string.Join(", ", closest)}"
        : $"unknown {what} '{Printable.Of(id)}'; run 'perfsim list' to see what is available")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}

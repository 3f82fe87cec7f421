using PerfSim.Data.Input;
namespace PerfSim.Data.Catalog;

/// <summary>An ID that names nothing known; the message lists the closest known IDs, or says a path is not an ID.</summary>
public sealed class UnknownIdException(string what, string id, IReadOnlyList<string> closest)
    : Exception(MessageFor(what, id, closest))
{
    public string What { get; } = what;
    public string Id { get; } = id;

    static string MessageFor(string what, string id, IReadOnlyList<string> closest)
    {
        string shown = Printable.Of(id);
        // A path where an ID belongs (e.g. `-m /dev/zero`): say so instead of suggesting look-alike IDs.
        if (id.Contains('/') || id.Contains('\\'))
            return $"unknown {what} '{shown}': this looks like a path, but a {what} is named by its catalog ID; run 'perfsim list' to see what is available";
        return closest.Count > 0
            ? $"unknown {what} '{shown}'; closest known: {string.Join(", ", closest)}"
            : $"unknown {what} '{shown}'; run 'perfsim list' to see what is available";
    }
}

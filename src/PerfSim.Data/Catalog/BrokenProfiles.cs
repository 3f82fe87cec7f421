using PerfSim.Data.Profiles;

namespace PerfSim.Data.Catalog;

/// <summary>The kinds of profile the catalog holds; an ID is unique within its kind.</summary>
enum Kind { Hardware, Interconnect, Memory, Model, Quant, Kv, Scenario, Backend }

/// <summary>
/// The profiles the catalog left out, by kind and ID (case-insensitive, like lookups), each with the one-line error
/// that a lookup of its ID throws. A duplicate ID is filed once, naming both files.
/// </summary>
sealed class BrokenProfiles
{
    readonly Dictionary<(Kind, string), ProfileException> byId = new(new KeyComparer());
    readonly List<ProfileException> problems = [];

    public IReadOnlyList<ProfileException> Problems => problems;

    /// <summary>Each kind and ID with the error a lookup throws (for the catalog snapshot).</summary>
    public IEnumerable<(Kind Kind, string Id, ProfileException Error)> Entries => byId.Select(e => (e.Key.Item1, e.Key.Item2, e.Value));

    /// <summary>The state <see cref="Problems"/> and <see cref="Entries"/> describe, as a snapshot stored it.</summary>
    public static BrokenProfiles Restore(IEnumerable<ProfileException> problems, IEnumerable<(Kind Kind, string Id, ProfileException Error)> entries)
    {
        var b = new BrokenProfiles();
        b.problems.AddRange(problems);
        foreach (var (kind, id, error) in entries) b.byId[(kind, id)] = error;
        return b;
    }

    public bool Has(Kind kind, string id) => byId.ContainsKey((kind, id));

    public ProfileException? Get(Kind kind, string id) => byId.GetValueOrDefault((kind, id));

    public void Add(Kind kind, string id, ProfileException e)
    {
        problems.Add(e);
        byId.TryAdd((kind, id), e);
    }

    /// <summary>A second file defines an ID: neither file is used, since which one is meant cannot be known.</summary>
    public void Duplicate(Kind kind, string id, string file, int line, (string File, int Line)? first)
    {
        var where = first is { } f ? f.File : (byId.TryGetValue((kind, id), out var e) ? e.File : "another file");
        var error = new ProfileException(file, line, "id", $"'{Input.Printable.Of(id)}' is also defined in {where}; IDs must be unique, so neither file is used (rename one)");
        problems.Add(error);
        byId[(kind, id)] = error;
    }

    sealed class KeyComparer : IEqualityComparer<(Kind, string)>
    {
        public bool Equals((Kind, string) a, (Kind, string) b) => a.Item1 == b.Item1 && StringComparer.OrdinalIgnoreCase.Equals(a.Item2, b.Item2);
        public int GetHashCode((Kind, string) k) => HashCode.Combine(k.Item1, StringComparer.OrdinalIgnoreCase.GetHashCode(k.Item2));
    }
}

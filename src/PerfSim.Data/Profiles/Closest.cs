namespace PerfSim.Data.Profiles;

/// <summary>Closest-name suggestions for unknown IDs and fields (edit distance, then shared prefix).</summary>
public static class Closest
{
    public static string? Match(string wanted, IEnumerable<string> known) => Matches(wanted, known, 1).FirstOrDefault();

    public static IReadOnlyList<string> Matches(string wanted, IEnumerable<string> known, int count)
    {
        var limit = Math.Max(3, wanted.Length / 2);
        return known
            .Select(k => (Key: k, Distance: Distance(wanted.ToLowerInvariant(), k.ToLowerInvariant()), Contains: k.Contains(wanted, StringComparison.OrdinalIgnoreCase)))
            .Where(x => x.Distance <= limit || x.Contains)
            .OrderBy(x => x.Contains ? 0 : 1).ThenBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Take(count).Select(x => x.Key).ToArray();
    }

    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

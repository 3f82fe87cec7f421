using PerfSim.Composition;

namespace PerfSim.Sweep;

/// <summary>One point of a grid: the axes' values at that index.</summary>
public sealed record SweepPoint(long Index, string Hardware, string Model, string? Quant, int? Devices, int Batch, int Prompt, int Gen);

/// <summary>
/// The cross product hardware × model × quant × devices (layout: tensor-parallel group size) × batch × prompt × gen, in
/// that nesting order (hardware outermost, gen innermost). Point i is computed from i alone, so any range of the grid —
/// a shard — is enumerated without walking the points before it.
/// </summary>
public sealed record SweepGrid(
    IReadOnlyList<string> Hardware,
    IReadOnlyList<string> Models,
    IReadOnlyList<string?> Quants,
    IReadOnlyList<int?> Devices,
    IReadOnlyList<int> Batches,
    IReadOnlyList<int> Prompts,
    IReadOnlyList<int> Gens)
{
    public long Count => (long)Hardware.Count * Models.Count * Quants.Count * Devices.Count * Batches.Count * Prompts.Count * Gens.Count;

    public SweepPoint this[long i]
    {
        get
        {
            if (i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(i));
            long r = i;
            int g = (int)(r % Gens.Count); r /= Gens.Count;
            int p = (int)(r % Prompts.Count); r /= Prompts.Count;
            int b = (int)(r % Batches.Count); r /= Batches.Count;
            int d = (int)(r % Devices.Count); r /= Devices.Count;
            int q = (int)(r % Quants.Count); r /= Quants.Count;
            int m = (int)(r % Models.Count); r /= Models.Count;
            return new SweepPoint(i, Hardware[(int)r], Models[m], Quants[q], Devices[d], Batches[b], Prompts[p], Gens[g]);
        }
    }

    /// <summary>Resolves every ID of the grid once, so a typo fails the whole sweep up front (one line, closest IDs) instead of every row.</summary>
    public void Check(Data.Catalog.ProfileCatalog catalog)
    {
        if (Count == 0) throw new UsageException("sweep: the grid is empty (every axis needs at least one value)");
        foreach (var h in Hardware) catalog.GetHardware(h);
        foreach (var m in Models) ModelSource.Load(catalog, m);
        foreach (var q in Quants) if (q is not null) catalog.GetQuant(q);
    }

    /// <summary>The request for a point: the base request (backend, engine, assumptions…) with the grid's values.</summary>
    public static PredictionRequest RequestFor(PredictionRequest baseRequest, SweepPoint p) => baseRequest with
    {
        Hardware = p.Hardware,
        Model = p.Model,
        Quant = p.Quant,
        Devices = p.Devices,
        Scenario = new ScenarioRequest(Batch: p.Batch, Prompt: p.Prompt, Gen: p.Gen),
    };
}

/// <summary>
/// Shard k of N (1-based) of a grid of T points: the contiguous range [⌊(k−1)T/N⌋, ⌊kT/N⌋). Shards do not overlap,
/// cover the grid, and in order concatenate to it.
/// </summary>
public readonly record struct Shard(int K, int N)
{
    public static readonly Shard Whole = new(1, 1);

    public (long Start, long End) Range(long total) => (total * (K - 1) / N, total * K / N);

    /// <summary>Parses "k/N"; one line naming the option and what was expected on error.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new UsageException($"--shard: expected k/N with 1 ≤ k ≤ N (e.g. 3/8), got '{text}'");
    }
}

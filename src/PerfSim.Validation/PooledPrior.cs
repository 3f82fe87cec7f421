using PerfSim.Core.Backends;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>
/// What a fitted matmul share is a share of: the engine kind, the units the matmuls run on (matrix engine or vector
/// ALUs) and the arithmetic they compute in. Two backends' `gemm` values are comparable only within one class.
/// </summary>
public sealed record PoolClass(EngineKind Engine, ComputePath Path, DataType Compute)
{
    public override string ToString() => $"{Engine.ToString().ToLowerInvariant()}/{Path.ToString().ToLowerInvariant()}/{Compute.ToString().ToLowerInvariant()}";
}

/// <summary>A backend as fitted without the held-out device, and the class of the rows it was fitted on.</summary>
public sealed record PeerFit(BackendProfile Profile, PoolClass Class);

/// <summary>
/// The second level of a hierarchical prior, for a backend that has no measurement left once a device is held out
/// (a backend measured on one device only). Its own fit is never used for that device; its hand-written prior is a
/// guess; the evidence that does exist is how close other software on the same kind of units gets to their peak.
/// The rule is fixed, not per row:
/// - only `gemm` is pooled: a share of the compute peak of one class (<see cref="PoolClass"/>). Streaming bandwidth
///   shares depend on the platform's memory system (channels, NUMA, prefetch) as much as on the software, and
///   overheads, unpack costs and the fill half-point are the software's own: they keep the hand prior;
/// - donors are the other backends in the same fold (each fitted without the held-out device: its fold fit if it
///   measured that device, else its full fit), whose `fit:` list has `gemm` and whose remaining rows all fall in the
///   borrower's class and include a row that sees the matmul rate (prefill, TTFT or batched throughput: a decode-only
///   donor's gemm is still its prior); a donor that is itself on a pooled prior is no donor (no chains);
/// - the pooled value is the geometric mean over donors, one vote per backend;
/// - no donor in the class: the hand prior stays.
/// </summary>
public static class PooledPrior
{
    /// <summary>The parameters that are shares of one class's peak, and so comparable across backends of that class.</summary>
    public static IReadOnlyList<string> Pooled { get; } = ["gemm"];

    /// <summary>True for a row whose figure depends on the large-M matmul rate, so a fit on it says something about `gemm`.</summary>
    public static bool SeesGemm(ReferenceRow r) => r.Metric is Metric.PrefillTokensPerS or Metric.TtftS or Metric.ThroughputTokensPerS;

    /// <summary>
    /// The class of a backend's matmuls on a set of rows, or null when the rows span several classes (their fitted
    /// share then mixes peaks) or name hardware or a quantization the catalog does not have.
    /// </summary>
    public static PoolClass? ClassOf(ProfileCatalog catalog, BackendProfile backend, IEnumerable<ReferenceRow> rows)
    {
        var classes = new HashSet<PoolClass>();
        foreach (var r in rows)
        {
            if (!catalog.Hardware.TryGetValue(r.Hardware, out var hw) || Quant(catalog, r) is not { } q) return null;
            var compute = backend.ComputeTypes.TryGetValue(BackendProfile.Family(q), out var t) ? t : q.ComputeType;
            classes.Add(new PoolClass(backend.Engine, backend.PathOn(hw.Vendor), compute));
        }
        return classes.Count == 1 ? classes.Single() : null;
    }

    static Core.Workloads.QuantScheme? Quant(ProfileCatalog catalog, ReferenceRow r)
    {
        try { return catalog.GetQuant(RowAliases.Quant(r.Quant)); }
        catch (Exception e) when (Validator.IsRowProblem(e)) { return null; }
    }

    /// <summary>
    /// The borrower's prior with its pooled shares replaced by the geometric mean of its donors' fitted values, and the
    /// donors used (empty: no donor, the hand prior is returned unchanged).
    /// </summary>
    public static (BackendProfile Prior, IReadOnlyList<string> Donors) For(BackendProfile borrower, PoolClass? cls, IEnumerable<PeerFit> peers)
    {
        var prior = borrower.AtPrior();
        if (cls is null) return (prior, []);
        var same = peers.Where(p => p.Profile.Id != borrower.Id && p.Class == cls).ToList();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in Pooled.Where(borrower.Fitted.Contains))
        {
            var donors = same.Where(p => p.Profile.Fitted.Contains(name)).ToList();
            if (donors.Count == 0) continue;
            values[name] = Math.Exp(donors.Average(p => Math.Log(p.Profile.Value(name))));
            foreach (var d in donors) used.Add(d.Profile.Id);
        }
        if (values.Count == 0) return (prior, []);
        return (prior.With(values, Basis.Assumed, $"pooled prior ({cls}): geometric mean of {string.Join(", ", used)} fitted without the held-out device"), used.ToList());
    }
}

using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Data.Catalog;

namespace PerfSim.Validation;

/// <summary>A backend fitted without one device: the peer a pooled prior may borrow from.</summary>
public sealed record PeerFit(BackendProfile Profile, EngineKind Engine, ComputePath Path);

/// <summary>
/// The prior of a backend that has no measurement left once a device is held out (a backend measured on one device
/// only): instead of its hand-written prior it borrows the fitted efficiencies of the backends that run on the same
/// engine kind and the same compute path (matrix units vs vector ALUs), each of them fitted without the held-out
/// device. Why: the efficiencies are shares of the path's own peak, so software on the same units lands in a similar
/// range (cuBLAS, Metal simdgroup matrices and TensorRT-LLM all reach a few tenths of the tensor peak), which is
/// evidence where a hand guess is none. The rule is fixed, not per row:
/// - only efficiencies are pooled (<see cref="Pooled"/>: fractions of a peak); overheads, unpack costs and the fill
///   half-point are the software's own and keep the hand prior;
/// - a parameter is borrowed only from peers that fitted it (in their `fit:` list), and only if the borrower fits it;
/// - the pooled value is the geometric mean over those peers, one vote per backend (a backend measured on many
///   devices already averages them in its fit);
/// - no peer on the same engine kind and path: the hand prior stays (a GPU's tensor-core share says nothing about a
///   CPU's AMX tiles or an NPU's MAC arrays).
/// </summary>
public static class PooledPrior
{
    /// <summary>The parameters that are fractions of a peak, and so comparable across backends on the same units.</summary>
    public static IReadOnlyList<string> Pooled { get; } = ["memory_bandwidth", "gemm", "gemv"];

    /// <summary>
    /// The compute path a backend's fitted fractions refer to: the path it runs on the devices of its rows, or null when
    /// those devices put it on both paths (its fractions then mix two peaks and are not borrowed).
    /// </summary>
    public static ComputePath? PathOver(ProfileCatalog catalog, BackendProfile backend, IEnumerable<string> devices)
    {
        var paths = devices.Select(d => catalog.Hardware.TryGetValue(d, out var h) ? backend.PathOn(h.Vendor) : backend.Path)
            .Distinct().ToList();
        return paths.Count == 1 ? paths[0] : null;
    }

    /// <summary>
    /// The borrower's prior with its pooled efficiencies replaced by the geometric mean of its peers' fitted values,
    /// and the peers used (empty: no peer, the hand prior is returned unchanged).
    /// </summary>
    public static (BackendProfile Prior, IReadOnlyList<string> Peers) For(BackendProfile borrower, ComputePath path, IEnumerable<PeerFit> peers)
    {
        var prior = borrower.AtPrior();
        var same = peers.Where(p => p.Profile.Id != borrower.Id && p.Engine == borrower.Engine && p.Path == path).ToList();
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
        return (prior.With(values, Basis.Assumed, $"pooled prior: geometric mean of {string.Join(", ", used)}"), used.ToList());
    }
}

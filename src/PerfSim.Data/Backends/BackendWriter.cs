using System.Globalization;
using System.Text;
using PerfSim.Core.Hardware;

namespace PerfSim.Data.Backends;

/// <summary>Writes a backend profile back to YAML (the whole file is regenerated; comments come from `header`).</summary>
public static class BackendWriter
{
    public static string ToYaml(BackendProfile b, IEnumerable<string>? header = null)
    {
        var s = new StringBuilder();
        foreach (var h in header ?? []) s.Append("# ").AppendLine(h);
        s.AppendLine($"id: {b.Id}");
        s.AppendLine($"name: {Q(b.Name)}");
        s.AppendLine($"engine: {b.Engine.ToString().ToLowerInvariant()}");
        if (b.KernelsOf is { } parent) s.AppendLine($"kernels_of: {parent}   # the same device kernels as {parent} (kernel parameters shared and fitted together)");
        if (b.Vendors is { } vendors) s.AppendLine($"vendors: [{string.Join(", ", vendors)}]");
        s.AppendLine($"attention: {Q(b.Attention)}");
        if (b.MultiDevice != "tensor") s.AppendLine($"multi_device: {b.MultiDevice}   # split over devices by layers: devices run in turn");
        if (b.Formats.Count > 0) s.AppendLine($"formats: [{string.Join(", ", b.Formats)}]");
        if (b.Path == ComputePath.Vector)
            s.AppendLine("compute_path: vector   # matmuls on the vector ALUs (the engine's vector_peak), not the matrix units");
        if (b.MatrixPathVendors is { } mv) s.AppendLine($"matrix_path_vendors: [{string.Join(", ", mv)}]   # vendors whose drivers expose the matrix units to it");
        if (b.LayoutsField is { } layouts) s.AppendLine($"layouts: [{string.Join(", ", layouts)}]   # layout dimensions this backend runs");
        s.AppendLine("sources:");
        foreach (var (k, v) in b.Sources) s.AppendLine($"  {k}: {Q(v)}");
        if (b.ComputeTypes.Count > 0)
        {
            s.AppendLine("compute:                 # arithmetic of the matmuls per weight-format family");
            foreach (var (k, v) in b.ComputeTypes) s.AppendLine($"  {k}: {v.ToString().ToLowerInvariant()}");
        }
        if (b.KvCache is { Count: > 0 } kv)
        {
            s.AppendLine("kv_cache:                # KV-cache format this backend keeps, per weight-format family");
            foreach (var (k, v) in kv) s.AppendLine($"  {k}: {v}");
        }
        s.AppendLine("parameters:");
        foreach (var spec in BackendProfile.Specs)
        {
            if (!b.Parameters.TryGetValue(spec.Name, out var p)) continue;
            var value = spec.Unit == "s" ? Time(p.Value) : Num(p.Value);
            var tail = p.Basis == Basis.Assumed
                ? $"basis: assumed, why: {Q(p.Why)}"
                : $"basis: {p.Basis.ToString().ToLowerInvariant()}, source: {SourceKeyOf(b, p.Why)}"
                  + (p.Prior is { } pr ? $", prior: {(spec.Unit == "s" ? Time(pr) : Num(pr))}" : "");
            s.AppendLine($"  {spec.Name}: {{ value: {value}, {tail} }}   # {spec.Unit}: {spec.Meaning}");
        }
        if (b.RuntimeReserve is { } r)
            s.AppendLine($"runtime_reserve: {{ value: {(r.Value.Value / (1024.0 * 1024 * 1024)).ToString("0.###", CultureInfo.InvariantCulture)} GiB, basis: {r.Basis.ToString().ToLowerInvariant()}, "
                + (r.Basis == Basis.Assumed ? $"why: {Q(r.Why)}" : $"source: {SourceKeyOf(b, r.Why)}") + " }");
        if (b.Fitted.Count > 0) s.AppendLine($"fit: [{string.Join(", ", b.Fitted)}]");
        if (b.Notes is { } n) s.AppendLine($"notes: {Q(n)}");
        return s.ToString();
    }

    static string SourceKeyOf(BackendProfile b, string text) =>
        b.Sources.FirstOrDefault(kv => kv.Value == text).Key ?? b.Sources.Keys.First();

    static string Num(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    static string Time(double seconds) =>
        seconds == 0 ? "0 us" : (seconds * 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " us";

    static string Q(string v) => "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

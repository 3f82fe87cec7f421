using System.Globalization;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Core.Units;
using YamlDotNet.RepresentationModel;
using PerfSim.Data.Input;

namespace PerfSim.Data.Backends;

/// <summary>
/// Reads `workloads/backends/*.yaml` (see docs/backends.md). Parameters are `{ value, basis: assumed, why }` or
/// `{ value, basis: fitted|measured, source: key }`; times carry their unit (`120 us`), the rest are plain numbers.
/// </summary>
public static class BackendLoader
{
    public static BackendProfile Load(YamlMappingNode node, YamlDocumentSet docs)
    {
        var root = YamlMap.Root(node, docs.FileOf);
        var id = root.String("id");
        var name = root.String("name");
        var engine = root.Enum<EngineKind>("engine");
        var attention = root.OptionalString("attention") ?? "unspecified";
        var sources = SourcedFields.ReadSources(root);
        var compute = new Dictionary<string, DataType>(StringComparer.Ordinal);
        if (root.OptionalMap("compute") is { } cm)
        {
            foreach (var family in new[] { "int4", "int8", "fp8", "f16" })
                if (cm.OptionalString(family) is { } t)
                {
                    if (!Enum.TryParse<DataType>(t, true, out var dt))
                        throw cm.Error(family, $"expected a data type (fp32 tf32 fp16 bf16 fp8 int8 int4 fp4), got '{Printable.Of(t)}'");
                    compute[family] = dt;
                }
            cm.Done();
        }
        // `compute_path: matrix | vector`: the units the matmuls run on; `matrix_path_vendors`: vendors whose drivers
        // give a vector-path backend the matrix units anyway (Vulkan cooperative matrices).
        var path = root.OptionalString("compute_path") is { } cp
            ? cp switch
            {
                "matrix" => ComputePath.Matrix,
                "vector" => ComputePath.Vector,
                _ => throw root.Error("compute_path", $"expected matrix or vector, got '{Printable.Of(cp)}'"),
            }
            : ComputePath.Matrix;
        var matrixVendors = root.Has("matrix_path_vendors") ? root.OptionalStringList("matrix_path_vendors") : null;
        if (matrixVendors is not null && path != ComputePath.Vector)
            throw root.Error("matrix_path_vendors", "only a backend with compute_path: vector can list vendors where it reaches the matrix units");
        var kvCache = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.OptionalMap("kv_cache") is { } km)
        {
            foreach (var family in new[] { "int4", "int8", "fp8", "f16" })
                if (km.OptionalString(family) is { } k) kvCache[family] = k;
            km.Done();
        }
        var parameters = new Dictionary<string, BackendParameter>(StringComparer.Ordinal);
        var pm = root.Map("parameters");
        foreach (var spec in BackendProfile.Specs)
        {
            if (pm.OptionalMap(spec.Name) is not { } m) continue;
            double v = ReadValue(m, spec);
            var basis = m.Enum<Basis>("basis");
            double? prior = null;
            if (m.OptionalString("prior") is { } ps)
            {
                if (!double.TryParse(ps.Replace(" us", ""), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var pv))
                    throw m.Error("prior", $"expected a number, got '{Printable.Of(ps)}'");
                prior = spec.Unit == "s" && ps.EndsWith(" us", StringComparison.Ordinal) ? pv * 1e-6 : pv;
                if (prior < spec.Min || prior > spec.Max) throw m.Error("prior", $"{spec.Name} prior must be in [{spec.Min}, {spec.Max}]");
            }
            string why;
            if (basis == Basis.Assumed) why = m.String("why");
            else
            {
                var key = m.String("source");
                if (!sources.TryGetValue(key, out var text)) throw m.Error("source", $"'{Printable.Of(key)}' is not a key of this profile's 'sources' table");
                why = text;
                m.OptionalString("why");
            }
            m.Done();
            parameters[spec.Name] = new BackendParameter(v, basis, why, prior);
        }
        pm.Done();
        var fitted = root.OptionalStringList("fit");
        foreach (var f in fitted)
            if (BackendProfile.Specs.All(s => s.Name != f)) throw root.Error("fit", $"'{Printable.Of(f)}' is not a backend parameter; known: {string.Join(", ", BackendProfile.Specs.Select(s => s.Name))}");
        if (fitted.Count > 6) throw root.Error("fit", "at most 6 fitted parameters per backend (a handful, shared by every device)");
        var multi = root.OptionalString("multi_device") ?? "tensor";
        if (multi is not ("tensor" or "layer")) throw root.Error("multi_device", $"expected tensor or layer, got '{Printable.Of(multi)}'");
        var formats = root.OptionalStringList("formats");
        var notes = root.OptionalString("notes");
        RuntimeReserve? reserve = null;
        if (root.OptionalMap("runtime_reserve") is { } rm)
        {
            var value = rm.Quantity("value", QuantityKind.Bytes);
            var basis = rm.Enum<Basis>("basis");
            string why = basis == Basis.Assumed ? rm.String("why") : sources.TryGetValue(rm.String("source"), out var t) ? t
                : throw rm.Error("source", "not a key of this profile's 'sources' table");
            rm.Done();
            reserve = new RuntimeReserve(new Bytes(value), basis, why);
        }
        IReadOnlyList<string>? layouts = null;
        if (root.Has("layouts"))
        {
            layouts = root.OptionalStringList("layouts");
            foreach (var l in layouts)
                if (l is not ("tp" or "pp" or "ep" or "dp")) throw root.Error("layouts", $"expected tp, pp, ep or dp, got '{l}'");
        }
        var vendors = root.Has("vendors") ? root.OptionalStringList("vendors") : null;
        // `kernels_of: ID`: another version of that backend's engine with the same device kernels (its kernel
        // parameters are that backend's and are fitted together with it; only the host side differs).
        var kernelsOf = root.OptionalString("kernels_of");
        if (kernelsOf is not null && kernelsOf == id) throw root.Error("kernels_of", "a backend cannot share kernels with itself");
        root.Done();
        return new BackendProfile(id, name, engine, attention, compute, parameters, fitted, formats, sources, notes, root.File, kvCache, multi, reserve, layouts, vendors,
            path, matrixVendors, kernelsOf);
    }

    static double ReadValue(YamlMap m, BackendParameterSpec spec)
    {
        double v;
        if (spec.Unit == "s")
        {
            var s = m.String("value");
            if (s == "0" || s == "0 s" || s == "0 us") v = 0;
            else v = m.Quantity("value", QuantityKind.Seconds);
        }
        else
        {
            var s = m.String("value");
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) || !double.IsFinite(v))
                throw m.Error("value", $"expected a number, got '{Printable.Of(s)}'");
        }
        if (v < spec.Min || v > spec.Max || (spec.Unit == "fraction" && v <= 0))
            throw m.Error("value", $"{spec.Name} must be in [{spec.Min.ToString(CultureInfo.InvariantCulture)}, {spec.Max.ToString(CultureInfo.InvariantCulture)}] {spec.Unit}, got {v.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }
}

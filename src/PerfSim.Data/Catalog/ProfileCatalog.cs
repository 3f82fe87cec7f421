using PerfSim.Core.Hardware;
using PerfSim.Data.Backends;
using PerfSim.Data.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Data.Workloads;
using PerfSim.Core.Workloads;
using YamlDotNet.RepresentationModel;
using PerfSim.Data.Input;

namespace PerfSim.Data.Catalog;

/// <summary>
/// Everything PerfSim knows: hardware, interconnects, memory technologies, models, quantization schemes,
/// KV formats, scenarios and backends, loaded from a data folder holding `hardware-profiles/` and `workloads/`.
/// Loading is strict per file but tolerant across files (docs/profile-schema.md, "Broken profiles"): a file that
/// does not load, or whose ID another file also defines, or that refers to a broken or unknown profile, is left out
/// and named in <see cref="Problems"/>; looking up its ID fails with that file's one-line error, so only the commands
/// that need it fail, and every other command runs.
/// </summary>
public sealed class ProfileCatalog
{
    public string Root { get; }
    public IReadOnlyDictionary<string, HardwareProfile> Hardware { get; }
    public IReadOnlyDictionary<string, InterconnectProfile> Interconnects { get; }
    public IReadOnlyDictionary<string, MemoryTechnology> MemoryTechnologies { get; }
    public IReadOnlyDictionary<string, ModelProfile> Models { get; }
    public IReadOnlyDictionary<string, QuantScheme> Quants { get; }
    public IReadOnlyDictionary<string, KvCacheFormat> KvFormats { get; }
    public IReadOnlyDictionary<string, Scenario> Scenarios { get; }
    public IReadOnlyDictionary<string, BackendProfile> Backends { get; }
    /// <summary>Every file left out, with its one-line error (file:line: field: problem), in file order.</summary>
    public IReadOnlyList<ProfileException> Problems => broken.Problems;

    readonly BrokenProfiles broken;
    internal BrokenProfiles Broken => broken;

    internal ProfileCatalog(string root, Dictionary<string, HardwareProfile> hw, Dictionary<string, InterconnectProfile> ic,
        Dictionary<string, MemoryTechnology> mem, Dictionary<string, ModelProfile> models, Dictionary<string, QuantScheme> quants,
        Dictionary<string, KvCacheFormat> kv, Dictionary<string, Scenario> scenarios, Dictionary<string, BackendProfile> backends,
        BrokenProfiles broken)
    {
        Root = root; Hardware = hw; Interconnects = ic; MemoryTechnologies = mem; Models = models;
        Quants = quants; KvFormats = kv; Scenarios = scenarios; Backends = backends;
        this.broken = broken;
    }

    /// <summary>This catalog with one hardware profile added or replaced (a profile file given on the command line).</summary>
    public ProfileCatalog WithHardware(HardwareProfile hardware)
    {
        var hw = new Dictionary<string, HardwareProfile>((IDictionary<string, HardwareProfile>)Hardware, StringComparer.Ordinal) { [hardware.Id] = hardware };
        return new ProfileCatalog(Root, hw, (Dictionary<string, InterconnectProfile>)Interconnects,
            (Dictionary<string, MemoryTechnology>)MemoryTechnologies, (Dictionary<string, ModelProfile>)Models, (Dictionary<string, QuantScheme>)Quants,
            (Dictionary<string, KvCacheFormat>)KvFormats, (Dictionary<string, Scenario>)Scenarios, (Dictionary<string, BackendProfile>)Backends, broken);
    }

    /// <summary>This catalog with one backend replaced (or added): how a fit tries parameter values through the composition path.</summary>
    public ProfileCatalog WithBackend(BackendProfile backend)
    {
        if (Backends.TryGetValue(backend.Id, out var current) && ReferenceEquals(current, backend)) return this;
        var backends = new Dictionary<string, BackendProfile>((IDictionary<string, BackendProfile>)Backends, StringComparer.Ordinal) { [backend.Id] = backend };
        return new ProfileCatalog(Root, (Dictionary<string, HardwareProfile>)Hardware, (Dictionary<string, InterconnectProfile>)Interconnects,
            (Dictionary<string, MemoryTechnology>)MemoryTechnologies, (Dictionary<string, ModelProfile>)Models, (Dictionary<string, QuantScheme>)Quants,
            (Dictionary<string, KvCacheFormat>)KvFormats, (Dictionary<string, Scenario>)Scenarios, backends, broken);
    }

    /// <summary>Finds the data folder: an explicit path, $PERFSIM_DATA, the working directory or a parent, then beside the executable.</summary>
    public static string LocateRoot(string? explicitRoot = null)
    {
        static bool IsRoot(string d) => Directory.Exists(Path.Combine(d, "hardware-profiles")) && Directory.Exists(Path.Combine(d, "workloads"));
        if (!string.IsNullOrEmpty(explicitRoot))
            return IsRoot(explicitRoot) ? Path.GetFullPath(explicitRoot)
                : throw new ProfileException(explicitRoot, 0, "", "not a PerfSim data folder: expected 'hardware-profiles/' and 'workloads/' inside it");
        var env = Environment.GetEnvironmentVariable("PERFSIM_DATA");
        if (!string.IsNullOrEmpty(env) && IsRoot(env)) return Path.GetFullPath(env);
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (IsRoot(d.FullName)) return d.FullName;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (IsRoot(d.FullName)) return d.FullName;
        throw new ProfileException(".", 0, "", "cannot find the PerfSim data folders 'hardware-profiles/' and 'workloads/'; pass --data DIR or set PERFSIM_DATA");
    }

    /// <summary>
    /// <see cref="Load"/> through a snapshot in <paramref name="cacheDir"/> (<see cref="Snapshot.CatalogSnapshot"/>): used
    /// when every profile file's bytes hash to the snapshot's key, else the catalog is loaded from YAML and the snapshot
    /// rewritten. A cache that cannot be written is skipped: the catalog is the same either way.
    /// </summary>
    public static ProfileCatalog LoadCached(string? root, string cacheDir)
    {
        root = LocateRoot(root);
        var key = Snapshot.CatalogSnapshot.Key(root);
        if (key is null) return Load(root);
        var file = Snapshot.CatalogSnapshot.PathFor(cacheDir, root);
        if (Snapshot.CatalogSnapshot.TryRead(file, key, root) is { } cached) return cached;
        var catalog = Load(root);
        try { Snapshot.CatalogSnapshot.Write(file, key, catalog); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return catalog;
    }

    public static ProfileCatalog Load(string? root = null)
    {
        root = LocateRoot(root);
        var docs = new YamlDocumentSet();
        var broken = new BrokenProfiles();
        var hwDir = Path.Combine(root, "hardware-profiles");
        var wlDir = Path.Combine(root, "workloads");

        var interconnects = LoadAll(docs, root, Path.Combine(hwDir, "interconnects"), Kind.Interconnect, broken, InterconnectLoader.LoadInterconnect, x => x.Id);
        var memory = LoadAll(docs, root, Path.Combine(hwDir, "memory"), Kind.Memory, broken, InterconnectLoader.LoadMemory, x => x.Id);
        var hardware = LoadHardware(docs, root, hwDir, broken);
        var models = LoadAll(docs, root, Path.Combine(wlDir, "models"), Kind.Model, broken, WorkloadLoader.LoadModel, x => x.Id);
        var quants = LoadAll(docs, root, Path.Combine(wlDir, "quant"), Kind.Quant, broken, WorkloadLoader.LoadQuant, x => x.Id);
        var kv = LoadAll(docs, root, Path.Combine(wlDir, "kv-cache"), Kind.Kv, broken, WorkloadLoader.LoadKv, x => x.Id);
        var scenarios = LoadAll(docs, root, Path.Combine(wlDir, "scenarios"), Kind.Scenario, broken, WorkloadLoader.LoadScenario, x => x.Id);
        var backends = LoadAll(docs, root, Path.Combine(wlDir, "backends"), Kind.Backend, broken, BackendLoader.Load, x => x.Id);

        CheckReferences(hardware, interconnects, memory, quants, kv, backends, broken);
        return new ProfileCatalog(root, hardware, interconnects, memory, models, quants, kv, scenarios, backends, broken);
    }

    static string Display(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    static IEnumerable<string> YamlFiles(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    /// <summary>The ID a file claims (its `id:` if it parses that far, else its file name), to file its error under.</summary>
    static string ClaimedId(YamlMappingNode? node, string path) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode("id"), out var v) && v is YamlScalarNode { Value: { Length: > 0 } id }
            ? id.Trim() : Path.GetFileNameWithoutExtension(path);

    static int IdLine(YamlMappingNode node) =>
        node.Children.TryGetValue(new YamlScalarNode("id"), out var v) ? (int)v.Start.Line : 0;

    static Dictionary<string, T> LoadAll<T>(YamlDocumentSet docs, string root, string dir, Kind kind, BrokenProfiles broken,
        Func<YamlMappingNode, YamlDocumentSet, T> load, Func<T, string> id)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, (string File, int Line)>(StringComparer.Ordinal);
        foreach (var path in YamlFiles(dir))
        {
            var rel = Display(root, path);
            YamlMappingNode? node = null;
            try
            {
                node = docs.Parse(path, rel);
                var item = load(node, docs);
                var itemId = id(item);
                if (broken.Has(kind, itemId) || result.ContainsKey(itemId))
                {
                    broken.Duplicate(kind, itemId, rel, IdLine(node), fileOf.TryGetValue(itemId, out var first) ? first : null);
                    result.Remove(itemId);
                    continue;
                }
                result[itemId] = item;
                fileOf[itemId] = (rel, IdLine(node));
            }
            catch (ProfileException e)
            {
                var claimed = ClaimedId(node, path);
                if (result.Remove(claimed)) broken.Duplicate(kind, claimed, rel, 0, fileOf[claimed]);
                broken.Add(kind, claimed, e);
            }
        }
        return result;
    }

    // Hardware profiles may `extends:` another by id, so parse all first, then merge bases in dependency order.
    static Dictionary<string, HardwareProfile> LoadHardware(YamlDocumentSet docs, string root, string hwDir, BrokenProfiles broken)
    {
        var raw = new Dictionary<string, (YamlMappingNode Node, string File)>(StringComparer.Ordinal);
        foreach (var path in YamlFiles(hwDir))
        {
            var rel = Display(root, path);
            if (rel.StartsWith("hardware-profiles/interconnects/", StringComparison.Ordinal) ||
                rel.StartsWith("hardware-profiles/memory/", StringComparison.Ordinal)) continue;
            YamlMappingNode? node = null;
            try
            {
                node = docs.Parse(path, rel);
                var id = YamlMap.Root(node, docs.FileOf).String("id");
                if (broken.Has(Kind.Hardware, id) || raw.ContainsKey(id))
                {
                    broken.Duplicate(Kind.Hardware, id, rel, IdLine(node), raw.TryGetValue(id, out var first) ? (first.File, IdLine(first.Node)) : null);
                    raw.Remove(id);
                    continue;
                }
                raw[id] = (node, rel);
            }
            catch (ProfileException e)
            {
                var claimed = ClaimedId(node, path);
                if (raw.Remove(claimed, out var first)) broken.Duplicate(Kind.Hardware, claimed, rel, 0, (first.File, IdLine(first.Node)));
                broken.Add(Kind.Hardware, claimed, e);
            }
        }

        var resolved = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        YamlMappingNode Resolve(string id, HashSet<string> visiting)
        {
            if (resolved.TryGetValue(id, out var done)) return done;
            var (node, file) = raw[id];
            if (node.Children.TryGetValue(new YamlScalarNode("extends"), out var ext) && ext is YamlScalarNode { Value: { } baseId })
            {
                if (broken.Get(Kind.Hardware, baseId) is { } baseError)
                    throw new ProfileException(file, (int)ext.Start.Line, "extends", $"base profile '{Printable.Of(baseId)}' cannot be loaded: {baseError.Message}");
                if (!raw.ContainsKey(baseId))
                    throw new ProfileException(file, (int)ext.Start.Line, "extends", new UnknownIdException("hardware", baseId, Closest.Matches(baseId, raw.Keys, 3)).Message);
                if (!visiting.Add(id))
                    throw new ProfileException(file, (int)ext.Start.Line, "extends", "profiles extend each other in a cycle");
                var baseNode = Resolve(baseId, visiting);
                node = docs.Merge(baseNode, node);
            }
            resolved[id] = node;
            return node;
        }

        var result = new Dictionary<string, HardwareProfile>(StringComparer.Ordinal);
        // Bases before the profiles that extend them, so a broken base is known when its children are resolved.
        foreach (var id in raw.Keys.OrderBy(k => Depth(raw, k)).ThenBy(k => raw[k].File, StringComparer.Ordinal))
        {
            try { result[id] = HardwareLoader.Load(Resolve(id, new HashSet<string>(StringComparer.Ordinal)), docs); }
            catch (ProfileException e) { broken.Add(Kind.Hardware, id, e); }
        }

        // Systems take their engines and memory from the device they are built of.
        foreach (var (id, hw) in result.ToArray())
        {
            if (hw.System is not { } sys) continue;
            ProfileException? problem = null;
            if (broken.Get(Kind.Hardware, sys.Device) is { } deviceError)
                problem = new ProfileException(hw.File, 0, "system.device", $"device '{Printable.Of(sys.Device)}' cannot be loaded: {deviceError.Message}");
            else if (!result.TryGetValue(sys.Device, out var device) || device.Kind == DeviceKind.System)
                problem = new ProfileException(hw.File, 0, "system.device", new UnknownIdException("device", sys.Device, Closest.Matches(sys.Device, result.Keys, 3)).Message);
            else
                result[id] = hw with { Engines = device.Engines, Memory = device.Memory, HostLink = hw.HostLink ?? device.HostLink, DeviceLink = hw.DeviceLink ?? device.DeviceLink };
            if (problem is not null) { result.Remove(id); broken.Add(Kind.Hardware, id, problem); }
        }
        return result;
    }

    /// <summary>Length of the `extends` chain above a profile (bounded by the number of profiles, so cycles end).</summary>
    static int Depth(Dictionary<string, (YamlMappingNode Node, string File)> raw, string id)
    {
        int depth = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (raw.TryGetValue(id, out var r) && seen.Add(id) &&
               r.Node.Children.TryGetValue(new YamlScalarNode("extends"), out var ext) && ext is YamlScalarNode { Value: { } baseId })
        {
            depth++;
            id = baseId;
        }
        return depth;
    }

    /// <summary>A profile that names an interconnect, memory technology or KV format that is not there is left out too.</summary>
    static void CheckReferences(Dictionary<string, HardwareProfile> hardware, Dictionary<string, InterconnectProfile> interconnects,
        Dictionary<string, MemoryTechnology> memory, Dictionary<string, QuantScheme> quants, Dictionary<string, KvCacheFormat> kv,
        Dictionary<string, BackendProfile> backends, BrokenProfiles broken)
    {
        ProfileException Missing(string file, string field, Kind kind, string what, string id, IEnumerable<string> known) =>
            broken.Get(kind, id) is { } e
                ? new ProfileException(file, 0, field, $"{what} '{Printable.Of(id)}' cannot be loaded: {e.Message}")
                : new ProfileException(file, 0, field, new UnknownIdException(what, id, Closest.Matches(id, known, 3)).Message);

        foreach (var hw in hardware.Values.ToArray())
        {
            ProfileException? problem = null;
            foreach (var link in new[] { hw.HostLink, hw.DeviceLink, hw.System?.Fabric, hw.System?.ScaleOut })
                if (problem is null && link is not null && !interconnects.ContainsKey(link.Interconnect))
                    problem = Missing(hw.File, "links", Kind.Interconnect, "interconnect", link.Interconnect, interconnects.Keys);
            foreach (var m in hw.Memory)
                if (problem is null && m.Technology is { } t && !memory.ContainsKey(t))
                    problem = Missing(hw.File, $"memory.{m.Id}.technology", Kind.Memory, "memory technology", t, memory.Keys);
            if (problem is not null) { hardware.Remove(hw.Id); broken.Add(Kind.Hardware, hw.Id, problem); }
        }
        // A system whose device was just left out goes too.
        foreach (var hw in hardware.Values.ToArray())
            if (hw.System is { } sys && !hardware.ContainsKey(sys.Device))
            {
                hardware.Remove(hw.Id);
                broken.Add(Kind.Hardware, hw.Id, Missing(hw.File, "system.device", Kind.Hardware, "device", sys.Device, hardware.Keys));
            }
        foreach (var b in backends.Values.ToArray())
            foreach (var (family, k) in b.KvCache ?? new Dictionary<string, string>())
                if (!kv.ContainsKey(k) && backends.Remove(b.Id))
                    broken.Add(Kind.Backend, b.Id, Missing(b.File, $"kv_cache.{family}", Kind.Kv, "KV-cache format", k, kv.Keys));
        // A backend that shares another's kernels (`kernels_of`) needs that backend, with the same kernel parameters.
        foreach (var b in backends.Values.ToArray())
            if (b.KernelsOf is { } parent)
            {
                if (!backends.TryGetValue(parent, out var p))
                {
                    if (backends.Remove(b.Id)) broken.Add(Kind.Backend, b.Id, Missing(b.File, "kernels_of", Kind.Backend, "backend", parent, backends.Keys));
                    continue;
                }
                foreach (var name in BackendProfile.KernelParameters)
                    if (b.Value(name) != p.Value(name) && backends.Remove(b.Id))
                    {
                        broken.Add(Kind.Backend, b.Id, new ProfileException(b.File, 0, $"parameters.{name}",
                            $"expected {p.Value(name).ToString(System.Globalization.CultureInfo.InvariantCulture)}, the value of {parent} whose kernels it shares (kernels_of), got {b.Value(name).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
                        break;
                    }
            }
        foreach (var q in quants.Values.ToArray())
            if (!kv.ContainsKey(q.KvCache))
            {
                quants.Remove(q.Id);
                broken.Add(Kind.Quant, q.Id, Missing(q.File, "kv_cache", Kind.Kv, "KV-cache format", q.KvCache, kv.Keys));
            }
    }

    T Find<T>(IReadOnlyDictionary<string, T> items, Kind kind, string what, string id)
    {
        if (items.TryGetValue(id, out var v)) return v;
        foreach (var (k, item) in items)
            if (string.Equals(k, id, StringComparison.OrdinalIgnoreCase)) return item;
        // A profile that exists but did not load fails here, with its file's own error: only the commands that need it fail.
        if (broken.Get(kind, id) is { } e) throw e;
        throw new UnknownIdException(what, id, Closest.Matches(id, items.Keys, 3));
    }

    public HardwareProfile GetHardware(string id) => Find(Hardware, Kind.Hardware, "hardware", id);
    public ModelProfile GetModel(string id) => Find(Models, Kind.Model, "model", id);
    public KvCacheFormat GetKv(string id) => Find(KvFormats, Kind.Kv, "KV-cache format", id);
    public Scenario GetScenario(string id) => Find(Scenarios, Kind.Scenario, "scenario", id);
    public BackendProfile GetBackend(string id) => Find(Backends, Kind.Backend, "backend", id);
    public InterconnectProfile GetInterconnect(string id) => Find(Interconnects, Kind.Interconnect, "interconnect", id);

    public QuantScheme GetQuant(string id)
    {
        if (Quants.TryGetValue(id, out var q)) return q;
        foreach (var quant in Quants.Values)
            if (quant.Aliases.Contains(id, StringComparer.OrdinalIgnoreCase) || string.Equals(quant.Id, id, StringComparison.OrdinalIgnoreCase))
                return quant;
        if (broken.Get(Kind.Quant, id) is { } e) throw e;
        throw new UnknownIdException("quantization scheme", id, Closest.Matches(id, Quants.Keys.Concat(Quants.Values.SelectMany(x => x.Aliases)), 3));
    }
}

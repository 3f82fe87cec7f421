using PerfSim.Core.Hardware;
using PerfSim.Data.Backends;
using PerfSim.Data.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Data.Workloads;
using PerfSim.Core.Workloads;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Data.Catalog;

/// <summary>
/// Everything PerfSim knows: hardware, interconnects, memory technologies, models, quantization schemes,
/// KV formats, scenarios and backends, loaded from a data folder holding `hardware-profiles/` and `workloads/`.
/// Loading is strict: the first bad file stops it with a one-line <see cref="ProfileException"/>.
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

    ProfileCatalog(string root, Dictionary<string, HardwareProfile> hw, Dictionary<string, InterconnectProfile> ic,
        Dictionary<string, MemoryTechnology> mem, Dictionary<string, ModelProfile> models, Dictionary<string, QuantScheme> quants,
        Dictionary<string, KvCacheFormat> kv, Dictionary<string, Scenario> scenarios, Dictionary<string, BackendProfile> backends)
    {
        Root = root; Hardware = hw; Interconnects = ic; MemoryTechnologies = mem; Models = models;
        Quants = quants; KvFormats = kv; Scenarios = scenarios; Backends = backends;
    }

    /// <summary>This catalog with one hardware profile added or replaced (a profile file given on the command line).</summary>
    public ProfileCatalog WithHardware(HardwareProfile hardware)
    {
        var hw = new Dictionary<string, HardwareProfile>((IDictionary<string, HardwareProfile>)Hardware, StringComparer.Ordinal) { [hardware.Id] = hardware };
        return new ProfileCatalog(Root, hw, (Dictionary<string, InterconnectProfile>)Interconnects,
            (Dictionary<string, MemoryTechnology>)MemoryTechnologies, (Dictionary<string, ModelProfile>)Models, (Dictionary<string, QuantScheme>)Quants,
            (Dictionary<string, KvCacheFormat>)KvFormats, (Dictionary<string, Scenario>)Scenarios, (Dictionary<string, BackendProfile>)Backends);
    }

    /// <summary>This catalog with one backend replaced (or added): how a fit tries parameter values through the composition path.</summary>
    public ProfileCatalog WithBackend(BackendProfile backend)
    {
        if (Backends.TryGetValue(backend.Id, out var current) && ReferenceEquals(current, backend)) return this;
        var backends = new Dictionary<string, BackendProfile>((IDictionary<string, BackendProfile>)Backends, StringComparer.Ordinal) { [backend.Id] = backend };
        return new ProfileCatalog(Root, (Dictionary<string, HardwareProfile>)Hardware, (Dictionary<string, InterconnectProfile>)Interconnects,
            (Dictionary<string, MemoryTechnology>)MemoryTechnologies, (Dictionary<string, ModelProfile>)Models, (Dictionary<string, QuantScheme>)Quants,
            (Dictionary<string, KvCacheFormat>)KvFormats, (Dictionary<string, Scenario>)Scenarios, backends);
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

    public static ProfileCatalog Load(string? root = null)
    {
        root = LocateRoot(root);
        var docs = new YamlDocumentSet();
        var hwDir = Path.Combine(root, "hardware-profiles");
        var wlDir = Path.Combine(root, "workloads");

        var interconnects = LoadAll(docs, root, Path.Combine(hwDir, "interconnects"), InterconnectLoader.LoadInterconnect, x => x.Id, x => x.File);
        var memory = LoadAll(docs, root, Path.Combine(hwDir, "memory"), InterconnectLoader.LoadMemory, x => x.Id, x => x.File);
        var hardware = LoadHardware(docs, root, hwDir);
        var models = LoadAll(docs, root, Path.Combine(wlDir, "models"), WorkloadLoader.LoadModel, x => x.Id, x => x.File);
        var quants = LoadAll(docs, root, Path.Combine(wlDir, "quant"), WorkloadLoader.LoadQuant, x => x.Id, x => x.File);
        var kv = LoadAll(docs, root, Path.Combine(wlDir, "kv-cache"), WorkloadLoader.LoadKv, x => x.Id, x => x.File);
        var scenarios = LoadAll(docs, root, Path.Combine(wlDir, "scenarios"), WorkloadLoader.LoadScenario, x => x.Id, x => "workloads/scenarios/" + x.Id);
        var backends = LoadAll(docs, root, Path.Combine(wlDir, "backends"), BackendLoader.Load, x => x.Id, x => x.File);

        var catalog = new ProfileCatalog(root, hardware, interconnects, memory, models, quants, kv, scenarios, backends);
        catalog.CheckReferences();
        return catalog;
    }

    static string Display(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    static IEnumerable<string> YamlFiles(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    static Dictionary<string, T> LoadAll<T>(YamlDocumentSet docs, string root, string dir,
        Func<YamlMappingNode, YamlDocumentSet, T> load, Func<T, string> id, Func<T, string> file)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var path in YamlFiles(dir))
        {
            var item = load(docs.Parse(path, Display(root, path)), docs);
            if (result.TryGetValue(id(item), out var other))
                throw new ProfileException(file(item), 0, "id", $"'{id(item)}' is already defined in {file(other)}");
            result[id(item)] = item;
        }
        return result;
    }

    // Hardware profiles may `extends:` another by id, so parse all first, then merge bases in dependency order.
    static Dictionary<string, HardwareProfile> LoadHardware(YamlDocumentSet docs, string root, string hwDir)
    {
        var raw = new Dictionary<string, (YamlMappingNode Node, string File)>(StringComparer.Ordinal);
        foreach (var path in YamlFiles(hwDir))
        {
            var rel = Display(root, path);
            if (rel.StartsWith("hardware-profiles/interconnects/", StringComparison.Ordinal) ||
                rel.StartsWith("hardware-profiles/memory/", StringComparison.Ordinal)) continue;
            var node = docs.Parse(path, rel);
            var id = YamlMap.Root(node, docs.FileOf).String("id");
            if (raw.TryGetValue(id, out var other))
                throw new ProfileException(rel, 0, "id", $"'{id}' is already defined in {other.File}");
            raw[id] = (node, rel);
        }

        var resolved = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        YamlMappingNode Resolve(string id, HashSet<string> visiting)
        {
            if (resolved.TryGetValue(id, out var done)) return done;
            var (node, file) = raw[id];
            if (node.Children.TryGetValue(new YamlScalarNode("extends"), out var ext) && ext is YamlScalarNode { Value: { } baseId })
            {
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
        foreach (var id in raw.Keys)
            result[id] = HardwareLoader.Load(Resolve(id, new HashSet<string>(StringComparer.Ordinal)), docs);

        // Systems take their engines and memory from the device they are built of.
        foreach (var (id, hw) in result.ToArray())
        {
            if (hw.System is not { } sys) continue;
            if (!result.TryGetValue(sys.Device, out var device) || device.Kind == DeviceKind.System)
                throw new ProfileException(hw.File, 0, "system.device", new UnknownIdException("device", sys.Device, Closest.Matches(sys.Device, result.Keys, 3)).Message);
            result[id] = hw with { Engines = device.Engines, Memory = device.Memory, HostLink = hw.HostLink ?? device.HostLink, DeviceLink = hw.DeviceLink ?? device.DeviceLink };
        }
        return result;
    }

    void CheckReferences()
    {
        foreach (var hw in Hardware.Values)
        {
            foreach (var link in new[] { hw.HostLink, hw.DeviceLink, hw.System?.Fabric, hw.System?.ScaleOut })
                if (link is not null && !Interconnects.ContainsKey(link.Interconnect))
                    throw new ProfileException(hw.File, 0, "links", new UnknownIdException("interconnect", link.Interconnect, Closest.Matches(link.Interconnect, Interconnects.Keys, 3)).Message);
            foreach (var m in hw.Memory)
                if (m.Technology is { } t && !MemoryTechnologies.ContainsKey(t))
                    throw new ProfileException(hw.File, 0, $"memory.{m.Id}.technology", new UnknownIdException("memory technology", t, Closest.Matches(t, MemoryTechnologies.Keys, 3)).Message);
        }
        foreach (var b in Backends.Values)
            foreach (var (family, k) in b.KvCache ?? new Dictionary<string, string>())
                if (!KvFormats.ContainsKey(k))
                    throw new ProfileException(b.File, 0, $"kv_cache.{family}", new UnknownIdException("KV-cache format", k, Closest.Matches(k, KvFormats.Keys, 3)).Message);
        foreach (var q in Quants.Values)
            if (!KvFormats.ContainsKey(q.KvCache))
                throw new ProfileException(q.File, 0, "kv_cache", new UnknownIdException("KV-cache format", q.KvCache, Closest.Matches(q.KvCache, KvFormats.Keys, 3)).Message);
    }

    static T Find<T>(IReadOnlyDictionary<string, T> items, string what, string id)
    {
        if (items.TryGetValue(id, out var v)) return v;
        foreach (var (k, item) in items)
            if (string.Equals(k, id, StringComparison.OrdinalIgnoreCase)) return item;
        throw new UnknownIdException(what, id, Closest.Matches(id, items.Keys, 3));
    }

    public HardwareProfile GetHardware(string id) => Find(Hardware, "hardware", id);
    public ModelProfile GetModel(string id) => Find(Models, "model", id);
    public KvCacheFormat GetKv(string id) => Find(KvFormats, "KV-cache format", id);
    public Scenario GetScenario(string id) => Find(Scenarios, "scenario", id);
    public BackendProfile GetBackend(string id) => Find(Backends, "backend", id);
    public InterconnectProfile GetInterconnect(string id) => Find(Interconnects, "interconnect", id);

    public QuantScheme GetQuant(string id)
    {
        if (Quants.TryGetValue(id, out var q)) return q;
        foreach (var quant in Quants.Values)
            if (quant.Aliases.Contains(id, StringComparer.OrdinalIgnoreCase) || string.Equals(quant.Id, id, StringComparison.OrdinalIgnoreCase))
                return quant;
        throw new UnknownIdException("quantization scheme", id, Closest.Matches(id, Quants.Keys.Concat(Quants.Values.SelectMany(x => x.Aliases)), 3));
    }
}

using System.Runtime.CompilerServices;
using PerfSim.Core.Backends;
using PerfSim.Core.Hardware;
using PerfSim.Core.Units;
using PerfSim.Core.Workloads;
using PerfSim.Data.Profiles;

namespace PerfSim.Data.Catalog.Snapshot;

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote, in the same order; a bad enum or count throws <see cref="InvalidDataException"/>.</summary>
sealed class SnapshotReader(BinaryReader r)
{
    public ProfileCatalog Catalog(string root)
    {
        var hardware = Map(Hardware);
        var interconnects = Map(Interconnect);
        var memory = Map(Memory);
        var models = Map(Model);
        var quants = Map(Quant);
        var kv = Map(Kv);
        var scenarios = Map(Scenario);
        var backends = Map(Backend);
        return new ProfileCatalog(root, hardware, interconnects, memory, models, quants, kv, scenarios, backends, Broken());
    }

    BrokenProfiles Broken()
    {
        var problems = new ProfileException[Count()];
        for (int i = 0; i < problems.Length; i++) problems[i] = new ProfileException(Str(), r.ReadInt32(), Str(), Str());
        var entries = new (Kind, string, ProfileException)[Count()];
        for (int i = 0; i < entries.Length; i++)
        {
            var kind = E<Kind>();
            var id = Str();
            var index = r.ReadInt32();
            if ((uint)index >= (uint)problems.Length) throw new InvalidDataException("problem index out of range");
            entries[i] = (kind, id, problems[index]);
        }
        return BrokenProfiles.Restore(problems, entries);
    }

    int Count()
    {
        var n = r.ReadInt32();
        // No list in a catalog comes near this; a larger count is a damaged file, not a reason to allocate.
        return n is >= 0 and <= 1_000_000 ? n : throw new InvalidDataException($"bad count {n}");
    }

    T E<T>() where T : struct, Enum
    {
        var v = r.ReadInt32();
        var e = Unsafe.As<int, T>(ref v);   // every catalog enum is int-backed
        return Enum.IsDefined(e) ? e : throw new InvalidDataException($"bad {typeof(T).Name} {v}");
    }

    Dictionary<string, T> Map<T>(Func<T> item)
    {
        var n = Count();
        var d = new Dictionary<string, T>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++) d.Add(Str(), item());
        return d;
    }

    Dictionary<TK, TV> Dict<TK, TV>(Func<TK> key, Func<TV> value, IEqualityComparer<TK>? comparer = null) where TK : notnull
    {
        var n = Count();
        var d = new Dictionary<TK, TV>(n, comparer);
        for (int i = 0; i < n; i++) d.Add(key(), value());
        return d;
    }

    T[] List<T>(Func<T> item)
    {
        var a = new T[Count()];
        for (int i = 0; i < a.Length; i++) a[i] = item();
        return a;
    }

    T? Opt<T>(Func<T> read) where T : class => r.ReadBoolean() ? read() : null;
    T? OptS<T>(Func<T> read) where T : struct => r.ReadBoolean() ? read() : null;

    string Str() => r.ReadString();
    string? OptStr() => r.ReadBoolean() ? r.ReadString() : null;
    double D() => r.ReadDouble();
    double? OptD() => r.ReadBoolean() ? r.ReadDouble() : null;
    int I() => r.ReadInt32();
    int? OptI() => r.ReadBoolean() ? r.ReadInt32() : null;
    bool B() => r.ReadBoolean();
    bool? OptB() => r.ReadBoolean() ? r.ReadBoolean() : null;
    string[] Strs() => List(Str);
    Dictionary<string, string> StrMap() => Dict(Str, Str, StringComparer.Ordinal);
    Sourced<T> Src<T>(Func<double, T> unit) => new(unit(D()), Str());
    DataType DT() => E<DataType>();

    Efficiency Efficiency() => new(D(), E<Basis>(), Str());

    ComputeEngine Engine() => new(
        Str(), E<EngineKind>(), B(),
        Dict(DT, () => Src(v => new OpsPerSecond(v))),
        Dict(DT, () => Src(v => new OpsPerSecond(v))),
        Dict(DT, () => Src(v => new JoulesPerOp(v))),
        new EngineEfficiency(Efficiency(), Efficiency(), Efficiency()),
        OptS(() => Src(v => new BytesPerSecond(v))),
        Dict(Str, () => Src(v => new BytesPerSecond(v)), StringComparer.Ordinal),
        OptI(),
        OptS(() => Src(v => new Hertz(v))),
        Opt(() => Dict(Str, () => Src(v => new OpsPerSecond(v)), StringComparer.Ordinal)),
        Opt(() => Dict(DT, () => Src(v => new OpsPerSecond(v)))),
        OptS(() => Src(v => new BytesPerSecond(v))),
        Opt(() => new HostKernelCosts(Src(v => new Seconds(v)), Src(v => new Seconds(v)), Src(v => new BytesPerSecond(v)))));

    MemoryLevel MemoryLevel() => new(
        Str(), E<MemoryKind>(), Src(v => new Bytes(v)), Src(v => new BytesPerSecond(v)),
        OptS(() => Src(v => new JoulesPerByte(v))), OptStr(), OptS(() => Src(v => new BytesPerSecond(v))));

    LinkRef Link() => new(Str(), I(), Str());

    HardwareProfile Hardware() => new(
        Str(), Str(), E<DeviceKind>(), Str(), I(), OptStr(),
        StrMap(),
        List(Engine),
        List(MemoryLevel),
        new PowerSpec(Src(v => new Watts(v)), Src(v => new Watts(v)), OptS(() => Src(v => new Watts(v)))),
        new PriceSpec(OptS(() => Src(v => new Usd(v))), OptStr(), OptS(() => Src(v => new UsdPerHour(v))), OptStr()),
        Opt(Link), Opt(Link),
        B(),
        Opt(() => new SystemSpec(Str(), I(), Link(), Opt(Link), OptI(), OptStr())),
        Str());

    InterconnectProfile Interconnect() => new(
        Str(), Str(), E<InterconnectKind>(),
        Src(v => new BytesPerSecond(v)),
        OptS(() => Src(v => new Seconds(v))),
        OptS(() => Src(v => new JoulesPerByte(v))),
        StrMap(), Str(),
        OptS(() => new Sourced<bool>(B(), Str())),
        OptS(() => new Sourced<bool>(B(), Str())));

    MemoryTechnology Memory() => new(
        Str(), Str(), E<MemoryKind>(), Src(v => new BytesPerSecond(v)), Str(),
        OptS(() => Src(v => new JoulesPerByte(v))), StrMap(), Str());

    ModelProfile Model()
    {
        string id = Str(), name = Str(), source = Str();
        var arch = new ModelArchitecture(
            I(), I(), I(), I(), I(), I(), I(),
            E<MlpKind>(), E<NormKind>(), E<PositionKind>(),
            B(), B(), B(), I(),
            Opt(() => new MoeSpec(I(), I(), I(), I(), I(), I(), I(), B())),
            Opt(() => new MlaSpec(I(), I(), I(), I(), I())),
            Opt(() => new SlidingWindow(I(), I())),
            I(), B(), OptB(), B(), B(), B());
        return new ModelProfile(id, name, source, arch, D(), OptD(), Str(), Str(), B());
    }

    QuantScheme Quant() => new(
        Str(), Str(), Str(), DT(), D(), OptI(), DT(), DT(), Str(), OptD(), OptD(), Strs(), Str(), OptD());

    KvCacheFormat Kv() => new(Str(), Str(), D(), Str(), Str());

    Scenario Scenario() => new(Str(), I(), I(), I(), Str());

    BackendProfile Backend() => new(
        Str(), Str(), E<EngineKind>(), Str(),
        Dict(Str, DT, StringComparer.Ordinal),
        Dict(Str, () => new BackendParameter(D(), E<Basis>(), Str(), OptD()), StringComparer.Ordinal),
        Strs(), Strs(), StrMap(), OptStr(), Str(),
        Opt(StrMap),
        Str(),
        Opt(() => new RuntimeReserve(new Bytes(D()), E<Basis>(), Str())),
        Opt(Strs),
        Opt(Strs),
        E<ComputePath>(),
        Opt(Strs),
        OptStr());
}

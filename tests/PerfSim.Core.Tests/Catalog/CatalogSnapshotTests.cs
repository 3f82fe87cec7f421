using System.Collections;
using System.Reflection;
using PerfSim.Data.Catalog;
using PerfSim.Data.Catalog.Snapshot;
using PerfSim.Data.Profiles;

namespace PerfSim.Core.Tests.Catalog;

/// <summary>
/// The catalog snapshot (docs/startup.md) gives exactly the catalog the YAML gives, and is never stale: a changed,
/// added or removed file is re-read and re-checked, and a damaged snapshot is ignored and rewritten.
/// </summary>
public sealed class CatalogSnapshotTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("perfsim-snapshot-").FullName;
    string Cache => Path.Combine(root, "cache");
    string Data => Path.Combine(root, "data");
    string H100 => Path.Combine(Data, "hardware-profiles/gpu/nvidia-h100-sxm.yaml");

    public CatalogSnapshotTests()
    {
        foreach (var rel in new[] { "hardware-profiles/gpu/nvidia-h100-sxm.yaml", "hardware-profiles/interconnects/pcie-gen5-x16.yaml",
                     "hardware-profiles/interconnects/nvlink-4.yaml", "hardware-profiles/memory/hbm3.yaml", "workloads/models/llama-3.1-8b.yaml" })
        {
            var target = Path.Combine(Data, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(TestRepo.Root, rel), target);
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void The_repository_catalog_comes_back_from_its_snapshot_with_every_property_and_every_problem()
    {
        var file = Path.Combine(Cache, "repo.bin");
        var key = CatalogSnapshot.Key(TestRepo.Root)!;
        CatalogSnapshot.Write(file, key, TestRepo.Catalog);
        var restored = CatalogSnapshot.TryRead(file, key, TestRepo.Root);
        Assert.NotNull(restored);
        Assert.True(TestRepo.Catalog.Hardware.Count > 50, "the repository catalog should hold the shipped hardware");
        AssertSame(TestRepo.Catalog, restored, "catalog");
    }

    [Fact]
    public void A_cache_levels_per_core_bandwidth_comes_back_from_the_snapshot()
    {
        var dir = Path.Combine(Data, "hardware-profiles/cpu");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "test-cpu.yaml"), """
            id: test-cpu
            name: Test CPU
            kind: cpu
            vendor: test
            year: 2026
            sources:
              m: "a measurement"
            engines:
              - id: cpu
                kind: cpu
                default: true
                cores: 2
                peak:
                  fp32: { value: 300 GFLOPS, source: m }
                efficiency:
                  memory_bandwidth: { value: 1, basis: measured, source: m }
                  gemm: { value: 1, basis: measured, source: m }
                  gemv: { value: 1, basis: measured, source: m }
            memory:
              - id: l3
                kind: l3
                capacity: { value: 32 MiB, source: m }
                bandwidth: { value: 58 GB/s, source: m }
                core_bandwidth: { value: 27.7 GB/s, source: m }
              - id: dram
                kind: ddr5
                capacity: { value: 16 GiB, source: m }
                bandwidth: { value: 27 GB/s, source: m }
            power:
              tdp: { value: 10 W, source: m }
              idle: { value: 2 W, source: m }
            """);
        var fresh = ProfileCatalog.Load(Data);
        Assert.Equal(27.7e9, fresh.GetHardware("test-cpu").Memory[0].CoreBandwidth!.Value.Value.Value, 1);
        _ = ProfileCatalog.LoadCached(Data, Cache);
        AssertSame(fresh, ProfileCatalog.LoadCached(Data, Cache), "catalog");
    }

    [Fact]
    public void Broken_and_duplicate_profiles_keep_their_errors_through_the_snapshot()
    {
        File.WriteAllText(Path.Combine(Data, "hardware-profiles/gpu/broken.yaml"), "id: broken-gpu\nname: [unclosed\n");
        File.Copy(Path.Combine(Data, "workloads/models/llama-3.1-8b.yaml"), Path.Combine(Data, "workloads/models/copy.yaml"));
        var fresh = ProfileCatalog.Load(Data);
        Assert.Equal(2, fresh.Problems.Count);
        _ = ProfileCatalog.LoadCached(Data, Cache);                     // writes the snapshot
        var cached = ProfileCatalog.LoadCached(Data, Cache);            // reads it
        Assert.NotNull(CatalogSnapshot.TryRead(CatalogSnapshot.PathFor(Cache, Data), CatalogSnapshot.Key(Data)!, Data));
        AssertSame(fresh, cached, "catalog");
        Assert.Equal(Message(() => fresh.GetHardware("broken-gpu")), Message(() => cached.GetHardware("broken-gpu")));
        Assert.Equal(Message(() => fresh.GetModel("llama-3.1-8b")), Message(() => cached.GetModel("llama-3.1-8b")));
        Assert.Contains("also defined in", Message(() => cached.GetModel("llama-3.1-8b")));
    }

    [Fact]
    public void A_changed_file_is_read_again_with_its_new_value_and_then_its_new_error()
    {
        var before = ProfileCatalog.LoadCached(Data, Cache).GetHardware("nvidia-h100-sxm").Name;
        Assert.Equal(before, ProfileCatalog.LoadCached(Data, Cache).GetHardware("nvidia-h100-sxm").Name);

        var text = File.ReadAllText(H100);
        var nameLine = text.Split('\n').First(l => l.StartsWith("name:", StringComparison.Ordinal));
        File.WriteAllText(H100, text.Replace(nameLine, "name: Renamed H100 for the snapshot test"));
        Assert.Equal("Renamed H100 for the snapshot test", ProfileCatalog.LoadCached(Data, Cache).GetHardware("nvidia-h100-sxm").Name);

        File.WriteAllText(H100, text.Replace(nameLine, "name: Renamed\nyear: 1850"));
        var broken = ProfileCatalog.LoadCached(Data, Cache);
        var problem = Assert.Single(broken.Problems);
        Assert.Contains("nvidia-h100-sxm.yaml", problem.Message);
        Assert.Equal(problem.Message, Message(() => broken.GetHardware("nvidia-h100-sxm")));
        Assert.Equal(problem.Message, Assert.Single(ProfileCatalog.Load(Data).Problems).Message);

        File.WriteAllText(H100, text);
        var repaired = ProfileCatalog.LoadCached(Data, Cache);
        Assert.Empty(repaired.Problems);
        Assert.Equal(before, repaired.GetHardware("nvidia-h100-sxm").Name);
    }

    [Fact]
    public void An_added_or_removed_file_is_seen()
    {
        Assert.False(ProfileCatalog.LoadCached(Data, Cache).Models.ContainsKey("tiny-test"));
        var added = Path.Combine(Data, "workloads/models/tiny.yaml");
        File.WriteAllText(added, File.ReadAllText(Path.Combine(Data, "workloads/models/llama-3.1-8b.yaml"))
            .Replace("id: llama-3.1-8b", "id: tiny-test"));
        Assert.True(ProfileCatalog.LoadCached(Data, Cache).Models.ContainsKey("tiny-test"));
        File.Delete(added);
        Assert.False(ProfileCatalog.LoadCached(Data, Cache).Models.ContainsKey("tiny-test"));
        File.Delete(Path.Combine(Data, "hardware-profiles/memory/hbm3.yaml"));
        Assert.Contains(ProfileCatalog.LoadCached(Data, Cache).Problems, p => p.Message.Contains("hbm3", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_covers_every_byte_and_every_file_name()
    {
        var key = CatalogSnapshot.Key(Data)!;
        var bytes = File.ReadAllBytes(H100);
        bytes[^2] ^= 0x20;   // one character changes case
        File.WriteAllBytes(H100, bytes);
        var changed = CatalogSnapshot.Key(Data)!;
        Assert.NotEqual(key, changed);
        File.Move(H100, H100.Replace("nvidia-h100-sxm", "renamed"));
        Assert.NotEqual(changed, CatalogSnapshot.Key(Data)!);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void A_damaged_snapshot_is_ignored_and_rewritten(string damage)
    {
        var expected = ProfileCatalog.Load(Data);
        _ = ProfileCatalog.LoadCached(Data, Cache);
        var file = CatalogSnapshot.PathFor(Cache, Data);
        var key = CatalogSnapshot.Key(Data)!;
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, damage switch
        {
            "truncate" => bytes[..(bytes.Length / 2)],
            "flip" => bytes.Select((b, i) => i == bytes.Length - 100 ? (byte)(b ^ 1) : b).ToArray(),
            "garbage" => [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))],
            _ => [],
        });
        Assert.Null(CatalogSnapshot.TryRead(file, key, Data));
        AssertSame(expected, ProfileCatalog.LoadCached(Data, Cache), "catalog");
        Assert.NotNull(CatalogSnapshot.TryRead(file, key, Data));
        Assert.Empty(Directory.GetFiles(Cache, "*.tmp"));
    }

    [Fact]
    public void A_snapshot_is_never_written_into_the_data_folder()
    {
        _ = ProfileCatalog.LoadCached(Data, Cache);
        Assert.Single(Directory.GetFiles(Cache));
        Assert.DoesNotContain(Directory.EnumerateFiles(Data, "*", SearchOption.AllDirectories), f => !f.EndsWith(".yaml", StringComparison.Ordinal));
    }

    static string Message(Action lookup) => Assert.ThrowsAny<Exception>(lookup).Message;

    /// <summary>Every public property, recursively, in order (dictionaries in enumeration order, with their comparer).</summary>
    static void AssertSame(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null) { Assert.True(expected is null && actual is null, $"{path}: {expected ?? "null"} vs {actual ?? "null"}"); return; }
        Assert.True(expected.GetType() == actual.GetType() || (expected is IEnumerable && actual is IEnumerable), $"{path}: type {expected.GetType()} vs {actual.GetType()}");
        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string || expected is decimal)
        {
            Assert.True(Equals(expected, actual), $"{path}: {expected} vs {actual}");
            return;
        }
        if (expected is Exception ee)
        {
            var ae = (Exception)actual;
            Assert.True(ee.Message == ae.Message, $"{path}: '{ee.Message}' vs '{ae.Message}'");
            if (ee is ProfileException pe && ae is ProfileException pa)
                Assert.True((pe.File, pe.Line, pe.Field, pe.Problem) == (pa.File, pa.Line, pa.Field, pa.Problem), $"{path}: fields differ");
            return;
        }
        if (expected is IDictionary ed)
        {
            var ad = (IDictionary)actual;
            Assert.True(ed.Count == ad.Count, $"{path}: {ed.Count} vs {ad.Count} entries");
            var comparer = type.GetProperty("Comparer")?.GetValue(expected);
            var comparer2 = actual.GetType().GetProperty("Comparer")?.GetValue(actual);
            Assert.True(Equals(comparer, comparer2) || comparer?.GetType() == comparer2?.GetType(), $"{path}: comparer {comparer} vs {comparer2}");
            var ek = ed.Keys.Cast<object>().ToList();
            var ak = ad.Keys.Cast<object>().ToList();
            for (int i = 0; i < ek.Count; i++)
            {
                AssertSame(ek[i], ak[i], $"{path}.key[{i}]");
                AssertSame(ed[ek[i]], ad[ak[i]], $"{path}[{ek[i]}]");
            }
            return;
        }
        if (expected is IEnumerable ee2)
        {
            var el = ee2.Cast<object?>().ToList();
            var al = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(el.Count == al.Count, $"{path}: {el.Count} vs {al.Count} items");
            for (int i = 0; i < el.Count; i++) AssertSame(el[i], al[i], $"{path}[{i}]");
            return;
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name == "EqualityContract") continue;
            AssertSame(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
        }
        // The errors a lookup throws for left-out profiles (not a public property of the catalog).
        if (expected is ProfileCatalog ec)
        {
            var eb = ec.Broken.Entries.ToList();
            var ab = ((ProfileCatalog)actual).Broken.Entries.ToList();
            Assert.True(eb.Count == ab.Count, $"{path}: {eb.Count} vs {ab.Count} filed errors");
            for (int i = 0; i < eb.Count; i++)
            {
                Assert.True((eb[i].Kind, eb[i].Id) == (ab[i].Kind, ab[i].Id), $"{path}: filed error {i}");
                AssertSame(eb[i].Error, ab[i].Error, $"{path}.broken[{eb[i].Id}]");
            }
        }
    }
}

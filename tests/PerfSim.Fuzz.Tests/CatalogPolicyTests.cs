using PerfSim.Data.Catalog;
using PerfSim.Data.Profiles;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// Catalog policy (docs/profile-schema.md): a broken or duplicate profile is left out and named in Problems; looking
/// it up fails with its file:line error; every other profile loads and works.
/// </summary>
public class CatalogPolicyTests
{
    static string Build(Action<string> addFiles)
    {
        var root = Directory.CreateTempSubdirectory("perfsim-catalog-").FullName;
        foreach (var rel in new[] { "hardware-profiles/gpu/nvidia-h100-sxm.yaml", "hardware-profiles/interconnects/pcie-gen5-x16.yaml",
                     "hardware-profiles/interconnects/nvlink-4.yaml", "hardware-profiles/memory/hbm3.yaml", "workloads/kv-cache/fp16.yaml" })
        {
            var target = Path.Combine(root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(FuzzRepo.Root, rel), target);
        }
        addFiles(root);
        return root;
    }

    [Fact]
    public void BrokenAndDuplicateProfiles_FailOnlyTheirOwnLookups()
    {
        var h100 = File.ReadAllText(Path.Combine(FuzzRepo.Root, "hardware-profiles/gpu/nvidia-h100-sxm.yaml"));
        var root = Build(r =>
        {
            File.WriteAllText(Path.Combine(r, "hardware-profiles/gpu/copy-of-h100.yaml"), h100);                                   // duplicate ID
            File.WriteAllText(Path.Combine(r, "hardware-profiles/gpu/h100-renamed.yaml"), h100.Replace("id: nvidia-h100-sxm", "id: h100-renamed"));
            File.WriteAllText(Path.Combine(r, "hardware-profiles/gpu/broken-key.yaml"), "id: broken-key\n? [a]\n: 1\n");              // non-scalar key
            File.WriteAllText(Path.Combine(r, "workloads/kv-cache/huge.yaml"), "id: huge\nname: x\nbits_per_element: 1e308\nsource: x\n");
        });
        try
        {
            var catalog = ProfileCatalog.Load(root);
            Assert.Equal("h100-renamed", catalog.GetHardware("h100-renamed").Id);
            Assert.Equal("fp16", catalog.GetKv("fp16").Id);

            var dup = Assert.Throws<ProfileException>(() => catalog.GetHardware("nvidia-h100-sxm"));
            Assert.Contains("hardware-profiles/gpu/nvidia-h100-sxm.yaml", dup.Message);
            Assert.Contains("copy-of-h100.yaml", dup.Message);
            Assert.Contains("IDs must be unique", dup.Message);

            var broken = Assert.Throws<ProfileException>(() => catalog.GetHardware("broken-key"));
            Assert.Equal("hardware-profiles/gpu/broken-key.yaml", broken.File);
            Assert.Equal(2, broken.Line);

            var kv = Assert.Throws<ProfileException>(() => catalog.GetKv("HUGE"));
            Assert.Contains("workloads/kv-cache/huge.yaml:3: field 'bits_per_element'", kv.Message);

            Assert.Equal(3, catalog.Problems.Count);
            Assert.All(catalog.Problems, p => Assert.DoesNotContain('\n', p.Message));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}

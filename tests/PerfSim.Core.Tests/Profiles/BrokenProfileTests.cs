using PerfSim.Data.Backends;
using PerfSim.Data.Hardware;
using PerfSim.Data.Workloads;
using PerfSim.Core.Backends;
using PerfSim.Data.Catalog;
using PerfSim.Core.Hardware;
using PerfSim.Data.Profiles;
using PerfSim.Core.Workloads;

namespace PerfSim.Core.Tests.Profiles;

/// <summary>
/// The corpus in BrokenProfiles/: each file holds one defect and states on its first line the one-line error it
/// must produce: `# expect: kind|line|field|fragment`. Loading must fail with exactly that file, line and field.
/// </summary>
public class BrokenProfileTests
{
    static string Corpus => Path.Combine(TestRepo.Root, "tests", "PerfSim.Core.Tests", "BrokenProfiles");

    public static IEnumerable<object[]> Files =>
        Directory.EnumerateFiles(Path.Combine(TestRepo.Root, "tests", "PerfSim.Core.Tests", "BrokenProfiles"), "*.yaml")
            .Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void Corpus_HasAtLeastTwentyFiles() => Assert.True(Files.Count() >= 20);

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_BrokenFile_GivesTheExpectedOneLineError(string name)
    {
        var path = Path.Combine(Corpus, name);
        var text = File.ReadAllText(path);
        var expect = text.Split('\n')[0]["# expect: ".Length..].Split('|');
        var (kind, line, field, fragment) = (expect[0], expect[1], expect[2], expect[3].Trim());

        var error = Assert.Throws<ProfileException>(() => Load(kind, path, name, text));

        Assert.DoesNotContain('\n', error.Message);
        if (line.Length > 0) Assert.Equal(int.Parse(line), error.Line);
        if (field.Length > 0) Assert.Equal(field, error.Field);
        Assert.Contains(fragment, error.Message);
        Assert.Contains(kind == "catalog" ? "broken.yaml" : name, error.Message);
    }

    static void Load(string kind, string path, string name, string text)
    {
        var docs = new YamlDocumentSet();
        switch (kind)
        {
            case "hardware": HardwareLoader.Load(docs.Parse(path, name), docs); break;
            case "model": WorkloadLoader.LoadModel(docs.Parse(path, name), docs); break;
            case "quant": WorkloadLoader.LoadQuant(docs.Parse(path, name), docs); break;
            case "kv": WorkloadLoader.LoadKv(docs.Parse(path, name), docs); break;
            case "scenario": WorkloadLoader.LoadScenario(docs.Parse(path, name), docs); break;
            case "backend": BackendLoader.Load(docs.Parse(path, name), docs); break;
            case "catalog": LoadInCatalog(text); break;
            default: throw new InvalidOperationException("unknown kind " + kind);
        }
    }

    // Cross-file errors (unknown base profile, unknown interconnect) need a catalog: build a small one in a temp folder.
    static void LoadInCatalog(string brokenText)
    {
        var root = Directory.CreateTempSubdirectory("perfsim-broken-").FullName;
        try
        {
            foreach (var rel in new[] { "hardware-profiles/gpu/nvidia-h100-sxm.yaml", "hardware-profiles/interconnects/pcie-gen5-x16.yaml",
                         "hardware-profiles/interconnects/nvlink-4.yaml", "hardware-profiles/memory/hbm3.yaml" })
            {
                var target = Path.Combine(root, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(TestRepo.Root, rel), target);
            }
            Directory.CreateDirectory(Path.Combine(root, "workloads"));
            File.WriteAllText(Path.Combine(root, "hardware-profiles/gpu/broken.yaml"), brokenText);
            // Catalog policy: the broken profile is left out and named; everything else loads; its lookup fails with its error.
            var catalog = ProfileCatalog.Load(root);
            Assert.Equal("nvidia-h100-sxm", catalog.GetHardware("nvidia-h100-sxm").Id);
            var problem = Assert.Single(catalog.Problems);
            var id = brokenText.Split('\n').First(l => l.StartsWith("id:", StringComparison.Ordinal))["id:".Length..].Trim();
            Assert.Same(problem, Assert.Throws<ProfileException>(() => catalog.GetHardware(id)));
            throw problem;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

using PerfSim.Data.Backends;

namespace PerfSim.Core.Tests.Profiles;

/// <summary>`perfsim fit --update-profiles` keeps a backend file's own comments and field order (BackendLayout).</summary>
public class BackendLayoutTests
{
    public static IEnumerable<object[]> Backends => TestRepo.Catalog.Backends.Keys.Order(StringComparer.Ordinal).Select(id => new object[] { id });

    static string[] Header(string text) => text.Split('\n').TakeWhile(l => l.StartsWith('#')).Select(l => l.TrimStart('#').TrimStart()).ToArray();

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rewriting_a_shipped_backend_unchanged_gives_back_the_file_byte_for_byte(string id)
    {
        var b = TestRepo.Catalog.GetBackend(id);
        var path = Path.Combine(TestRepo.Root, b.File);
        var text = File.ReadAllText(path);
        var written = BackendWriter.ToYaml(b, Header(text));
        Assert.Equal(text, BackendLayout.Keep(text, written));
    }

    [Fact]
    public void A_changed_value_is_written_and_the_hand_comments_beside_other_fields_stay()
    {
        const string existing = "id: x\nvendors: [apple]   # Metal runs only on Apple silicon\nparameters:\n  gemm: { value: 0.5, basis: fitted, source: fit }   # share\n  gemv: { value: 0.3, basis: assumed, why: \"a # in quotes\" }\n";
        const string written = "id: x\nvendors: [apple]\nparameters:\n  gemm: { value: 0.6, basis: fitted, source: fit }   # share\n  gemv: { value: 0.3, basis: assumed, why: \"a # in quotes\" }\n";
        var kept = BackendLayout.Keep(existing, written);
        Assert.Contains("vendors: [apple]   # Metal runs only on Apple silicon", kept);
        Assert.Contains("gemm: { value: 0.6,", kept);
        Assert.DoesNotContain("0.5", kept);
    }

    [Fact]
    public void A_field_added_or_removed_falls_back_to_the_rewritten_text()
    {
        const string existing = "id: x\nvendors: [apple]   # only Apple\nparameters:\n  gemm: { value: 0.5 }\n";
        const string written = "id: x\nvendors: [apple]\nparameters:\n  gemm: { value: 0.5 }\n  gemv: { value: 0.3 }\n";
        Assert.Equal(written, BackendLayout.Keep(existing, written));
        // The same key under two parents is told apart by its parent.
        const string twoParents = "compute:\n  fp8: fp8\nkv_cache:\n  fp8: fp8   # the KV cache too\n";
        Assert.Equal(twoParents, BackendLayout.Keep(twoParents, "compute:\n  fp8: fp8\nkv_cache:\n  fp8: fp8\n"));
    }
}

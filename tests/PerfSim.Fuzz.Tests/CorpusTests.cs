using PerfSim.Core.Tests.Importers;
using PerfSim.Data.Importers;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// The regression corpus (Corpus/, listed in Corpus/expect.tsv): every input that ever failed, run through the same
/// target as the fuzz loop. Each must give its documented outcome: refused with one line containing the fragment,
/// or accepted with every figure finite and positive.
/// </summary>
public class CorpusTests
{
    public static IEnumerable<object[]> Cases =>
        File.ReadAllLines(Path.Combine(FuzzRepo.Corpus, "expect.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(f => new object[] { f[0], f[1], f[2] });

    [Fact]
    public void Corpus_ListsEveryFileAndEveryFileExists()
    {
        var listed = Cases.Select(c => (string)c[0]).ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(FuzzRepo.Corpus, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(FuzzRepo.Corpus, f).Replace('\\', '/'))
            .Where(f => f != "expect.tsv").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(files.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.True(listed.Count >= 20);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorpusInput_GivesItsDocumentedOutcome(string file, string verdict, string fragment)
    {
        var target = FuzzTargets.All.Single(t => t.Name == file.Split('/')[0]);
        var outcome = target.Run(File.ReadAllBytes(Path.Combine(FuzzRepo.Corpus, file)));
        Assert.False(outcome.Failed, $"{file}: {outcome.Verdict}: {outcome.Detail}");
        if (verdict == "rejected")
        {
            Assert.Equal(Verdict.Rejected, outcome.Verdict);
            Assert.Contains(fragment, outcome.Detail);
            Assert.DoesNotContain('\n', outcome.Detail);
        }
        else Assert.Equal(Verdict.Accepted, outcome.Verdict);
    }

    /// <summary>The binary corpus files, as they were built (kept so the corpus can be regenerated and reviewed).</summary>
    public static IReadOnlyDictionary<string, byte[]> GgufCases() => new Dictionary<string, byte[]>
    {
        ["gguf/overflow-heads.gguf"] = Tiny(heads: 65536, keyLength: 65536).Build(false),
        ["gguf/no-layer-tensors.gguf"] = Tiny(layerTensors: false).Build(false),
    };

    static GgufWriter Tiny(uint heads = 4, uint? keyLength = null, bool layerTensors = true)
    {
        var g = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("llama.block_count", 2u)
            .Add("llama.context_length", 256u)
            .Add("llama.embedding_length", 64u)
            .Add("llama.feed_forward_length", 128u)
            .Add("llama.attention.head_count", heads)
            .Add("llama.attention.head_count_kv", heads);
        if (keyLength is { } k) g.Add("llama.attention.key_length", k);
        g.AddArray("tokenizer.ggml.tokens", GgufValueType.String, Enumerable.Range(0, 32).Select(i => $"t{i}"));
        g.Tensor("token_embd.weight", GgmlType.F16, 64, 32);
        if (layerTensors)
            for (int i = 0; i < 2; i++)
                g.Tensor($"blk.{i}.attn_q.weight", GgmlType.F16, 64, 64).Tensor($"blk.{i}.ffn_up.weight", GgmlType.F16, 64, 128);
        g.Tensor("output.weight", GgmlType.F16, 64, 32);
        return g;
    }

    [Fact]
    public void GgufCorpusFiles_AreTheBuiltOnes()
    {
        foreach (var (file, bytes) in GgufCases())
        {
            var path = Path.Combine(FuzzRepo.Corpus, file);
            if (Environment.GetEnvironmentVariable("PERFSIM_WRITE_CORPUS") == "1") File.WriteAllBytes(path, bytes);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
    }
}

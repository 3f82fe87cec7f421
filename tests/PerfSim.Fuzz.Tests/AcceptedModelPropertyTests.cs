using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using PerfSim.Data.Importers;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// Property (FsCheck generators, fixed seed): any config.json the importer accepts gives a prediction whose every figure
/// is finite and positive, on a GPU and a CPU. Shapes mix ordinary sizes with the edges of every range (0, 1, the
/// limits, 2^31 − 1), so both sides of each check are exercised.
/// </summary>
public class AcceptedModelPropertyTests
{
    static Gen<long> Size(int lo, int hi, params long[] edges) =>
        Gen.Frequency((6, Gen.Choose(lo, hi).Select(v => (long)v)), (1, Gen.Elements(edges)));

    static readonly long[] Edges = [0, 1, 2, 3, 65536, 100_000, 100_001, 1_000_000, 10_000_000, 1L << 24, int.MaxValue];

    static Gen<string> Config() =>
        from layers in Size(1, 128, Edges)
        from heads in Size(1, 128, Edges)
        from kvDiv in Gen.Elements(1L, 2, 4, 8, 3)
        from headDim in Size(16, 256, Edges)
        from explicitHeadDim in Gen.Elements(true, false)
        from hidden in Size(64, 16384, Edges)
        from inter in Size(64, 65536, Edges)
        from vocab in Size(1, 300_000, Edges)
        from ctx in Size(1, 1 << 20, Edges)
        from moe in Gen.Elements(false, false, true)
        from experts in Size(1, 256, Edges)
        from active in Size(1, 16, Edges)
        select Json(layers, heads, Math.Max(1, heads / kvDiv), headDim, explicitHeadDim, hidden, inter, vocab, ctx, moe, experts, active);

    static string Json(long layers, long heads, long kv, long headDim, bool explicitHeadDim, long hidden, long inter, long vocab, long ctx,
        bool moe, long experts, long active)
    {
        static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        var fields = new List<string>
        {
            $"\"model_type\": \"{(moe ? "mixtral" : "llama")}\"", $"\"num_hidden_layers\": {N(layers)}", $"\"num_attention_heads\": {N(heads)}",
            $"\"num_key_value_heads\": {N(kv)}", $"\"hidden_size\": {N(hidden)}", $"\"intermediate_size\": {N(inter)}",
            $"\"vocab_size\": {N(vocab)}", $"\"max_position_embeddings\": {N(ctx)}",
        };
        if (explicitHeadDim) fields.Add($"\"head_dim\": {N(headDim)}");
        if (moe) { fields.Add($"\"num_local_experts\": {N(experts)}"); fields.Add($"\"num_experts_per_tok\": {N(active)}"); }
        return "{" + string.Join(", ", fields) + "}";
    }

    [Fact]
    public void AnyAcceptedConfig_GivesFinitePositivePredictions()
    {
        var samples = Gen.Sample(Config(), 300, new Rnd(15), 50);
        int accepted = 0, refused = 0;
        foreach (var json in samples)
        {
            var outcome = Outcome.Of(() => FuzzTargets.CheckModel(HuggingFaceConfigImporter.Parse(json, "config.json")));
            Assert.False(outcome.Failed, $"{outcome.Verdict}: {outcome.Detail}\n{json}");
            if (outcome.Verdict == Verdict.Accepted) accepted++; else refused++;
        }
        // Both sides of the boundary are reached.
        Assert.True(accepted > 20, $"only {accepted} of {samples.Length} accepted");
        Assert.True(refused > 20, $"only {refused} of {samples.Length} refused");
    }
}

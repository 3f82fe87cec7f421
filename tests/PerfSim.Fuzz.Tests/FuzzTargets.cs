using System.Text;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Core.Tests.Importers;
using PerfSim.Data.Backends;
using PerfSim.Data.Hardware;
using PerfSim.Data.Importers;
using PerfSim.Data.Measurements;
using PerfSim.Data.Profiles;
using PerfSim.Data.Workloads;
using PerfSim.Serving;
using PerfSim.Validation;
using YamlDotNet.RepresentationModel;

namespace PerfSim.Fuzz.Tests;

/// <summary>One input format: its seeds (real files), tokens worth splicing in, and how to run one input through the reader and, if it is accepted, the engine.</summary>
public sealed record FuzzTarget(string Name, string Extension, IReadOnlyList<byte[]> Seeds, IReadOnlyList<byte[]> Tokens, Func<byte[], Outcome> Run);

/// <summary>
/// Every reader PerfSim has, driven from bytes as a file would give them (UTF-8 decoded like the file readers do).
/// An accepted model, quantization, KV format, scenario, hardware or backend profile is also predicted with the engine and
/// every figure must be finite and positive (<see cref="PredictionChecks"/>); an accepted measurement file is validated.
/// An accepted serving trace or length histogram is simulated on a small deployment and every figure must be finite and
/// non-negative (<see cref="ServingChecks"/>).
/// </summary>
public static class FuzzTargets
{
    static readonly UTF8Encoding Utf8 = new(false, false);
    static string Text(byte[] b) => Utf8.GetString(b).TrimStart('\uFEFF');

    static readonly Lazy<Deployment[]> deployments = new(() =>
        new[] { "nvidia-h100-sxm", "amd-epyc-9654" }.Select(id => DeploymentResolver.Resolve(FuzzRepo.Catalog, id)).ToArray());

    static IEnumerable<byte[]> Files(string dir, string pattern = "*.yaml") =>
        Directory.EnumerateFiles(Path.Combine(FuzzRepo.Root, dir), pattern, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes);

    static byte[][] Tokens(params string[] t) => t.Select(Encoding.UTF8.GetBytes).ToArray();

    static readonly byte[][] YamlTokens = Tokens(
        "&a ", "*a", "&b [*a, *a, *a, *a]", "? [a]\n: 1\n", " : n\n", "[[[[[[[[", "{{{{", "}", "]", "- ", ": ", "~", "null",
        "1e308", "1e-320", "-1", "0", "2147483647", "4294967296", "9223372036854775808", "NaN", ".inf", "\r", "\t", "\0", "\u2028",
        "!!binary ", "<<: *a\n", "'", "\"", "\"\\ud800\"", "#", "%YAML 1.1\n", "---\n", "...\n", "|\n  x\n", ">-\n", "1e-320 TB/s", "1e308 GB",
        "65536", "100000", "1000000", "1.5", "0.0", "true", "yes", "heads: 65537\n", "head_dim: 65536\n");

    static readonly byte[][] JsonTokens = Tokens(
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "1e308", "1e999", "-1", "0", "2147483647", "4294967296", "9223372036854775808", "1.5",
        "null", "true", "[", "]", "{", "}", ",", ":", "\"", "\\", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "\"num_attention_heads\": 65536,", "\"head_dim\": 65536,", "\"num_key_value_heads\": 3,", "\"model_type\": \"llama\",",
        "\"sliding_window\": 0,", "\"vocab_size\": 100000000,", "/*", "//", "\u0000");

    static readonly byte[][] CsvTokens = Tokens(
        "\r", "\n", "\r\n", "\"", ",", "\"\"", "1073741824", "2147483647", "-1", "0", "NaN", "1e308", "1e-320", "Infinity", "", " ",
        "ttft_s", "tpot_s", "decode_tokens_per_s", "nvidia-h100-sxm", "llama-3.1-8b", "q4_0", "vllm-rocm", ",,,,,,,,", "\u2028");

    static readonly byte[][] GgufTokens =
    [
        BitConverter.GetBytes(0u), BitConverter.GetBytes(1u), BitConverter.GetBytes(uint.MaxValue), BitConverter.GetBytes(1u << 31),
        BitConverter.GetBytes(0UL), BitConverter.GetBytes(ulong.MaxValue), BitConverter.GetBytes(1UL << 62), BitConverter.GetBytes((ulong)long.MaxValue),
        BitConverter.GetBytes(65536u), BitConverter.GetBytes(100000u), BitConverter.GetBytes(9u), BitConverter.GetBytes(8u),
        Encoding.UTF8.GetBytes("blk.0."), Encoding.UTF8.GetBytes("llama.attention.head_count"), Encoding.UTF8.GetBytes("\uFFFD"),
    ];

    /// <summary>The figures of one accepted model under one quantization on a GPU and a CPU, at a scenario inside its context.</summary>
    public static string? CheckModel(ModelProfile model, QuantScheme? quant = null, KvCacheFormat? kv = null, Scenario? scenario = null)
    {
        var catalog = FuzzRepo.Catalog;
        var q = quant ?? catalog.GetQuant("fp16");
        var k = kv ?? catalog.GetKv(catalog.KvFormats.ContainsKey(q.KvCache) ? q.KvCache : "fp16");
        int ctx = model.Architecture.MaxContext;
        var s = scenario ?? Scenario.Of(4, Math.Max(1, Math.Min(512, ctx / 2)), Math.Max(1, Math.Min(64, ctx - Math.Min(512, ctx / 2))));
        RequestChecks.Scenario(s);
        RequestChecks.Context(model, s);
        foreach (var d in deployments.Value)
            if (PredictionChecks.Problem(InferenceEngine.Predict(d, new Workload(model, q, k, s))) is { } bad) return $"{d.HardwareId}: {bad}";
        return null;
    }

    static ModelProfile SmallModel => FuzzRepo.Catalog.GetModel("llama-3.2-1b");

    static FuzzTarget Yaml(string name, string dir, Func<YamlMappingNode, YamlDocumentSet, string?> load) =>
        new(name, ".yaml", Files(dir).ToArray(), YamlTokens, bytes => Outcome.Of(() =>
        {
            var docs = new YamlDocumentSet();
            var node = docs.ParseText(Text(bytes), name + ".yaml");
            return load(node, docs);
        }));

    public static IReadOnlyList<FuzzTarget> All { get; } = Build();

    static IReadOnlyList<FuzzTarget> Build()
    {
        var catalog = FuzzRepo.Catalog;
        return
        [
            Yaml("yaml-model", "workloads/models", (n, d) => CheckModel(WorkloadLoader.LoadModel(n, d))),
            Yaml("yaml-quant", "workloads/quant", (n, d) => CheckModel(SmallModel, WorkloadLoader.LoadQuant(n, d))),
            Yaml("yaml-kv", "workloads/kv-cache", (n, d) => CheckModel(SmallModel, kv: WorkloadLoader.LoadKv(n, d))),
            Yaml("yaml-scenario", "workloads/scenarios", (n, d) =>
            {
                var s = WorkloadLoader.LoadScenario(n, d);
                // The largest context in the catalog, so that a long scenario is predicted rather than refused.
                var model = catalog.Models.Values.MaxBy(m => m.Architecture.MaxContext)!;
                return CheckModel(model, scenario: s with { Batch = Math.Min(s.Batch, 64) });
            }),
            Yaml("yaml-hardware", "hardware-profiles", (n, d) =>
            {
                var hw = HardwareLoader.Load(n, d);
                if (hw.Kind == DeviceKind.System || hw.Engines.Count == 0) return null;
                var w = new Workload(SmallModel, catalog.GetQuant("q4_0"), catalog.GetKv("fp16"), Scenario.Of(2, 256, 32));
                return PredictionChecks.Problem(InferenceEngine.Predict(Deployment.Standalone(hw), w));
            }),
            Yaml("yaml-backend", "workloads/backends", (n, d) =>
            {
                var b = BackendLoader.Load(n, d);
                var w = new Workload(SmallModel, catalog.GetQuant("q4_0"), catalog.GetKv("fp16"), Scenario.Of(2, 256, 32));
                return PredictionChecks.Problem(InferenceEngine.Predict(deployments.Value[0], w, ExecutionModel.From(b)));
            }),
            new("config-json", ".json",
                Directory.EnumerateFiles(Path.Combine(FuzzRepo.Root, "tests/PerfSim.Core.Tests/Fixtures"), "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray(),
                JsonTokens, bytes => Outcome.Of(() => CheckModel(HuggingFaceConfigImporter.Parse(Text(bytes), "config.json")))),
            new("gguf", ".gguf", [GgufWriter.Tiny().Build(false), GgufWriter.Tiny().Build(true)], GgufTokens, bytes => Outcome.Of(() =>
            {
                var import = GgufReader.Import(GgufReader.Read(new MemoryStream(bytes), "model.gguf", requireTensorData: false));
                return CheckModel(import.Model, import.Quant);
            })),
            new("measurements-csv", ".csv", CsvSeeds(), CsvTokens, bytes => Outcome.Of(() =>
            {
                var file = ReferenceFile.Parse(Text(bytes), "measurements.csv");
                // A handful of rows is enough to exercise every path; a mutated copy of a long file would only repeat them.
                file = file with { Rows = file.Rows.Take(6).ToArray() };
                var result = Validator.Run(catalog, file);
                foreach (var r in result.Rows)
                    if (!double.IsFinite(r.Predicted) || r.Predicted <= 0) return $"line {r.Row.Line}: predicted {r.Predicted}";
                return null;
            })),
            new("trace-csv", ".csv", ServingChecks.TraceSeeds(), CsvTokens, bytes => Outcome.Of(() =>
                ServingChecks.WithTempFile(bytes, path => ServingChecks.Simulate(TraceFile.Read(path), null)))),
            new("histogram-csv", ".csv", ServingChecks.HistogramSeeds(), CsvTokens, bytes => Outcome.Of(() =>
                ServingChecks.WithTempFile(bytes, path => ServingChecks.Simulate(null, HistogramFile.Read(path))))),
        ];
    }

    /// <summary>Small measurement files cut from the repository's: the header and three consecutive rows each.</summary>
    static byte[][] CsvSeeds()
    {
        var lines = File.ReadAllLines(Path.Combine(FuzzRepo.Root, "validation", "public-measurements.csv"));
        var header = lines[0];
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        return Enumerable.Range(0, Math.Max(1, rows.Length / 3))
            .Select(i => Encoding.UTF8.GetBytes(string.Join("\n", new[] { header }.Concat(rows.Skip(i * 3).Take(3))) + "\n"))
            .ToArray();
    }
}

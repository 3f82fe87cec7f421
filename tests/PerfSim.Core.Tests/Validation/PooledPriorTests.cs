using PerfSim.Core.Hardware;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Core.Tests.Validation;

public class PooledPriorTests
{
    static readonly Lazy<ProfileCatalog> Catalog = new(() => ProfileCatalog.Load(TestData.Root));

    static ReferenceRow Row(int line, string hw, int? threads, string quant, string backend, int prompt, int gen, Metric metric, double value) =>
        new(line, hw, 1, threads, "llama-2-7b", quant, backend, 1, prompt, gen, metric, value, "test", "");

    [Fact]
    public void Class_names_the_units_and_the_arithmetic_of_the_rows()
    {
        var cat = Catalog.Value;
        var itrex = cat.GetBackend("itrex");
        var xeon = Row(2, "intel-xeon-platinum-8480plus", 32, "int4-g128", "itrex", 1024, 32, Metric.TtftS, 4.1);
        Assert.Equal(new PoolClass(EngineKind.Cpu, ComputePath.Vector, DataType.Int8), PooledPrior.ClassOf(cat, itrex, [xeon]));
        // Vulkan is a vector-path backend that reaches the matrix units on NVIDIA (matrix_path_vendors).
        var vulkan = cat.GetBackend("llama.cpp-vulkan");
        var rtx = Row(3, "nvidia-rtx-3090", null, "q4_0", "llama.cpp-vulkan", 512, 0, Metric.PrefillTokensPerS, 4000);
        Assert.Equal(new PoolClass(EngineKind.Gpu, ComputePath.Matrix, DataType.Fp16), PooledPrior.ClassOf(cat, vulkan, [rtx]));
        // TensorRT-LLM's fp8 rows compute in fp8, its weight-only int4 rows in fp16: together they mix two peaks.
        var trt = cat.GetBackend("tensorrt-llm");
        var fp8 = Row(4, "nvidia-h100-sxm", null, "fp8", "tensorrt-llm", 2048, 1, Metric.TtftS, 0.036);
        var int4 = fp8 with { Line = 5, Quant = "int4-g128" };
        Assert.Equal(DataType.Fp8, PooledPrior.ClassOf(cat, trt, [fp8])!.Compute);
        Assert.Null(PooledPrior.ClassOf(cat, trt, [fp8, int4]));
    }

    [Fact]
    public void Pooled_share_is_the_geometric_mean_of_donors_of_the_same_class_only()
    {
        var cat = Catalog.Value;
        var cls = new PoolClass(EngineKind.Gpu, ComputePath.Matrix, DataType.Fp8);
        var borrower = cat.GetBackend("tensorrt-llm");
        var a = cat.GetBackend("vllm-rocm").With(new Dictionary<string, double> { ["gemm"] = 0.2 }, Basis.Fitted, "test");
        var b = cat.GetBackend("vllm-cuda").With(new Dictionary<string, double> { ["gemm"] = 0.8 }, Basis.Fitted, "test");
        var other = cat.GetBackend("llama.cpp-cuda").With(new Dictionary<string, double> { ["gemm"] = 0.05 }, Basis.Fitted, "test");
        var self = borrower.With(new Dictionary<string, double> { ["gemm"] = 0.99 }, Basis.Fitted, "test");
        var (prior, donors) = PooledPrior.For(borrower, cls,
            [new PeerFit(a, cls), new PeerFit(b, cls), new PeerFit(other, cls with { Compute = DataType.Int8 }), new PeerFit(self, cls)]);
        Assert.Equal(["vllm-cuda", "vllm-rocm"], donors);
        Assert.Equal(0.4, prior.Value("gemm"), 9);                       // √(0.2 × 0.8)
        // Everything else is the borrower's hand prior, not its fitted value.
        Assert.Equal(borrower.PriorValue("overhead_per_step"), prior.Value("overhead_per_step"), 12);
        Assert.Equal(borrower.PriorValue("memory_bandwidth"), prior.Value("memory_bandwidth"), 12);
        // No donor in the class: the hand prior unchanged.
        var (alone, none) = PooledPrior.For(borrower, cls with { Engine = EngineKind.Npu }, [new PeerFit(a, cls)]);
        Assert.Empty(none);
        Assert.Equal(borrower.PriorValue("gemm"), alone.Value("gemm"), 12);
    }

    [Fact]
    public void A_backend_with_no_rows_in_the_fold_takes_the_pooled_value_never_its_own_held_out_fit()
    {
        var cat = Catalog.Value;
        // itrex's rows are made 3x slower than published: a fit that saw them would move its gemm far down.
        var rows = new List<ReferenceRow>
        {
            Row(2, "amd-ryzen-9-7950x", 16, "q4_0", "llama.cpp-cpu", 512, 0, Metric.PrefillTokensPerS, 123),
            Row(3, "amd-ryzen-9-7950x", 4, "q4_0", "llama.cpp-cpu", 0, 128, Metric.DecodeTokensPerS, 11.2),
            Row(4, "intel-xeon-platinum-8480plus", 32, "int4-g128", "itrex", 1024, 32, Metric.TtftS, 4.1 * 3),
            Row(5, "qualcomm-snapdragon-8-gen-2", null, "w4a16", "qnn-npu", 1024, 1, Metric.TtftS, 1.92),
        };
        var result = Fitter.Run(cat, new ReferenceFile("t.csv", rows, []), maxEvaluations: 200);
        var cpuFull = result.Backends.Single(b => b.Fitted.Id == "llama.cpp-cpu");
        var itrexFull = result.Backends.Single(b => b.Fitted.Id == "itrex");
        var fold = result.Folds.Single(f => f.Backend == "itrex");
        Assert.True(fold.PriorOnly);
        Assert.Equal(["llama.cpp-cpu"], fold.PooledFrom);
        // The donor measured only the 7950X, so its fit without the Xeon is its full fit: the pooled gemm is that.
        Assert.Equal(cpuFull.Fitted.Value("gemm"), fold.Values!["gemm"], 12);
        var expected = cat.GetBackend("itrex").AtPrior().With(new Dictionary<string, double> { ["gemm"] = cpuFull.Fitted.Value("gemm") }, Basis.Assumed, "test");
        var lodo = fold.Rows.Single();
        Assert.Equal(PerfSim.Validation.Validator.PredictRow(cat, lodo.Row, expected).Value, lodo.Predicted, 9);
        // Its own (slowed) fit would have predicted the row far slower: the fold did not use it.
        double own = PerfSim.Validation.Validator.PredictRow(cat, lodo.Row, itrexFull.Fitted).Value;
        Assert.True(lodo.Predicted < own / 2, $"fold {lodo.Predicted} vs own fit {own}");
        // The donor's fold borrows back from itrex's fit on the Xeon (a device it never measured).
        var cpuFold = result.Folds.Single(f => f.Backend == "llama.cpp-cpu");
        Assert.Equal(["itrex"], cpuFold.PooledFrom);
        Assert.Equal(itrexFull.Fitted.Value("gemm"), cpuFold.Values!["gemm"], 12);
        // An NPU backend has no donor of its class: its hand prior.
        var npu = result.Folds.Single(f => f.Backend == "qnn-npu");
        Assert.Null(npu.PooledFrom);
        var npuRow = npu.Rows.Single();
        Assert.Equal(PerfSim.Validation.Validator.PredictRow(cat, npuRow.Row, cat.GetBackend("qnn-npu").AtPrior()).Value, npuRow.Predicted, 9);
    }

    [Fact]
    public void A_donor_that_measured_the_held_out_device_lends_its_fit_without_it()
    {
        var cat = Catalog.Value;
        // llama.cpp-cpu measured the Xeon too, 3x too fast there: a donor fit that saw the Xeon would lend a larger gemm.
        var rows = new List<ReferenceRow>
        {
            Row(2, "amd-ryzen-9-7950x", 16, "q4_0", "llama.cpp-cpu", 512, 0, Metric.PrefillTokensPerS, 123),
            Row(3, "intel-xeon-platinum-8480plus", 32, "q4_0", "llama.cpp-cpu", 512, 0, Metric.PrefillTokensPerS, 400 * 3),
            Row(4, "intel-xeon-platinum-8480plus", 32, "int4-g128", "itrex", 1024, 32, Metric.TtftS, 4.1),
        };
        var result = Fitter.Run(cat, new ReferenceFile("t.csv", rows, []), maxEvaluations: 200);
        var fold = result.Folds.Single(f => f.Backend == "itrex");
        Assert.Equal(["llama.cpp-cpu"], fold.PooledFrom);
        var without = Fitter.FitBackend(cat, cat.GetBackend("llama.cpp-cpu"), rows.Take(1).ToList(), 200);
        Assert.Equal(without.Fitted.Value("gemm"), fold.Values!["gemm"], 12);
        var full = result.Backends.Single(b => b.Fitted.Id == "llama.cpp-cpu");
        Assert.True(full.Fitted.Value("gemm") > fold.Values["gemm"] * 1.5, $"full {full.Fitted.Value("gemm")} vs fold {fold.Values["gemm"]}");
    }

    [Fact]
    public void A_donor_whose_rows_never_see_the_matmul_rate_lends_nothing()
    {
        var cat = Catalog.Value;
        // Decode is memory-bound: a decode-only fit leaves llama.cpp-cpu's gemm at its prior, which is no evidence.
        var rows = new List<ReferenceRow>
        {
            Row(2, "amd-ryzen-9-7950x", 4, "q4_0", "llama.cpp-cpu", 0, 128, Metric.DecodeTokensPerS, 11.2),
            Row(3, "intel-xeon-platinum-8480plus", 32, "int4-g128", "itrex", 1024, 32, Metric.TtftS, 4.1),
        };
        var result = Fitter.Run(cat, new ReferenceFile("t.csv", rows, []), maxEvaluations: 200);
        var fold = result.Folds.Single(f => f.Backend == "itrex");
        Assert.Null(fold.PooledFrom);
        var row = fold.Rows.Single();
        Assert.Equal(PerfSim.Validation.Validator.PredictRow(cat, row.Row, cat.GetBackend("itrex").AtPrior()).Value, row.Predicted, 9);
    }
}

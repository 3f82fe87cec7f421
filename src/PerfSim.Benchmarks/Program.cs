using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PerfSim.Microbench;

namespace PerfSim.Benchmarks;

public static class Program
{
    /// <summary>A command that reads the measurement files: a missing folder is one line on stderr and exit code 3, not a stack trace.</summary>
    static void MeasurementCommand(Func<string> run)
    {
        try { Console.WriteLine(run()); }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"PerfSim.Benchmarks: {e.Message}");
            Environment.ExitCode = 3;
        }
    }

    public static void Main(string[] args)
    {
        // `quick`: the in-process calibration path (no BenchmarkDotNet), well under a minute.
        if (args.Length > 0 && args[0] == "quick")
        {
            var m = QuickSuite.Run(new QuickSuiteOptions(IncludeLmHeadShape: args.Contains("--lm-head"), IncludeAllPaths: args.Contains("--all-paths"),
                Log: s => Console.Error.WriteLine(s)));
            Console.WriteLine(m.ToReport());
            return;
        }
        // `serving-validation`: every server sweep and static/offline row through the serving simulator (a few minutes).
        if (args.Length > 0 && args[0] == "serving-validation")
        {
            MeasurementCommand(() => Serving.ServingValidationRun.Markdown(args.Skip(1).FirstOrDefault()));
            return;
        }
        // `serving-fit`: the vllm-cuda speed factors fitted to the server sweeps, with leave-one-device-out error.
        if (args.Length > 0 && args[0] == "serving-fit")
        {
            MeasurementCommand(() => Serving.ServingFitRun.Markdown(args.Skip(1).FirstOrDefault()));
            return;
        }
        // `serving-goal [RUNS]`: the hour-long serving simulation by CPU time and wall time (BenchmarkDotNet measures wall time only).
        if (args.Length > 0 && args[0] == "serving-goal")
        {
            Serving.ServingGoalRun.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5, Console.Out);
            return;
        }
        if (args.Length > 0 && args[0] == "goals")
        {
            Kernels.GoalRun.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15, Console.Out);
            return;
        }
        // The out-of-process toolchain cannot build here, so every job runs in-process.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(8).WithToolchain(InProcessEmitToolchain.Instance))
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .AddColumn(new Kernels.ThroughputColumn(Kernels.ThroughputColumn.Kind.WeightGBps), new Kernels.ThroughputColumn(Kernels.ThroughputColumn.Kind.Gflops));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

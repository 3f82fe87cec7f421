using PerfSim.Core;
using PerfSim.Core.Hardware;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Microbench.Calibration;

/// <summary>`perfsim calibrate` as a report: the host's measured figures and, with --check, predicted vs measured per kernel and decoder.</summary>
public static class CalibrationReport
{
    /// <summary>Below this share of wall time × threads on the CPU, another process ran on our cores during the decoder.</summary>
    public const double BusyHostCpuShare = 0.9;

    public static Report Build(HostMeasurement m, HardwareProfile profile, string path, CalibrationCheckResult? check)
    {
        var b = new ReportBuilder(check is null ? $"Calibration of {m.Host.CpuModel}" : $"Calibration check on {m.Host.CpuModel}");
        b.Section("host")
            .Add("host.cpu", "CPU", Cell.Text(m.Host.CpuModel))
            .Add("host.logical_cores", "logical cores", Cell.Count(m.Host.LogicalCores))
            .Add("host.physical_cores", "physical cores", Cell.Count(m.Host.Cores))
            .Add("host.isa", "instruction sets", Cell.Text(string.Join(" ", m.Host.IsaFlags)))
            .Add("host.kernel_path", "kernel path", Cell.Text(m.Host.BestKernelPath))
            .Add("profile", "profile written", Cell.Text(path));
        if (m.Host.UnusedCpuFeatures is { Count: > 0 } unused)
            b.Warn($"the CPU has {string.Join(", ", unused)} but this build of perfsim cannot use them (built for an older instruction set?): " +
                   $"the kernels ran path {m.Host.BestKernelPath}, so every rate below is far under what this host can do");
        b.Section("memory")
            .Add("memory.read_gbps", "DRAM read, all threads (GB/s)", Cell.Number(m.ReadGBpsAllThreads))
            .Add("memory.read_gbps_one_thread", "DRAM read, one thread (GB/s)", Cell.Number(m.ReadGBpsOneThread));
        foreach (var d in m.DramGemv ?? [])
            b.Add($"memory.dram_gemv_share.{d.Format}", $"{d.Format} GEMV, DRAM-resident ({d.Copies} copies): share of the read probe beside it", Cell.Ratio(d.ShareOfProbe));
        if (m.GemvShareOfDramRead is { } share)
            b.Add("memory.dram_gemv_share", "DRAM rate written: read probe × this median share (at most 1)", Cell.Ratio(share));
        foreach (var level in profile.Memory)
            b.Add($"memory.levels.{level.Id}_bytes_per_s", $"{level.Id} read bandwidth ({level.Capacity.Value})", Cell.Quantity(level.Bandwidth.Value.Value, Unit.BytesPerSecond));
        b.Section("compute")
            .Add("compute.fp32_flops", "fp32 FMA, all cores", Cell.Quantity(m.Compute.Fp32FmaGflopsAllCores * 1e9, Unit.FlopPerSecond))
            .Add("compute.int8_ops", "int8 dot, all cores (OP/s)", Cell.Quantity(m.Compute.Int8DotGopsAllCores * 1e9, Unit.FlopPerSecond));
        foreach (var h in m.HotUnpack)
            b.Add($"compute.unpack_weights_per_s.{h.Format}", $"{h.Format} unpack+dot, weights hot in cache (weights/s)", Cell.Number(h.WeightsPerSecondAllCores));

        var decoder = m.Decoder.FirstOrDefault();
        if (check is null)
        {
            b.Table(ReportTable.Of("kernels", "kernels",
                [new("format", "format"), new("path", "path"), new("shape", "shape"), new("n", "n"), new("threads", "threads"),
                 new("measured_s", "measured"), new("bytes_per_s", "weights read"), new("flops", "arithmetic")],
                m.Kernels.Select(k => (IReadOnlyList<Cell>)[Cell.Text(k.Format), Cell.Text(k.Path), Cell.Text($"{k.M}x{k.K}"), Cell.Count(k.N),
                    Cell.Count(k.Threads), Cell.Quantity(k.Milliseconds / 1e3, Unit.Seconds), Cell.Quantity(k.EffectiveWeightGBps * 1e9, Unit.BytesPerSecond),
                    Cell.Quantity(k.Gflops * 1e9, Unit.FlopPerSecond)])));
            if (decoder is not null)
                b.Section("decoder").Add("decoder.measured_tokens_per_s", $"synthetic decoder ({decoder.Format}, {decoder.Config.Layers} layers)", Cell.Quantity(decoder.TokensPerSecond, Unit.TokensPerSecond));
            b.Note("run with --check to predict each kernel with the engine and compare");
            return b.Build();
        }

        b.Table(ReportTable.Of("kernels", "kernels: predicted vs measured",
            [new("format", "format"), new("path", "path"), new("shape", "shape"), new("n", "n"), new("threads", "thr"),
             new("measured_s", "measured"), new("predicted_s", "predicted"), new("error", "error"), new("bound", "bound"),
             new("weights_from", "from"), new("gbps", "GB/s"), new("gflops", "GFLOP/s"), new("role", "role")],
            check.Kernels.Select(k => (IReadOnlyList<Cell>)[Cell.Text(k.Format), Cell.Text(k.Path), Cell.Text(k.Shape), Cell.Count(k.N),
                Cell.Count(k.Threads), Cell.Quantity(k.MeasuredMs / 1e3, Unit.Seconds), Cell.Quantity(k.PredictedMs / 1e3, Unit.Seconds),
                Cell.Quantity(k.Error * 100, Unit.Percent), Cell.Text(k.Bound.Kebab()), Cell.Text(k.ServedFrom),
                Cell.Number(k.WeightGBps), Cell.Number(k.Gflops), Cell.Text(k.Role.Kebab())])));
        b.Table(ReportTable.Of("decoders", "synthetic decoder: predicted vs measured",
            [new("format", "format"), new("layers", "layers"), new("context", "context"), new("measured_tokens_per_s", "measured"),
             new("predicted_tokens_per_s", "predicted"), new("error", "error"), new("bound", "bound"),
             new("measured_matmul_s", "matmul meas."), new("predicted_matmul_s", "matmul pred."),
             new("measured_attention_s", "attn meas."), new("predicted_attention_s", "attn pred."),
             new("dram_beside_bytes_per_s", "DRAM beside"), new("profile_predicted_tokens_per_s", "pred. (profile DRAM)"),
             new("cpu_share", "CPU share")],
            check.Decoders.Select(d => (IReadOnlyList<Cell>)[Cell.Text(d.Format), Cell.Count(d.Layers), Cell.Count(d.Context),
                Cell.Quantity(d.MeasuredTokensPerSecond, Unit.TokensPerSecond), Cell.Quantity(d.PredictedTokensPerSecond, Unit.TokensPerSecond),
                Cell.Quantity(d.Error * 100, Unit.Percent), Cell.Text(d.Bound.Kebab()),
                Cell.Quantity(d.MeasuredMatmulMs / 1e3, Unit.Seconds), Cell.Quantity(d.PredictedMatmulMs / 1e3, Unit.Seconds),
                Cell.Quantity(d.MeasuredAttentionMs / 1e3, Unit.Seconds), Cell.Quantity(d.PredictedAttentionMs / 1e3, Unit.Seconds),
                d.BesideReadGBps is { } g ? Cell.Quantity(g * 1e9, Unit.BytesPerSecond) : Cell.Missing("not probed"),
                Cell.Quantity(d.ProfilePredictedTokensPerSecond, Unit.TokensPerSecond), Cell.Ratio(d.CpuShare)])));
        if (check.Decoders.Where(d => d.CpuShare < BusyHostCpuShare).Select(d => d.Format).ToArray() is { Length: > 0 } busy)
            b.Warn($"other processes took part of the cores during the {string.Join(", ", busy)} decoder (CPU share below {BusyHostCpuShare:P0}): " +
                   "its measured rate is below what this host does when idle, so that comparison is not a fair check; rerun on an idle host");
        if (check.Decoders.FirstOrDefault() is { } dc)
            b.Section("decoder")
                .Add("decoder.format", "synthetic decoder format", Cell.Text(dc.Format))
                .Add("decoder.measured_tokens_per_s", "measured", Cell.Quantity(dc.MeasuredTokensPerSecond, Unit.TokensPerSecond))
                .Add("decoder.predicted_tokens_per_s", "predicted", Cell.Quantity(dc.PredictedTokensPerSecond, Unit.TokensPerSecond))
                .Add("decoder.error", "error (predicted − measured) ÷ measured", Cell.Ratio(dc.Error));
        b.Section("check")
            .Add("check.held_out", "held-out comparisons", Cell.Count(check.HeldOutErrors.Count()))
            .Add("check.mean_abs_error_percent", "mean |error| over held-out rows", Cell.Quantity(check.MeanAbsErrorPercent, Unit.Percent))
            .Add("check.max_abs_error_percent", "max |error| over held-out rows", Cell.Quantity(check.MaxAbsErrorPercent, Unit.Percent));
        b.Note("error = (predicted − measured) ÷ measured; role 'calibration-input' rows fed the profile (their GEMM rate), so matching them is not evidence");
        b.Note("bound 'kernel': the kernel's unpack+dot rate, not DRAM, limits the GEMV — what a 4-bit GEMV on few cores does");
        b.Note("the host is a shared VM: repeated runs move by 10–30 %");
        b.Note("decoder 'predicted' uses the DRAM read rate probed right before and after that decoder ('DRAM beside'), since the rate drifts " +
               "between the memory ladder and the decoder; 'pred. (profile DRAM)' uses the profile's rate from the ladder");
        return b.Build();
    }
}

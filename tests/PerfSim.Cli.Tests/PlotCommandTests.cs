using System.Buffers.Binary;
using PerfSim.Cli.Commands;
using PerfSim.Cli.Progress;

namespace PerfSim.Cli.Tests;

/// <summary>Every chart kind is drawn by `perfsim plot KIND`, to a PNG of the size asked for; progress bars stay quiet when standard error is redirected.</summary>
public class PlotCommandTests
{
    public static TheoryData<string> Kinds => new(PlotCommand.Kinds);

    static string[] ArgsFor(string kind) => kind switch
    {
        "validation" => ["--reference", Path.Combine(CliRunner.Root, "validation", "public-measurements.csv")],
        "serving-load" => ["--rates", "1,4", "--duration", "20"],
        "serving-timeline" => ["--rate", "4", "--duration", "20"],
        "pareto" => ["-H", "nvidia-h100-sxm,nvidia-l4", "--confirm", "none"],
        "training-split" or "training-ratio" => ["--sweep-devices", "8-32"],
        "model-size" => ["-m", "llama-3.2-1b,llama-3.1-8b", "-H", "nvidia-h100-sxm,nvidia-l4"],
        "energy" or "cost" => ["-H", "nvidia-h100-sxm,nvidia-l4"],
        _ => [],
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Plot_draws_each_kind_to_a_png_of_the_stated_size_without_progress_noise(string kind)
    {
        var file = Path.Combine(Path.GetTempPath(), $"perfsim-plot-{kind}-{Guid.NewGuid():N}.png");
        try
        {
            var (code, _, err) = CliRunner.Run(["plot", kind, "-o", file, "--width", "640", "--height", "360", .. ArgsFor(kind)]);
            Assert.True(code == ExitCode.Ok, $"plot {kind}: exit {code}: {err}");
            var png = File.ReadAllBytes(file);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(360, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.DoesNotContain('\r', err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Long_runs_write_no_progress_bar_when_standard_error_is_redirected()
    {
        var reference = Path.Combine(CliRunner.Root, "validation", "public-measurements.csv");
        foreach (var args in new[]
                 {
                     new[] { "serve", "--rate", "2", "--duration", "20" },
                     ["plan", "-m", "llama-3.1-8b", "--rate", "2", "-c", "nvidia-l4", "--confirm", "none"],
                     ["fit", "--reference", reference, "--evaluations", "10"],
                 })
        {
            var (code, _, err) = CliRunner.Run(args);
            Assert.True(code == ExitCode.Ok, $"{args[0]}: exit {code}: {err}");
            Assert.DoesNotContain('\r', err);
            Assert.DoesNotContain("[#", err);
        }
    }

    [Fact]
    public void The_bar_draws_on_a_terminal_and_is_silent_otherwise()
    {
        var term = new StringWriter();
        using (var bar = ProgressBar.On(term, "fitting", 4))
        {
            Assert.True(bar.Drawing);
            bar.Report(4);
            bar.Log("a log line");
        }
        Assert.Contains("\rfitting [", term.ToString());
        Assert.Contains("100% 4/4", term.ToString());
        Assert.Contains("a log line" + Environment.NewLine, term.ToString());

        // A context whose standard error is not the console (a file, a pipe, this test): nothing but the log lines.
        var redirected = new StringWriter();
        var ctx = new CliContext(new StringWriter(), redirected);
        using (var quiet = ProgressBar.For(ctx, "fitting", 4))
        {
            Assert.False(quiet.Drawing);
            quiet.Report(2);
            quiet.Fraction(0.5);
            quiet.Log("kept");
        }
        Assert.Equal("kept" + Environment.NewLine, redirected.ToString());
    }
}

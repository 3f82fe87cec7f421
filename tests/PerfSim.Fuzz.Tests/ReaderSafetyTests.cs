using System.Diagnostics;
using PerfSim.Composition;
using PerfSim.Data;
using PerfSim.Data.Importers;
using PerfSim.Data.Input;
using PerfSim.Data.Measurements;
using PerfSim.Data.Profiles;
using PerfSim.Validation;

namespace PerfSim.Fuzz.Tests;

/// <summary>The readers refuse what is not a regular file, or too big, at once and with one line; CSV line ends of every kind.</summary>
public class ReaderSafetyTests
{
    static string Fifo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"perfsim-fifo-{Guid.NewGuid():N}.yaml");
        using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return path;
    }

    public static IEnumerable<object[]> Readers =>
    [
        ["yaml"], ["config.json"], ["gguf"], ["csv"], ["model path"],
    ];

    static Exception Read(string reader, string path) => reader switch
    {
        "yaml" => Assert.Throws<ProfileException>(() => new YamlDocumentSet().Parse(path, path)),
        "config.json" => Assert.Throws<ModelImportException>(() => HuggingFaceConfigImporter.Import(path)),
        "gguf" => Assert.ThrowsAny<ModelImportException>(() => GgufReader.Read(path)),
        "csv" => Assert.Throws<ProfileException>(() => ReferenceFile.Load(path)),
        _ => Assert.Throws<InputFileException>(() => ModelSource.Load(FuzzRepo.Catalog, path + ".json")),
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void DevZero_IsRefusedAsNotARegularFile(string reader)
    {
        if (!OperatingSystem.IsLinux()) return;
        var e = reader == "model path"
            ? Assert.Throws<InputFileException>(() => ModelSource.Load(FuzzRepo.Catalog, "/dev/zero.json"))
            : Read(reader, "/dev/zero");
        if (reader != "model path") Assert.Contains("not a regular file (a character device)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Fifo_IsRefusedWithoutOpeningIt(string reader)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fifo = Fifo();
        try
        {
            // Opening a FIFO with no writer blocks forever: run on a worker so a regression fails instead of hanging.
            var path = reader == "model path" ? fifo[..^".yaml".Length] + ".json" : fifo;
            if (reader == "model path") File.Move(fifo, path);
            var task = Task.Run(() => reader == "model path"
                ? Assert.Throws<InputFileException>(() => ModelSource.Load(FuzzRepo.Catalog, path))
                : Read(reader, path));
            var error = await task.WaitAsync(TimeSpan.FromMinutes(1));   // throws TimeoutException if the reader blocked
            Assert.Contains("a FIFO", error.Message);
            if (reader == "model path") fifo = path;
        }
        finally { File.Delete(fifo); }
    }

    [Fact]
    public void OversizedYaml_IsRefusedBeforeParsing()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var f = File.OpenWrite(path)) f.SetLength(ReaderLimits.YamlBytes + 1);
            var e = Assert.Throws<ProfileException>(() => new YamlDocumentSet().Parse(path, "big.yaml"));
            Assert.Contains($"at most {ReaderLimits.YamlBytes} are read", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Csv_AnyLineEnd_GivesTheSameRowsAndLines(string end)
    {
        var text = string.Join(end, "a,b", "1,\"x" + end + "y\"", "2,z", "") ;
        var records = Csv.Parse(text, "t.csv");
        Assert.Equal(3, records.Count);
        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
        Assert.Equal("x" + end + "y", records[1].Fields[1]);
    }

    [Fact]
    public void CrOnlyMeasurementFile_ValidatesEveryRow()
    {
        var file = ReferenceFile.Load(Path.Combine(FuzzRepo.Corpus, "measurements-csv", "cr-only.csv"));
        Assert.Equal(3, file.Rows.Count);
        var result = Validator.Run(FuzzRepo.Catalog, file);
        Assert.Equal(3, result.Rows.Count + result.Unpredicted.Count);
        Assert.NotEmpty(result.Rows);
    }

    [Fact]
    public void HugeDeviceCountWithOfflineBatch_IsARowIssueNotADivisionByZero()
    {
        var file = ReferenceFile.Load(Path.Combine(FuzzRepo.Corpus, "measurements-csv", "huge-device-count.csv"));
        var result = Validator.Run(FuzzRepo.Catalog, file);
        var issue = Assert.Single(result.Unpredicted);
        Assert.Contains("--devices must be a whole number from 1 to 1048576, got 1073741824", issue.Reason);
    }

    [Fact]
    public void CsvLimits_FieldTooLong_IsOneLine()
    {
        var e = Assert.Throws<FormatException>(() => Csv.Parse("a\n" + new string('x', ReaderLimits.CsvFieldChars + 1) + "\n", "t.csv"));
        Assert.StartsWith("t.csv:2: a field is longer than", e.Message);
    }

    [Fact]
    public void EchoedValues_AreEscapedAndCut()
    {
        Assert.Equal("a\\u000ab\\u001b", Printable.Of("a\nb\u001b"));
        Assert.Equal(new string('x', 80) + "…", Printable.Of(new string('x', 200)));
        Assert.Equal("\\ud800", Printable.Of("\ud800"));
        var e = new ProfileException("f\nile", 3, "x", "got 'a\rb'");
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }
}

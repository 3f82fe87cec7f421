using System.Globalization;
using PerfSim.Composition;
using PerfSim.Plots.Html;
using PerfSim.Plots.Studies;
using PerfSim.Reporting.Cells;

namespace PerfSim.Plots.Tests;

public class ReportFolderTests
{
    [Fact]
    public void Report_folder_holds_the_html_the_markdown_and_every_table_as_csv_with_the_same_numbers()
    {
        var doc = ReportStudy.Build(TestRepo.Catalog, new StudyRequest(new PredictionRequest(), ["nvidia-h100-sxm", "apple-m2-max-38c"], ["llama-3.1-8b"], null, [1, 16]));
        var dir = Path.Combine(Path.GetTempPath(), "perfsim-folder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var files = ReportFolder.Write(doc, dir);
            var html = File.ReadAllText(Path.Combine(dir, "report.html"));
            Assert.Equal(doc.Charts.Count, CountOf(html, "<figure class=\"chart\""));
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotContain("<script", html);
            var md = File.ReadAllText(Path.Combine(dir, "report.md"));
            foreach (var named in doc.WhatIf.Concat(doc.Sources))
                foreach (var t in named.Report.Tables)
                {
                    var csv = File.ReadAllLines(Path.Combine(dir, $"{named.Slug}-{ReportFolder.Slug(t.Key)}.csv"));
                    Assert.Equal(string.Join(',', t.Columns.Select(c => c.Key)), csv[0]);
                    Assert.Equal(t.Rows.Count + 1, csv.Count(l => l.Length > 0) - Extra(t));
                    Assert.Contains($"### {t.Title}", md);
                }
            // The candidates' CSV carries the exact engine numbers of each candidate.
            var grid = WhatIf.Grid(TestRepo.Catalog, new PredictionRequest(), ["nvidia-h100-sxm", "apple-m2-max-38c"], ["llama-3.1-8b"], [null]);
            var rows = File.ReadAllLines(Path.Combine(dir, "candidates-candidates.csv"));
            var header = rows[0].Split(',');
            int tpot = Array.IndexOf(header, "tpot_s");
            for (int i = 0; i < grid.Count; i++)
                Assert.Equal(grid[i].Prediction.Tpot.Value, double.Parse(rows[i + 1].Split(',')[tpot], CultureInfo.InvariantCulture));
            // Every hardware profile used has its figures-with-sources table.
            Assert.Contains(files, f => f.EndsWith("profile-nvidia-h100-sxm-figures.csv", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("profile-apple-m2-max-38c-figures.csv", StringComparison.Ordinal));
            Assert.Contains(doc.Assumptions, a => a.StartsWith("cost: pricing", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Lines a quoted multi-line field adds (none expected in these tables, but a source text could have one).</summary>
    static int Extra(Reporting.Model.ReportTable t) => t.Rows.Sum(r => r.Sum(c => ExactText.Of(c).Count(ch => ch == '\n')));

    static int CountOf(string s, string sub)
    {
        int n = 0;
        for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}

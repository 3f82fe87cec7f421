using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Reporting.Renderers;

/// <summary>
/// Lays a table out in fixed-width text within a width: numbers right-aligned and never wrapped, prose wrapped in
/// its column, and, when the columns still do not fit, the table split into blocks that each repeat the first
/// (identifying) column, so no ID or number is ever cut.
/// </summary>
public static class TextGrid
{
    const int Gap = 2;
    const int MinProse = 12;

    public static void Write(TextWriter w, ReportTable t, int width)
    {
        int n = t.Columns.Count;
        var text = t.Rows.Select(r => r.Select(HumanText.Of).ToArray()).ToArray();
        var prose = Enumerable.Range(0, n).Select(c => t.Rows.Count > 0 && t.Rows.All(r => HumanText.Wrappable(r[c]))).ToArray();
        var natural = Enumerable.Range(0, n).Select(c => Math.Max(HeaderWidth(t.Columns[c].Label), text.Length == 0 ? 0 : text.Max(r => r[c].Length))).ToArray();

        // Prose shrinks down to its longest word (an ID is one word and is never cut), numbers never shrink.
        var minimum = Enumerable.Range(0, n).Select(c => !prose[c] ? natural[c]
            : Math.Min(natural[c], Math.Max(MinProse, text.Length == 0 ? 0 : text.Max(r => LongestWord(r[c]))))).ToArray();
        foreach (var block in Blocks(natural, minimum, width))
        {
            var widths = Fit(block.Select(c => natural[c]).ToArray(), block.Select(c => minimum[c]).ToArray(), width);
            var right = block.Select(c => !prose[c] && t.Rows.All(r => r[c] is QuantityCell or RatioCell or NumberCell or CountCell or IntervalCell or MissingCell)).ToArray();
            var headers = block.Select((c, i) => TextWrap.Lines(t.Columns[c].Label, widths[i])).ToArray();
            int headerLines = headers.Max(h => h.Count);
            for (int l = 0; l < headerLines; l++)
                Line(w, headers.Select(h => l < h.Count ? h[l] : "").ToArray(), widths, right);
            w.WriteLine(new string('─', Math.Min(width, widths.Sum() + Gap * (widths.Length - 1))));
            foreach (var row in text)
            {
                var cells = block.Select((c, i) => prose[c] ? TextWrap.Lines(row[c], widths[i]) : (IReadOnlyList<string>)[row[c]]).ToArray();
                int lines = cells.Max(x => x.Count);
                for (int l = 0; l < lines; l++)
                    Line(w, cells.Select(x => l < x.Count ? x[l] : "").ToArray(), widths, right);
            }
            w.WriteLine();
        }
    }

    static int HeaderWidth(string label) => label.Split(' ').Max(x => x.Length) is var longest && label.Length > 14 ? Math.Max(longest, (label.Length + 1) / 2) : label.Length;

    static void Line(TextWriter w, string[] cells, int[] widths, bool[] right)
    {
        var parts = cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        w.WriteLine(string.Join(new string(' ', Gap), parts).TrimEnd());
    }

    /// <summary>Column groups that each fit the width (prose at its minimum), every group starting with column 0.</summary>
    static int LongestWord(string s) => s.Length == 0 ? 0 : s.Split(' ').Max(w => w.Length);

    static List<int[]> Blocks(int[] natural, int[] minimum, int width)
    {
        int Min(int c) => minimum[c];
        var blocks = new List<int[]>();
        var current = new List<int> { 0 };
        int used = Min(0);
        for (int c = 1; c < natural.Length; c++)
        {
            if (current.Count > 1 && used + Gap + Min(c) > width)
            {
                blocks.Add(current.ToArray());
                current = [0];
                used = Min(0);
            }
            current.Add(c);
            used += Gap + Min(c);
        }
        blocks.Add(current.ToArray());
        return blocks;
    }

    /// <summary>Shrinks prose columns (widest first, never below their minimum) until the block fits.</summary>
    static int[] Fit(int[] natural, int[] minimum, int width)
    {
        var w = natural.ToArray();
        int total() => w.Sum() + Gap * (w.Length - 1);
        while (total() > width)
        {
            int widest = -1;
            for (int i = 0; i < w.Length; i++)
                if (w[i] > minimum[i] && (widest < 0 || w[i] > w[widest])) widest = i;
            if (widest < 0) break;
            w[widest] = Math.Max(minimum[widest], w[widest] - (total() - width));
        }
        return w;
    }
}

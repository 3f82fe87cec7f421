namespace PerfSim.Reporting.Renderers;

/// <summary>Word wrapping for prose in fixed-width text; a word longer than the width (an ID, a path) is kept whole.</summary>
public static class TextWrap
{
    public static IReadOnlyList<string> Lines(string text, int width)
    {
        width = Math.Max(1, width);
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length == 0) line = word;
                else if (line.Length + 1 + word.Length <= width) line += " " + word;
                else { lines.Add(line); line = word; }
            }
            lines.Add(line);
        }
        return lines;
    }
}

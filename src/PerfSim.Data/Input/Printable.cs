using System.Text;

namespace PerfSim.Data.Input;

/// <summary>
/// Text from a file made safe for a one-line error: control characters, line and paragraph separators and lone
/// surrogates are escaped as \uXXXX, so an error never spans lines or corrupts a terminal.
/// </summary>
public static class Printable
{
    /// <summary>A value echoed from a file: escaped and cut to <paramref name="max"/> characters.</summary>
    public static string Of(string? s, int max = ReaderLimits.EchoChars)
    {
        if (s is null) return "";
        var cut = s.Length > max;
        var sb = new StringBuilder(Math.Min(s.Length, max) + 8);
        Append(sb, cut ? s[..max] : s);
        if (cut) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>A whole message: escaped, never cut (its values were cut when they were put in).</summary>
    public static string Line(string message)
    {
        foreach (var c in message)
            if (NeedsEscape(c)) { var sb = new StringBuilder(message.Length + 16); Append(sb, message); return sb.ToString(); }
        return message;
    }

    static void Append(StringBuilder sb, string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
            if (NeedsEscape(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
    }

    static bool NeedsEscape(char c) => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085';
}

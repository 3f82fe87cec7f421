using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PerfSim.Cli.Commands;

/// <summary>
/// Numeric options read culture-invariantly, with one-line errors that name the option and never a .NET type:
/// a comma decimal (`--pue 1,5`) is an error, never 15; NaN and Infinity are refused.
/// </summary>
public static class NumberOptions
{
    public static Option<int> Int(string name, string description, int defaultValue, params string[] aliases) =>
        new(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseInt(r, name) };

    public static Option<int?> OptionalInt(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, CustomParser = r => ParseInt(r, name) };

    public static Option<double> Double(string name, string description, double defaultValue, params string[] aliases) =>
        new(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseDouble(r, name) };

    static int ParseInt(ArgumentResult r, string name)
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        r.AddError(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"{name}: {Shown(text)} is too large (at most {int.MaxValue})"
            : $"{name}: expected a whole number, got {Shown(text)}");
        return 0;
    }

    static double ParseDouble(ArgumentResult r, string name)
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
            return v;
        r.AddError(text.Contains(',')
            ? $"{name}: expected a number with a decimal point, got {Shown(text)} (a comma is not a decimal separator here)"
            : $"{name}: expected a finite number, got {Shown(text)}");
        return 0;
    }

    /// <summary>A user's token as echoed in an error: quoted, control characters removed, at most 40 characters.</summary>
    public static string Shown(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray());
        return "'" + (clean.Length > 40 ? clean[..40] + "…" : clean) + "'";
    }
}

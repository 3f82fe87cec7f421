using System.Globalization;

namespace PerfSim.Reporting.Cells;

/// <summary>
/// Cells as people read them: three significant figures, SI prefixes with the unit (`1.61 GFLOP`, `5.63 ms`,
/// `3.35 TB/s`), fractions as percentages (`27.5 %`), never E-notation. Culture-invariant.
/// </summary>
public static class HumanText
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly (double Factor, string Prefix)[] Large = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];
    static readonly (double Factor, string Prefix)[] Small = [(1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p")];

    public static string Of(Cell cell) => cell switch
    {
        QuantityCell q => Quantity(q.Value, q.Unit),
        RatioCell r => Significant(r.Value * 100) + " %",
        NumberCell n => Significant(n.Value),
        CountCell c => c.Value.ToString("#,0", Inv),
        TextCell t => t.Value,
        BoolCell b => b.Value ? "yes" : "no",
        TextListCell l => string.Join("; ", l.Values),
        IntervalCell i => $"{Quantity(i.Lo, i.Unit)} – {Quantity(i.Hi, i.Unit)}",
        MissingCell m => "n/a",
        _ => cell.ToString() ?? "",
    };

    /// <summary>True for cells whose text may be wrapped across lines (prose); numbers are never wrapped.</summary>
    public static bool Wrappable(Cell cell) => cell is TextCell or TextListCell or MissingCell;

    public static string Quantity(double v, Unit unit) => unit switch
    {
        Unit.Seconds => Time(v),
        Unit.Days => Significant(v) + " days",
        Unit.Hours => Significant(v) + " h",
        Unit.Years => Significant(v) + " years",
        Unit.Percent => Significant(v) + " %",
        Unit.Bytes => Prefixed(v, "B", allowSmall: false),
        Unit.BytesPerSecond => Prefixed(v, "B/s", allowSmall: false),
        Unit.Flop => Prefixed(v, "FLOP", allowSmall: false),
        Unit.FlopPerSecond => Prefixed(v, "FLOP/s", allowSmall: false),
        Unit.FlopPerByte => Significant(v) + " FLOP/B",
        Unit.Joules => Prefixed(v, "J", allowSmall: true),
        Unit.Watts => Prefixed(v, "W", allowSmall: true),
        Unit.KilowattHours => Significant(v) + " kWh",
        Unit.Usd => Money(v),
        Unit.UsdPerHour => Money(v) + "/h",
        Unit.UsdPerKwh => Money(v) + "/kWh",
        Unit.Tokens => Prefixed(v, "tokens", allowSmall: false, space: true),
        Unit.TokensPerSecond => Prefixed(v, "tok/s", allowSmall: false, space: true),
        Unit.RequestsPerSecond => Prefixed(v, "req/s", allowSmall: false, space: true),
        _ => Significant(v),
    };

    /// <summary>Seconds as ns/µs/ms/s, and minutes/hours/days once a value is that long.</summary>
    public static string Time(double s)
    {
        double a = Math.Abs(s);
        if (a >= 86400 * 2) return Significant(s / 86400) + " days";
        if (a >= 3600 * 2) return Significant(s / 3600) + " h";
        if (a >= 120) return Significant(s / 60) + " min";
        return Prefixed(s, "s", allowSmall: true);
    }

    static string Money(double v)
    {
        double a = Math.Abs(v);
        string sign = v < 0 ? "-" : "";
        if (a >= 1e9) return $"{sign}${Significant(a / 1e9)} B";
        if (a >= 1e6) return $"{sign}${Significant(a / 1e6)} M";
        if (a >= 1000) return $"{sign}${a.ToString("#,0", Inv)}";
        return $"{sign}${Significant(a)}";
    }

    static string Prefixed(double v, string unit, bool allowSmall, bool space = false)
    {
        double a = Math.Abs(v);
        string sep = space ? " " : "";
        if (a == 0) return "0 " + unit;
        foreach (var (f, p) in Large)
            if (a >= f) return Significant(v / f) + " " + p + sep + unit;
        if (allowSmall)
            foreach (var (f, p) in Small)
                if (a >= f) return Significant(v / f) + " " + p + unit;
        return Significant(v) + " " + unit;
    }

    /// <summary>Three significant figures, plain decimal notation (integers above 1000 keep all their digits).</summary>
    public static string Significant(double v, int figures = 3)
    {
        if (!double.IsFinite(v)) return "n/a";
        if (v == 0) return "0";
        int digits = (int)Math.Floor(Math.Log10(Math.Abs(v))) + 1;
        int decimals = Math.Clamp(figures - digits, 0, 15);
        return Math.Round(v, decimals).ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), Inv);
    }
}

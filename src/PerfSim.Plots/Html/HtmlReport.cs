using System.Net;
using System.Text;
using PerfSim.Plots.Model;
using PerfSim.Plots.Rendering;
using PerfSim.Reporting.Cells;
using PerfSim.Reporting.Model;

namespace PerfSim.Plots.Html;

/// <summary>
/// One self-contained HTML page: inline CSS, no scripts, no external references, every chart an inline PNG data URI
/// (so it opens offline, mailed or on a share). Text is HTML-escaped; numbers are the Reporting library's human text.
/// </summary>
public static class HtmlReport
{
    public const int ChartWidth = 900, ChartHeight = 560;

    public static string Render(StudyDocument doc)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append($"<title>{E(doc.Title)}</title>\n<style>{Css}</style>\n</head>\n<body>\n");
        h.Append($"<h1>{E(doc.Title)}</h1>\n<nav><a href=\"#whatif\">What-if tables</a> · <a href=\"#charts\">Charts</a> · <a href=\"#assumptions\">Assumptions</a> · <a href=\"#sources\">Sources</a></nav>\n");

        h.Append("<section id=\"whatif\"><h2>What-if tables</h2>\n");
        foreach (var r in doc.WhatIf) Report(h, r);
        h.Append("</section>\n");

        h.Append("<section id=\"charts\"><h2>Charts</h2>\n");
        foreach (var c in doc.Charts) Chart(h, c);
        h.Append("</section>\n");

        h.Append("<section id=\"assumptions\"><h2>Assumptions</h2>\n<ul>\n");
        foreach (var a in doc.Assumptions) h.Append($"<li>{E(a)}</li>\n");
        h.Append("</ul>\n</section>\n");

        h.Append("<section id=\"sources\"><h2>Sources of every profile figure</h2>\n");
        foreach (var r in doc.Sources) Report(h, r);
        h.Append("</section>\n</body>\n</html>\n");
        return h.ToString();
    }

    static void Chart(StringBuilder h, Chart c)
    {
        var png = Convert.ToBase64String(ChartRenderer.Png(c, ChartWidth, ChartHeight));
        h.Append($"<figure class=\"chart\" data-kind=\"{E(c.Kind)}\"><img src=\"data:image/png;base64,{png}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" alt=\"{E(c.Title)}\">")
         .Append($"<figcaption>{E(c.Title)}");
        foreach (var n in c.Notes ?? []) h.Append($"<br><small>{E(n)}</small>");
        h.Append("</figcaption></figure>\n");
    }

    static void Report(StringBuilder h, NamedReport named)
    {
        var r = named.Report;
        h.Append($"<article id=\"{E(named.Slug)}\"><h3>{E(r.Title)}</h3>\n");
        foreach (var w in r.Warnings) h.Append($"<p class=\"warning\">⚠ {E(w)}</p>\n");
        foreach (var s in r.Sections)
            Table(h, s.Title, ["metric", "value"], s.Metrics.Select(m => (IReadOnlyList<Cell>)[Cell.Text(m.Label), m.Value]));
        foreach (var t in r.Tables)
            Table(h, t.Title, t.Columns.Select(c => c.Label).ToList(), t.Rows);
        if (r.Notes.Count > 0)
        {
            h.Append("<details><summary>Notes</summary><ul>\n");
            foreach (var n in r.Notes) h.Append($"<li>{E(n)}</li>\n");
            h.Append("</ul></details>\n");
        }
        h.Append("</article>\n");
    }

    static void Table(StringBuilder h, string title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        h.Append("<table>");
        if (title.Length > 0) h.Append($"<caption>{E(title)}</caption>");
        h.Append("<thead><tr>");
        foreach (var c in header) h.Append($"<th>{E(c)}</th>");
        h.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            h.Append("<tr>");
            foreach (var cell in row)
            {
                var cls = cell switch { MissingCell => " class=\"missing\"", TextCell or TextListCell => "", _ => " class=\"num\"" };
                h.Append($"<td{cls}>{E(HumanText.Of(cell))}</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody></table>\n");
    }

    static string E(string s) => WebUtility.HtmlEncode(s);

    const string Css =
        "body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}" +
        "h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}" +
        "table{border-collapse:collapse;margin:.8em 0;font-size:.9em}caption{text-align:left;font-weight:600;padding:.3em 0}" +
        "th,td{border:1px solid #ddd;padding:.25em .6em;vertical-align:top}th{background:#f3f3f3;text-align:left}" +
        "td.num{text-align:right;font-variant-numeric:tabular-nums}td.missing{color:#888;font-style:italic}" +
        ".warning{color:#a33}figure.chart{margin:1.5em 0}figure.chart img{max-width:100%;height:auto;border:1px solid #eee}" +
        "figcaption{font-size:.9em;color:#444}nav{margin-bottom:1em}";
}

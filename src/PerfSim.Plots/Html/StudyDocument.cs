using PerfSim.Plots.Model;
using PerfSim.Reporting.Model;

namespace PerfSim.Plots.Html;

/// <summary>
/// Everything a shareable report shows: the what-if reports (tables), the charts, the assumptions, and the source
/// reports (every profile figure beside its source). One model; the HTML page, the CSV files and the markdown file are
/// all written from it, so they carry the same tables.
/// </summary>
public sealed record StudyDocument(
    string Title,
    IReadOnlyList<NamedReport> WhatIf,
    IReadOnlyList<Chart> Charts,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<NamedReport> Sources);

/// <summary>A report with a file-name-safe slug (its CSV files are named after it).</summary>
public sealed record NamedReport(string Slug, Report Report);

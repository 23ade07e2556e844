"""The audit report as one self-contained HTML file: summary, agencies, reuse chart, diffs."""

from __future__ import annotations

from html import escape
from pathlib import Path

from nianbao.archive.export.audit_assets import CSS, JS
from nianbao.archive.export.audit_data import (
    AuditData,
    Cluster,
    ClusterDetail,
    Comparison,
    ReportInfo,
)
from nianbao.archive.export.audit_views import (
    Span,
    YearReuse,
    agency_rows,
    comparison_diffs,
    comparison_spans,
    kind_counts,
    merge_spans,
    reuse_by_year,
)

AGENCY_ROWS = 300  # rows of the per-agency table; the CSVs hold the rest
LONG_PASSAGE = 400  # a copied passage longer than this shows only its two ends
PASSAGE_END = 150  # characters shown at each end of a long copied passage
TEXT_LIMIT = 8000  # characters of one column before the rest is cut


def write_audit_html(data: AuditData, path: Path, *, title: str = "nianbao audit") -> Path:
    """Write the audit report to ``path`` (one file, no external resource) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_audit_html(data, title=title), encoding="utf-8")
    return path


def render_audit_html(data: AuditData, *, title: str = "nianbao audit") -> str:
    """The whole report as an HTML string."""
    body = "\n".join(
        [
            f"<h1>{_e(title)}</h1>",
            _summary(data),
            _agencies(data),
            _reuse_chart(data),
            _clusters(data),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n"
        # a data: icon keeps the browser from asking the file system for a favicon
        '<link rel="icon" href="data:,">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n<script>{JS}</script>\n"
        "</body>\n</html>\n"
    )


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _summary(data: AuditData) -> str:
    rows = []
    for count in kind_counts(data):
        k = _e(count.kind)
        rows.append(
            f'<tr data-kind="{k}"><th><span class="kind">{k}</span></th>'
            f'<td class="num kind-clusters" data-kind="{k}">{count.clusters}</td>'
            f'<td class="num kind-members" data-kind="{k}">{count.members}</td>'
            f'<td class="num kind-pairs" data-kind="{k}">{count.pairs}</td></tr>'
        )
    return (
        '<section id="summary"><h2>Summary</h2>\n'
        f'<p><span class="big" id="cluster-count">{len(data.clusters)}</span> clusters · '
        f'<span class="big" id="pair-count">{len(data.pairs)}</span> pairs · '
        f'<span id="report-count">{len(data.reports)}</span> reports in the archive</p>\n'
        '<table id="kind-counts"><thead><tr><th>kind</th><th class="num">clusters</th>'
        '<th class="num">reports in them</th><th class="num">pairs</th></tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _agencies(data: AuditData) -> str:
    rows = agency_rows(data)
    body = "".join(
        f'<tr><td>{_e(r.agency or "(no agency)")}</td><td class="num">{r.reports}</td>'
        f'<td class="num">{r.clusters}</td><td class="num">{r.reuse_pairs}</td>'
        f'<td class="num">{r.copied}</td><td class="num">{r.copied_from}</td></tr>'
        for r in rows[:AGENCY_ROWS]
    )
    left = len(rows) - AGENCY_ROWS
    more = (
        f'<p class="note">{left} more agencies with findings are in members.csv.</p>'
        if left > 0
        else ""
    )
    if not rows:
        more = '<p class="note">No agency has a report in any cluster or pair.</p>'
    return (
        '<section id="agencies"><h2>By agency</h2>\n'
        '<table id="agency-table"><thead><tr><th>agency</th><th class="num">reports</th>'
        '<th class="num">clusters they are in</th><th class="num">reuse pairs</th>'
        '<th class="num">copied from others</th><th class="num">copied by others</th>'
        f"</tr></thead>\n<tbody>{body}</tbody></table>{more}</section>"
    )


def _reuse_chart(data: AuditData) -> str:
    years = reuse_by_year(data)
    head = '<section id="reuse"><h2>Reuse of last year\'s text, by year</h2>\n'
    if not years:
        return head + '<p class="note">No reuse pairs.</p></section>'
    return (
        head
        + _bars(years)
        + (
            '<p class="note">Bars: reuse pairs whose later report is for that year; '
            "under each bar, the mean share of that report's text reused from the year "
            "before.</p></section>"
        )
    )


def _bars(years: list[YearReuse]) -> str:
    """Inline SVG bar chart: one bar per year, the pair count above, the mean share below."""
    step, bar, top, plot = 56, 36, 20, 150
    width = 40 + step * len(years)
    height = top + plot + 44
    peak = max(y.pairs for y in years)
    parts = [
        f'<svg id="reuse-chart" width="{width}" '
        f'height="{height}" role="img" aria-label="reuse pairs per year">',
        f'<line x1="20" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="#999"/>',
    ]
    for i, year in enumerate(years):
        h = max(1, round(plot * year.pairs / peak))
        x = 30 + i * step
        y = top + plot - h
        mid = x + bar // 2
        parts.append(
            f'<g class="year" data-year="{year.year}" data-pairs="{year.pairs}">'
            f"<title>{year.year}: {year.pairs} reuse pairs, mean share {_pct(year.mean_share)}"
            f'</title><rect class="bar" x="{x}" y="{y}" width="{bar}" height="{h}"/>'
            f'<text x="{mid}" y="{y - 4}" text-anchor="middle">{year.pairs}</text>'
            f'<text x="{mid}" y="{top + plot + 16}" text-anchor="middle">{year.year}</text>'
            f'<text x="{mid}" y="{top + plot + 32}" text-anchor="middle">'
            f"{_pct(year.mean_share)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _clusters(data: AuditData) -> str:
    options = "".join(
        f'<option value="{_e(c.kind)}">{_e(c.kind)}</option>'
        for c in kind_counts(data)
        if c.clusters
    )
    shown = len(data.details)
    note = (
        f'<p class="note" id="clusters-omitted">The {shown} largest clusters are shown; '
        f"{data.details_omitted} smaller ones are left out (all are in clusters.csv).</p>"
        if data.details_omitted
        else ""
    )
    sections = "\n".join(_cluster(i, d) for i, d in enumerate(data.details, 1))
    return (
        '<section id="clusters"><h2>Clusters</h2>\n'
        '<p><label>Show kind <select id="kind-filter"><option value="">all kinds</option>'
        f'{options}</select></label> <span id="filter-status" class="note"></span></p>\n'
        f"{note}{sections}</section>"
    )


def _report_line(report: ReportInfo) -> str:
    year = "" if report.year is None else f" · {report.year}"
    spam = "" if not report.spam_score else f" · spam {report.spam_score:.2f}"
    return (
        f'<strong class="title">{_e(report.title or "(untitled)")}</strong> '
        f"<span>{_e(report.agency)}{year}{spam}</span><br><code>{_e(report.url)}</code>"
    )


def _cluster(number: int, detail: ClusterDetail) -> str:
    cluster = detail.cluster
    k = _e(cluster.kind)
    comparisons = "\n".join(_comparison(cluster, c) for c in detail.comparisons)
    more = (
        f'<p class="note">{detail.omitted} more members not compared here (see members.csv).</p>'
        if detail.omitted
        else ""
    )
    return (
        f'<section class="cluster" id="cluster-{number}" data-kind="{k}" '
        f'data-cluster="{_e(cluster.id)}">\n'
        f'<h3><span class="kind">{k}</span> {cluster.size} reports '
        f"<small><code>{_e(cluster.id)}</code></small></h3>\n"
        f"<p>Canonical: <code>{_e(cluster.canonical_id)}</code> — {_e(cluster.rule)}</p>\n"
        f"{_members(detail)}\n{comparisons}{more}</section>"
    )


def _members(detail: ClusterDetail) -> str:
    rows = []
    by_id = {c.right.id: c.right for c in detail.comparisons}
    by_id.update({c.left.id: c.left for c in detail.comparisons})
    for member in detail.cluster.members:
        report = by_id.get(member.report_id)
        if report is None:
            continue
        mark = "canonical" if member.is_canonical else _pct(member.similarity)
        rows.append(
            f"<tr><td>{mark}</td><td>{_e(report.title)}</td><td>{_e(report.agency)}</td>"
            f'<td class="num">{_e(report.year)}</td><td><code>{_e(report.url)}</code>'
            "</td></tr>"
        )
    return (
        '<table class="members"><thead><tr><th>similarity</th><th>title</th>'
        "<th>agency</th><th>year</th><th>url</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _comparison(cluster: Cluster, comparison: Comparison) -> str:
    pair = comparison.pair
    left_spans, right_spans = comparison_spans(comparison)
    if pair is None:
        head = '<p class="note">No pair evidence stored for this member.</p>'
    else:
        shares = (_pct(pair.a_share), _pct(pair.b_share))
        left_share, right_share = shares if comparison.left_is_a else shares[::-1]
        via = "" if comparison.via_canonical else " (against its pair partner, not the canonical)"
        head = (
            f'<p><span class="kind">{_e(pair.kind)}</span> similarity '
            f"{_pct(pair.similarity)}; copied share left {left_share}, right {right_share}; "
            f"{len(pair.passages)} passages, {len(pair.number_diffs)} numbers differ{via}</p>"
        )
    left_role = "canonical" if comparison.left.id == cluster.canonical_id else "pair partner"
    return (
        f'<div class="comparison" data-pair="{_e(pair.id if pair else "")}">{head}'
        '<div class="sbs">'
        f'<div class="col left"><h4>{left_role}: {_report_line(comparison.left)}</h4>'
        f'<pre class="text">{marked_text(comparison.left_text, left_spans)}</pre></div>'
        f'<div class="col right"><h4>member: {_report_line(comparison.right)}</h4>'
        f'<pre class="text">{marked_text(comparison.right_text, right_spans)}</pre></div>'
        f"</div>{_numbers(comparison)}</div>"
    )


def _numbers(comparison: Comparison) -> str:
    diffs = comparison_diffs(comparison)
    if not diffs:
        return ""
    rows = "".join(
        f'<tr><td>{_e(where)}</td><td class="num">{_e(left)}</td>'
        f'<td class="num">{_e(right)}</td></tr>'
        for where, left, right in diffs
    )
    return (
        '<table class="numbers"><thead><tr><th>number that differs</th>'
        '<th class="num">left</th><th class="num">right</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def marked_text(text: str, spans: list[Span]) -> str:
    """The text escaped, copied spans in <mark>, long copies shortened, cut at TEXT_LIMIT."""
    out: list[str] = []
    shown = cursor = 0
    for start, end in [*merge_spans(spans, len(text)), (len(text), len(text))]:
        plain = text[cursor:start][: max(0, TEXT_LIMIT - shown)]
        out.append(_e(plain))
        shown += len(plain)
        cursor += len(plain)
        if cursor < start or (start < end and shown >= TEXT_LIMIT):  # past the limit
            break
        if start < end:
            out.append(f"<mark>{_copied(text[start:end])}</mark>")
            shown += min(end - start, 2 * PASSAGE_END + 1)
        cursor = end
    if cursor < len(text):
        out.append(
            f'<span class="gap">[… {len(text) - cursor:,} more characters not shown …]</span>'
        )
    return "".join(out)


def _copied(passage: str) -> str:
    """A copied passage, its middle elided when long (both reports print it anyway)."""
    if len(passage) <= LONG_PASSAGE:
        return _e(passage)
    middle = len(passage) - 2 * PASSAGE_END
    return (
        f'{_e(passage[:PASSAGE_END])}<span class="gap">[… {middle:,} copied characters …]'
        f"</span>{_e(passage[-PASSAGE_END:])}"
    )

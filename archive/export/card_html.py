"""A report card as one self-contained HTML page, its table 3 charted across the agency's years.

Every string from the database is escaped: report text is text from strangers. The chart is
inline SVG (no script, no request): one line per charted row of table 3, a dot per year, the
card's own year marked.
"""

from __future__ import annotations

from html import escape

from nianbao.archive.store.card import SERIES, ReportCard, YearPoint

WIDTH, HEIGHT, MARGIN = 640, 260, 48
COLOURS = ("#1f77b4", "#2ca02c", "#d62728")  # one per SERIES, told apart by the legend too
_STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;line-height:1.5}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em;
text-align:left;vertical-align:top}.failed{background:#fdd}.unchecked{background:#eee}
.reread{background:#ffd}pre{white-space:pre-wrap}
"""


def card_html(card: ReportCard) -> str:
    """The whole page."""
    meta = dict(card.metadata)
    title = escape(str(meta.get("title") or "(untitled)"))
    parts = [
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{title}</title>",
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>",
        _metadata(card),
        "<h2>Table 3 over the agency's years</h2>",
        chart_svg(card.agency_years, card.report_id),
        _checks(card),
        _sections(card),
        _spam(card),
        _clusters(card),
        _captures(card),
        "</body></html>",
    ]
    return "\n".join(parts)


def chart_svg(points: tuple[YearPoint, ...], current: str) -> str:
    """An SVG line chart of ``SERIES`` per year; a note instead when under two years."""
    if len(points) < 2:
        return "<p>No other year of this agency's reports is in the database.</p>"
    values = [v for p in points for v in p.values if v is not None]
    top = max(values, default=0) or 1
    step = (WIDTH - 2 * MARGIN) / (len(points) - 1)

    def x(i: int) -> float:
        return MARGIN + i * step

    def y(v: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * v / top

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}'"
        f" role='img' aria-label='table 3 by year'>",
        f"<line x1='{MARGIN}' y1='{HEIGHT - MARGIN}' x2='{WIDTH - MARGIN}'"
        f" y2='{HEIGHT - MARGIN}' stroke='#999'/>",
        f"<text x='4' y='{MARGIN}' font-size='11'>{top:g}</text>",
    ]
    for i, point in enumerate(points):
        weight = "bold" if point.report_id == current else "normal"
        out.append(
            f"<text x='{x(i):.1f}' y='{HEIGHT - MARGIN + 16}' font-size='11'"
            f" text-anchor='middle' font-weight='{weight}'>{point.year}</text>"
        )
    for s, (name, colour) in enumerate(zip(SERIES, COLOURS, strict=True)):
        series = [(i, p.values[s]) for i, p in enumerate(points)]
        dots = [(x(i), y(v)) for i, v in series if v is not None]
        if len(dots) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in dots)
            out.append(f"<polyline fill='none' stroke='{colour}' points='{path}'/>")
        out.extend(f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3' fill='{colour}'/>" for a, b in dots)
        out.append(
            f"<text x='{MARGIN}' y='{14 + 14 * s}' font-size='11' fill='{colour}'>"
            f"{escape(name)}</text>"
        )
    out.append("</svg>")
    rows = "".join(
        f"<tr><td>{p.year}</td>"
        + "".join(f"<td>{'' if v is None else v}</td>" for v in p.values)
        + "</tr>"
        for p in points
    )
    heads = "".join(f"<th>{escape(name)}</th>" for name in SERIES)
    return "".join(out) + f"<table><tr><th>year</th>{heads}</tr>{rows}</table>"


def _metadata(card: ReportCard) -> str:
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(str(value))}</td></tr>"
        for name, value in card.metadata
        if value is not None and value != ""
    )
    return f"<table>{rows}</table>"


def _checks(card: ReportCard) -> str:
    tables = card.tables
    rows = "".join(
        f"<tr class='{escape(c.state)}'><td>{escape(c.identity)}</td><td>{escape(c.state)}</td>"
        f"<td>{'' if c.expected is None else c.expected}</td>"
        f"<td>{'' if c.actual is None else c.actual}</td>"
        f"<td>{escape(', '.join(c.blank_cells))}</td></tr>"
        for c in tables.checks
        if c.state != "ok"
    )
    held = sum(c.state == "ok" for c in tables.checks)
    head = f"<h2>Identity checks: {held} of {len(tables.checks)} hold</h2>"
    if not rows:
        return head
    return (
        head + "<table><tr><th>identity</th><th>state</th><th>expected (sum)</th>"
        f"<th>printed total</th><th>blank cells</th></tr>{rows}</table>"
    )


def _sections(card: ReportCard) -> str:
    return "<h2>Sections</h2>" + "".join(
        f"<h3>{number}. {escape(heading or '')}</h3><pre>{escape(text)}</pre>"
        for number, heading, text in card.sections
    )


def _spam(card: ReportCard) -> str:
    if not card.spam:
        return "<h2>Spam</h2><p>None found.</p>"
    rows = "".join(
        f"<tr><td>{escape(s.kind)}</td><td>{escape(s.place or 'text')}</td>"
        f"<td>{escape(s.injected)}</td><td>{escape(s.restored or '')}</td></tr>"
        for s in card.spam
    )
    return (
        "<h2>Spam</h2><table><tr><th>kind</th><th>where</th><th>injected</th>"
        f"<th>restored</th></tr>{rows}</table>"
    )


def _clusters(card: ReportCard) -> str:
    if not card.clusters:
        return "<h2>Audit clusters</h2><p>None.</p>"
    items = "".join(
        f"<li>{escape(c.kind)} {escape(c.cluster_id)} ({c.size} reports): "
        + ", ".join(_link(url, f"{year} {agency or '?'}") for _rid, url, year, agency in c.others)
        + "</li>"
        for c in card.clusters
    )
    return f"<h2>Audit clusters</h2><ul>{items}</ul>"


def _captures(card: ReportCard) -> str:
    rows = "".join(
        f"<tr><td>{escape(c.date)}</td><td>{escape(c.record_type)}</td>"
        f"<td>{c.status or ''}</td><td>{escape(c.report_id or '')}</td></tr>"
        for c in card.history.captures
    )
    return (
        "<h2>Captures</h2><table><tr><th>date</th><th>record</th><th>status</th>"
        f"<th>report</th></tr>{rows}</table>"
    )


def _link(url: str, label: str) -> str:
    """A link to an archived web URL; anything else (javascript:, data:) stays text."""
    if url.startswith(("http://", "https://")):
        return f"<a href='{escape(url)}'>{escape(label)}</a>"
    return escape(label)

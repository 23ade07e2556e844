"""How `nianbao show` prints a report card: metadata, sections, tables, spam, clusters, captures."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from nianbao.archive.store.card import SERIES, ReportCard
from nianbao.crawler.console import counted, report_tables_view
from nianbao.crawler.console_history import history_view

SECTION_PREVIEW = 160  # characters of each section shown without --full


def card_view(card: ReportCard, *, full: bool = False) -> list[Table | Text]:
    """Every part of the card, in reading order."""
    views: list[Table | Text] = [_metadata(card)]
    views.extend(_sections(card, full))
    views.extend(report_tables_view(card.tables))
    views.extend(_spam(card))
    views.extend(_clusters(card))
    views.extend(_years(card))
    views.extend(history_view(card.history))
    return views


def _metadata(card: ReportCard) -> Table:
    table = Table("field", title="Report", show_header=False)
    table.add_column("value", overflow="fold")  # a URL is shown whole, folded
    for name, value in card.metadata:
        if value is not None and value != "":
            table.add_row(name, str(value))
    return table


def _sections(card: ReportCard, full: bool) -> list[Text]:
    if not card.sections:
        return [Text("no numbered sections were read from this report")]
    out = [Text(f"Sections: {len(card.sections)}", style="bold")]
    for number, heading, text in card.sections:
        # a preview runs the lines together: a table's text is one cell a line
        flat = " ".join(text.split())
        shown = (
            text if full else flat[:SECTION_PREVIEW] + ("…" if len(flat) > SECTION_PREVIEW else "")
        )
        more = (
            "" if full or len(text) <= SECTION_PREVIEW else f" ({len(text):,} characters; --full)"
        )
        out.append(Text(f"{number}. {heading or ''}{more}\n{shown}"))
    return out


def _spam(card: ReportCard) -> list[Table | Text]:
    if not card.spam:
        return [Text("no spam found in this report")]
    table = Table("kind", "where", "injected", "restored (from)", title=f"Spam: {len(card.spam)}")
    for line in card.spam:
        restored = (
            f"{line.restored} ({line.restored_from})" if line.restored else "(no copy had it)"
        )
        if line.kind in ("stuffed_header", "pinyin") and not line.restored:
            restored = "(removed; nothing replaced)"
        table.add_row(line.kind, line.place or "text", line.injected, restored)
    return [table]


def _clusters(card: ReportCard) -> list[Table | Text]:
    if not card.clusters:
        return [Text("in no audit cluster (or `nianbao audit` has not run)")]
    table = Table("cluster", "kind", "size", "this report", "other members", title="Audit clusters")
    for link in card.clusters:
        role = "canonical" if link.canonical else f"similarity {link.similarity or 0:.2f}"
        others = "\n".join(
            f"{rid} {year or '?'} {agency or '?'} {url}" for rid, url, year, agency in link.others
        )
        if link.size - 1 > len(link.others):
            others += f"\n… and {link.size - 1 - len(link.others)} more"
        table.add_row(link.cluster_id, link.kind, str(link.size), role, others)
    return [table]


def _years(card: ReportCard) -> list[Table | Text]:
    if len(card.agency_years) < 2:
        return [Text("no other year of this agency's reports is in the database")]
    table = Table(
        "year",
        *SERIES,
        "report",
        title=f"Table 3 over the agency's years ({counted(len(card.agency_years), 'year')})",
    )
    for point in card.agency_years:
        mark = " ←" if point.report_id == card.report_id else ""
        values = ("" if v is None else str(v) for v in point.values)
        table.add_row(str(point.year), *values, point.report_id + mark)
    return [table]

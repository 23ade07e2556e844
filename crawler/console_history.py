"""How `nianbao history` prints a URL's history: its captures, then each change."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from nianbao.archive.store.history import History, ReportChange
from nianbao.archive.warc.exchange import IDENTICAL, NOT_MODIFIED
from nianbao.crawler.console import counted


def history_view(history: History) -> list[Table | Text]:
    """A headline, the captures table, and per change its text-diff size and changed cells."""
    reports = {c.report_id for c in history.captures if c.report_id is not None}
    headline = (
        f"{history.url}: {counted(len(history.captures), 'capture')}, "
        f"{counted(len(reports), 'report')}, changed {counted(len(history.changes), 'time')}"
    )
    if history.gone:
        headline += f"; gone since {history.gone}"
    views: list[Table | Text] = [Text(headline), _captures_table(history)]
    views.extend(view for change in history.changes for view in _change_view(change))
    return views


_PROFILE_NAMES = {NOT_MODIFIED: "revisit (304)", IDENTICAL: "revisit (same)"}


def _captures_table(history: History) -> Table:
    table = Table(title="captures")
    table.add_column("date", no_wrap=True)
    table.add_column("record", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("payload digest", no_wrap=True)
    table.add_column("report", no_wrap=True)
    for capture in history.captures:
        kind = capture.record_type
        if capture.profile:
            kind = _PROFILE_NAMES.get(capture.profile, kind)
        table.add_row(
            capture.date[:19] + "Z",  # to the second: the full date is in --json
            kind,
            str(capture.status) if capture.status is not None else "-",
            (capture.payload_digest or "-")[:13],
            capture.report_id or "-",
        )
    return table


def _change_view(change: ReportChange) -> list[Table | Text]:
    line = Text(
        f"{change.date}: report {change.before} → {change.after}: text −{change.chars_removed}"
        f" +{change.chars_added} characters in {counted(change.lines_changed, 'line')}, "
        f"{counted(len(change.cells), 'table cell')} changed"
    )
    if not change.cells:
        return [line]
    table = Table()
    for name in ("table", "block", "row", "column", "before", "after"):
        table.add_column(name, overflow="fold")
    for cell in change.cells:
        table.add_row(
            str(cell.table_no),
            cell.block or "",
            cell.row or "",
            cell.column or "",
            "-" if cell.before is None else cell.before,
            "-" if cell.after is None else cell.after,
        )
    return [line, table]

"""What the command line shows people: a live progress line and summaries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from nianbao.archive.ingest.changes import ReindexChanges
from nianbao.archive.store.cells import DOUBTFUL_BELOW, OCR, SHEET
from nianbao.archive.store.query import ReportListing, ReportTables
from nianbao.archive.store.summary import FetchFailures, Summary
from nianbao.crawler.registry import Portal


@contextmanager
def crawl_progress(console: Console) -> Iterator[Any]:
    """A live status line fed with Scrapy stats; yields the callback to pass to the crawl."""
    start = Text("starting crawl…")
    with Live(start, console=console, transient=True, refresh_per_second=8) as live:

        def update(stats: Mapping[str, Any]) -> None:
            live.update(Text(progress_line(stats)))

        yield update


def progress_line(stats: Mapping[str, Any]) -> str:
    """One line: pages fetched, queued, reports found, errors."""
    fetched = stats.get("nianbao/warc_exchanges", 0)
    queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
    reports = stats.get("nianbao/reports", 0)
    errors = stats.get("nianbao/fetch_errors", 0) + stats.get("nianbao/ingest_errors", 0)
    return f"crawling: {fetched} pages fetched, {queued} queued, {reports} reports, {errors} errors"


def summary_tables(summary: Summary, top: int = 15) -> list[Table]:
    """Reports by year, by agency, and errors by stage, as rich tables."""
    by_year = Table("year", "reports", title="Reports by year")
    for year, count in sorted(summary.reports_by_year, key=lambda kv: str(kv[0])):
        by_year.add_row(str(year), str(count))
    by_agency = Table("agency", "reports", title=f"Reports by agency (top {top})")
    ranked = sorted(summary.reports_by_agency, key=lambda kv: (-kv[1], str(kv[0])))
    for agency, count in ranked[:top]:
        by_agency.add_row(str(agency), str(count))
    errors = Table("stage", "errors", title="Errors by kind")
    for stage, count in sorted(summary.errors_by_stage):
        errors.add_row(stage, str(count))
    if not summary.errors_by_stage:
        errors.add_row("(none)", "0")
    found = Table("what", "count", title="Tables and spam")
    failed, unchecked, checked = summary.checks
    found.add_row("table cells read", f"{summary.cells:,}")
    found.add_row("identity checks failed / run", f"{failed:,} / {checked:,}")
    found.add_row("identity checks not checkable (blank cells)", f"{unchecked:,}")
    if any(form != "html" for form, _ in summary.reports_by_format):
        formats = ", ".join(f"{form} {n:,}" for form, n in summary.reports_by_format)
        found.add_row("reports read from", formats)
    if any(source != "page or file" for source, _ in summary.cells_by_source):
        sources = ", ".join(f"{source} {n:,}" for source, n in summary.cells_by_source)
        found.add_row("table cells by source", sources)
    if summary.reread:
        found.add_row("identity checks failing on OCR'd cells (reread)", f"{summary.reread:,}")
    for kind, findings, reports, restored in summary.spam_by_kind:
        found.add_row(f"spam: {kind}", f"{findings} in {reports} reports, {restored} restored")
    tables = [by_year, by_agency, errors, found]
    if summary.common_errors:
        common = Table("stage", "times", "message", title="Most common errors")
        for stage, message, times in summary.common_errors:
            common.add_row(stage, str(times), short(message))
        tables.append(common)
    if summary.blocked_by_host:
        blocked = Table("host", "URLs blocked", title="Blocked pages by host")
        for host, count in summary.blocked_by_host:
            blocked.add_row(host, str(count))
        tables.append(blocked)
    return tables


def ocr_waiting_line(pictures: int, scans: int, command: str) -> str | None:
    """What waits for `nianbao ocr` (OCR is seconds a picture: a stage of its own, as the
    audit is), and the command that reads it; None when nothing waits."""
    waiting = [counted(pictures, "table picture")] if pictures else []
    waiting += [counted(scans, "scanned PDF")] if scans else []
    if not waiting:
        return None
    return f"{' and '.join(waiting)} not read yet: {command} reads them (Tesseract)"


def counted(n: int, thing: str) -> str:
    """``1 report``, ``2 reports``: a count with its noun (English plurals in -s)."""
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def failures_line(failures: FetchFailures) -> str:
    """Failed URLs and pages that answered only 4xx/5xx, each URL counted once."""
    statuses = ", ".join(f"{status} ×{n}" for status, n in failures.pages_by_status)
    pages = f" ({statuses})" if statuses else ""
    off = counted(failures.off_portal, "off-portal URL")
    refused = f", {off} refused" if failures.off_portal else ""
    return (
        f"{counted(failures.urls, 'URL')} failed to fetch, "
        f"{counted(failures.pages, 'page')} answered only 4xx/5xx{pages}{refused}"
    )


def reports_table(reports: tuple[ReportListing, ...]) -> Table:
    """The report list: id, year, agency, title, what it was read from, URL (a report read
    from an attachment: its page's URL, which is short and says where to look)."""
    table = Table(title=f"{len(reports)} reports")
    table.add_column("id", no_wrap=True)  # what `nianbao tables` takes: never cut
    table.add_column("year")
    table.add_column("agency", overflow="fold")
    table.add_column("title", overflow="fold")
    table.add_column("from")
    table.add_column("URL", overflow="fold")
    for report in reports:
        form = report.source_format or "html"
        table.add_row(
            report.id,
            str(report.year or "-"),
            report.agency or "-",
            report.title or "-",
            _read_from(form, report.page_url),
            report.page_url or report.url,
        )
    return table


def _read_from(form: str, page_url: str | None) -> str:
    if form == "html":
        return form
    # the URL shown is then the page's: short, and where a reader finds the file
    return f"{form} linked from this page" if page_url else f"{form} file"


def changes_lines(changes: ReindexChanges | None) -> list[str]:
    """What a reindex changed against the database it replaced, and which versions read it."""
    if changes is None:
        return []

    def versions(counts: tuple[tuple[str, int], ...]) -> str:
        return "; ".join(f"{version} ({count})" for version, count in counts) or "no reports"

    lines = [f"  extracted before by: {versions(changes.before)}"]
    lines.append(f"  extracted now by: {versions(changes.after)}")
    what = ", ".join(f"{name} {count}" for name, count in changes.what)
    lines.append(
        f"  against the database replaced: {changes.changed} reports changed"
        + (f" ({what})" if what else "")
        + f", {changes.added} new, {changes.removed} gone"
    )
    return lines


def short(message: str, width: int = 160) -> str:
    """A message on one line, cut to ``width`` characters."""
    line = " ".join(message.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def error_lines(errors: tuple[tuple[str, str, int], ...]) -> list[str]:
    """One line per common error: stage, times, message."""
    return [f"  {stage} ×{times}: {short(message)}" for stage, message, times in errors]


def blocked_note(blocked: tuple[tuple[str, int], ...], top: int = 10) -> Text | None:
    """How many URLs of which portal answered with a block page, and what may help; None if none."""
    if not blocked:
        return None
    total = sum(count for _, count in blocked)
    names = ", ".join(f"{name} {count}" for name, count in blocked[:top])
    more = f" and {len(blocked) - top} more" if len(blocked) > top else ""
    return Text(
        f"{counted(total, 'URL')} blocked (WAF challenge, script-only page, JS cookie check, "
        f"login wall or empty body) on {len(blocked)} portals: {names}{more}. They are kept in "
        'the WARC files but not extracted, and do not mean "no reports here": retrying later, more '
        "slowly, or with a browser may help (table `blocked` in the database).",
        style="yellow",
    )


def portals_table(portals: list[Portal]) -> Table:
    """The registry as a table: name, region, level, CMS family, first start URL."""
    table = Table(title=f"{len(portals)} portals")
    table.add_column("name", no_wrap=True)  # what --portal takes: never cut
    table.add_column("region", overflow="fold")
    table.add_column("level")
    table.add_column("family")
    table.add_column("start URL", overflow="fold")
    for portal in portals:
        start = portal.start_urls[0] + (
            f" (+{len(portal.start_urls) - 1})" if len(portal.start_urls) > 1 else ""
        )
        table.add_row(portal.name, portal.region, portal.level, portal.family or "-", start)
    return table


def report_tables_view(tables: ReportTables) -> list[Table | Text]:
    """Each table as the page printed it (raw cells under their labels), then failed checks,
    then the checks blank cells kept from being evaluated (never shown as failed)."""
    out: list[Table | Text] = [
        Text(
            f"{tables.title or '(untitled)'}  [{tables.report_id}]\n"
            f"{tables.url}\ntemplate: {tables.template or 'unknown'}"
        )
    ]
    read_by_ocr = set()
    for number in sorted({c.table for c in tables.cells}):
        cells = [c for c in tables.cells if c.table == number]
        columns = list(dict.fromkeys(c.column for c in cells))
        sources = {c.source for c in cells}
        if OCR in sources:
            read_by_ocr.add(number)
        view = Table("block", "row", *columns, title=f"Table {number}{_origin(sources)}")
        rows: dict[tuple[str, str], dict[str, str]] = {}
        for cell in cells:
            doubtful = cell.source == OCR and (cell.confidence or 0) < DOUBTFUL_BELOW
            raw = f"{cell.raw}?" if doubtful else cell.raw
            rows.setdefault((cell.block, cell.row), {})[cell.column] = raw
        for (block, row), raws in rows.items():
            view.add_row(block, row, *(raws.get(col, "") for col in columns))
        out.append(view)
    out.extend(_missing_lines(tables, read_by_ocr))
    if not tables.cells and not tables.checks:
        # a narrative report (before the 2019 template) or one whose tables are images: say
        # so, rather than print an empty "Failed checks: 0 of 0" box
        out.append(Text("no statistical tables (2–4) were read from this report"))
        return out
    failed = tables.failed
    headline = f"Failed checks: {len(failed)} of {len(tables.checks)}"
    if failed:
        checks = Table("identity", "expected (sum)", "printed total", title=headline)
        for check in failed:
            checks.add_row(check.identity, str(check.expected), str(check.actual))
        out.append(checks)
    else:  # an empty table's box says less than the line
        out.append(Text(headline))
    if tables.reread:  # a failure on OCR'd cells says more of the reading than of the agency
        again = Table(
            "identity",
            "expected (sum)",
            "printed total",
            title=f"Failing on OCR'd cells, to check against the picture: {len(tables.reread)}",
        )
        for check in tables.reread:
            again.add_row(check.identity, str(check.expected), str(check.actual))
        out.append(again)
    unchecked = tables.unchecked
    if unchecked:
        blanks = Table(
            "identity",
            "expected (sum)",
            "printed total",
            "blank cells",
            title=f"Not checkable (blank cells{', or not read by OCR' if read_by_ocr else ''}): "
            f"{len(unchecked)} of {len(tables.checks)}",
        )
        stored = {f"{c.table}:{c.block}:{c.row}:{c.column}" for c in tables.cells}
        for check in unchecked:
            blanks.add_row(
                check.identity,
                _number_or_blank(check.expected),
                _number_or_blank(check.actual),
                # a schema-1 row migrated without re-extraction does not know its cells
                ", ".join(_blank_label(c, stored, read_by_ocr) for c in check.blank_cells)
                or "(reindex to list)",
            )
        out.append(blanks)
    return out


def _blank_label(cell: str, stored: set[str], read_by_ocr: set[int]) -> str:
    """A blank operand's label; one of a table read by OCR that holds no such cell was not
    found in the picture, which says nothing of what the agency printed there."""
    unread = cell not in stored and int(cell.split(":", 1)[0]) in read_by_ocr
    return f"{_cell_label(cell)} (not read by OCR)" if unread else _cell_label(cell)


def _missing_lines(tables: ReportTables, read_by_ocr: set[int]) -> list[Text]:
    """A line for each table the report does not print as a table, and what became of it."""
    unread = dict(tables.unread)
    lines = []
    for number, reason, urls in tables.missing:
        shown = " ".join(urls)
        failed = [unread[u] for u in urls if u in unread]
        if reason == "image" and number in read_by_ocr:
            lines.append(Text(f"Table {number} printed as a picture, read by OCR: {shown}"))
        elif reason == "image" and failed and len(failed) == len(urls):
            why = f"OCR could not read it ({failed[0]})"
            lines.append(Text(f"Table {number} printed as a picture, {why}: {shown}"))
        elif reason == "image":
            lines.append(
                Text(f"Table {number} printed as a picture, not read yet (nianbao ocr): {shown}")
            )
        else:
            lines.append(Text(f"Table {number} missing ({reason}) {shown}"))
    return lines


def _origin(sources: set[str | None]) -> str:
    """What a table's title says of where its cells came from, beyond the page itself."""
    said = []
    if OCR in sources:
        said.append(f"read by OCR from its picture; ? marks a reading under {DOUBTFUL_BELOW:g}%")
    if SHEET in sources:
        said.append("from the workbook the page links")
    return f" ({'; '.join(said)})" if said else ""


def _number_or_blank(value: int | float | None) -> str:
    return "blank" if value is None else str(value)


def _cell_label(cell: str) -> str:
    """A stored cell id "3::（七）总计:总计" as "t3 （七）总计/总计".

    The row names table 3's cells; table 4's have no row, so their block stands there.
    """
    table, _, rest = cell.partition(":")
    block, _, rest = rest.partition(":")
    row, _, column = rest.partition(":")
    return f"t{table} {row or block}/{column}"

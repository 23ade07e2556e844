"""What the command line shows people: a live progress line and summaries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from archive.summary import Summary


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
    return [by_year, by_agency, errors]

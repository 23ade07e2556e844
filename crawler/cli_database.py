"""The commands that read or rebuild a database: reindex, stats, tables, reports, history,
audit."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from nianbao.archive.export.audit_report import AuditReport
from nianbao.archive.store.summary import pictures_to_read, scans_to_read
from nianbao.archive.warc.files import ARCHIVE_SUFFIXES, archives_in
from nianbao.crawler.cli_options import console, db_option, one_line_errors
from nianbao.crawler.console import (
    changes_lines,
    counted,
    failures_line,
    ocr_waiting_line,
    report_tables_view,
    reports_table,
    summary_tables,
)
from nianbao.crawler.temporary import temporary_files_in


@click.command("reindex")
@click.argument("warcs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    required=True,
    help="SQLite database to (re)build from the WARC files.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Processes reading WARC files in parallel.",
)
def reindex_command(warcs: tuple[Path, ...], db: Path, workers: int) -> None:
    """Rebuild the database from WARC and ARC files (files, or folders holding them)."""
    from nianbao.archive.ingest.reindex import reindex

    files, skipped = warc_files(warcs)
    for path, why in skipped:
        console.print(f"  skipped {path}: {why}", markup=False, highlight=False)
    if not files:
        raise click.ClickException(
            f"no WARC or ARC files in the given paths: name files or folders holding "
            f"{', '.join(ARCHIVE_SUFFIXES)} files"
        )
    with console.status("reindexing…") as status:

        def progress(done: int, total: int, records: int) -> None:
            status.update(f"reindexing: {done}/{total} files, {records} records")

        with temporary_files_in(db.parent), one_line_errors():
            summary = reindex(files, db, workers=workers, progress=progress)
    if summary.replaced:
        console.print(
            f"reindexed {counted(len(files), 'archive file')} into {db}: "
            f"{counted(summary.records, 'record')}, {counted(summary.reports, 'report')}, "
            f"{counted(summary.errors, 'error row')}"
        )
        for line in changes_lines(summary.changes):
            console.print(line, markup=False, highlight=False)
        folders = sorted({str(path.parent) for path in files})
        warc = f" --warc {folders[0]}" if len(folders) == 1 else " --warc DIR"
        waiting = ocr_waiting_line(
            pictures_to_read(db), scans_to_read(db), f"nianbao ocr --db {db}{warc}"
        )
        if waiting is not None:  # OCR'd cells are not in the WARCs: read them again
            console.print(waiting, markup=False, highlight=False, soft_wrap=True)
    if summary.unreadable:
        for reason in summary.unreadable:
            console.print(f"  not read: {reason}", markup=False, highlight=False)
        kept = "" if summary.replaced else f"; {db} was left as it was"
        raise click.ClickException(
            f"{counted(len(summary.unreadable), 'archive file')} could not be read to the "
            f"end{kept}: pass only WARC and ARC files, or recover the damaged ones"
        )


@click.command("stats")
@db_option("The database to summarise (opened read-only).")
def stats_command(db: Path) -> None:
    """Summarise a database: pages, reports by year and agency, errors by kind."""
    from nianbao.archive.store.summary import summarize

    with one_line_errors():
        summary = summarize(db)
    console.print(
        f"{db}: {summary.pages_fetched} pages, {summary.reports} reports; "
        f"{failures_line(summary.failures)}"
    )
    for table in summary_tables(summary):
        console.print(table)


@click.command("tables")
@click.argument("report")
@db_option("The database to read (opened read-only).")
def tables_command(report: str, db: Path) -> None:
    """Show a report's tables 2–4 as printed and the identity checks it fails.

    REPORT is a report id, a unique start of one, or its URL: `nianbao reports` lists them.
    """
    from nianbao.archive.store.query import Ambiguous, NotFound, report_tables

    try:
        with one_line_errors():
            tables = report_tables(db, report)
    except NotFound as err:
        raise click.ClickException(
            f"no report with id or URL {err}; list them with: nianbao reports --db {db}"
        ) from err
    except Ambiguous as err:
        raise click.ClickException(
            f"{err.matches} reports have ids starting with {err.key}: give more characters "
            f"(nianbao reports --db {db} lists them)"
        ) from err
    for view in report_tables_view(tables):
        console.print(view)


@click.command("reports")
@db_option("The database to read (opened read-only).")
@click.option("--year", type=int, help="Only reports on this year.")
@click.option("--agency", help="Only reports whose agency contains this text.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def reports_command(db: Path, year: int | None, agency: str | None, as_json: bool) -> None:
    """List reports: id (what `nianbao tables` takes), year, agency, title, URL."""
    from nianbao.archive.store.query import list_reports

    with one_line_errors():
        reports = list_reports(db, year=year, agency=agency)
    if as_json:
        for report in reports:
            click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
    else:
        console.print(reports_table(reports))


@click.command("history")
@click.argument("url")
@db_option("The database to read (opened read-only).")
@click.option("--json", "as_json", is_flag=True, help="The history as one JSON object.")
def history_command(url: str, db: Path, as_json: bool) -> None:
    """Show what every crawl archived for URL: captures, and what changed between reports.

    URL may also be a report id or a unique start of one (`nianbao reports` lists them).
    """
    from nianbao.archive.store.history import url_history
    from nianbao.archive.store.query import Ambiguous, NotFound
    from nianbao.crawler.console_history import history_view

    try:
        with one_line_errors():
            history = url_history(db, url)
    except NotFound as err:
        raise click.ClickException(
            f"nothing archived for {err}: give a URL as crawled or a report id "
            f"(nianbao reports --db {db} lists them)"
        ) from err
    except Ambiguous as err:
        raise click.ClickException(
            f"{err.matches} reports have ids starting with {err.key}: give more characters"
        ) from err
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(history), ensure_ascii=False))
        return
    for view in history_view(history):
        console.print(view)


@click.command("audit")
@db_option("The database to audit (it keeps the audit tables).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the report into OUT/audit/. Default: the database's folder.",
)
def audit_command(db: Path, out: Path | None) -> None:
    """Find duplicate, copied and reused reports; write an HTML audit report and CSVs."""
    from nianbao.archive.export import AuditDataError, audit_archive

    try:
        with temporary_files_in(out or db.parent), one_line_errors(), console.status("auditing…"):
            report = audit_archive(db, (out or db.parent) / "audit")
    except AuditDataError as err:
        raise click.ClickException(str(err)) from err
    print_audit(db, report)


def print_audit(db: Path, report: AuditReport) -> None:
    """The audit's headline numbers and where its report is."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.clusters_by_kind if n) or "none"
    console.print(
        f"audit of {db}: {report.reports} reports, {report.clusters} clusters "
        f"({kinds}), {report.pairs} pairs"
    )
    console.print(f"audit report: {report.html}")
    console.print(f"CSV: {', '.join(str(path) for path in report.csvs)}")


def warc_files(paths: tuple[Path, ...]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files named, and the WARC and ARC files inside the folders named, sorted; and what
    those folders hold that is not read, with why."""
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            inside, passed = archives_in(path)
            found.extend(inside)
            skipped.extend(passed)
        elif path.exists():
            found.append(path)
        else:
            raise click.ClickException(f"no such file or folder: {path}")
    return found, skipped

"""The ``nianbao`` command line: each command builds one config, calls one function."""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from nianbao.archive.export.audit_report import AuditReport
from nianbao.archive.places import PlaceError
from nianbao.archive.warc.writer import DEFAULT_MAX_BYTES
from nianbao.crawler.console import (
    blocked_note,
    changes_lines,
    crawl_progress,
    error_lines,
    failures_line,
    portals_table,
    report_tables_view,
    reports_table,
    summary_tables,
)
from nianbao.crawler.registry import Portal, RegistryError, default_registry, load_registry, select
from nianbao.crawler.run import DB_NAME, DEFAULT_OUT, CrawlConfig, CrawlResult, crawl

console = Console(stderr=False)
DEFAULT_DB = DEFAULT_OUT / DB_NAME


@contextmanager
def one_line_errors() -> Iterator[None]:
    """A path the user got wrong ends the command with its one-line message, exit 1."""
    try:
        yield
    except PlaceError as err:
        raise click.ClickException(str(err)) from err


def db_option(help_text: str) -> Callable:
    """``--db``, defaulting to where `nianbao crawl` and `nianbao demo` write."""
    return click.option(
        "--db",
        type=click.Path(path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help=help_text,
    )


@click.group()
@click.version_option(package_name="nianbao")
def main() -> None:
    """Crawl, archive and extract Chinese government open-information annual reports."""


@main.command("crawl")
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(path_type=Path),
    help="Portal registry TOML ([[portal]] name, start_urls, allowed_hosts). "
    "Default: the packaged registry of real portals (see `nianbao portals`).",
)
@click.option(
    "--portal",
    "portal_names",
    multiple=True,
    help="Crawl only this portal (repeatable). Default: every portal.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="Crawl the portals whose region contains this text, e.g. yunnan "
    "(repeatable; adds to --portal).",
)
@click.option(
    "--contact",
    help="Contact URL (or mailto:) for the User-Agent, so site "
    "operators can reach you. Default: the project's URL.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder: warc/ and nianbao.db go here.",
)
@click.option("--proxy", help="Send every request through this HTTP proxy (e.g. simweb's).")
@click.option(
    "--prefix", help="WARC file prefix, unique per crawl worker. Default: nianbao-<host>-<pid>."
)
@click.option(
    "--max-warc-mb",
    type=click.IntRange(1),
    default=DEFAULT_MAX_BYTES // 1_000_000,
    show_default=True,
    help="Rotate WARC files at this size.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Stop after this many responses (0: no limit).",
)
@click.option("--loopback", is_flag=True, help="No politeness delays (simulated web only).")
def crawl_command(
    registry_path: Path | None,
    portal_names: tuple[str, ...],
    regions: tuple[str, ...],
    contact: str | None,
    out: Path,
    proxy: str | None,
    prefix: str | None,
    max_warc_mb: int,
    max_pages: int,
    loopback: bool,
) -> None:
    """Crawl registry portals into WARC files and a SQLite database."""
    try:
        portals = select(read_registry(registry_path), portal_names, regions)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    config = CrawlConfig(
        out=out,
        portals=tuple(portals),
        proxy=proxy,
        prefix=prefix,
        max_warc_bytes=max_warc_mb * 1_000_000,
        loopback=loopback,
        contact=contact,
        settings={"CLOSESPIDER_PAGECOUNT": max_pages},
    )
    with one_line_errors(), crawl_progress(console) as progress:
        result = crawl(config, progress=progress)
    print_crawl(result)
    fail_if_nothing_fetched(result)


def fail_if_nothing_fetched(result: CrawlResult) -> None:
    """A crawl without a single answer is a failure, whatever else it recorded."""
    if result.pages:
        return
    why = (
        f"most common error: {result.common_errors[0][1]}"
        if result.common_errors
        else ("no request was answered")
    )
    raise click.ClickException(
        f"the crawl fetched nothing ({why}): check the network, --proxy and the start URLs"
    )


@main.command("portals")
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="Only portals whose region contains this text (repeatable).",
)
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(path_type=Path),
    help="Registry TOML to list. Default: the packaged registry of real portals.",
)
def portals_command(regions: tuple[str, ...], registry_path: Path | None) -> None:
    """List the registry's portals: name, region, level, CMS family, start URL."""
    try:
        portals = select(read_registry(registry_path), (), regions)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    console.print(portals_table(portals))


def read_registry(path: Path | None) -> list[Portal]:
    """The registry file at ``path``, or the packaged one when no path is given."""
    return load_registry(path) if path is not None else default_registry()


@main.command("reindex")
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
    """Rebuild the database from WARC files (files or folders of *.warc.gz)."""
    from nianbao.archive.ingest.reindex import reindex

    files = warc_files(warcs)
    if not files:
        raise click.ClickException("no .warc.gz files found in the given paths")
    with console.status("reindexing…") as status:

        def progress(done: int, total: int, records: int) -> None:
            status.update(f"reindexing: {done}/{total} files, {records} records")

        with one_line_errors():
            summary = reindex(files, db, workers=workers, progress=progress)
    console.print(
        f"reindexed {len(files)} WARC files into {db}: {summary.records} records, "
        f"{summary.reports} reports, {summary.errors} error rows"
    )
    for line in changes_lines(summary.changes):
        console.print(line, markup=False, highlight=False)
    if summary.unreadable:
        for reason in summary.unreadable:
            console.print(f"  not read: {reason}", markup=False, highlight=False)
        raise click.ClickException(
            f"{len(summary.unreadable)} WARC files (or their tails) could not be read; "
            "pass only WARC files, or recover the damaged ones"
        )


@main.command("stats")
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


@main.command("tables")
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


@main.command("reports")
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


@main.command("audit")
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
        with one_line_errors(), console.status("auditing…"):
            report = audit_archive(db, (out or db.parent) / "audit")
    except AuditDataError as err:
        raise click.ClickException(str(err)) from err
    print_audit(db, report)


@main.command("demo")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder; the demo writes nowhere else.",
)
@click.option(
    "--reports",
    type=click.IntRange(1),
    default=60,
    show_default=True,
    help="Generated reports in the simulated web (plus the five seeds).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Simulated web seed.")
def demo_command(out: Path, reports: int, seed: int) -> None:
    """Crawl the simulated portals on loopback, archive, extract, audit and summarise."""
    from nianbao.crawler.demo import DemoConfig, run_demo

    with one_line_errors(), crawl_progress(console) as progress:
        result = run_demo(DemoConfig(out=out, reports=reports, seed=seed), progress=progress)
    console.print(f"simulated web: {result.truth_reports} reports; registry {result.registry_path}")
    print_crawl(result.crawl)
    fail_if_nothing_fetched(result.crawl)
    for table in summary_tables(result.summary):
        console.print(table)
    print_audit(result.crawl.db_path, result.audit)


@main.command("simweb")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True)
@click.option("--reports", type=click.IntRange(1), default=60, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--registry-out",
    type=click.Path(path_type=Path),
    help="Write the simulated portals' registry here.",
)
def simweb_command(port: int, reports: int, seed: int, registry_out: Path | None) -> None:
    """Serve the simulated web as an HTTP proxy on loopback until interrupted."""
    from nianbao.simweb import SimServer, build_world

    world = build_world(seed=seed, reports=reports)
    if registry_out:
        try:
            registry_out.write_text(world.registry_toml(), encoding="utf-8")
        except OSError as err:
            raise click.ClickException(
                f"cannot write --registry-out {registry_out} ({err.strerror}): "
                "pass a file path you can write"
            ) from err
    with SimServer(world, port=port) as server:
        console.print(f"simulated web: {len(world.reports)} reports, proxy {server.proxy_url}")
        console.print(
            "crawl it with: nianbao crawl --registry FILE --proxy "
            f"{server.proxy_url} --loopback   (Ctrl-C stops)"
        )
        try:
            threading.Event().wait()  # the server thread serves; Ctrl-C ends the wait
        except KeyboardInterrupt:
            console.print("simulated web stopped")


def print_audit(db: Path, report: AuditReport) -> None:
    """The audit's headline numbers and where its report is."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.clusters_by_kind if n) or "none"
    console.print(
        f"audit of {db}: {report.reports} reports, {report.clusters} clusters "
        f"({kinds}), {report.pairs} pairs"
    )
    console.print(f"audit report: {report.html}")
    console.print(f"CSV: {', '.join(str(path) for path in report.csvs)}")


def print_crawl(result: CrawlResult) -> None:
    """The crawl's headline numbers."""
    rate = result.pages / result.seconds if result.seconds else 0.0
    console.print(
        f"crawl {result.crawl_id}: {result.pages} pages in {result.seconds:.1f} s "
        f"({rate:.1f} pages/s), {len(result.warc_files)} WARC files, "
        f"{result.warc_bytes:,} WARC bytes, {result.reports} reports, "
        f"{failures_line(result.failures)}"
    )
    if result.common_errors:
        console.print("most common errors (table `errors` in the database):")
        for line in error_lines(result.common_errors):
            console.print(line, markup=False, highlight=False)
    console.print(f"database: {result.db_path}")
    note = blocked_note(result.blocked)
    if note is not None:
        console.print(note)


def warc_files(paths: tuple[Path, ...]) -> list[Path]:
    """The .warc.gz files named, or inside the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.warc.gz")))
        elif path.exists():
            found.append(path)
        else:
            raise click.ClickException(f"no such file or folder: {path}")
    return found


if __name__ == "__main__":
    sys.exit(main())

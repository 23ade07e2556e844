"""The ``nianbao`` command line: each command builds one config, calls one function."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from archive.export.audit_report import AuditReport
from crawler.console import (
    blocked_note,
    crawl_progress,
    error_lines,
    portals_table,
    report_tables_view,
    summary_tables,
)
from crawler.registry import Portal, RegistryError, default_registry, load_registry, select
from crawler.run import DB_NAME, CrawlConfig, CrawlResult, crawl

console = Console(stderr=False)


@click.group()
@click.version_option(package_name="nianbao")
def main() -> None:
    """Crawl, archive and extract Chinese government open-information annual reports."""


@main.command("crawl")
@click.option("--registry", "registry_path", type=click.Path(path_type=Path),
              help="Portal registry TOML ([[portal]] name, start_urls, allowed_hosts). "
              "Default: the packaged registry of real portals (see `nianbao portals`).")
@click.option("--portal", "portal_names", multiple=True,
              help="Crawl only this portal (repeatable). Default: every portal.")
@click.option("--region", "regions", multiple=True,
              help="Crawl the portals whose region contains this text, e.g. yunnan "
              "(repeatable; adds to --portal).")
@click.option("--contact", help="Contact URL (or mailto:) for the User-Agent, so site "
              "operators can reach you. Default: the project's URL.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("nianbao-out"),
              show_default=True, help="Output folder: warc/ and nianbao.db go here.")
@click.option("--proxy", help="Send every request through this HTTP proxy (e.g. simweb's).")
@click.option("--prefix", help="WARC file prefix, unique per crawl worker. "
              "Default: nianbao-<host>-<pid>.")
@click.option("--max-warc-mb", type=click.IntRange(1), default=100, show_default=True,
              help="Rotate WARC files at this size.")
@click.option("--max-pages", type=click.IntRange(0), default=0, show_default=True,
              help="Stop after this many responses (0: no limit).")
@click.option("--loopback", is_flag=True, help="No politeness delays (simulated web only).")
def crawl_command(registry_path: Path | None, portal_names: tuple[str, ...],
                  regions: tuple[str, ...], contact: str | None, out: Path,
                  proxy: str | None, prefix: str | None, max_warc_mb: int,
                  max_pages: int, loopback: bool) -> None:
    """Crawl registry portals into WARC files and a SQLite database."""
    try:
        portals = select(read_registry(registry_path), portal_names, regions)
    except RegistryError as err:
        raise click.ClickException(str(err)) from err
    config = CrawlConfig(out=out, portals=tuple(portals), proxy=proxy, prefix=prefix,
                         max_warc_bytes=max_warc_mb * 1_000_000, loopback=loopback,
                         contact=contact, settings={"CLOSESPIDER_PAGECOUNT": max_pages})
    with crawl_progress(console) as progress:
        result = crawl(config, progress=progress)
    print_crawl(result)


@main.command("portals")
@click.option("--region", "regions", multiple=True,
              help="Only portals whose region contains this text (repeatable).")
@click.option("--registry", "registry_path", type=click.Path(path_type=Path),
              help="Registry TOML to list. Default: the packaged registry of real portals.")
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
@click.option("--db", type=click.Path(path_type=Path), required=True,
              help="SQLite database to (re)build from the WARC files.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes reading WARC files in parallel.")
def reindex_command(warcs: tuple[Path, ...], db: Path, workers: int) -> None:
    """Rebuild the database from WARC files (files or folders of *.warc.gz)."""
    from archive.reindex import reindex

    files = warc_files(warcs)
    if not files:
        raise click.ClickException("no .warc.gz files found in the given paths")
    with console.status("reindexing…") as status:

        def progress(done: int, total: int, records: int) -> None:
            status.update(f"reindexing: {done}/{total} files, {records} records")

        summary = reindex(files, db, workers=workers, progress=progress)
    console.print(f"reindexed {len(files)} WARC files into {db}: {summary}")


@main.command("stats")
@click.option("--db", type=click.Path(path_type=Path), default=Path("nianbao-demo") / DB_NAME,
              show_default=True, help="The database to summarise.")
def stats_command(db: Path) -> None:
    """Summarise a database: pages, reports by year and agency, errors by kind."""
    from archive.summary import summarize

    if not db.exists():
        raise click.ClickException(f"no database at {db}: run `nianbao crawl` or pass --db")
    summary = summarize(db)
    console.print(f"{db}: {summary.pages_fetched} pages, {summary.reports} reports")
    for table in summary_tables(summary):
        console.print(table)


@main.command("tables")
@click.argument("report")
@click.option("--db", type=click.Path(path_type=Path), default=Path("nianbao-demo") / DB_NAME,
              show_default=True, help="The database to read.")
def tables_command(report: str, db: Path) -> None:
    """Show a report's tables 2–4 as printed and the identity checks it fails.

    REPORT is a report id or URL (see `nianbao stats` or the reports table).
    """
    from archive.query import NotFound, report_tables

    if not db.exists():
        raise click.ClickException(f"no database at {db}: run `nianbao crawl` or pass --db")
    try:
        tables = report_tables(db, report)
    except NotFound as err:
        raise click.ClickException(
            f"no report with id or URL {err}; list them with: "
            f"sqlite3 {db} 'select id, url from reports'") from err
    for view in report_tables_view(tables):
        console.print(view)


@main.command("audit")
@click.option("--db", type=click.Path(path_type=Path), default=Path("nianbao-demo") / DB_NAME,
              show_default=True, help="The database to audit (it keeps the audit tables).")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write the report into OUT/audit/. Default: the database's folder.")
def audit_command(db: Path, out: Path | None) -> None:
    """Find duplicate, copied and reused reports; write an HTML audit report and CSVs."""
    if not db.exists():
        raise click.ClickException(
            f"no database at {db}: run `nianbao crawl` or `nianbao demo` first, or pass --db")
    from archive.export import AuditDataError, audit_archive

    try:
        with console.status("auditing…"):
            report = audit_archive(db, (out or db.parent) / "audit")
    except AuditDataError as err:
        raise click.ClickException(str(err)) from err
    print_audit(db, report)


@main.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default=Path("nianbao-demo"),
              show_default=True, help="Output folder; the demo writes nowhere else.")
@click.option("--reports", type=click.IntRange(1), default=60, show_default=True,
              help="Generated reports in the simulated web (plus the five seeds).")
@click.option("--seed", type=int, default=0, show_default=True, help="Simulated web seed.")
def demo_command(out: Path, reports: int, seed: int) -> None:
    """Crawl the simulated portals on loopback, archive, extract, audit and summarise."""
    from crawler.demo import DemoConfig, run_demo

    with crawl_progress(console) as progress:
        result = run_demo(DemoConfig(out=out, reports=reports, seed=seed), progress=progress)
    console.print(f"simulated web: {result.truth_reports} reports; registry {result.registry_path}")
    print_crawl(result.crawl)
    for table in summary_tables(result.summary):
        console.print(table)
    print_audit(result.crawl.db_path, result.audit)


@main.command("simweb")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True)
@click.option("--reports", type=click.IntRange(1), default=60, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--registry-out", type=click.Path(path_type=Path),
              help="Write the simulated portals' registry here.")
def simweb_command(port: int, reports: int, seed: int, registry_out: Path | None) -> None:
    """Serve the simulated web as an HTTP proxy on loopback until interrupted."""
    from simweb import SimServer, build_world

    world = build_world(seed=seed, reports=reports)
    if registry_out:
        registry_out.write_text(world.registry_toml(), encoding="utf-8")
    server = SimServer(world, port=port)
    server.start()
    console.print(f"simulated web: {len(world.reports)} reports, proxy {server.proxy_url}")
    console.print("crawl it with: nianbao crawl --registry FILE --proxy "
                  f"{server.proxy_url} --loopback   (Ctrl-C stops)")
    try:
        server.wait()
    except KeyboardInterrupt:
        server.stop()


def print_audit(db: Path, report: AuditReport) -> None:
    """The audit's headline numbers and where its report is."""
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.clusters_by_kind if n) or "none"
    console.print(f"audit of {db}: {report.reports} reports, {report.clusters} clusters "
                  f"({kinds}), {report.pairs} pairs")
    console.print(f"audit report: {report.html}")
    console.print(f"CSV: {', '.join(str(path) for path in report.csvs)}")


def print_crawl(result: CrawlResult) -> None:
    """The crawl's headline numbers."""
    rate = result.pages / result.seconds if result.seconds else 0.0
    console.print(
        f"crawl {result.crawl_id}: {result.pages} pages in {result.seconds:.1f} s "
        f"({rate:.1f} pages/s), {len(result.warc_files)} WARC files, "
        f"{result.warc_bytes:,} WARC bytes, {result.reports} reports, "
        f"{result.fetch_errors} fetch errors"
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

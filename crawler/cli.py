"""The ``nianbao`` command line: each command builds one config, calls one function.

Here: the group, and the commands that crawl (crawl, portals, demo, simweb); the commands on
a database are in ``cli_database``, what all share in ``cli_options``.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from nianbao.archive.warc.writer import DEFAULT_MAX_BYTES
from nianbao.crawler.cli_database import (
    audit_command,
    history_command,
    print_audit,
    reindex_command,
    reports_command,
    stats_command,
    tables_command,
)
from nianbao.crawler.cli_export import export_command
from nianbao.crawler.cli_ocr import ocr_command
from nianbao.crawler.cli_options import console, one_line_errors
from nianbao.crawler.cli_search import search_command
from nianbao.crawler.cli_serve import serve_command
from nianbao.crawler.cli_show import show_command
from nianbao.crawler.config_file import BadConfig, read_crawl_file
from nianbao.crawler.console import (
    blocked_note,
    counted,
    crawl_progress,
    error_lines,
    failures_line,
    ocr_waiting_line,
    portals_table,
    summary_tables,
)
from nianbao.crawler.frontier import RedisUnavailable
from nianbao.crawler.middlewares.warc import REBUILT_STAT
from nianbao.crawler.registry import Portal, RegistryError, default_registry, load_registry, select
from nianbao.crawler.run import DEFAULT_OUT, CrawlConfig, CrawlResult, crawl
from nianbao.crawler.temporary import temporary_files_in

SETTINGS_META = "nianbao.crawl_settings"  # click context meta: the config file's [settings]


@click.group()
@click.version_option(package_name="nianbao")
def main() -> None:
    """Crawl, archive and extract Chinese government open-information annual reports."""


def _read_config(ctx: click.Context, _param: click.Parameter, path: Path | None) -> None:
    """Eager: the file's values become the defaults of the options that follow."""
    if path is None:
        return
    try:
        found = read_crawl_file(path)
    except BadConfig as err:
        raise click.ClickException(str(err)) from err
    ctx.default_map = {**(ctx.default_map or {}), **found.options}
    ctx.meta[SETTINGS_META] = found.settings


@main.command("crawl")
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    expose_value=False,
    callback=_read_config,
    help="TOML file of these options (keys: out, registry, region, portal, contact, prefix, redis, "
    "max-warc-mb, …) and a [settings] table of Scrapy settings; options given here win.",
)
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
@click.option(
    "--redis",
    metavar="URL",
    help="Share the frontier with the other workers given the same Redis URL "
    "(redis://host:6379/0): one queue, one duplicate filter, per-host politeness across them.",
)
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
    redis: str | None,
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
        redis=redis,
        settings={
            **click.get_current_context().meta.get(SETTINGS_META, {}),
            "CLOSESPIDER_PAGECOUNT": max_pages,
        },
    )
    try:
        with temporary_files_in(out), one_line_errors(), crawl_progress(console) as progress:
            result = crawl(config, progress=progress)
    except RedisUnavailable as err:
        raise click.ClickException(str(err)) from err
    print_crawl(result)
    if result.stopped:
        raise click.ClickException(
            f"the crawl was {result.stopped} before it finished: run the same command again "
            "to resume it (what was archived is kept and not fetched again)"
        )
    fail_if_nothing_fetched(result, shared=redis is not None)


def fail_if_nothing_fetched(result: CrawlResult, shared: bool = False) -> None:
    """A crawl without a single answer is a failure, whatever else it recorded; a worker
    on a shared frontier may find the others took all the work, and only its errors fail."""
    if result.pages or (shared and not result.fetch_errors):
        if shared and not result.pages:
            console.print("this worker fetched nothing: the other workers took all the work")
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

    with temporary_files_in(out), one_line_errors(), crawl_progress(console) as progress:
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
    "--run",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Serve crawl run N: the world after N seeded change steps (edits, removals, additions).",
)
@click.option(
    "--registry-out",
    type=click.Path(path_type=Path),
    help="Write the simulated portals' registry here.",
)
@click.option(
    "--attachments",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Reports published as PDF, DOCX or XLSX attachments, and the hostile files.",
)
@click.option(
    "--drawn-tables",
    is_flag=True,
    help="Table pictures print their cells (for `nianbao ocr`); scanned PDFs among the "
    "attachments.",
)
def simweb_command(
    port: int,
    reports: int,
    seed: int,
    run: int,
    registry_out: Path | None,
    attachments: int,
    drawn_tables: bool,
) -> None:
    """Serve the simulated web as an HTTP proxy on loopback until interrupted."""
    from nianbao.simweb import SimServer, build_world

    world = build_world(
        seed=seed, reports=reports, run=run, attachments=attachments, drawn_tables=drawn_tables
    )
    if registry_out:
        try:
            registry_out.write_text(world.registry_toml(), encoding="utf-8")
        except OSError as err:
            raise click.ClickException(
                f"cannot write --registry-out {registry_out} ({err.strerror}): "
                "pass a file path you can write"
            ) from err
    # Ctrl-C at any moment, even before the wait begins, stops cleanly (the test's SIGINT
    # once came between the printed hint and the wait, and click said "Aborted!")
    try:
        with SimServer(world, port=port) as server:
            if run:
                console.print(
                    f"simulated web at run {run}: {len(world.changes.edited)} edited, "
                    f"{len(world.changes.removed)} removed, {len(world.changes.added)} added "
                    f"since run {run - 1}"
                )
            # soft_wrap: lines a user copies stay whole however narrow the terminal or pipe
            console.print(
                f"simulated web: {len(world.reports)} reports, proxy {server.proxy_url}",
                soft_wrap=True,
            )
            console.print(
                f"crawl it with: nianbao crawl --registry {registry_out or 'FILE'} --proxy "
                f"{server.proxy_url} --loopback   (Ctrl-C stops)",
                soft_wrap=True,
            )
            threading.Event().wait()  # the server thread serves; Ctrl-C ends the wait
    except KeyboardInterrupt:
        console.print("simulated web stopped")


def print_crawl(result: CrawlResult) -> None:
    """The crawl's headline numbers."""
    rate = result.pages / result.seconds if result.seconds else 0.0
    console.print(
        f"crawl {result.crawl_id}: {result.pages} pages in {result.seconds:.1f} s "
        f"({rate:.1f} pages/s), {counted(len(result.warc_files), 'WARC file')}, "
        f"{result.warc_bytes:,} WARC bytes, {counted(result.reports, 'report')}, "
        f"{failures_line(result.failures)}"
    )
    if result.resume is not None:
        resume = result.resume
        console.print(
            f"resumed an unfinished crawl: {counted(resume.repaired, 'partial WARC file')} "
            f"repaired, {counted(resume.caught_up, 'record')} stored that the database lacked, "
            f"{counted(resume.done, 'request')} answered from the archive"
        )
    if result.revisits:
        console.print(
            f"{counted(result.revisits, 'unchanged page')} archived as revisit records "
            f"({result.not_modified} answered 304 Not Modified)"
        )
    again = result.earlier
    if again.seen_again or again.gone:  # a re-crawl: the reports above are the new ones
        console.print(
            f"earlier reports: {again.seen_again} seen again unchanged, {again.gone} gone "
            "(404/410; kept in the archive and the database)"
        )
    if result.common_errors:
        console.print("most common errors (table `errors` in the database):")
        for line in error_lines(result.common_errors):
            console.print(line, markup=False, highlight=False)
    rebuilt = int(result.stats.get(REBUILT_STAT, 0))
    if rebuilt:  # the archive is less faithful than the README's table says: say so
        console.print(
            f"{rebuilt} responses archived with heads rebuilt from Scrapy's view, not as "
            "received (another download handler in DOWNLOAD_HANDLERS?)"
        )
    console.print(f"database: {result.db_path}")
    waiting = ocr_waiting_line(
        result.pictures, result.scans, f"nianbao ocr --out {result.db_path.parent}"
    )
    if waiting is not None:  # soft_wrap: the command stays whole for copying
        console.print(waiting, soft_wrap=True)
    note = blocked_note(result.blocked)
    if note is not None:
        console.print(note)


for command in (
    reindex_command,
    stats_command,
    tables_command,
    reports_command,
    history_command,
    audit_command,
    ocr_command,
    search_command,
    export_command,
    show_command,
    serve_command,
):
    main.add_command(command)

if __name__ == "__main__":
    sys.exit(main())

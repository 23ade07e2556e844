"""``nianbao search``: ranked full-text hits with a highlighted snippet and the report's URL."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import click
from rich.text import Text

from nianbao.archive.search.query import SCAN, SearchQuery, SearchResult
from nianbao.archive.store.selection import Selection
from nianbao.crawler.cli_options import console, db_option, one_line_errors
from nianbao.crawler.console import counted


def selection_options(command: Callable[..., None]) -> Callable[..., None]:
    """--year (repeatable), --agency, --region: which reports a command looks at."""
    for option in reversed(
        (
            click.option(
                "--year", "years", type=int, multiple=True, help="Only this year (repeatable)."
            ),
            click.option("--agency", help="Only agencies containing this text (either script)."),
            click.option("--region", help="Only regions containing this text (either script)."),
        )
    ):
        command = option(command)
    return command


@click.command("search")
@click.argument("query")
@db_option("The database to search (read-only; an older one gets its index built once).")
@selection_options
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Hits to show."
)
@click.option(
    "--candidates",
    type=click.IntRange(1),
    default=2000,
    show_default=True,
    help="A query matching more reports ranks this many, the most recently stored.",
)
@click.option("--json", "as_json", is_flag=True, help="The result as one JSON object.")
def search_command(
    query: str,
    db: Path,
    years: tuple[int, ...],
    agency: str | None,
    region: str | None,
    limit: int,
    candidates: int,
    as_json: bool,
) -> None:
    """Search the reports' text for QUERY (words separated by spaces, every word must match;
    Traditional and Simplified find each other; words under three characters are found by
    scanning the text, see `search` in the README)."""
    from nianbao.archive.search.query import build_index, needs_index, search

    wanted = SearchQuery(query, Selection(years, agency, region), limit, candidates)
    if not wanted.words:
        raise click.ClickException("the query has no words: give the text to look for")
    with one_line_errors():
        if needs_index(db):
            with console.status("building the search index (once for this database)…"):
                build_index(db)
        result = search(db, wanted)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False))
        return
    console.print(_headline(result), markup=False, highlight=False)
    for number, hit in enumerate(result.hits, 1):
        line = Text(f"{number}. {hit.year or '?'} {hit.agency or '?'}: {hit.title or '(no title)'}")
        line.stylize("bold")
        console.print(line)
        start, end = hit.highlight
        snippet = Text("   …" + hit.snippet + "…")
        snippet.stylize("reverse", start + 4, end + 4)  # after the "   …" prefix
        console.print(snippet)
        console.print(
            f"   {hit.url}  (id {hit.report_id})", markup=False, highlight=False, soft_wrap=True
        )


def _headline(result: SearchResult) -> str:
    """How many reports match, and how the hits were chosen."""
    many = "" if result.counted_all else "at least "
    line = f"{many}{counted(result.matches, 'report')} match {result.query!r}"
    if result.mode == SCAN:
        line += " (every word under 3 characters: found by scanning the text, newest first)"
    if result.ranked < result.matches or not result.counted_all:
        line += f"; the {result.ranked} most recently stored were ranked"
    if not result.hits:
        line += ": nothing found"
    return line

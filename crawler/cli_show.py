"""``nianbao show``: one report's card, in the terminal or as an HTML page."""

from __future__ import annotations

import os
from pathlib import Path

import click

from nianbao.crawler.cli_options import console, db_option, one_line_errors


@click.command("show")
@click.argument("report")
@db_option("The database to read (opened read-only).")
@click.option("--full", is_flag=True, help="Print every section's whole text.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the card as this HTML page instead (table 3 charted across the agency's years).",
)
def show_command(report: str, db: Path, full: bool, html_path: Path | None) -> None:
    """Show a report's card: metadata, sections, tables and failed or unchecked identities,
    spam and the words it replaced, audit clusters, captures.

    REPORT is a report id, a unique start of one, or its URL (`nianbao reports` lists them).
    """
    from nianbao.archive.export.card_html import card_html
    from nianbao.archive.places import writable_folder
    from nianbao.archive.store.card import report_card
    from nianbao.archive.store.query import Ambiguous, NotFound
    from nianbao.crawler.console_card import card_view

    try:
        with one_line_errors():
            card = report_card(db, report)
            if html_path is not None:
                writable_folder(html_path.parent, "folder of the HTML page")
    except NotFound as err:
        raise click.ClickException(
            f"no report {err}: give a report id or URL (nianbao reports --db {db} lists them)"
        ) from err
    except Ambiguous as err:
        raise click.ClickException(
            f"{err.matches} reports have ids starting with {err.key}: give more characters"
        ) from err
    if html_path is not None:
        partial = html_path.with_name(f".{html_path.name}.partial")
        partial.write_text(card_html(card), encoding="utf-8")
        os.replace(partial, html_path)  # a page half written never has the page's name
        console.print(f"wrote {html_path}", markup=False, highlight=False)
        return
    for view in card_view(card, full=full):
        console.print(view)

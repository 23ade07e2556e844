"""`nianbao serve`: browse a crawl's database in a web browser (Datasette, read-only)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nianbao.archive.browse.datasette import DEFAULT_HOST, DEFAULT_PORT, Served
from nianbao.archive.places import database
from nianbao.crawler.cli_options import console, one_line_errors
from nianbao.crawler.run import DB_NAME, DEFAULT_OUT
from nianbao.crawler.temporary import temporary_files_in


@click.command("serve")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUT,
    show_default=True,
    help="The crawl's output folder (its nianbao.db is served).",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="The database to serve, when not OUT/nianbao.db.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free one; the URL printed says which).",
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; one other than loopback needs --public.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a --host other machines can reach: anyone there can read the whole database.",
)
def serve_command(out: Path, db: Path | None, port: int, host: str, public: bool) -> None:
    """Browse the database in a web browser: Datasette with every table and column described,
    reports searchable (full text) and faceted by year, agency and region.

    Read-only, on 127.0.0.1 unless --public. Runs until Ctrl-C.
    """
    from nianbao.archive.browse.datasette import serve

    db = db or out / DB_NAME
    with one_line_errors():
        database(db, "give the folder a crawl wrote (--out) or the database (--db)")
    with temporary_files_in(db.parent), one_line_errors():  # SQLite's sort files stay there
        serve(db, host=host, port=port, public=public, ready=_announce)


def _announce(served: Served) -> None:
    """Where to point the browser, printed at once (a pipe would hold it back)."""
    mode = "immutable" if served.immutable else "read-only"
    console.print(f"serving {served.db} ({mode}) at {served.url}", markup=False, highlight=False)
    console.print(f"reports: {served.reports_url}", markup=False, highlight=False)
    if not served.searchable:
        console.print(
            "no full-text index in this database (made before nianbao had one): "
            "`nianbao search` builds it once; until then the reports have no search box",
            markup=False,
            highlight=False,
        )
    console.print("Ctrl-C stops", markup=False, highlight=False)
    sys.stdout.flush()


if __name__ == "__main__":  # `python -m nianbao.crawler.cli_serve`, as `nianbao serve`
    serve_command()

"""What every ``nianbao`` command shares: the console, the --db option, one-line errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from nianbao.archive.places import PlaceError
from nianbao.crawler.run import DB_NAME, DEFAULT_OUT

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


def out_folder_option() -> Callable:
    """``--out``: a crawl's output folder, read for its nianbao.db and warc/."""
    return click.option(
        "--out",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_OUT,
        show_default=True,
        help="The crawl's output folder (its nianbao.db and warc/).",
    )

"""Temporary files of a command kept in its output folder (``DIR/.tmp``).

House rule: nothing is written outside the output folder a user gave. LibreOffice (legacy
DOC/XLS attachments) works on files, multiprocessing makes sockets, SQLite sorts on disk:
all of them are pointed into the output folder while a command works.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nianbao.archive.places import normal_path


@contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """TMPDIR at ``folder``/.tmp while a command works (LibreOffice's conversions and
    multiprocessing's sockets go there); afterwards every folder made for it that is still
    empty is removed again, so a command that refused its options leaves nothing behind.
    A folder that cannot be made (a file, read-only) changes nothing: the command's own
    check then says what is wrong."""
    # house rule: nothing is written outside the output folder a user gave
    tmp = normal_path(folder) / ".tmp"
    made = [p for p in (tmp, *tmp.parents) if not p.exists()]  # deepest first
    try:
        tmp.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(tmp), None  # None: tempfile reads it again
    # SQLite read TMPDIR once, when it was loaded: its sort and journal files went to the
    # system's folder until told here (deprecated, but the only way once loaded)
    _sqlite_temp_directory(str(tmp))
    try:
        yield
    finally:
        _sqlite_temp_directory("")
        if before[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before[0]
        tempfile.tempdir = before[1]
        for path in made:
            try:
                path.rmdir()
            except OSError:  # not empty (the crawl's output, what a killed conversion left)
                break


def _sqlite_temp_directory(folder: str) -> None:
    """Where this process's SQLite puts its temporary files ("": its own choice)."""
    quoted = folder.replace("'", "''")
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(f"pragma temp_store_directory = '{quoted}'")

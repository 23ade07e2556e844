"""Checks on the folders and database files a user names, before any work is done.

Each check raises a ``PlaceError`` whose message says what is wrong and how to fix it, so a
command line can print it as one line.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.errors import PlaceError
from nianbao.archive.store.schema import check_version

# A prefix is part of a file name: `../x` or `/tmp/x` would write WARCs outside the output folder.
_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SQLITE_HEADER = b"SQLite format 3\x00"
# The tables every nianbao database has from its first write (archive.schema).
REQUIRED_TABLES = ("captures", "reports")


class NotAFolder(PlaceError):
    """An output folder that is a file (or lies below one), or a folder to read from that
    is not there."""


class FolderNotWritable(PlaceError):
    """A folder nothing can be written into (permissions, immutable, read-only filesystem)."""


class BadPrefix(PlaceError, ValueError):
    """A WARC file prefix that is not a plain file-name part (a bad value, too)."""


class NoDatabase(PlaceError):
    """No file where a database should be."""


class NotADatabase(PlaceError):
    """A folder, or a file that is not a nianbao SQLite database."""


def _probe(folder: Path) -> None:
    """Create and delete a file in ``folder``: permission bits alone lie to root."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".nianbao-probe-"):
        pass


def warc_prefix(prefix: str) -> str:
    """``prefix`` if it is a plain file-name part (letters, digits, ``._-``, no ``..``)."""
    if not _PREFIX.fullmatch(prefix) or ".." in prefix:
        raise BadPrefix(
            f"WARC prefix {prefix!r} is not a plain file name part: use letters, "
            "digits, '.', '_' and '-' only (e.g. --prefix worker-1)"
        )
    return prefix


def normal_path(path: Path) -> Path:
    """``path`` with ``x/..`` folded first, so making it never creates ``x`` on the way."""
    return Path(os.path.normpath(path))


def writable_folder(path: Path, what: str = "output folder") -> Path:
    """Create ``path`` if needed and prove a file can be written in it; returns it."""
    path = normal_path(path)
    if path.exists() and not path.is_dir():
        raise NotAFolder(f"{what} {path} is a file: pass a folder (or a new name)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        _probe(path)
    except (FileExistsError, NotADirectoryError) as err:
        raise NotAFolder(f"{what} {path} lies below a file: pass a folder path") from err
    except OSError as err:
        raise FolderNotWritable(
            f"cannot write in {what} {path} ({err.strerror}): pass a folder you can write to"
        ) from err
    return path


def new_database(path: Path) -> Path:
    """A database path that can be (re)built: not a folder, its folder writable."""
    path = Path(path)
    if path.is_dir():
        raise NotADatabase(
            f"{path} is a folder: pass a database file name, e.g. {path / 'nianbao.db'}"
        )
    writable_folder(path.parent, "database folder")
    return path


def database(path: Path, hint: str = "run `nianbao crawl` or pass --db") -> Path:
    """An existing nianbao database at ``path``; raises NoDatabase or NotADatabase."""
    path = Path(path)
    if not path.exists():
        raise NoDatabase(f"no database at {path}: {hint}")
    if path.is_dir():
        raise NotADatabase(
            f"{path} is a folder: pass the database file, e.g. {path / 'nianbao.db'}"
        )
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabase(
            f"{path} is not an SQLite database: pass the nianbao.db a crawl, demo or reindex wrote"
        )
    conn = _read_only(path)
    try:
        tables = {
            name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")
        }
        (version,) = conn.execute("PRAGMA user_version").fetchone()
    finally:
        conn.close()
    check_version(version, path)
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise NotADatabase(
            f"{path} is an SQLite database but not nianbao's (no "
            f"{', '.join(missing)} table): pass the nianbao.db a crawl wrote"
        )
    return path


def writable_database(path: Path, hint: str = "run `nianbao crawl` or pass --db") -> Path:
    """An existing database that can be written: SQLite's WAL puts -wal/-shm files beside it."""
    path = database(path, hint)
    try:
        _probe(path.parent)
    except OSError as err:
        raise FolderNotWritable(
            f"cannot write in {path.parent} ({err.strerror}), and writing {path.name} needs "
            "its -wal/-shm files there: copy the database into a folder you can write to"
        ) from err
    return path


def archive_folder(path: Path, hint: str) -> Path:
    """An existing folder to read WARC files from; NotAFolder, with ``hint``, otherwise."""
    path = Path(path)
    if not path.is_dir():
        raise NotAFolder(f"no folder of WARC files at {path}: {hint}")
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes: ``mode=ro``, or ``immutable`` where -shm cannot be made.

    A WAL database opens read-only only if its -shm file exists or can be created; in a
    folder nobody can write in, no writer can change it either, so immutable is safe there.
    """
    uri = Path(path).resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    return conn


@contextmanager
def open_read_only(path: Path) -> Iterator[Database]:
    """The database at ``path`` for reading only (checked first, see ``database``), closed
    when the block ends."""
    db = Database(_read_only(database(path)))
    try:
        yield db
    finally:
        db.close()

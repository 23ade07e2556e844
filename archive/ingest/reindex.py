"""Rebuild the database from WARC files alone, through the same ingest path as the crawl."""

from __future__ import annotations

import functools
import multiprocessing
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nianbao.archive.ingest.capture import Extractor, Ingestion, analyze, apply
from nianbao.archive.ingest.changes import ReindexChanges, compare
from nianbao.archive.ingest.completion import complete
from nianbao.archive.lock import folder_lock
from nianbao.archive.places import new_database
from nianbao.archive.store.database import Row, Store
from nianbao.archive.store.rows import error_row
from nianbao.archive.warc.reader import ArchiveReadError, Capture, iter_captures, warc_file_name
from nianbao.archive.workers import die_with_parent

Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class ReindexSummary:
    """Counts after a reindex: files read, records ingested, report and error rows."""

    files: int
    records: int
    reports: int
    errors: int
    unreadable: tuple[str, ...] = ()  # why a file (or its tail) could not be read as WARC
    changes: ReindexChanges | None = None  # against the database replaced; None: there was none
    replaced: bool = True  # False: an input was unreadable, so the existing database was kept


# What the reader hands the workers: a capture, an errors row for an unreadable file, or the
# end of a file (its path), so progress can be told while records stream through in order.
Item = Capture | Row | Path


def _items(paths: list[Path]) -> Iterator[Item]:
    """Every capture of every file, in order, streaming; a corrupt tail becomes an errors row."""
    seen: set[str] = set()
    for path in paths:
        try:
            yield from (_own_id(capture, seen) for capture in iter_captures(path))
        except ArchiveReadError as problem:
            yield error_row(None, "archive", None, str(problem))
        except OSError as problem:  # unreadable file: record it, go on with the others
            yield error_row(None, "archive", None, f"{path.name}: {problem}")
        yield path


def _own_id(capture: Capture, seen: set[str]) -> Capture:
    """``capture``, or when an earlier record (in file-name and offset order) had its
    WARC-Record-ID, the same with its place added to it: some writers reuse ids, and each
    record must keep its own capture row."""
    if capture.record_id not in seen:
        seen.add(capture.record_id)
        return capture
    return replace(capture, record_id=f"{capture.record_id}@{capture.warc_file}:{capture.offset}")


def _analyze_item(item: Item, extractor: Extractor | None = None) -> Ingestion | Path:
    if isinstance(item, Capture):
        return analyze(item, extractor)
    if isinstance(item, Path):
        return item
    return Ingestion(capture={}, errors=(item,))


def _results(
    paths: list[Path], workers: int, extractor: Extractor | None
) -> Iterator[Ingestion | Path]:
    work = functools.partial(_analyze_item, extractor=extractor)
    if workers <= 1:
        yield from map(work, _items(paths))
        return
    # Records, not files, are shared out: one big WARC file still keeps every worker busy.
    with multiprocessing.get_context("fork").Pool(
        workers, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        yield from pool.imap(work, _items(paths), chunksize=16)


def _batches(results: Iterator[Ingestion | Path], size: int = 500) -> Iterator[list]:
    """Group results so that each database transaction holds a few hundred records."""
    batch: list[Ingestion | Path] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _wal_files(path: Path) -> tuple[Path, Path]:
    """SQLite's -wal and -shm files of the database at ``path``."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _remove_with_wal(path: Path) -> None:
    for stale in (path, *_wal_files(path)):
        stale.unlink(missing_ok=True)


def _fresh_path(db_path: Path) -> Path:
    building = db_path.with_name(db_path.name + ".reindexing")
    _remove_with_wal(building)
    return building


def reindex(
    warc_paths: Sequence[Path],
    db_path: Path,
    *,
    workers: int = 1,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
) -> ReindexSummary:
    """Build ``db_path`` afresh from the WARC files; workers parse, the parent alone writes.

    The new database is built beside the old one and replaces it only when complete and
    every input was read; on failure it is removed. An existing database is never replaced
    by one built from unreadable input (a file that is not a WARC would empty it):
    ``replaced`` is then False and ``unreadable`` says why. Raises a ``PlaceError`` before
    any work if ``db_path`` cannot be written.
    """
    db_path = new_database(Path(db_path))
    with folder_lock(db_path.parent, "reindex"):  # a crawl into that folder writes it too
        return _replace_database(
            sorted(Path(p) for p in warc_paths), db_path, workers, progress, extractor
        )


def _replace_database(
    paths: list[Path],
    db_path: Path,
    workers: int,
    progress: Progress | None,
    extractor: Extractor | None,
) -> ReindexSummary:
    building = _fresh_path(db_path)
    try:
        summary = _build(paths, building, workers, progress, extractor)
        if summary.unreadable and db_path.exists():
            _remove_with_wal(building)
            return replace(summary, replaced=False)
        summary = replace(summary, changes=_changes(db_path, building))
        for stale in (*_wal_files(db_path), *_wal_files(building)):  # checkpointed: empty
            stale.unlink(missing_ok=True)
        os.replace(building, db_path)
    except BaseException:  # interrupted or failed: never leave a half-built database behind
        _remove_with_wal(building)
        raise
    return summary


def _changes(old: Path, new: Path) -> ReindexChanges | None:
    """What the rebuild changes, if a database readable as nianbao's is being replaced."""
    if not old.is_file():
        return None
    try:
        return compare(old, new)
    except sqlite3.DatabaseError:  # not a database, or not nianbao's: nothing to compare
        return None


def _build(
    paths: list[Path],
    building: Path,
    workers: int,
    progress: Progress | None,
    extractor: Extractor | None,
) -> ReindexSummary:
    """Ingest every file into the database at ``building``."""
    store = Store(building)
    records = done = 0
    unreadable: list[str] = []
    try:
        for batch in _batches(_results(paths, workers, extractor)):
            with store.transaction():
                for result in batch:
                    if isinstance(result, Path):
                        done += 1
                        if progress is not None:
                            progress(done, len(paths), records)
                    elif result.capture:
                        apply(store, result)
                        records += 1
                    else:
                        for error in result.errors:
                            unreadable.append(error["message"])
                            store.put_error(error)
        by_name = {warc_file_name(path): path for path in paths}
        complete(store, by_name.get, extractor)
        return ReindexSummary(
            len(paths), records, store.count("reports"), store.count("errors"), tuple(unreadable)
        )
    finally:
        store.close()

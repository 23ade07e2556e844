"""Rebuild the database from WARC files alone, through the same ingest path as the crawl."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.ingest import Extractor, Ingestion, analyze, apply
from archive.reader import ArchiveReadError, iter_captures
from archive.rows import error_row
from archive.store import Store

Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class ReindexSummary:
    """Counts after a reindex: files read, records ingested, report and error rows."""

    files: int
    records: int
    reports: int
    errors: int


@dataclass(frozen=True)
class FileIngestion:
    """Everything one WARC file yields, made by a worker and written by the parent."""

    path: Path
    ingestions: tuple[Ingestion, ...]


def analyze_file(path: Path, extractor: Extractor | None = None) -> FileIngestion:
    """Parse and extract every record of one file; a corrupt tail becomes an errors row."""
    ingestions = []
    try:
        for capture in iter_captures(path):
            ingestions.append(analyze(capture, extractor))
    except ArchiveReadError as problem:
        error = error_row(None, "archive", None, str(problem))
        ingestions.append(Ingestion(capture={}, errors=(error,)))
    except OSError as problem:  # unreadable file: record it, go on with the others
        error = error_row(None, "archive", None, f"{Path(path).name}: {problem}")
        ingestions.append(Ingestion(capture={}, errors=(error,)))
    return FileIngestion(Path(path), tuple(ingestions))


def _analyze_job(job: tuple[Path, Extractor | None]) -> FileIngestion:
    return analyze_file(*job)


def _results(
    paths: list[Path], workers: int, extractor: Extractor | None
) -> Iterator[FileIngestion]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield analyze_file(path, extractor)
        return
    with multiprocessing.get_context("fork").Pool(min(workers, len(paths))) as pool:
        # order of completion does not matter: every write is order-independent
        yield from pool.imap_unordered(_analyze_job, [(path, extractor) for path in paths])


def _write(store: Store, result: FileIngestion) -> int:
    records = 0
    with store.transaction():
        for ingestion in result.ingestions:
            if ingestion.capture:
                apply(store, ingestion)
                records += 1
            else:
                for error in ingestion.errors:
                    store.put_error(error)
    return records


def _fresh_path(db_path: Path) -> Path:
    building = db_path.with_name(db_path.name + ".reindexing")
    for stale in (building, *(Path(f"{building}{end}") for end in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
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

    The new database is built beside the old one and replaces it only when complete.
    """
    db_path = Path(db_path)
    paths = sorted(Path(p) for p in warc_paths)
    building = _fresh_path(db_path)
    store = Store(building)
    records = done = 0
    try:
        for result in _results(paths, workers, extractor):
            records += _write(store, result)
            done += 1
            if progress is not None:
                progress(done, len(paths), records)
        summary = ReindexSummary(len(paths), records, store.count("reports"), store.count("errors"))
    finally:
        store.close()
    for stale in (Path(f"{db_path}{end}") for end in ("-wal", "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(building, db_path)
    return summary

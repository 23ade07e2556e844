"""Analysis of archived records in worker processes, so a crawl's downloads never wait on it.

The crawl hands out places (file, offset); a worker reads the record back and runs
``capture.analyze`` (database-free); the ingest seam applies the results in order, alone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from nianbao.archive.ingest.capture import Extractor, Ingestion, analyze
from nianbao.archive.store.rows import error_row
from nianbao.archive.warc.reader import ArchiveReadError, read_capture
from nianbao.archive.workers import die_with_parent

# The extractor of this worker process, set once by its initializer: an extractor that is not
# importable by name (a test's closure) still reaches the worker, inherited through fork.
_extractor: Extractor | None = None


def _start_worker(parent: int, extractor: Extractor | None) -> None:
    die_with_parent(parent)
    global _extractor  # noqa: PLW0603 - one value per worker process, set before any work
    _extractor = extractor
    # Ctrl-C and a service manager's SIGTERM reach the whole process group: the crawl stops
    # cleanly and shuts its workers down itself, so they must not die under its feet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Downloads first: extraction can wait for a free core, a server's answer cannot (it
    # times out). With workers at normal priority the crawl fetched at 0.45x the rate.
    os.nice(10)


def analyze_record(path: Path, offset: int, extractor: Extractor | None = None) -> Ingestion:
    """Read the record at ``offset`` of ``path`` back and analyse it; a record that cannot be
    read back becomes an errors row (its file is not lost: reindex reads it again)."""
    try:
        capture = read_capture(path, offset)
    except (ArchiveReadError, OSError) as problem:
        message = f"{Path(path).name}@{offset}: {problem}"
        return Ingestion(capture={}, errors=(error_row(None, "archive", None, message),))
    return analyze(capture, extractor)


def _analyze_in_worker(path: Path, offset: int) -> Ingestion:
    return analyze_record(path, offset, _extractor)


class AnalysisPool:
    """``workers`` processes analysing records; ``submit`` returns at once with a Future."""

    def __init__(self, workers: int, extractor: Extractor | None = None) -> None:
        # fork: workers start in milliseconds with extract/ already imported (spawn takes
        # seconds per worker, paid again by every crawl)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(os.getpid(), extractor),
        )
        # start every worker now, before the crawl's reactor and threads exist
        for done in [self._executor.submit(int) for _ in range(workers)]:
            done.result()

    def submit(self, path: Path, offset: int) -> Future[Ingestion]:
        """Analyse the record at ``offset`` of ``path`` in a worker."""
        return self._executor.submit(_analyze_in_worker, path, offset)

    def close(self) -> None:
        """Wait for the work given and stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=False)

"""The seam where the crawl meets the database: archived WARC records in, their rows ingested.

How a crawl fills the database, end to end:

1. ``crawler/middlewares/warc.py`` (WarcArchiveMiddleware) writes each exchange with the
   WarcWriter and sends ``crawler.signals.records_archived`` with the records just written.
2. ``crawler/extensions/store.py`` (StoreExtension) receives them and calls
   ``RecordIngest.submit``, which only hands out their places and returns at once; at the
   spider's close it waits on ``RecordIngest.finish``.
3. Worker processes (``pool.AnalysisPool``) read each record back from its WARC file and
   analyse it (extraction, database-free: ``capture.analyze``); this module's writer thread
   applies the results in the order written (``capture.apply``, the single SQLite writer).

Reading back what was written, rather than Scrapy's response objects, makes the crawl's
database exactly what ``nianbao reindex`` builds from the same WARCs. Extraction in the
reactor thread stalled every download (33 ms a report page, 17 s on a hostile one); now the
reactor's share is a queue put.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.ingest.capture import Extractor, Ingestion, IngestResult, apply
from nianbao.archive.ingest.completion import complete
from nianbao.archive.ingest.pool import AnalysisPool, analyze_record
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import error_row
from nianbao.archive.warc.exchange import WrittenRecord
from nianbao.archive.warc.reader import on_disk, warc_file_name

OnResult = Callable[[IngestResult], None]
BATCH = 200  # results applied in one transaction, at most: commits stay few under load


@dataclass(frozen=True)
class _Work:
    record: WrittenRecord
    analysis: Future[Ingestion] | None  # None: analysed in the writer thread (no workers)


class RecordIngest:
    """Ingests records as the WARC writer reports them; one per crawl, owning its store.

    ``workers`` processes analyse records (0: the writer thread does it itself, for tests and
    one-core machines); ``on_result`` is called, in the writer thread, after each record.
    """

    def __init__(
        self,
        store: Store,
        *,
        extractor: Extractor | None = None,
        workers: int = 0,
        on_result: OnResult | None = None,
    ) -> None:
        self.store = store
        self.extractor = extractor
        self.files: dict[str, Path] = {}  # WARC file name → path, of the records submitted
        self._on_result = on_result
        self._workers = workers
        self._pool = AnalysisPool(workers, extractor) if workers else None
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        # each counter has one writer thread, so neither loses counts; pending is their gap
        self._submitted = self._applied = 0
        self._words_restored = 0
        self._ended = False  # the writer has taken the end mark off the queue
        self._failure: BaseException | None = None
        self._writer = threading.Thread(target=self._write_all, name="nianbao-ingest")
        self._writer.start()

    @property
    def pending(self) -> int:
        """Records submitted whose rows are not written yet."""
        return self._submitted - self._applied

    @property
    def failure(self) -> BaseException | None:
        """Why the writer stopped writing (the WARC files stay whole: reindex rebuilds)."""
        return self._failure

    def submit(self, records: Iterable[WrittenRecord]) -> None:
        """Queue the records for analysis and writing, in the order written; returns at once."""
        for record in records:
            self.files[warc_file_name(record.path)] = Path(record.path)
            analysis = self._analysis(record) if self._pool is not None else None
            self._submitted += 1
            self._queue.put(_Work(record, analysis))

    def finish(self) -> int:
        """Wait until every submitted record is written, then read revisits with the payloads
        they revisit and segmented records whole, restore spam-replaced words from other
        copies, close the store; words restored. Blocks: call it off the reactor."""
        self._queue.put(None)
        self._writer.join()
        if self._pool is not None:
            self._pool.close()
        if self._failure is not None:
            raise self._failure
        return self._words_restored

    def _analysis(self, record: WrittenRecord) -> Future[Ingestion]:
        assert self._pool is not None
        try:
            return self._pool.submit(record.path, record.ref.offset)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            self._pool = AnalysisPool(self._workers, self.extractor)
            return self._pool.submit(record.path, record.ref.offset)

    def _write_all(self) -> None:
        """The writer thread: apply results in order, a batch per transaction, then finish."""
        try:
            while self._write_batch():
                pass
            self._words_restored = complete(self.store, self._file_named, self.extractor)
        except Exception as failure:  # noqa: BLE001 - handed to finish(), raised there
            self._failure = failure
            if not self._ended:  # so the crawl's back-pressure never waits on a dead writer
                self._discard_rest()
        finally:
            self.store.close()

    def _write_batch(self) -> bool:
        """Apply what is queued (waiting for the first); False once the end mark is reached."""
        batch = [self._queue.get()]
        while len(batch) < BATCH and not self._queue.empty():
            batch.append(self._queue.get())
        with self.store.transaction():
            for work in batch:
                if work is not None:
                    self._apply(work)
        self._ended = batch[-1] is None
        return not self._ended

    def _discard_rest(self) -> None:
        while (work := self._queue.get()) is not None:
            del work
            self._applied += 1

    def _apply(self, work: _Work) -> None:
        ingestion = self._ingestion(work)
        result = apply(self.store, ingestion) if ingestion.capture else None
        for error in ingestion.errors if result is None else ():
            self.store.put_error(error)
        self._applied += 1
        if result is not None and self._on_result is not None:
            self._on_result(result)

    def _ingestion(self, work: _Work) -> Ingestion:
        record = work.record
        if work.analysis is None:
            return analyze_record(record.path, record.ref.offset, self.extractor)
        try:
            return work.analysis.result()
        except BrokenProcessPool as died:  # this record's worker died: say so, go on
            message = f"{Path(record.path).name}@{record.ref.offset}: worker died ({died})"
            return Ingestion(capture={}, errors=(error_row(None, "extract-bug", None, message),))

    def _file_named(self, name: str) -> Path | None:
        """The file of that name, under its final name if the writer has closed it since."""
        path = self.files.get(name)
        if path is None and self.files:  # an earlier crawl's file, in the same folder
            path = next(iter(self.files.values())).with_name(name)
        return on_disk(path) if path is not None else None

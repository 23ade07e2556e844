"""The seam where the crawl meets the database: archived WARC records in, their rows ingested.

How a crawl fills the database, end to end:

1. ``crawler/middlewares/warc.py`` (WarcArchiveMiddleware) writes each exchange with the
   WarcWriter and sends ``crawler.signals.records_archived`` with the records just written.
2. ``crawler/extensions/store.py`` (StoreExtension) receives them and calls
   ``RecordIngest.submit``; at the spider's close it calls ``RecordIngest.finish``.
3. Here each record is read back from its WARC file, analysed (extraction, database-free:
   ``capture.analyze``) and its rows written (``capture.apply``, the single SQLite writer).

Reading back what was written, rather than Scrapy's response objects, makes the crawl's
database exactly what ``nianbao reindex`` builds from the same WARCs. Today the work is done
synchronously in Scrapy's reactor thread; running ``analyze`` in worker processes belongs
behind this class, so neither the crawler nor the store needs to change for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nianbao.archive.ingest.capture import Extractor, IngestResult, analyze, apply
from nianbao.archive.ingest.revisits import resolve_revisits
from nianbao.archive.ingest.segments import resolve_segments
from nianbao.archive.restore.words import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.warc.exchange import WrittenRecord
from nianbao.archive.warc.reader import read_capture, warc_file_name


class RecordIngest:
    """Ingests records as the WARC writer reports them; one per crawl, owning its store."""

    def __init__(self, store: Store, *, extractor: Extractor | None = None) -> None:
        self.store = store
        self.extractor = extractor
        self.files: dict[str, Path] = {}  # WARC file name → path, of the records submitted

    def submit(self, records: Iterable[WrittenRecord]) -> list[IngestResult]:
        """Read back, extract and store each record, in the order written."""
        results = []
        for r in records:
            self.files[warc_file_name(r.path)] = Path(r.path)
            capture = read_capture(r.path, r.ref.offset)
            results.append(apply(self.store, analyze(capture, self.extractor)))
        return results

    def finish(self) -> int:
        """Read revisits with the payloads they revisit and segmented records whole, restore
        spam-replaced words from other copies, close the store; words restored."""
        try:
            with self.store.transaction():
                resolve_revisits(self.store, self.files.get, self.extractor)
                resolve_segments(self.store, self.files.get, self.extractor)
                return restore_all(self.store.db)
        finally:
            self.store.close()

"""Ingest archived records into SQLite as the crawl writes them, by the reindex code path."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from nianbao.archive.ingest.capture import IngestResult, ingest_capture
from nianbao.archive.restore.words import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.warc.exchange import WrittenRecord
from nianbao.archive.warc.reader import read_capture
from nianbao.crawler import signals


class StoreExtension:
    """Reads each new WARC record back from its file and ingests it.

    Reading back what was written, rather than using Scrapy's response objects, makes
    the crawl's database exactly what ``nianbao reindex`` would build from the same WARCs.
    """

    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreExtension:
        db = crawler.settings.get("NIANBAO_DB")
        if not db:
            raise NotConfigured("NIANBAO_DB is not set")
        extension = cls(crawler, Store(Path(db)))
        crawler.signals.connect(extension.ingest, signal=signals.records_archived)
        crawler.signals.connect(extension.close, signal=scrapy_signals.spider_closed)
        return extension

    def ingest(self, records: list[WrittenRecord]) -> None:
        """Read back and ingest the records just written."""
        for record in records:
            result = ingest_capture(self.store, read_capture(record.path, record.ref.offset))
            self._count(result)

    def _count(self, result: IngestResult) -> None:
        stats = self.crawler.stats
        stats.inc_value("nianbao/records_ingested")
        if result.report_id:
            stats.inc_value("nianbao/reports")
        if result.errors:
            stats.inc_value("nianbao/ingest_errors", len(result.errors))

    def close(self) -> None:
        """Restore spam-replaced words from other copies, then close the database."""
        with self.store.transaction():
            restored = restore_all(self.store.db)
        self.crawler.stats.set_value("nianbao/spam_words_restored", restored)
        self.store.close()

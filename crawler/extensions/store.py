"""Hands each batch of archived records to the ingest seam (``nianbao.archive.ingest.seam``)."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from nianbao.archive.ingest.capture import IngestResult
from nianbao.archive.ingest.seam import RecordIngest
from nianbao.archive.store.database import Store
from nianbao.archive.warc.exchange import WrittenRecord
from nianbao.crawler import signals


class StoreExtension:
    """Connects the WARC middleware's ``records_archived`` signal to a RecordIngest.

    The database is built from the WARC records read back, not from Scrapy's responses, so
    the crawl's database is exactly what ``nianbao reindex`` would build from the same WARCs.
    """

    def __init__(self, crawler: Crawler, ingest: RecordIngest) -> None:
        self.crawler = crawler
        self.seam = ingest

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreExtension:
        db = crawler.settings.get("NIANBAO_DB")
        if not db:
            raise NotConfigured("NIANBAO_DB is not set")
        extension = cls(crawler, RecordIngest(Store(Path(db))))
        crawler.signals.connect(extension.ingest, signal=signals.records_archived)
        crawler.signals.connect(extension.close, signal=scrapy_signals.spider_closed)
        return extension

    def ingest(self, records: list[WrittenRecord]) -> None:
        """Ingest the records just written, counting them in the crawl's stats."""
        for result in self.seam.submit(records):
            self._count(result)

    def _count(self, result: IngestResult) -> None:
        stats = self.crawler.stats
        stats.inc_value("nianbao/records_ingested")
        if result.report_id:
            stats.inc_value("nianbao/reports")
        if result.errors:
            stats.inc_value("nianbao/ingest_errors", len(result.errors))

    def close(self) -> None:
        """Finish the ingest: restore spam-replaced words, close the database."""
        self.crawler.stats.set_value("nianbao/spam_words_restored", self.seam.finish())

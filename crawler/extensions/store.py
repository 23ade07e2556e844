"""Ingest archived records into SQLite as the crawl writes them, by the reindex code path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.ingest import ingest_capture
from archive.reader import read_capture
from archive.store import Store
from crawler import signals

OPEN_SUFFIX = ".open"


class StoreExtension:
    """Reads each new WARC record back from its file and ingests it.

    Reading back what was written, rather than using Scrapy's response objects, makes
    the crawl's database exactly what ``nianbao reindex`` would build from the same WARCs.
    """

    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.read_to: dict[Path, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreExtension:
        db = crawler.settings.get("NIANBAO_DB")
        if not db:
            raise NotConfigured("NIANBAO_DB is not set")
        extension = cls(crawler, Store(Path(db)))
        crawler.signals.connect(extension.ingest_new, signal=signals.records_archived)
        crawler.signals.connect(extension.close, signal=scrapy_signals.spider_closed)
        return extension

    def ingest_new(self, path: Path) -> None:
        """Ingest every record of ``path`` not ingested yet."""
        offset = self.read_to.get(path, 0)
        end = path.stat().st_size
        final_name = path.name.removesuffix(OPEN_SUFFIX)
        while offset < end:
            capture = read_capture(path, offset)
            capture = dataclasses.replace(capture, warc_file=final_name)
            result = ingest_capture(self.store, capture)
            self._count(result)
            offset += capture.length
        self.read_to[path] = offset

    def _count(self, result: object) -> None:
        stats = self.crawler.stats
        stats.inc_value("nianbao/records_ingested")
        if getattr(result, "report_id", None):
            stats.inc_value("nianbao/reports")
        if getattr(result, "error", None):
            stats.inc_value("nianbao/ingest_errors")

    def close(self) -> None:
        """Close the database."""
        self.store.close()

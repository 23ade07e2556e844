"""Hands each batch of archived records to the ingest seam (``nianbao.archive.ingest.seam``)."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task, threads
from twisted.internet.defer import Deferred

from nianbao.archive.ingest.capture import IngestResult
from nianbao.archive.ingest.seam import RecordIngest
from nianbao.archive.store.database import Store
from nianbao.archive.warc.exchange import WrittenRecord
from nianbao.crawler import settings as defaults
from nianbao.crawler import signals

logger = logging.getLogger(__name__)
PENDING_STAT = "nianbao/ingest_pending"  # records archived, their rows not yet written
PENDING_AT_CLOSE_STAT = "nianbao/ingest_pending_at_close"  # what the last fetch left to do
WAIT_STAT = "nianbao/ingest_wait_seconds"  # from the spider's close to the database's
FAILED_STAT = "nianbao/ingest_failed"  # why the database stopped being written, if it did


def ingest_workers(setting: int | None) -> int:
    """Worker processes for a NIANBAO_INGEST_WORKERS value (None: one per core)."""
    return (os.cpu_count() or 1) if setting is None else max(0, setting)


class StoreExtension:
    """Connects the WARC middleware's ``records_archived`` signal to a RecordIngest.

    The database is built from the WARC records read back, not from Scrapy's responses, so
    the crawl's database is exactly what ``nianbao reindex`` would build from the same WARCs.
    Analysis runs in worker processes; when NIANBAO_INGEST_MAX_PENDING records wait for it,
    the engine pauses (downloads under way finish) until half of them are written.
    """

    def __init__(self, crawler: Crawler, store: Store, workers: int, max_pending: int) -> None:
        self.crawler = crawler
        self.seam = RecordIngest(store, workers=workers, on_result=self._count)
        self.max_pending = max(1, max_pending)
        self._waiting: task.LoopingCall | None = None  # while the engine is paused for ingest

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreExtension:
        settings = crawler.settings
        db = settings.get("NIANBAO_DB")
        if not db:
            raise NotConfigured("NIANBAO_DB is not set")
        workers = ingest_workers(settings.get("NIANBAO_INGEST_WORKERS"))
        max_pending = settings.getint(
            "NIANBAO_INGEST_MAX_PENDING", defaults.NIANBAO_INGEST_MAX_PENDING
        )
        # opened here, so a database that cannot be opened fails the crawl before it starts
        extension = cls(crawler, Store(Path(db), any_thread=True), workers, max_pending)
        crawler.signals.connect(extension.ingest, signal=signals.records_archived)
        crawler.signals.connect(extension.close, signal=scrapy_signals.spider_closed)
        return extension

    def ingest(self, records: list[WrittenRecord]) -> None:
        """Queue the records just written; pause the engine while too many are waiting."""
        self.seam.submit(records)
        self.crawler.stats.set_value(PENDING_STAT, self.seam.pending)
        if self.seam.pending >= self.max_pending and self._waiting is None:
            self._pause()

    def _pause(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.paused:
            return
        engine.pause()
        self._waiting = task.LoopingCall(self._resume_when_drained)
        self._waiting.start(0.05, now=False)

    def _resume_when_drained(self) -> None:
        self.crawler.stats.set_value(PENDING_STAT, self.seam.pending)
        if self.seam.pending > self.max_pending // 2:
            return
        if self._waiting is not None:
            self._waiting.stop()
            self._waiting = None
        engine = self.crawler.engine
        if engine is not None:
            engine.unpause()
            # else the engine looks for requests again only at its 5-second heartbeat
            slot = getattr(engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def _count(self, result: IngestResult) -> None:
        # called in the ingest's writer thread; only it touches these stats
        stats = self.crawler.stats
        stats.inc_value("nianbao/records_ingested")
        if result.report_id:
            stats.inc_value("nianbao/reports")
        if result.errors:
            stats.inc_value("nianbao/ingest_errors", len(result.errors))

    def close(self) -> Deferred[None]:
        """Wait, off the reactor, for every record's rows; then restore spam-replaced words
        and close the database. The spider's close waits on the Deferred returned."""
        if self._waiting is not None:
            self._waiting.stop()
            self._waiting = None
        return threads.deferToThread(self._finish, time.monotonic())

    def _finish(self, closed_at: float) -> None:
        stats = self.crawler.stats
        stats.set_value(PENDING_AT_CLOSE_STAT, self.seam.pending)
        try:
            stats.set_value("nianbao/spam_words_restored", self.seam.finish())
        except Exception as failure:  # noqa: BLE001 - reported in the crawl's headline
            logger.error("database not fully written: %s", failure, exc_info=failure)
            stats.set_value(FAILED_STAT, f"{type(failure).__name__}: {failure}")
        stats.set_value(PENDING_STAT, self.seam.pending)
        stats.set_value(WAIT_STAT, round(time.monotonic() - closed_at, 3))

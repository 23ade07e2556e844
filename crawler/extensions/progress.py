"""Report crawl progress to a callback a few times a second."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from nianbao.crawler import settings as defaults

ProgressCallback = Callable[[Mapping[str, Any]], None]


class ProgressExtension:
    """Calls NIANBAO_PROGRESS(stats) every NIANBAO_PROGRESS_INTERVAL seconds and at the end."""

    def __init__(self, crawler: Crawler, callback: ProgressCallback, interval: float) -> None:
        self.crawler = crawler
        self.callback = callback
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        callback = crawler.settings.get("NIANBAO_PROGRESS")
        if not callable(callback):
            raise NotConfigured("no NIANBAO_PROGRESS callback")
        interval = crawler.settings.getfloat(
            "NIANBAO_PROGRESS_INTERVAL", defaults.NIANBAO_PROGRESS_INTERVAL
        )
        extension = cls(crawler, callback, interval)
        crawler.signals.connect(extension.start, signal=scrapy_signals.spider_opened)
        # engine_stopped, not spider_closed: the database is still being written at the close
        crawler.signals.connect(extension.stop, signal=scrapy_signals.engine_stopped)
        return extension

    def start(self) -> None:
        """Begin periodic reports."""
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=True)

    def report(self) -> None:
        """Send the current stats to the callback."""
        self.callback(self.crawler.stats.get_stats())

    def stop(self) -> None:
        """Stop periodic reports and send the last one."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report()

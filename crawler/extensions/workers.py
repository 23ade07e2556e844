"""One worker of a crawl whose frontier is in Redis: in the roster, and open while needed.

A worker alone would close as soon as the shared queue is empty, while another worker is
still parsing pages that will add requests. So each worker beats its state ("busy" or
"idle") into the roster every NIANBAO_WORKER_BEAT seconds, stays open while any live worker
is busy or the queue holds requests, and leaves the roster when it closes. The last worker
to finish clears the queue and the duplicate filter, so the next scheduled run starts anew;
a run stopped early keeps them, and the next one continues where the workers left off.
"""

from __future__ import annotations

import socket
import time

import redis
from scrapy import Spider
from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from nianbao.crawler import settings
from nianbao.crawler.frontier import connect, keys, live_workers


class RedisWorkers:
    """Keeps the spider open while other workers may still add requests to the queue."""

    def __init__(self, crawler: Crawler, client: redis.Redis, worker: str, beat: float) -> None:
        self.crawler = crawler
        self.beat_seconds = beat
        self.client = client
        self.worker = worker
        self.keys = keys(crawler.spidercls.name)
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisWorkers:
        url = crawler.settings.get("NIANBAO_REDIS_URL")
        if not url:
            raise NotConfigured("no NIANBAO_REDIS_URL: a crawl on its own")
        worker = f"{socket.gethostname()}-{crawler.settings.get('NIANBAO_WARC_PREFIX')}"
        beat = crawler.settings.getfloat("NIANBAO_WORKER_BEAT", settings.NIANBAO_WORKER_BEAT)
        extension = cls(crawler, connect(url), worker, beat)
        crawler.signals.connect(extension.opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(extension.idle, signal=scrapy_signals.spider_idle)
        crawler.signals.connect(extension.closed, signal=scrapy_signals.spider_closed)
        return extension

    def opened(self) -> None:
        """Join the roster and beat."""
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(self.beat_seconds, now=True)

    def beat(self) -> None:
        """Write this worker's state: idle when its engine has nothing left to do."""
        engine = self.crawler.engine
        idle = engine is not None and engine.spider_is_idle()
        self._state("idle" if idle else "busy")

    def idle(self, spider: Spider) -> None:
        """Close only when no live worker is busy and the shared queue is empty."""
        self._state("idle")
        others = live_workers(self.client, self.crawler.spidercls.name, time.time())
        others.pop(self.worker, None)
        # the queue is scrapy-redis' priority queue, a sorted set
        if "busy" in others.values() or self.client.zcard(self.keys["queue"]) > 0:
            raise DontCloseSpider  # Scrapy asks again at its next heartbeat (5 s)

    def closed(self, spider: Spider, reason: str) -> None:
        """Leave the roster; the last worker of a finished crawl clears its frontier."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.client.hdel(self.keys["workers"], self.worker)
        if reason != "finished":
            return
        if not live_workers(self.client, self.crawler.spidercls.name, time.time()):
            self.client.delete(self.keys["queue"], self.keys["dupefilter"], self.keys["workers"])

    def _state(self, state: str) -> None:
        self.client.hset(self.keys["workers"], self.worker, f"{state} {time.time():.3f}")

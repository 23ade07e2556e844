"""Honour Retry-After: a 429 or 503 that names a wait holds back that host's download slot."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from nianbao.crawler import settings as defaults

logger = logging.getLogger(__name__)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP date (RFC 9110 10.2.3).

    A date in the past means no wait (0.0); a value that is neither form gives None.
    """
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):  # IndexError: some malformed dates on 3.11
        return None
    if when.tzinfo is None:  # RFC 850/asctime forms carry no zone; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def hold_slot(slot: Slot, wait: float, now: float) -> None:
    """Make ``slot`` send nothing for ``wait`` seconds from ``now`` (monotonic), and slow it.

    The slot's delay rises to at least ``wait`` (AutoThrottle lowers it again as the host
    answers normally). The downloader starts the next request ``download_delay()`` after
    ``lastseen``, and that delay is jittered down to ``delay * (1 - jitter)``, so ``lastseen``
    is moved forward far enough that even the shortest jittered delay ends after ``wait``.
    """
    slot.delay = max(slot.delay, wait)
    shortest = slot.delay * (1 - min(max(slot.jitter, 0.0), 1.0))
    slot.lastseen = max(slot.lastseen, now + wait - shortest)


class RetryAfterMiddleware:
    """On 429/503 with Retry-After, delays every request to that host by the wait (capped).

    Place it between the downloader and RetryMiddleware: the retry RetryMiddleware schedules
    then waits in the held slot like any other request to that host.
    """

    def __init__(
        self,
        crawler: Crawler,
        max_wait: float,
        codes: Iterable[int],
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.codes = frozenset(codes)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Read NIANBAO_RETRY_AFTER_MAX (0: off) and NIANBAO_RETRY_AFTER_CODES."""
        max_wait = crawler.settings.getfloat(
            "NIANBAO_RETRY_AFTER_MAX", defaults.NIANBAO_RETRY_AFTER_MAX
        )
        if max_wait <= 0:
            raise NotConfigured("NIANBAO_RETRY_AFTER_MAX is 0")
        codes = [
            int(c)
            for c in crawler.settings.getlist(
                "NIANBAO_RETRY_AFTER_CODES", defaults.NIANBAO_RETRY_AFTER_CODES
            )
        ]
        return cls(crawler, max_wait, codes)

    def process_response(self, request: Request, response: Response) -> Response:
        """Hold the response's download slot for the Retry-After wait; pass the response on."""
        if response.status not in self.codes:
            return response
        header = response.headers.get(b"Retry-After")
        if not header:
            return response
        wait = parse_retry_after(header.decode("latin-1"), self.clock())
        if wait is None:
            logger.info("ignoring unreadable Retry-After %r from %s", header, response.url)
            return response
        wait = min(wait, self.max_wait)
        slot = self._slot(request)
        if slot is None or wait <= 0:
            return response
        hold_slot(slot, wait, self.monotonic())
        if self.crawler.stats:
            self.crawler.stats.inc_value("nianbao/retry_after_holds")
        logger.info(
            "%s answered %d with Retry-After: holding its slot %.0f s",
            response.url,
            response.status,
            wait,
        )
        return response

    def _slot(self, request: Request) -> Slot | None:
        """The download slot the request went through (the downloader names it in meta)."""
        engine = self.crawler.engine
        if engine is None:
            return None
        downloader = engine.downloader
        key = request.meta.get(downloader.DOWNLOAD_SLOT)
        return downloader.slots.get(key) if key is not None else None

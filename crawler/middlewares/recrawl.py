"""Fetch only what changed: conditional requests from the last capture, and a resumed job's
finished requests answered from the archive.

At priority 900, just before the WARC middleware (950): the conditional headers it adds are
archived with the request, and the WARC middleware, seeing ``PREVIOUS`` in the meta, writes
an unchanged answer as a revisit record. A 304 then reaches this middleware, which hands the
spider the archived content instead, so an unchanged listing page still yields its links.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Request
from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from nianbao.archive.store.previous import Previous, PreviousCaptures
from nianbao.archive.warc.reader import ArchiveReadError
from nianbao.crawler import settings as defaults
from nianbao.crawler.job import DoneLog
from nianbao.crawler.replay import archived_response

logger = logging.getLogger(__name__)

PREVIOUS = "nianbao_previous"  # request.meta: the URL's previous capture (archive.store.previous)
# Response.flags, not meta: a redirect or retry copies the meta (and the headers) of the
# request it follows, and the request after a replayed answer must be fetched and archived.
REPLAYED = "nianbao-replayed"  # answered from the archive, not fetched
NOT_MODIFIED = "nianbao-not-modified"  # a 304's content: the archived answer it confirms
_CONDITIONS = (b"If-None-Match", b"If-Modified-Since")
ARCHIVED_AT = "nianbao_archived_at"  # request.meta: (WARC file name, offset) of its answer
NOT_MODIFIED_STAT = "nianbao/not_modified"  # 304 answers, the archived content passed on
REPLAYED_STAT = "nianbao/replayed"  # requests a resumed job answered from the archive
CONDITIONAL_STAT = "nianbao/conditional_requests"


class RecrawlMiddleware:
    """Conditional requests from earlier captures; replay of a resumed job's done requests."""

    def __init__(
        self,
        crawler: Crawler,
        previous: PreviousCaptures,
        warc_dir: Path,
        done: DoneLog | None,
    ) -> None:
        self.crawler = crawler
        self.previous = previous
        self.warc_dir = warc_dir
        self.done = done

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecrawlMiddleware:
        settings = crawler.settings
        if not settings.getbool("NIANBAO_RECRAWL", defaults.NIANBAO_RECRAWL):
            raise NotConfigured("NIANBAO_RECRAWL is off")
        warc_dir = settings.get("NIANBAO_WARC_DIR")
        if not warc_dir:
            raise NotConfigured("NIANBAO_WARC_DIR is not set")
        db = settings.get("NIANBAO_DB")
        done = settings.get("NIANBAO_DONE_LOG")
        middleware = cls(
            crawler,
            PreviousCaptures(Path(db) if db else None),
            Path(warc_dir),
            DoneLog(Path(done)) if done else None,
        )
        crawler.signals.connect(middleware.close, signal=scrapy_signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> Response | None:
        """Answer a done request from the archive; else ask "changed since?" where we can."""
        if self.done is not None:
            where = self.done.get(self._fingerprint(request))
            if where is not None:
                replayed = self._replay(request, where)
                if replayed is not None:
                    return replayed
        # a redirect copies the request it follows, conditions included: those were its URL's
        request.meta.pop(PREVIOUS, None)
        for name in _CONDITIONS:
            request.headers.pop(name, None)
        previous = self.previous.of(request.url) if request.method == "GET" else None
        if previous is None:
            return None
        request.meta[PREVIOUS] = previous
        if previous.etag:
            request.headers[b"If-None-Match"] = previous.etag
        if previous.last_modified:
            request.headers[b"If-Modified-Since"] = previous.last_modified
        if previous.etag or previous.last_modified:
            self.crawler.stats.inc_value(CONDITIONAL_STAT)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        """Log where the answer is archived; a 304 becomes the archived content it confirms."""
        if REPLAYED in response.flags:
            return response
        where = request.meta.pop(ARCHIVED_AT, None)
        if where is not None and self.done is not None:
            self.done.add(self._fingerprint(request), *where)
        previous: Previous | None = request.meta.get(PREVIOUS)
        if response.status != 304 or previous is None:
            return response
        try:
            content = archived_response(
                request, self.warc_dir / previous.warc_file, previous.offset, status=200
            ).replace(flags=[NOT_MODIFIED])
        except (ArchiveReadError, OSError) as problem:
            logger.warning(
                "304 for %s: its archived content is unreadable: %s", request.url, problem
            )
            return response
        self.crawler.stats.inc_value(NOT_MODIFIED_STAT)
        return content

    def _replay(self, request: Request, where: tuple[str, int]) -> Response | None:
        try:
            response = archived_response(request, self.warc_dir / where[0], where[1])
        except (ArchiveReadError, OSError) as problem:  # lost with a torn file: fetch again
            logger.info("refetching %s: %s", request.url, problem)
            return None
        self.crawler.stats.inc_value(REPLAYED_STAT)
        return response.replace(flags=[REPLAYED])

    def _fingerprint(self, request: Request) -> str:
        fingerprinter = self.crawler.request_fingerprinter
        return fingerprinter.fingerprint(request).hex()

    def close(self) -> None:
        """Close the database connection and the done log."""
        self.previous.close()
        if self.done is not None:
            self.done.close()

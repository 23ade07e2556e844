"""Scrapy's HTTP/1.1 download handler, keeping the bytes of each exchange as they crossed.

Scrapy hands a response on with its header names title-cased, repeated headers grouped,
Connection and Transfer-Encoding gone, chunk framing undone and no reason phrase; Twisted
sends a request's headers in its own order. The WARC records what was on the wire, so each
connection's protocol keeps what it wrote and what it read for the exchange in flight, and
the handler hands that to the request's ``meta`` (``RAW_EXCHANGE``) for the WARC middleware.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from scrapy import Request
from scrapy import signals as scrapy_signals
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.web.iweb import IResponse

from nianbao.crawler.frontier import SharedPoliteness, connect

RAW_EXCHANGE = "nianbao_raw_exchange"  # request.meta: the RawExchange of its response
_HEAD_END = re.compile(rb"\n\r?\n")
_STATUS_LINE = re.compile(rb"HTTP/\d+\.\d+ +(\d{3})(?:[ \r\n]|$)")


@dataclass
class RawExchange:
    """The bytes one request put on a connection and the bytes its response came back as."""

    sent: bytearray = field(default_factory=bytearray)
    received: bytearray = field(default_factory=bytearray)

    def request_head(self) -> bytes | None:
        """The request line and headers as sent, Proxy-Authorization left out (a secret)."""
        end = _HEAD_END.search(self.sent)
        if end is None:
            return None
        lines = bytes(self.sent[: end.end()]).split(b"\r\n")
        kept = [line for line in lines if not line.lower().startswith(b"proxy-authorization:")]
        return b"\r\n".join(kept)

    def response_parts(self) -> tuple[bytes, bytes] | None:
        """The final response's status line and headers (blank line included) and its body,
        as received; interim 1xx heads before it (100 Continue, 103 Early Hints) left out,
        as Twisted skips them: a record holds one response."""
        head = self._final_head()
        if head is None:
            return None
        start, end = head
        return bytes(self.received[start:end]), bytes(memoryview(self.received)[end:])

    def status(self) -> int | None:
        """The final response's status code, if its status line has one."""
        head = self._final_head()
        return _status(self.received, head[0]) if head else None

    def _final_head(self) -> tuple[int, int] | None:
        """Where the final response's head starts and ends in ``received`` (no copy made:
        the body may be tens of MB)."""
        start = 0
        # Twisted reads lines up to "\n" and drops a "\r" before it, so both end a head
        while (end := _HEAD_END.search(self.received, start)) is not None:
            if not 100 <= (_status(self.received, start) or 0) < 200:
                return start, end.end()
            start = end.end()
        return None


def _status(data: bytes | bytearray, start: int = 0) -> int | None:
    # Twisted takes a status line without a reason phrase too ("HTTP/1.1 200")
    line = _STATUS_LINE.match(data, start)
    return int(line.group(1)) if line else None


class FileTooLarge(DownloadCancelledError):
    """An answer larger than DOWNLOAD_MAXSIZE: cancelled, recorded as a fetch error."""


class _Handover:
    """The exchange whose response headers were parsed last, until Scrapy's signal takes it.

    Twisted fires the response's deferred and Scrapy sends ``headers_received`` in one
    synchronous callback chain, so nothing runs between the two: the last one parsed is the
    one the signal is about. The WARC middleware still checks it against the response.
    """

    def __init__(self) -> None:
        self.latest: RawExchange | None = None

    def take(self) -> RawExchange | None:
        latest, self.latest = self.latest, None
        return latest


class _RecordingProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's lenient HTTP/1.1 protocol, also keeping the bytes of the exchange in flight."""

    def __init__(self, quiescent: Callable[..., Any], handover: _Handover, limit: int) -> None:
        super().__init__(quiescent)
        self._handover = handover
        self._limit = limit  # DOWNLOAD_MAXSIZE (0: none)
        self._raw: RawExchange | None = None

    def connectionMade(self) -> None:
        super().connectionMade()
        transport: Any = self.transport
        write, write_sequence = transport.write, transport.writeSequence

        # Twisted writes the request line and headers with writeSequence, bodies with write;
        # patched on this connection's own transport object, nothing else sees it
        def recorded_write(data: bytes) -> None:
            self._note_sent(data)
            write(data)

        def recorded_write_sequence(parts: list[bytes]) -> None:
            for part in parts:
                self._note_sent(part)
            write_sequence(parts)

        transport.write = recorded_write
        transport.writeSequence = recorded_write_sequence

    def _note_sent(self, data: bytes) -> None:
        if self._raw is not None:
            self._raw.sent += data

    def request(self, request: Any) -> Deferred[IResponse]:
        self._raw = raw = RawExchange()
        deferred = super().request(request)

        def hand_over(response: IResponse) -> IResponse:
            self._handover.latest = raw
            return response

        return deferred.addCallback(hand_over)

    def dataReceived(self, data: bytes) -> None:
        raw = self._raw
        # past the limit Scrapy cancels the answer and nothing of it is archived: keeping
        # more of it would only double what a huge file costs in memory
        if raw is not None and not (self._limit and len(raw.received) > self._limit):
            raw.received += data
        super().dataReceived(data)

    def _finishResponse(self, rest: bytes) -> None:
        # ``rest`` came after the response's end: not part of it (Twisted does not pipeline)
        raw = self._raw
        if raw is not None:
            if rest:
                del raw.received[-len(rest) :]
            self._raw = None
        super()._finishResponse(rest)


class _RecordingFactory(_LenientHTTP11ClientFactory):
    """Builds recording protocols that hand their exchanges to one handler."""

    def __init__(
        self, handover: _Handover, limit: int, quiescent: Callable[..., Any], metadata: Any
    ) -> None:
        super().__init__(quiescent, metadata)
        self._handover = handover
        self._limit = limit

    def buildProtocol(self, addr: Any) -> _RecordingProtocol:
        return _RecordingProtocol(self._quiescentCallback, self._handover, self._limit)


class RecordingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose responses carry their wire bytes in request.meta."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._handover = _Handover()
        # the pool builds one factory per connection from this (Scrapy sets its own likewise);
        # a partial, not a class, so each handler's protocols hand over to that handler
        self._pool._factory = partial(  # type: ignore[assignment]
            _RecordingFactory, self._handover, self._default_maxsize
        )
        crawler.signals.connect(self._headers_received, signal=scrapy_signals.headers_received)
        self._politeness = _shared_politeness(crawler)

    async def download_request(self, request: Request) -> Response:
        """Wait for this host's turn among all workers (``--redis``), then download."""
        if self._politeness is not None:
            # here, not in a middleware: the moment reserved is the moment the request is sent
            wait = self._politeness.wait(urlparse_cached(request).hostname or "")
            if wait > 0:
                await sleep(wait)
        try:
            return await super().download_request(request)
        except DownloadCancelledError as cancelled:
            # Scrapy cancels an answer past DOWNLOAD_MAXSIZE, chunked ones without a word
            limit = request.meta.get("download_maxsize", self._default_maxsize)
            raise FileTooLarge(
                f"larger than the download limit of {limit} bytes, so not archived: raise "
                "DOWNLOAD_MAXSIZE in the [settings] of `nianbao crawl --config FILE`"
            ) from cancelled

    def _headers_received(self, request: Request, **_: Any) -> None:
        raw = self._handover.take()
        if raw is not None:
            request.meta[RAW_EXCHANGE] = raw


def _shared_politeness(crawler: Crawler) -> SharedPoliteness | None:
    """Per-host spacing across workers when the frontier is in Redis and a delay is set."""
    url = crawler.settings.get("NIANBAO_REDIS_URL")
    delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
    if not url or delay <= 0:
        return None
    return SharedPoliteness(connect(url), crawler.spidercls.name, delay)

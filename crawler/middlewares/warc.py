"""Archive every HTTP exchange Scrapy makes, exactly as received, into WARC files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request
from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response

from nianbao.archive.store.previous import Previous
from nianbao.archive.warc.exchange import IDENTICAL, NOT_MODIFIED, Exchange
from nianbao.archive.warc.reader import sha1_digest, warc_file_name
from nianbao.archive.warc.writer import WarcWriter, software_name
from nianbao.crawler import settings as defaults
from nianbao.crawler import signals
from nianbao.crawler.download import RAW_EXCHANGE, RawExchange
from nianbao.crawler.middlewares.recrawl import ARCHIVED_AT, PREVIOUS, REPLAYED
from nianbao.crawler.middlewares.scope import OffPortalRequest

# responses written with heads rebuilt from Scrapy's Response (the crawl's headline says so)
REBUILT_STAT = "nianbao/warc_heads_rebuilt"
REVISIT_STAT = "nianbao/revisits"  # + /server-not-modified or /identical-payload-digest
SENT_AT = "nianbao_sent_at"  # request.meta: when the request was handed to the downloader


class WarcArchiveMiddleware:
    """Writes a request and a response record for every exchange, before decompression.

    It sits at priority 950, next to the downloader: responses reach it still
    gzip-compressed with their Content-Encoding header, redirects and error statuses
    included, and every retry is its own exchange. Failed fetches become metadata
    records so the archive alone can rebuild the errors table.
    """

    def __init__(self, crawler: Crawler, writer: WarcWriter) -> None:
        self.crawler = crawler
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        settings = crawler.settings
        directory = settings.get("NIANBAO_WARC_DIR")
        if not directory:
            raise NotConfigured("NIANBAO_WARC_DIR is not set")
        writer = WarcWriter(
            Path(directory),
            settings.get("NIANBAO_WARC_PREFIX", defaults.NIANBAO_WARC_PREFIX),
            max_bytes=settings.getint("NIANBAO_WARC_MAX_BYTES", defaults.NIANBAO_WARC_MAX_BYTES),
            warcinfo=dict(settings.getdict("NIANBAO_WARCINFO")),
            software=software_name(),
        )
        middleware = cls(crawler, writer)
        crawler.signals.connect(middleware.close, signal=scrapy_signals.spider_closed)
        crawler.signals.connect(middleware.process_exception, signal=signals.link_refused)
        crawler.signals.connect(middleware.process_exception, signal=signals.redirect_dropped)
        return middleware

    def process_request(self, request: Request) -> None:
        """Note when the request leaves for the network (this middleware sits next to it)."""
        request.meta[SENT_AT] = datetime.now(UTC)

    def process_response(self, request: Request, response: Response) -> Response:
        """Archive the exchange as it came off the wire; the response passes on unchanged.

        An answer that shows the URL's previous capture unchanged (a 304, or a 200 with its
        payload digest) is archived as a revisit record; a resumed job's replayed answers
        were archived by the run that fetched them."""
        if REPLAYED in response.flags:
            return response
        raw = request.meta.pop(RAW_EXCHANGE, None)
        exchange = Exchange(
            url=request.url,
            method=request.method,
            request_headers=_request_headers(request),
            request_body=request.body,
            status=response.status,
            response_headers=_pairs(response.headers),
            body=response.body,
            date=datetime.now(UTC),
            protocol=_protocol(response),
            request_date=request.meta.get(SENT_AT),
            ip_address=str(response.ip_address) if response.ip_address else None,
        )
        wire = _as_on_the_wire(exchange, raw, response)
        if wire is None:  # what Scrapy's handler left: rebuilt heads, framing undone
            self.crawler.stats.inc_value(REBUILT_STAT)
        request.meta[ARCHIVED_AT] = self._write(wire or exchange, request.meta.get(PREVIOUS))
        self.crawler.stats.inc_value("nianbao/warc_exchanges")
        self._announce()
        return response

    def _write(self, exchange: Exchange, previous: Previous | None) -> tuple[str, int]:
        """Write a response or a revisit; where the answer's content is (file name, offset)."""
        profile = None
        if previous is not None and exchange.status == 304:
            profile = NOT_MODIFIED
        elif previous is not None and exchange.status == 200:
            # the digest the writer would give this payload: the body as kept, codings and all
            if sha1_digest(exchange.body) == previous.payload_digest:
                profile = IDENTICAL
        if previous is None or profile is None:
            written = self.writer.write_exchange(exchange)
            return warc_file_name(written.path), written.response.offset
        self.writer.write_revisit(exchange, previous.original, profile)
        self.crawler.stats.inc_value(f"{REVISIT_STAT}/{profile.rsplit('/', 1)[-1]}")
        return previous.warc_file, previous.offset

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Archive a failed fetch or a scope refusal as a metadata record (robots refusals not)."""
        # Robots refusals are not fetches; a refused off-portal URL is an error worth keeping.
        request.meta.pop(RAW_EXCHANGE, None)  # a retry copies meta: not its exchange
        if isinstance(exception, IgnoreRequest) and not isinstance(exception, OffPortalRequest):
            return
        message = f"{type(exception).__name__}: {exception}".strip().rstrip(":")
        referer = request.headers.get("Referer")
        self.writer.write_fetch_error(
            request.url,
            message,
            datetime.now(UTC),
            via=request.meta.get(signals.VIA) or (referer.decode("latin-1") if referer else None),
            attempt=int(request.meta.get("retry_times", 0)) + 1,
        )
        if not isinstance(exception, OffPortalRequest):  # nothing was attempted: counted apart
            self.crawler.stats.inc_value("nianbao/fetch_errors")
        self._announce()

    def _announce(self) -> None:
        # warcinfo records of new files are among them: the database needs those too.
        records = self.writer.drain()
        self.crawler.signals.send_catch_log(signal=signals.records_archived, records=records)

    def close(self) -> None:
        """Close (and so rename) the WARC file being written."""
        self.writer.close()


def _as_on_the_wire(
    exchange: Exchange, raw: RawExchange | None, response: Response
) -> Exchange | None:
    """``exchange`` with its heads and body as they crossed, if the kept bytes are its own."""
    if raw is None or raw.status() != response.status:
        return None
    request_head, parts = raw.request_head(), raw.response_parts()
    method = exchange.method.upper().encode("ascii", "replace") + b" "
    if request_head is None or parts is None or not request_head.startswith(method):
        return None
    head, body = parts
    # a cut-off body (Scrapy's DOWNLOAD_FAIL_ON_DATALOSS off) is archived as far as it came
    return replace(exchange, request_head=request_head, response_head=head, body=body)


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def _request_headers(request: Request) -> list[tuple[str, str]]:
    # Twisted adds Host itself when sending; the archive records what went on the wire.
    pairs = _pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs.insert(0, ("Host", urlsplit(request.url).netloc))
    return pairs


def _protocol(response: Response) -> str:
    protocol = response.protocol or "HTTP/1.1"
    return protocol if protocol.startswith("HTTP/") else "HTTP/1.1"

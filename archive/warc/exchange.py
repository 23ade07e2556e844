"""Plain values passed to and returned by the WARC writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

Header = tuple[str | bytes, str | bytes]


# The warcinfo field naming the crawl a file belongs to (else its name's prefix is used).
CRAWL_ID_FIELD = "crawl-id"
# The warc-fields field of a failed fetch's metadata record: the error, on one line.
ERROR_FIELD = "error"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as sent and as received (no decoding undone)."""

    url: str
    method: str
    request_headers: Sequence[Header]
    request_body: bytes
    status: int
    response_headers: Sequence[Header]  # as received: Content-Encoding kept
    # the payload, still gzip-compressed if the server sent it so; with ``response_head``,
    # exactly as received (chunk framing kept), else as Twisted left it (framing undone)
    body: bytes
    date: datetime  # UTC, when the response arrived
    protocol: str = "HTTP/1.1"
    request_date: datetime | None = None  # UTC, when the request was sent (else ``date``)
    ip_address: str | None = None  # the address the response came from (WARC-IP-Address)
    # the response's status line and header lines exactly as received, up to and with the
    # blank line; None: rebuilt from status and response_headers
    response_head: bytes | None = None
    # the request's head exactly as sent (its body is request_body); None: rebuilt
    request_head: bytes | None = None


# WARC/1.1 §6.7 revisit profiles: a 304 answer, and a 200 whose payload was archived before
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True)
class Original:
    """The earlier capture a revisit refers to: the record that holds the payload."""

    record_id: str
    url: str
    date: str  # its WARC-Date, as archived
    payload_digest: str


@dataclass(frozen=True)
class RecordRef:
    """Where one record sits in a WARC file: the gzip member's start and length."""

    record_id: str
    offset: int
    length: int


@dataclass(frozen=True)
class WrittenExchange:
    """The file an exchange went to and its records; ``warcinfo`` if that file began here."""

    path: Path
    request: RecordRef
    response: RecordRef
    warcinfo: RecordRef | None = None

    @property
    def records(self) -> tuple[RecordRef, ...]:
        """Every record this write produced, in file order."""
        head = (self.warcinfo,) if self.warcinfo else ()
        return (*head, self.request, self.response)


@dataclass(frozen=True)
class WrittenRecord:
    """One record written to a file (what ``WarcWriter.drain()`` hands out)."""

    path: Path
    ref: RecordRef
    record_type: str = field(default="")

"""Archived responses handed back to the spider: a resumed crawl's pages, a 304's content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive.warc.reader import ArchiveReadError, read_capture

# the reader undid these (framing, codings, length): the body handed on is the decoded one,
# and Scrapy's decompression middleware must not try again
_UNDONE = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def archived_response(
    request: Request, path: Path, offset: int, status: int | None = None
) -> Response:
    """The response archived at ``offset`` of ``path``, as Scrapy would have built it for
    ``request``; ``status`` overrides the archived one (a 304's content is a 200's).

    Raises ArchiveReadError when the record cannot be read or holds no HTTP response.
    """
    capture = read_capture(path, offset)
    if capture.error or capture.status is None:
        raise ArchiveReadError(path, offset, capture.error or "not an HTTP response")
    headers = Headers(encoding="latin-1")  # as warcio read them: the bytes as archived
    for name, value in capture.http_headers:
        if name.lower() not in _UNDONE:
            headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=capture.body)
    return cls(
        url=request.url,
        status=status or capture.status,
        headers=headers,
        body=capture.body,
        request=request,
    )


def archived_requests(path: Path) -> Iterator[tuple[Request, int]]:
    """Each request archived in ``path`` with an answer, rebuilt (method, URL, body) so its
    fingerprint is the crawl's, and the offset of the record holding the answer."""
    asked: dict[str, Request] = {}
    answers: dict[str, int] = {}
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            headers = record.rec_headers
            if record.rec_type == "request" and record.http_headers is not None:
                method = record.http_headers.protocol or "GET"  # warcio's name for the verb
                url = headers.get_header("WARC-Target-URI")
                body = record.content_stream().read()
                asked[headers.get_header("WARC-Record-ID")] = Request(
                    url, method=method, body=body or None
                )
            elif record.rec_type in ("response", "revisit"):
                concurrent = headers.get_header("WARC-Concurrent-To")
                if concurrent:
                    answers[concurrent] = records.get_record_offset()
    for record_id, request in asked.items():
        if record_id in answers:
            yield request, answers[record_id]

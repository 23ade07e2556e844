"""The single ingest path: one Capture in, its derived rows out (crawl and reindex share it)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from nianbao import extract
from nianbao.archive.store.database import Row, Store
from nianbao.archive.store.rows import (
    attachment_rows,
    blocked_row,
    error_row,
    host_of,
    report_rows,
    sheet_cell_rows,
)
from nianbao.archive.warc.exchange import ERROR_FIELD
from nianbao.archive.warc.files import prefix_of
from nianbao.archive.warc.reader import Capture, parse_warc_fields, sha1_digest
from nianbao.extract.attachments import attachment_kind, declared_kind, extract_attachment
from nianbao.extract.blocked import blocked_reason
from nianbao.extract.errors import ExtractError
from nianbao.extract.report import Report

Extractor = Callable[[str, Mapping[str, str], bytes], Report]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# servers label HTML pages with these too often to trust them
VAGUE_TYPES = frozenset(
    {
        "application/octet-stream",
        "binary/octet-stream",
        "text/plain",
        "application/x-unknown",
        "unknown/unknown",
        "content/unknown",
    }
)
_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")


@dataclass(frozen=True)
class Ingestion:
    """Every row one capture yields; computed without the database (workers make these)."""

    capture: Row
    crawl: Row | None = None
    report: Row | None = None
    children: Mapping[str, tuple[Row, ...]] = field(default_factory=dict)
    errors: tuple[Row, ...] = ()
    blocked: Row | None = None  # the response was a block page, so it was not extracted
    attachments: tuple[Row, ...] = ()  # a report-titled page's links to its files
    sheet_cells: tuple[Row, ...] = ()  # a spreadsheet's tables, for the page linking it


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one capture did."""

    capture_id: str
    record_type: str
    report_id: str | None = None  # set when the page is a report (written or already known)
    report_written: bool = False
    errors: tuple[str, ...] = field(default=())  # error stages recorded
    blocked: str | None = None  # why the page was blocked ("waf-412", …), if it was


def looks_like_html(body: bytes) -> bool:
    """Whether the start of a body reads as an HTML document."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and any(mark in head for mark in _HTML_MARKS)


def is_html_page(capture: Capture) -> bool:
    """A 200 response, or a resource record (a page stored as itself, no HTTP around it),
    that is HTML by its Content-Type, or vaguely typed but sniffs as HTML."""
    # a resource's Content-Type is the WARC record's own; it has no status
    answered = capture.record_type == "response" and capture.status == 200
    if not answered and capture.record_type != "resource":
        return False
    if capture.mime in HTML_TYPES:
        return True
    return (capture.mime is None or capture.mime in VAGUE_TYPES) and looks_like_html(capture.body)


def attachment_of(capture: Capture) -> str | None:
    """The format of a 200 response (or a resource record) whose payload is a PDF, DOCX,
    XLSX or legacy Office/WPS file, by its bytes first (``downfile.jsp`` answers are
    octet-streams); None for anything else."""
    answered = capture.record_type == "response" and capture.status == 200
    if not answered and capture.record_type != "resource":
        return None
    return attachment_kind(capture.headers_lower(), capture.body)


def _html_posing_as_file(capture: Capture) -> str | None:
    """Why a 200 answer announced as a PDF/Office file but holding an HTML page (a portal's
    error page, served with the file's headers) is recorded, or None."""
    if capture.record_type != "response" or capture.status != 200 or capture.url is None:
        return None
    kind = declared_kind(capture.headers_lower(), capture.url)
    if kind is None or not looks_like_html(capture.body):
        return None
    return f"announced as a {kind.upper()} file ({capture.mime}) but is an HTML page"


def capture_row(capture: Capture) -> Row:
    """The captures row for one record."""
    answer = capture.record_type != "request"  # a request's headers are not validators
    return {
        "id": capture.record_id,
        "crawl_id": capture.crawl_id,
        "record_type": capture.record_type,
        "url": capture.url,
        "host": host_of(capture.url),
        "date": capture.date,
        "status": capture.status,
        "mime": capture.mime,
        "payload_digest": capture.payload_digest,
        "warc_file": capture.warc_file,
        "offset": capture.offset,
        "length": capture.length,
        "concurrent_to": capture.concurrent_to,
        "segment_origin_id": capture.segment_origin_id,
        "segment_number": capture.segment_number,
        "segment_total_length": capture.segment_total_length,
        # what a re-crawl sends back to ask "changed since?" (If-None-Match, If-Modified-Since)
        "etag": capture.header("ETag") if answer else None,
        "last_modified": capture.header("Last-Modified") if answer else None,
        "profile": capture.profile,
        "refers_to": capture.refers_to,
    }


def crawl_row(capture: Capture) -> Row:
    """The crawls row a warcinfo record describes."""
    fields = capture.warcinfo or {}
    return {
        "id": capture.crawl_id,
        "prefix": prefix_of(capture.warc_file),
        "started": capture.date,
        "software": fields.get("software"),
        "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
        "warcinfo_id": capture.record_id,
    }


def _fetch_error(capture: Capture) -> Row | None:
    """A metadata record the writer made for a failed fetch, as an errors row: warc-fields
    ``error: …``, or JSON ``{"error": …}`` as archives before 2026-12-03 hold them."""
    message = None
    if capture.mime == "application/warc-fields":
        message = parse_warc_fields(capture.body).get(ERROR_FIELD)
    elif capture.mime == "application/json":
        try:
            message = json.loads(capture.body.decode("utf-8")).get("error")
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            return None
    if message is None:
        return None
    return error_row(capture.url, "fetch", capture.record_id, str(message))


def analyze(capture: Capture, extractor: Extractor | None = None) -> Ingestion:
    """All rows a capture yields, without touching the database (pure but for extraction)."""
    row = capture_row(capture)
    if capture.error is not None:
        return Ingestion(
            row, errors=(error_row(capture.url, "archive", capture.record_id, capture.error),)
        )
    if capture.record_type == "warcinfo" and capture.crawl_id:
        return Ingestion(row, crawl=crawl_row(capture))
    if capture.record_type == "metadata":
        error = _fetch_error(capture)
        return Ingestion(row, errors=(error,) if error else ())
    if capture.segment_number is not None:  # read whole once every segment is stored
        return Ingestion(row)
    if capture.record_type == "response" and capture.status is not None:
        # Before extraction: a block page is never a report, nor a page "without reports".
        reason = blocked_reason(capture.status, capture.headers_lower(), capture.body)
        if reason is not None:
            return Ingestion(row, blocked=blocked_row(capture.url, capture.record_id, reason))
    # A record with no target URL names no page: nothing to extract.
    if capture.url is None:
        return Ingestion(row)
    if is_html_page(capture):
        read = extractor or extract.extract_report
    elif (kind := attachment_of(capture)) is not None:
        read = functools.partial(extract_attachment, kind=kind)
    elif (lie := _html_posing_as_file(capture)) is not None:
        return Ingestion(
            row, errors=(error_row(capture.url, "attachment", capture.record_id, lie),)
        )
    else:
        return Ingestion(row)
    try:
        report = read(capture.url, capture.headers_lower(), capture.body)
    except ExtractError as error:
        return Ingestion(
            row, errors=(error_row(capture.url, error.stage, capture.record_id, error.message),)
        )
    except Exception as bug:  # noqa: BLE001 - one extractor bug must not stop a whole reindex
        message = f"{type(bug).__name__}: {bug}"
        return Ingestion(
            row, errors=(error_row(capture.url, "extract-bug", capture.record_id, message),)
        )
    links = attachment_rows(capture.url, capture.record_id, report)
    # text the parser's limits cost: recorded whether or not the page is a report
    losses = tuple(error_row(capture.url, "parse", capture.record_id, n) for n in report.losses)
    if not report.is_report:
        cells = sheet_cell_rows(capture.url, capture.record_id, report)
        return Ingestion(row, attachments=links, sheet_cells=cells, errors=losses)
    if capture.note:  # how the archived payload was read belongs with what was read from it
        report = replace(report, notes=(*report.notes, capture.note))
    digest = capture.payload_digest or sha1_digest(capture.body)
    rows = report_rows(capture.url, capture.record_id, digest, report)
    return Ingestion(
        row,
        report=rows.report,
        children=rows.children,
        errors=rows.errors + losses,
        attachments=links,
    )


# SQL on captures: the record is no report's capture yet (its read-again pass has not run)
NOT_A_REPORT_YET = "id not in (select capture_id from reports where capture_id is not null)"


def apply_beside(
    store: Store,
    record_id: str,
    stage: str,
    read: Capture | str,
    extractor: Extractor | None = None,
) -> int:
    """Write what a stored record yields once read with other records' help (a revisit's
    original, a segment's continuations), beside its own row, which stays as stored; or
    ``read``'s problem as an errors row of ``stage``. Reports written."""
    stored = store.db.table("captures").get(record_id)
    if isinstance(read, str):
        store.put_error(error_row(stored["url"], stage, record_id, read))
        return 0
    ingestion = replace(analyze(read, extractor), capture=stored)
    return apply(store, ingestion).report_written


def apply(store: Store, ingestion: Ingestion) -> IngestResult:
    """Write an Ingestion's rows; idempotent and independent of the order captures arrive in."""
    capture = ingestion.capture
    with store.transaction():
        store.put_capture(capture)
        if ingestion.crawl is not None:
            store.put_crawl(ingestion.crawl)
        for error in ingestion.errors:
            store.put_error(error)
        if ingestion.blocked is not None:
            store.put_blocked(ingestion.blocked)
        for link in ingestion.attachments:
            store.put_attachment(link)
        for cell in ingestion.sheet_cells:
            store.put_sheet_cell(cell)
        written = False
        if ingestion.report is not None:
            written = store.put_report(ingestion.report, ingestion.children, capture["date"])
    return IngestResult(
        capture_id=capture["id"],
        record_type=capture["record_type"],
        report_id=ingestion.report["id"] if ingestion.report else None,
        report_written=written,
        errors=tuple(error["stage"] for error in ingestion.errors),
        blocked=ingestion.blocked["reason"] if ingestion.blocked else None,
    )


def ingest_capture(
    store: Store, capture: Capture, *, extractor: Extractor | None = None
) -> IngestResult:
    """THE ingest path: the capture row, then crawl, fetch-error or report rows as fitting."""
    return apply(store, analyze(capture, extractor))

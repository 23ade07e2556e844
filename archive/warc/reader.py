"""Reading WARC files back as Capture values, streaming, tolerant of corrupt input."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from nianbao.archive.warc.digests import digest_matches
from nianbao.archive.warc.exchange import CRAWL_ID_FIELD
from nianbao.archive.warc.files import DONE_SUFFIX, OPEN_SUFFIX, is_arc_name, prefix_of
from nianbao.archive.warc.payload import MAX_BODY, PayloadError, read_payload

_ONE_STREAM = (
    "one gzip stream holds several records (a record can only be found by its offset when "
    "each is its own gzip member): `warcio recompress FILE NEW_FILE` makes it readable"
)
_SEPARATOR = b"\r\n\r\n"  # what ends every WARC record (WARC 1.1 §4)
_READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, OSError)


class ArchiveReadError(Exception):
    """A WARC file that stops parsing at ``offset``; records before it were yielded."""

    def __init__(self, path: Path, offset: int, message: str) -> None:
        super().__init__(f"{Path(path).name} at byte {offset}: {message}")
        self.warc_file = Path(path).name
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Capture:
    """One WARC record with its payload decoded; ``error`` says what could not be read."""

    record_id: str
    record_type: str  # "warcinfo" | "request" | "response" | "metadata" | "revisit" | …
    url: str | None
    date: str  # WARC-Date as archived
    warc_file: str  # file NAME only, so merged archives keep working
    offset: int
    length: int
    status: int | None = None
    http_headers: tuple[tuple[str, str], ...] = ()
    mime: str | None = None
    payload_digest: str | None = None
    concurrent_to: str | None = None
    body: bytes = b""
    warcinfo: dict[str, str] | None = None
    crawl_id: str | None = None
    error: str | None = None
    note: str | None = None  # the payload was read otherwise than its headers say, and how
    # one segment of a record split over several (WARC 1.1 §5.8): its number, the first
    # segment's record id, and on the last one the whole block's length; the first segment's
    # body is its raw payload part, read whole only with the continuations after it
    segment_number: int | None = None
    segment_origin_id: str | None = None
    segment_total_length: int | None = None
    # a revisit's WARC-Profile and WARC-Refers-To (the record holding its payload)
    profile: str | None = None
    refers_to: str | None = None

    def header(self, name: str) -> str | None:
        """The first HTTP header of that name (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.http_headers if k.lower() == wanted), None)

    def headers_lower(self) -> dict[str, str]:
        """HTTP headers as a dict with lower-case keys (the first value of repeats wins)."""
        out: dict[str, str] = {}
        for name, value in self.http_headers:
            out.setdefault(name.lower(), value)
        return out


def media_type(content_type: str | None) -> str | None:
    """``text/html; charset=gbk`` → ``text/html``; None for missing or empty."""
    if not content_type:
        return None
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind or None


def sha1_digest(data: bytes) -> str:
    """``sha1:<base32>`` as warcio writes WARC-Payload-Digest."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def parse_warc_fields(block: bytes) -> dict[str, str]:
    """The ``name: value`` lines of a warcinfo block."""
    fields: dict[str, str] = {}
    for line in block.decode("utf-8", errors="replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields[name.strip()] = value.strip()
    return fields


def crawl_id_of(fields: dict[str, str] | None, warc_file: str, warcinfo_id: str) -> str | None:
    """The crawl a file belongs to: its warcinfo's ``crawl-id`` or ``isPartOf``, else the
    nianbao writer prefix of its name, else (another tool's file: wget names none) the
    warcinfo record's own id, so its records still share one crawls row."""
    if fields is None:
        return None
    for name in (CRAWL_ID_FIELD, "isPartOf"):
        if fields.get(name):
            return fields[name]
    return prefix_of(warc_file) or warcinfo_id


DIGEST_MISMATCH = "payload digest mismatch"


@dataclass(frozen=True)
class Payload:
    """A stored payload as read: the body, how it was read if not as labelled, or why not."""

    body: bytes
    note: str | None = None
    error: str | None = None


def payload_of(
    record_type: str,
    raw: bytes,
    payload_digest: str | None,
    content_encoding: str | None,
    transfer_encoding: str | None,
    limit: int = MAX_BODY,
) -> Payload:
    """A record's stored payload read: a response's or resource's checked against its digest
    (a resource's payload is its block), a response's framing and codings undone."""
    checked = record_type in ("response", "resource")
    if checked and payload_digest and digest_matches(payload_digest, raw) is False:
        return Payload(raw, error=DIGEST_MISMATCH)
    if record_type != "response":
        return Payload(raw)
    try:
        body, note = read_payload(raw, content_encoding, transfer_encoding, limit)
    except PayloadError as problem:
        return Payload(b"", error=str(problem))
    return Payload(body, note)


def _read_limited(record: ArcWarcRecord, limit: int) -> tuple[bytes, str | None]:
    """The record's remaining raw bytes, or an error if over ``limit`` or cut short."""
    raw = record.raw_stream.read(limit + 1)
    if len(raw) > limit:
        return b"", f"payload larger than {limit} bytes"
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return raw, f"record truncated: {missing} bytes missing"
    return raw, None


def _capture(
    record: ArcWarcRecord,
    warc_file: str,
    offset: int,
    length: int,
    raw: bytes,
    error: str | None,
    crawl_id: str | None,
    limit: int,
) -> Capture:
    headers = record.rec_headers
    record_type = headers.get_header("WARC-Type") or "unknown"
    http = record.http_headers
    status = None
    http_headers: tuple[tuple[str, str], ...] = ()
    mime = media_type(headers.get_header("Content-Type"))
    body = raw
    note = None
    fields = None
    payload_digest = headers.get_header("WARC-Payload-Digest")
    if http is not None and record_type in ("response", "revisit", "request"):
        http_headers = tuple((str(k), str(v)) for k, v in http.headers)
        mime = media_type(http.get_header("Content-Type")) if record_type != "request" else None
        if record_type != "request":
            code = http.get_statuscode()
            status = int(code) if code.isdigit() else None
    segment = _number(headers.get_header("WARC-Segment-Number"))
    # a segment's digest and codings are the whole record's: read once it is whole
    if error is None and segment is None:
        read = payload_of(
            record_type,
            raw,
            payload_digest,
            http and http.get_header("Content-Encoding"),
            http and http.get_header("Transfer-Encoding"),
            limit,
        )
        body, note, error = read.body, read.note, read.error
    record_id = headers.get_header("WARC-Record-ID") or f"<{warc_file}#{offset}>"
    if record_type == "warcinfo":
        fields = parse_warc_fields(raw)
        crawl_id = crawl_id_of(fields, warc_file, record_id)
    return Capture(
        record_id=record_id,
        record_type=record_type,
        url=headers.get_header("WARC-Target-URI"),
        date=headers.get_header("WARC-Date") or "",
        warc_file=warc_file,
        offset=offset,
        length=length,
        status=status,
        http_headers=http_headers,
        mime=mime,
        payload_digest=payload_digest,
        concurrent_to=headers.get_header("WARC-Concurrent-To"),
        body=body,
        warcinfo=fields,
        crawl_id=crawl_id,
        error=error,
        note=note,
        segment_number=segment,
        segment_origin_id=headers.get_header("WARC-Segment-Origin-ID")
        or (record_id if segment == 1 else None),
        segment_total_length=_number(headers.get_header("WARC-Segment-Total-Length")),
        profile=headers.get_header("WARC-Profile"),
        refers_to=headers.get_header("WARC-Refers-To"),
    )


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


def _records(fh, path: Path, limit: int, crawl_id: str | None) -> Generator[Capture, None, None]:
    """Captures from the file position on; ArchiveReadError where parsing stops early."""
    name = warc_file_name(path)
    arc = is_arc_name(name)
    iterator = ArchiveIterator(fh, arc2warc=arc)  # ARC records read as WARC ones
    end = fh.tell()
    gzipped = os.pread(fh.fileno(), 2, 0) == b"\x1f\x8b"
    # what ends a record in an uncompressed file: warcio leaves it out of the record's length
    separator = b"\n" if arc else _SEPARATOR
    try:
        for record in iterator:
            if record.format != "warc":  # warcio falls back to ARC for any text line
                raise ArchiveReadError(path, end, f"not a WARC record ({record.format})")
            raw, error = _read_limited(record, limit)
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            if length < 0:  # warcio's sign of one gzip stream around several records
                raise ArchiveReadError(path, offset, _ONE_STREAM)
            if not gzipped and os.pread(fh.fileno(), len(separator), offset + length) == separator:
                length += len(separator)
            capture = _capture(record, name, offset, length, raw, error, crawl_id, limit)
            if arc:  # warcio makes up a random id for each ARC record: one from its place
                capture = replace(capture, record_id=f"<{name}#{offset}>")
            if capture.record_type == "warcinfo":
                crawl_id = capture.crawl_id
            end = offset + length
            yield capture
    except _READ_ERRORS as problem:
        raise ArchiveReadError(path, end, f"{type(problem).__name__}: {problem}") from None
    size = Path(path).stat().st_size
    if end < size:
        # warcio stops quietly at a member cut short before its record headers
        raise ArchiveReadError(path, end, f"{size - end} trailing bytes do not parse as a record")


def iter_captures(path: Path, *, limit: int = MAX_BODY) -> Iterator[Capture]:
    """Every record of a WARC file in order, streaming; corrupt records carry ``error``.

    Raises ArchiveReadError after the last readable record if the file is cut short or
    corrupt past that point.
    """
    with Path(path).open("rb") as fh:
        yield from _records(fh, path, limit, None)


def read_capture(path: Path, offset: int, *, limit: int = MAX_BODY) -> Capture:
    """The one record whose gzip member starts at ``offset`` (crawl id from the file's warcinfo)."""
    try:
        fh = on_disk(Path(path)).open("rb")
    except FileNotFoundError:  # renamed between the look and the open: the writer closed it
        fh = on_disk(Path(path)).open("rb")
    path = Path(fh.name)
    with fh:
        crawl_id = _file_crawl_id(fh, path) if offset > 0 else None
        fh.seek(offset)
        capture = _first(fh, path, limit, crawl_id)
    if capture is None:
        raise ArchiveReadError(path, offset, "no record at this offset")
    return capture


def on_disk(path: Path) -> Path:
    """The file itself, or its twin when it is not there: the ``.open`` file the writer still
    has open, or the finished file a ``.open`` one became when the writer closed it."""
    if path.exists():
        return path
    if path.name.endswith(OPEN_SUFFIX):
        twin = path.with_name(warc_file_name(path))
    elif path.name.endswith(DONE_SUFFIX):
        twin = path.with_name(path.name[: -len(DONE_SUFFIX)] + OPEN_SUFFIX)
    else:
        return path
    return twin if twin.exists() else path


def warc_file_name(path: Path) -> str:
    """The finished file name of a WARC (``.open`` dropped), as captures record it."""
    name = Path(path).name
    return name[: -len(".open")] if name.endswith(OPEN_SUFFIX) else name


def _first(fh, path: Path, limit: int, crawl_id: str | None) -> Capture | None:
    records = _records(fh, path, limit, crawl_id)
    try:
        return next(records, None)
    finally:
        records.close()


def _file_crawl_id(fh, path: Path) -> str | None:
    """The crawl id from the warcinfo record a file starts with, if it has one."""
    try:
        first = _first(fh, path, 1 << 16, None)
    except ArchiveReadError:
        return None
    return first.crawl_id if first is not None and first.record_type == "warcinfo" else None

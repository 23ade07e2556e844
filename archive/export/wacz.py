"""A WACZ of chosen reports: their captures' WARC records, indexed, with pages from the database.

The layout is WACZ 1.1.1's (https://specs.webrecorder.net/wacz/1.1.1/):

- ``archive/data.warc.gz``: the records ``wacz_selection`` picks, each gzip member copied byte
  for byte from the crawl's files (a record kept uncompressed there gets a member of its
  own), so every digest and WARC-Record-ID is the archive's. Stored, never deflated again:
  readers fetch records from inside the zip by offset.
- ``indexes/index.cdx.gz`` and ``index.idx``: the compressed CDXJ index cdxj-indexer makes of
  exactly those bytes as they are written (the layout py-wacz writes; pywb's
  ``wb-manager add --unpack-wacz`` reads the ``.cdx.gz``).
- ``pages/pages.jsonl``: one page per report, its title and clean text from the reports
  table, its id the report's, its ``ts`` the WARC-Date of the capture that answered it.
- ``datapackage.json`` (each file's size and sha256) and ``datapackage-digest.json`` (the
  manifest's sha256).

py-wacz writes WACZ files from whole WARCs through its command line; it would take our pages
only by URL, give them random ids and drop the ``hasText`` header, so it serves the tests as
the validator instead (tests/peers).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cdxj_indexer import CDXJIndexer
from sqlite_utils import Database

from nianbao.archive.export.wacz_selection import (
    MissingWarc,
    NoReports,
    Record,
    Selection,
    UnknownReports,
    UnreadableRecord,
    WaczError,
    locate,
    report_id_list,
    report_texts,
    select,
)
from nianbao.archive.places import archive_folder, normal_path, open_read_only, writable_folder
from nianbao.archive.warc.writer import GZIP_LEVEL, software_name

__all__ = [
    "MissingWarc",
    "NoReports",
    "UnknownReports",
    "UnreadableRecord",
    "WaczError",
    "WaczSummary",
    "write_wacz",
]

WACZ_VERSION = "1.1.1"
WARC_PATH = "archive/data.warc.gz"
CDX_PATH = "indexes/index.cdx.gz"
IDX_PATH = "indexes/index.idx"
PAGES_PATH = "pages/pages.jsonl"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": True}
# index lines per gzip block of index.cdx.gz: py-wacz's and ArchiveWeb.page's choice
CDX_BLOCK_LINES = 1024
_CHUNK = 1 << 16
_HEAD_LIMIT = 1 << 16  # WARC headers longer than this are not looked into
_GZIP_MAGIC = b"\x1f\x8b"
_PARTIAL = ".partial"


@dataclass(frozen=True)
class WaczSummary:
    """What ``write_wacz`` wrote: the file, its pages (one per report), records and size."""

    path: Path
    reports: int
    records: int
    bytes: int


def write_wacz(
    db_path: Path,
    warc_folder: Path,
    report_ids: Sequence[str],
    out: Path,
    *,
    title: str | None = None,
) -> WaczSummary:
    """Write a WACZ of ``report_ids`` to ``out``: only their records, pages from the database.

    The WACZ is built as ``<out>.partial`` beside ``out`` and renamed when complete, so no
    half-written file ever has its name. Every error is a ``PlaceError`` naming the fix:
    NoReports, UnknownReports, MissingWarc (which file), UnreadableRecord (where), WaczError
    (an output that is no ``.wacz`` file name), and ``archive.places``'s own for the database
    and the folders. All are raised before anything is written, but for bytes found damaged
    as they are copied (UnreadableRecord; the partial file is removed).
    """
    report_ids = report_id_list(report_ids)  # checked first: the cheapest mistake to name
    out = _wacz_path(Path(out))
    folder = archive_folder(
        Path(warc_folder), "pass the folder of WARC files the database was built from"
    )
    with open_read_only(Path(db_path)) as db:
        selection = select(db, report_ids)
        paths = locate(selection.records, folder)
        partial = out.with_name(out.name + _PARTIAL)
        try:
            _write(partial, db, selection, paths, title or _default_title(selection))
            os.replace(partial, out)
        except BaseException:  # failed or interrupted: never leave a half-written WACZ behind
            partial.unlink(missing_ok=True)
            raise
    return WaczSummary(out, len(selection.pages), len(selection.records), out.stat().st_size)


def _wacz_path(out: Path) -> Path:
    out = normal_path(out)
    if out.suffix != ".wacz":  # WACZ 1.1.1: such a file MUST use the extension .wacz
        raise WaczError(f"{out} does not end in .wacz: name the file e.g. {out.stem}.wacz")
    if out.is_dir():
        raise WaczError(f"{out} is a folder: pass a file name, e.g. {out / 'reports.wacz'}")
    writable_folder(out.parent, "WACZ folder")
    return out


def _default_title(selection: Selection) -> str:
    count = len(selection.pages)
    return f"nianbao: {count} report{'' if count == 1 else 's'}"


def _write(
    partial: Path, db: Database, selection: Selection, paths: dict[str, Path], title: str
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    # past 2 GiB a zip member needs ZIP64 headers, decided before its first byte is written
    big = sum(r.length for r in selection.records) >= zipfile.ZIP64_LIMIT
    with zipfile.ZipFile(partial, "w", allowZip64=True) as zf:
        package = _Package(zf, now)
        with package.member(WARC_PATH, stored=True, big=big) as warc:
            with _RecordStream(selection.records, paths, warc) as stream:
                blocks, idx = _index(stream)
                stream.drain()  # whatever the indexer left unread still belongs in the WARC
        package.put(CDX_PATH, blocks, stored=True)  # gzip blocks, fetched by offset too
        package.put(IDX_PATH, idx.encode("utf-8"))
        with package.member(PAGES_PATH) as pages:
            _write_pages(pages, db, selection)
        manifest = _datapackage(package.resources, title, now)
        package.put("datapackage.json", manifest, listed=False)
        digest = {"path": "datapackage.json", "hash": _sha256(manifest)}
        package.put("datapackage-digest.json", _json(digest), listed=False)


def _index(stream: _RecordStream) -> tuple[bytes, str]:
    """index.cdx.gz (CDXJ lines in sorted gzip blocks) and index.idx (one line per block)
    of the records as ``stream`` hands them out; filenames in it name the packaged WARC."""
    blocks, idx = io.BytesIO(), io.StringIO()
    indexer = CDXJIndexer(
        idx,
        [stream],
        sort=True,
        compress=blocks,
        data_out_name=PurePosixPath(CDX_PATH).name,
        filename=PurePosixPath(WARC_PATH).name,
        lines=CDX_BLOCK_LINES,
    )
    indexer.process_all()
    return blocks.getvalue(), idx.getvalue()


def _write_pages(out: _Hashing, db: Database, selection: Selection) -> None:
    pages = {page.id: page for page in selection.pages}
    out.write(_json(PAGES_HEADER) + b"\n")
    for report_id, title, text in report_texts(db, [page.id for page in selection.pages]):
        page = pages[str(report_id)]
        line: dict[str, Any] = {"id": page.id, "url": page.url, "ts": page.ts}
        line.update({k: v for k, v in (("title", title), ("text", text)) if v is not None})
        out.write(_json(line) + b"\n")


def _datapackage(resources: list[dict[str, Any]], title: str, now: datetime) -> bytes:
    return _json(
        {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "software": software_name(),
            "resources": resources,
        },
        indent=2,
    )


def _json(value: object, indent: int | None = None) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8")


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _Hashing:
    """A zip member being written, counting and hashing its bytes for the manifest."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._raw.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


class _Package:
    """The zip being written, and the manifest entry of each file put in it so far."""

    def __init__(self, zf: zipfile.ZipFile, when: datetime) -> None:
        self.zf = zf
        self.when = (when.year, when.month, when.day, when.hour, when.minute, when.second)
        self.resources: list[dict[str, Any]] = []

    @contextmanager
    def member(
        self, path: str, *, stored: bool = False, big: bool = False, listed: bool = True
    ) -> Iterator[_Hashing]:
        """A member written in pieces; listed in the manifest once complete."""
        info = zipfile.ZipInfo(path, date_time=self.when)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=big) as raw:
            out = _Hashing(raw)
            yield out
        if listed:
            name = PurePosixPath(path).name.lower()
            digest = "sha256:" + out.sha256.hexdigest()
            self.resources.append({"name": name, "path": path, "hash": digest, "bytes": out.size})

    def put(self, path: str, data: bytes, *, stored: bool = False, listed: bool = True) -> None:
        with self.member(path, stored=stored, listed=listed) as out:
            out.write(data)


class _RecordStream:
    """The selected records' gzip members end to end, read like a file (the indexer reads
    it); every byte handed out is also written to ``sink``, so what is indexed is what is
    packaged, at the offsets it has there."""

    def __init__(self, records: Sequence[Record], paths: dict[str, Path], sink: _Hashing) -> None:
        self._files = ExitStack()
        self._chunks = self._members(records, paths)
        self._pending = b""
        self._sink = sink
        self._told = 0

    def __enter__(self) -> _RecordStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._chunks.close()
        self._files.close()

    def tell(self) -> int:
        return self._told

    def read(self, size: int = -1) -> bytes:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._pending = chunk
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        self._sink.write(out)
        self._told += len(out)
        return out

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass

    def _members(
        self, records: Sequence[Record], paths: dict[str, Path]
    ) -> Generator[bytes, None, None]:
        handles: dict[str, IO[bytes]] = {}
        for record in records:
            name = record.warc_file
            if name not in handles:
                handles[name] = self._files.enter_context(paths[name].open("rb"))
            yield from _member(handles[name], record)


def _member(fh: IO[bytes], record: Record) -> Iterator[bytes]:
    """The record's gzip member as stored, checked to be that one whole record as it goes;
    a record stored uncompressed comes compressed into a member of its own."""
    fh.seek(record.offset)
    first = fh.read(len(_GZIP_MAGIC))
    fh.seek(record.offset)
    check = _RecordCheck(record, gzipped=first == _GZIP_MAGIC)
    pack = None if check.gzipped else zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    left = record.length
    while left:
        chunk = fh.read(min(_CHUNK, left))
        if not chunk:
            raise UnreadableRecord(record.warc_file, record.offset, "the file ends inside it")
        left -= len(chunk)
        check.feed(chunk)
        yield chunk if pack is None else pack.compress(chunk)
    check.finish()
    if pack is not None:
        yield pack.flush()


class _RecordCheck:
    """Whether a record's bytes hold it: one whole gzip member (or plain WARC text) whose
    WARC headers carry its WARC-Record-ID."""

    def __init__(self, record: Record, *, gzipped: bool) -> None:
        self.record = record
        self.gzipped = gzipped
        self._inflate = zlib.decompressobj(31) if gzipped else None  # 31: gzip framing
        self._head = bytearray()

    def _fail(self, problem: str) -> UnreadableRecord:
        return UnreadableRecord(self.record.warc_file, self.record.offset, problem)

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            self._keep(chunk)
            return
        data = chunk
        try:
            while data:  # inflated a piece at a time: memory stays bounded whatever the ratio
                self._keep(self._inflate.decompress(data, _CHUNK))
                data = self._inflate.unconsumed_tail
        except zlib.error as problem:
            raise self._fail(f"not a readable gzip member ({problem})") from None
        if self._inflate.unused_data:
            raise self._fail("its length runs past the end of its gzip member")

    def _keep(self, data: bytes) -> None:
        if len(self._head) < _HEAD_LIMIT:
            self._head += data[: _HEAD_LIMIT - len(self._head)]

    def finish(self) -> None:
        if self._inflate is not None and not self._inflate.eof:
            raise self._fail("its gzip member is cut short")
        head = bytes(self._head).split(b"\r\n\r\n", 1)[0]
        if not head.startswith(b"WARC/"):
            raise self._fail("no WARC record starts there")
        found = _record_id(head)
        # reindex tells apart records sharing an id by adding "@file:offset" (ingest/reindex.py)
        suffixed = f"{found}@{self.record.warc_file}:{self.record.offset}"
        if found is not None and self.record.id not in (found, suffixed):
            raise self._fail(f"the record there is {found}, not {self.record.id}")


def _record_id(head: bytes) -> str | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"warc-record-id":
            return value.strip().decode("utf-8", errors="replace")
    return None

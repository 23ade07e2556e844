"""Segmented records (WARC 1.1 §5.8), as writers that cap file sizes make them: a report's
response split into a first segment and continuation records, across files (issue 12)."""

from __future__ import annotations

import base64
import gzip
import hashlib
from io import BytesIO
from pathlib import Path

from sqlite_utils import Database
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nianbao.archive.ingest.reindex import reindex
from nianbao.archive.ingest.segments import missing_segments
from nianbao.extract import extract_report
from tests.test_warc_foreign import PAGE

URL = "http://www.bjdx.gov.cn/art/2021/3/1/art_1_1.html"
FIRST = "<urn:uuid:00000000-0000-4000-8000-0000000000a1>"
GZIPPED = gzip.compress(PAGE, mtime=0)  # coded, so a segment alone would not decode


def digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def segments(payload: bytes, cuts: list[int]) -> list[bytes]:
    """The response split at ``cuts`` of its payload: a first segment, then continuations."""
    pieces = [payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)], strict=True)]
    http = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        protocol="HTTP/1.1",
    )
    out = []
    for number, piece in enumerate(pieces, 1):
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
        fields = {"WARC-Segment-Number": str(number)}
        if number == 1:
            fields |= {"WARC-Record-ID": FIRST, "WARC-Payload-Digest": digest(payload)}
            record = writer.create_warc_record(
                URL, "response", payload=BytesIO(piece), length=len(piece),
                http_headers=http, warc_headers_dict=fields,
            )  # fmt: skip
        else:
            fields["WARC-Segment-Origin-ID"] = FIRST
            if number == len(pieces):  # the whole block: the HTTP head and every piece
                head = len(http.to_bytes())
                fields["WARC-Segment-Total-Length"] = str(head + len(payload))
            record = writer.create_warc_record(
                URL, "continuation", payload=BytesIO(piece), length=len(piece),
                warc_headers_dict=fields,
            )  # fmt: skip
        writer.write_record(record)
        out.append(buffer.getvalue())
    return out


def build(tmp_path: Path, parts: list[bytes], files: list[int]) -> list[Path]:
    """``parts`` written in order, part i into file ``files[i]``."""
    paths = [tmp_path / f"seg-{n}.warc.gz" for n in sorted(set(files))]
    for path in paths:
        path.write_bytes(b"")
    for part, n in zip(parts, files, strict=True):
        with (tmp_path / f"seg-{n}.warc.gz").open("ab") as fh:
            fh.write(part)
    return paths


def tables(db: Path) -> tuple[list, list, list]:
    database = Database(db)
    return (
        database.execute("select capture_id, url, title from reports").fetchall(),
        database.execute(
            "select record_type, segment_number from captures order by segment_number"
        ).fetchall(),
        database.execute("select stage, message from errors").fetchall(),
    )


def test_a_report_split_over_files_is_read_whole(tmp_path: Path) -> None:
    parts = segments(GZIPPED, [len(GZIPPED) // 3, 2 * len(GZIPPED) // 3])
    db = tmp_path / "seg.db"
    reindex(build(tmp_path, parts, [0, 1, 1]), db)
    reports, captures, errors = tables(db)
    assert errors == []
    assert captures == [("response", 1), ("continuation", 2), ("continuation", 3)]
    # the same title as the page read whole, when it is not split
    page = extract_report(URL, {"content-type": "text/html; charset=utf-8"}, PAGE)
    assert reports == [(FIRST, URL, page.title)] and page.is_report


def test_segments_read_in_either_file_order(tmp_path: Path) -> None:
    parts = segments(GZIPPED, [len(GZIPPED) // 2])
    db = tmp_path / "seg.db"
    reindex(build(tmp_path, parts, [1, 0]), db)  # the continuation's file sorts first
    assert [r[0] for r in tables(db)[0]] == [FIRST]


def test_a_missing_last_segment_is_a_recorded_error(tmp_path: Path) -> None:
    parts = segments(GZIPPED, [len(GZIPPED) // 3, 2 * len(GZIPPED) // 3])
    db = tmp_path / "seg.db"
    reindex(build(tmp_path, parts[:2], [0, 0]), db)
    reports, _, errors = tables(db)
    assert reports == []
    ((stage, message),) = errors
    assert stage == "segments" and "not the last one" in message and "reindex with" in message


def test_a_corrupt_continuation_is_a_digest_mismatch(tmp_path: Path) -> None:
    payload = bytearray(GZIPPED)
    parts = segments(bytes(payload), [len(payload) // 2])
    payload[-20] ^= 0xFF  # one byte of the second half changed
    tampered = segments(bytes(payload), [len(payload) // 2])[1]
    db = tmp_path / "seg.db"
    reindex(build(tmp_path, [parts[0], tampered], [0, 0]), db)
    reports, _, errors = tables(db)
    assert reports == [] and errors == [
        ("segments", "payload digest mismatch over the reassembled segments")
    ]


def test_which_segments_are_missing_is_named() -> None:
    assert missing_segments([(1, "a", 0, None), (2, "a", 9, None)]) is not None
    assert (
        missing_segments([(1, "a", 0, None), (3, "a", 9, 100)])
        == "segments 2 of 3 missing or doubled"
    )
    assert missing_segments([(1, "a", 0, None), (2, "a", 9, 100)]) is None

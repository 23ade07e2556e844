"""Reading WARCs nianbao did not write: warcio's uncompressed files, records built by hand
with the digests other writers use (issue 12)."""

from __future__ import annotations

import base64
import gzip
import hashlib
from io import BytesIO

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nianbao.archive import ArchiveReadError, iter_captures, read_capture
from nianbao.archive.ingest.capture import analyze
from nianbao.archive.ingest.reindex import reindex
from nianbao.archive.store.database import Store
from nianbao.archive.warc.digests import digest_matches
from nianbao.crawler.cli import main
from tests.test_extract import fetch, seed_004_page

BODY = b"<html><body>report</body></html>"
HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
PAGE = fetch(seed_004_page())[1]  # a real report's page (seed 004, a spam copy), as bytes


def resource_record(url: str, payload: bytes, content_type: str, *, gzip: bool) -> bytes:
    """One WARC/1.1 resource record, as warcio writes it."""
    buffer = BytesIO()
    out = WARCWriter(buffer, gzip=gzip, warc_version="1.1")
    out.write_record(
        out.create_warc_record(
            url, "resource", payload=BytesIO(payload), warc_content_type=content_type
        )
    )
    return buffer.getvalue()


def warcio_file(path, *, gzip: bool, version: str = "1.0") -> None:
    with path.open("wb") as fh:
        out = WARCWriter(fh, gzip=gzip, warc_version=version)
        for n in range(3):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            out.write_record(
                out.create_warc_record(
                    f"http://x.gov.cn/{n}", "response", payload=BytesIO(BODY), http_headers=http
                )
            )


@pytest.mark.parametrize("gzip", [False, True])
def test_every_record_of_a_warcio_file_is_read_with_its_whole_length(tmp_path, gzip) -> None:
    path = tmp_path / ("warcio.warc.gz" if gzip else "warcio.warc")
    warcio_file(path, gzip=gzip)
    captures = list(iter_captures(path))  # no "trailing bytes" error at the end
    assert [c.url for c in captures] == [f"http://x.gov.cn/{n}" for n in range(3)]
    assert [c.error for c in captures] == [None] * 3
    # records lie end to end: each length reaches the next offset, the last the file's end
    ends = [c.offset + c.length for c in captures]
    assert ends == [c.offset for c in captures[1:]] + [path.stat().st_size]
    assert [read_capture(path, c.offset).body for c in captures] == [BODY] * 3


def record(digest: str, http: bytes = HTTP) -> bytes:
    """One uncompressed WARC/1.0 response record of ``http`` whose payload digest reads
    ``digest``."""
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        "WARC-Date: 2026-12-03T00:00:00Z\r\n"
        "WARC-Target-URI: http://x.gov.cn/a\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"WARC-Payload-Digest: {digest}\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


SHA1 = hashlib.sha1(BODY).digest()
SHA256 = hashlib.sha256(BODY).digest()


@pytest.mark.parametrize(
    "digest",
    [
        "sha1:" + base64.b32encode(SHA1).decode(),
        "sha1:" + SHA1.hex(),  # base16, as some writers print it
        "sha1:" + SHA1.hex().upper(),
        "SHA-1:" + base64.b32encode(SHA1).decode().lower(),
        "sha256:" + base64.b32encode(SHA256).decode().rstrip("="),
        "sha-256:" + SHA256.hex(),
        "md5:" + hashlib.md5(BODY).hexdigest(),
    ],
)
def test_digests_in_base32_or_base16_and_other_algorithms_match(tmp_path, digest) -> None:
    path = tmp_path / "hand.warc"
    path.write_bytes(record(digest))
    (capture,) = iter_captures(path)
    assert (capture.error, capture.body) == (None, BODY)
    assert digest_matches(digest, BODY) is True  # checked, not merely let through


@pytest.mark.parametrize(
    "digest",
    ["sha1:" + hashlib.sha1(b"other").hexdigest(), "sha256:" + hashlib.sha256(b"x").hexdigest()],
)
def test_a_wrong_digest_in_either_base_is_a_mismatch(tmp_path, digest) -> None:
    path = tmp_path / "hand.warc"
    path.write_bytes(record(digest))
    (capture,) = iter_captures(path)
    assert capture.error == "payload digest mismatch"


@pytest.mark.parametrize("digest", ["blake9:ABCDEF", "sha1:not-a-digest", "sha1:"])
def test_a_digest_that_cannot_be_checked_is_no_error(digest) -> None:
    assert digest_matches(digest, BODY) is None


ARC_BODY = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY


def arc_file(name: str = "crawl.arc") -> bytes:
    """An ARC v1 file as the Internet Archive's crawlers wrote them: filedesc, one page."""
    fields = b"1 0 Test Org\nURL IP-address Archive-date Content-type Archive-length\n"
    desc = b"filedesc://%s 0.0.0.0 20080101000000 text/plain %d\n" % (name.encode(), len(fields))
    page = b"http://x.gov.cn/arc.html 1.2.3.4 20080102030405 text/html %d\n" % len(ARC_BODY)
    return desc + fields + b"\n" + page + ARC_BODY + b"\n"


@pytest.mark.parametrize("compressed", [False, True])
def test_an_arc_file_reads_as_its_warc_records(tmp_path, compressed) -> None:

    raw = arc_file()
    desc_end = raw.index(b"http://x.gov.cn/arc.html")
    path = tmp_path / ("crawl.arc.gz" if compressed else "crawl.arc")
    if compressed:  # one gzip member per record, as ARC writers did
        path.write_bytes(gzip.compress(raw[:desc_end]) + gzip.compress(raw[desc_end:]))
    else:
        path.write_bytes(raw)
    captures = list(iter_captures(path))
    assert [(c.record_type, c.url, c.status, c.error) for c in captures] == [
        ("warcinfo", None, None, None),
        ("response", "http://x.gov.cn/arc.html", 200, None),
    ]
    assert captures[1].date == "2008-01-02T03:04:05Z" and captures[1].body == BODY
    # ids from the record's place, the same at every reading (warcio makes up random ones)
    assert [c.record_id for c in captures] == [f"<{path.name}#{c.offset}>" for c in captures]
    assert [c.record_id for c in iter_captures(path)] == [c.record_id for c in captures]
    assert read_capture(path, captures[1].offset).body == BODY
    assert captures[1].offset + captures[1].length == path.stat().st_size


def test_reindex_reads_every_archive_of_a_folder_and_names_what_it_skipped(tmp_path) -> None:

    folder = tmp_path / "archives"
    folder.mkdir()
    warcio_file(folder / "plain.warc", gzip=False)
    warcio_file(folder / "zipped.warc.gz", gzip=True)
    warcio_file(folder / "crashed.warc.gz.open", gzip=True)
    (folder / "old.arc").write_bytes(arc_file("old.arc"))
    (folder / "notes.txt").write_text("not an archive")
    (folder / "more").mkdir()
    db = tmp_path / "nianbao.db"
    result = CliRunner().invoke(main, ["reindex", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())  # the console wraps and folds long lines

    def says(text: str) -> bool:
        return "".join(text.split()) in said

    assert says("reindexed 4 archive files")
    assert says(f"skipped {folder / 'notes.txt'}: not an archive file name")
    assert says(f"skipped {folder / 'more'}: a folder")

    rows = (
        Database(db)
        .execute("select warc_file, count(*) from captures group by warc_file order by warc_file")
        .fetchall()
    )
    # the .open file's records are named as the file will be once finished
    assert rows == [
        ("crashed.warc.gz", 3),
        ("old.arc", 2),
        ("plain.warc", 3),
        ("zipped.warc.gz", 3),
    ]
    assert Database(db).execute("select count(*) from errors").fetchone() == (0,)


def test_one_gzip_stream_around_several_records_names_the_fix(tmp_path) -> None:

    plain = tmp_path / "plain.warc"
    warcio_file(plain, gzip=False)
    path = tmp_path / "one-stream.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))  # not one member per record
    read = []
    with pytest.raises(ArchiveReadError) as raised:
        read.extend(iter_captures(path))
    assert read == []  # no capture with the negative length warcio gives its first record
    assert raised.value.offset == 0  # never negative
    assert "one gzip stream holds several records" in str(raised.value)
    assert "warcio recompress" in str(raised.value)


def test_a_report_stored_decoded_under_a_gzip_label_is_a_report_with_a_note(tmp_path) -> None:

    page = PAGE
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    http += b"Content-Encoding: gzip\r\n\r\n" + page
    path = tmp_path / "clueweb-like.warc"
    path.write_bytes(record("sha1:" + hashlib.sha1(page).hexdigest(), http))
    (capture,) = iter_captures(path)
    ingestion = analyze(capture)
    assert ingestion.errors == () and ingestion.report is not None
    assert capture.note in ingestion.report["notes"]


def test_a_report_stored_as_a_resource_record_is_extracted(tmp_path) -> None:

    page = PAGE
    path = tmp_path / "resources.warc.gz"
    url = "http://www.bjmtg.gov.cn/zwgk/d.html"
    path.write_bytes(resource_record(url, page, "text/html; charset=utf-8", gzip=True))
    (capture,) = iter_captures(path)
    assert (capture.record_type, capture.error, capture.body) == ("resource", None, page)
    ingestion = analyze(capture)
    assert ingestion.report is not None
    assert ingestion.report["title"] == "□商务局政府信息公开工作总结"  # seed 004: a spam copy


def test_a_resource_whose_block_does_not_match_its_digest_is_an_error(tmp_path) -> None:
    path = tmp_path / "rotted.warc"
    written = resource_record("http://x.gov.cn/r.html", BODY, "text/html", gzip=False)
    path.write_bytes(written.replace(b"report", b"REPORT"))  # bit rot after writing
    (capture,) = iter_captures(path)
    assert capture.error == "payload digest mismatch"


def revisit_archive(path, page: bytes, *, with_original: bool = True) -> None:
    """A response at one URL (unless left out), then a revisit of its payload at another."""
    with path.open("wb") as fh:
        out = WARCWriter(fh, gzip=True, warc_version="1.1")
        headers = [("Content-Type", "text/html; charset=utf-8")]
        first = out.create_warc_record(
            "http://www.bjmtg.gov.cn/zwgk/a.html",
            "response",
            payload=BytesIO(page),
            http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        )
        if with_original:
            out.write_record(first)
        out.write_record(
            out.create_revisit_record(
                "http://www.bjmtg.gov.cn/zwgk/b.html",
                first.rec_headers.get_header("WARC-Payload-Digest"),
                "http://www.bjmtg.gov.cn/zwgk/a.html",
                "2026-12-01T00:00:00Z",
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
        )


def test_a_revisit_is_a_report_at_its_own_url_from_the_payload_it_revisits(tmp_path) -> None:

    page = PAGE
    path = tmp_path / "dedup.warc.gz"
    revisit_archive(path, page)
    db = tmp_path / "nianbao.db"
    reindex([path], db)
    rows = (
        Database(db)
        .execute(
            "select r.url, c.record_type, r.title from reports r join captures c"
            " on c.id = r.capture_id order by r.url"
        )
        .fetchall()
    )
    assert rows == [
        ("http://www.bjmtg.gov.cn/zwgk/a.html", "response", "□商务局政府信息公开工作总结"),
        ("http://www.bjmtg.gov.cn/zwgk/b.html", "revisit", "□商务局政府信息公开工作总结"),
    ]
    again = tmp_path / "again.db"
    reindex([path], again)
    assert Store(again).rows("reports") == Store(db).rows("reports")


def test_a_revisit_whose_payload_was_not_read_is_a_recorded_error(tmp_path) -> None:

    page = PAGE
    path = tmp_path / "alone.warc.gz"
    revisit_archive(path, page, with_original=False)
    db = tmp_path / "nianbao.db"
    reindex([path], db)
    assert Database(db).execute("select count(*) from reports").fetchone() == (0,)
    ((stage, message),) = Database(db).execute("select stage, message from errors").fetchall()
    assert stage == "revisit" and "reindex with the WARC holding it" in message


def test_records_sharing_one_id_each_keep_their_own_capture(tmp_path) -> None:

    page = PAGE
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
    digest = "sha1:" + hashlib.sha1(page).hexdigest()
    # one id for three records at three URLs, as some old writers did
    records = [
        record(digest, http).replace(b"http://x.gov.cn/a", f"http://x.gov.cn/{n}".encode())
        for n in "abc"
    ]
    path = tmp_path / "reused-ids.warc"
    path.write_bytes(b"".join(records))
    db = tmp_path / "nianbao.db"
    reindex([path], db)
    captures = Database(db).execute("select id, url from captures order by offset").fetchall()
    first = "<urn:uuid:00000000-0000-0000-0000-000000000001>"
    assert [url for _, url in captures] == [f"http://x.gov.cn/{n}" for n in "abc"]
    assert captures[0][0] == first and len({id for id, _ in captures}) == 3
    assert captures[1][0] == f"{first}@reused-ids.warc:{len(records[0])}"
    # each report points at the capture of its own URL
    pairs = (
        Database(db)
        .execute("select r.url, c.url from reports r join captures c on c.id = r.capture_id")
        .fetchall()
    )
    assert len(pairs) == 3 and all(a == b for a, b in pairs)


def test_a_json_fetch_error_of_an_older_archive_is_still_a_fetch_error(tmp_path) -> None:

    body = b'{"error": "TimeoutError: 180 s"}'
    head = (
        "WARC/1.1\r\nWARC-Type: metadata\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000e>\r\n"
        "WARC-Date: 2026-12-01T00:00:00Z\r\nWARC-Target-URI: http://x.gov.cn/slow\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    path = tmp_path / "old.warc"
    path.write_bytes(head.encode() + body + b"\r\n\r\n")
    (capture,) = iter_captures(path)
    ((error),) = analyze(capture).errors
    assert (error["stage"], error["message"]) == ("fetch", "TimeoutError: 180 s")

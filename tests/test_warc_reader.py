"""Reading WARC files back: fields, decoding, and corrupt input that must not stop us."""

from __future__ import annotations

import gzip
import zlib

import pytest

from nianbao.archive import ArchiveReadError, iter_captures, read_capture
from tests.test_archive_support import T0, exchange, writer


def test_captures_carry_what_was_archived(tmp_path):
    w = writer(tmp_path, warcinfo={"crawl-id": "crawl-9", "portals": "beijing"})
    html = "<html><title>年报</title></html>".encode("gbk")
    written = w.write_exchange(
        exchange("http://x.gov.cn/p?a=1", html, content_type="Text/HTML; charset=GBK")
    )
    w.write_fetch_error("http://x.gov.cn/dead", "DNS lookup failed", T0)
    w.close()
    captures = list(iter_captures(written.path))
    assert [c.record_type for c in captures] == ["warcinfo", "request", "response", "metadata"]
    info, request, response, meta = captures
    assert info.warcinfo["crawl-id"] == "crawl-9" and info.warcinfo["portals"] == "beijing"
    assert {c.crawl_id for c in captures} == {"crawl-9"}
    assert response.url == "http://x.gov.cn/p?a=1"
    assert response.status == 200 and response.mime == "text/html"
    assert response.body == html
    assert response.date == "2024-01-02T03:04:05.123456Z"
    assert response.warc_file == written.path.name
    assert (response.offset, response.length) == (written.response.offset, written.response.length)
    assert response.concurrent_to == request.record_id
    assert request.concurrent_to == response.record_id
    assert response.header("content-type") == "Text/HTML; charset=GBK"
    assert (
        meta.mime == "application/warc-fields"
        and meta.body == b"error: DNS lookup failed\r\nattempt: 1\r\n"
    )
    assert all(c.error is None for c in captures)

    again = read_capture(written.path, written.response.offset)
    assert again == response


def test_chunked_and_deflate_are_undone(tmp_path):
    html = b"<html>" + b"chunk me " * 50 + b"</html>"
    deflated = zlib.compress(html)
    chunked = (
        b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (deflated[:40], deflated[40:]))
        + b"0\r\n\r\n"
    )
    w = writer(tmp_path)
    written = w.write_exchange(
        exchange(
            "http://x.gov.cn/c",
            chunked,
            extra_headers=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "deflate")],
        )
    )
    w.close()
    capture = read_capture(written.path, written.response.offset)
    assert capture.error is None and capture.body == html


def test_content_encoding_gzip_but_body_stored_decoded_is_read_as_it_is(tmp_path):
    # ClueWeb's WARCs keep the header of a body they stored decoded
    w = writer(tmp_path)
    plain = w.write_exchange(
        exchange(
            "http://x.gov.cn/plain",
            b"<html>plain</html>",
            extra_headers=[("Content-Encoding", "gzip")],
        )
    )
    broken = gzip.compress(b"<html>cut</html>")[:-12]  # gzip, truncated: still an error
    w.write_exchange(
        exchange("http://x.gov.cn/cut", broken, extra_headers=[("Content-Encoding", "gzip")])
    )
    good = w.write_exchange(exchange("http://x.gov.cn/good", b"<html>ok</html>", gzip_body=True))
    w.close()
    captures = {c.url: c for c in iter_captures(plain.path) if c.record_type == "response"}
    read = captures["http://x.gov.cn/plain"]
    assert (read.error, read.body) == (None, b"<html>plain</html>")
    assert read.note == "Content-Encoding gzip but the body was archived decoded: read as it is"
    assert captures["http://x.gov.cn/cut"].error == "compressed body is truncated"
    assert captures["http://x.gov.cn/cut"].body == b""
    assert (captures["http://x.gov.cn/good"].error, captures["http://x.gov.cn/good"].note) == (
        None,
        None,
    )
    assert captures["http://x.gov.cn/good"].body == b"<html>ok</html>"
    assert read_capture(good.path, good.response.offset).body == b"<html>ok</html>"


def test_body_over_the_cap_is_a_record_error(tmp_path):
    w = writer(tmp_path)
    page = b"<html>" + b"a" * 5000 + b"</html>"
    w.write_exchange(exchange("http://x.gov.cn/big", page, gzip_body=True))
    w.write_exchange(exchange("http://x.gov.cn/small", b"<html>s</html>"))
    path = w.current_path
    w.close()
    captures = {c.url: c for c in iter_captures(path, limit=1000) if c.record_type == "response"}
    assert "larger than 1000" in captures["http://x.gov.cn/big"].error
    assert captures["http://x.gov.cn/small"].error is None


@pytest.mark.broken_warc
@pytest.mark.parametrize("where", ["inside-headers", "inside-body"])
def test_truncated_file_yields_what_parsed_and_reports_the_loss(tmp_path, where):
    w = writer(tmp_path)
    first = w.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>"))
    last = w.write_exchange(exchange("http://x.gov.cn/2", b"<html>" + b"2" * 3000 + b"</html>"))
    w.close()
    data = first.path.read_bytes()
    cut = last.response.offset + (30 if where == "inside-headers" else last.response.length - 30)
    first.path.write_bytes(data[:cut])
    seen, problems = [], []
    try:
        for capture in iter_captures(first.path):
            seen.append((capture.url, capture.record_type))
            if capture.error:
                problems.append(capture.error)
    except ArchiveReadError as error:
        assert error.warc_file == first.path.name
        problems.append(error.message)
    assert seen[:4] == [
        (None, "warcinfo"),
        ("http://x.gov.cn/1", "request"),
        ("http://x.gov.cn/1", "response"),
        ("http://x.gov.cn/2", "request"),
    ]
    assert len(problems) == 1
    if where == "inside-body":  # the headers parsed: the record itself says it is cut short
        assert seen[4:] == [("http://x.gov.cn/2", "response")]
        assert "truncated" in problems[0]


@pytest.mark.broken_warc
def test_garbage_between_records_stops_the_file_with_an_error(tmp_path):
    w = writer(tmp_path)
    first = w.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>"))
    w.close()
    with first.path.open("ab") as fh:
        fh.write(b"this is not gzip at all")
        fh.write(gzip.compress(b"WARC/1.1\r\n"))
    read = []
    with pytest.raises(ArchiveReadError):
        for capture in iter_captures(first.path):
            read.append(capture.record_type)
    # what came before the garbage is still read: the warcinfo and the exchange's two records
    assert read == ["warcinfo", "request", "response"]


def test_read_capture_while_the_file_is_still_open(tmp_path):
    w = writer(tmp_path)
    written = w.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>", gzip_body=True))
    assert not written.path.exists()  # still .open: the crawl reads it back right away
    capture = read_capture(written.path, written.response.offset)
    assert capture.body == b"<html>1</html>"
    assert capture.warc_file == written.path.name  # the finished name, as reindex will see it
    assert capture.crawl_id == "crawl-1"
    w.close()
    assert read_capture(written.path, written.response.offset) == capture


def test_a_payload_that_does_not_match_its_digest_is_an_error(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def record(url: str, body: bytes, damage: bool) -> bytes:
        buffer = BytesIO()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        out = WARCWriter(buffer, gzip=False, warc_version="1.1")
        out.write_record(
            out.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)
        )
        raw = buffer.getvalue()
        # one byte of the payload changed after its digest was written (bit rot, a bad copy)
        return gzip.compress(raw.replace(body, body.upper()) if damage else raw)

    path = tmp_path / "other-20261202000000-00000.warc.gz"
    path.write_bytes(
        record("http://x.gov.cn/a", b"<html>kept</html>", False)
        + record("http://x.gov.cn/b", b"<html>rotted</html>", True)
    )
    captures = [c for c in iter_captures(path) if c.record_type == "response"]
    assert [c.error for c in captures] == [None, "payload digest mismatch"]

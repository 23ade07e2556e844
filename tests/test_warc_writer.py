"""The WARC writer: exact bytes, fidelity of compressed payloads, rotation, recovery."""

from __future__ import annotations

import base64
import gzip
import hashlib
import random
from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive import Exchange, iter_captures, recover
from tests.test_archive_support import T0, exchange, gzip_members, writer


def sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def uid(n: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"


def record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def test_exchange_is_written_byte_for_byte(tmp_path):
    body = b"<html><body>\xe5\xb9\xb4\xe5\xba\xa6</body></html>"
    ex = Exchange(
        url="http://www.beijing.gov.cn/gongkai/nb/2023.html?from=list",
        method="GET",
        request_headers=[("User-Agent", "nianbao-test"), ("Accept-Encoding", "gzip")],
        request_body=b"",
        status=404,
        response_headers=[("Content-Type", "text/html"), ("Server", "nginx")],
        body=body,
        date=datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    )
    w = writer(tmp_path, warcinfo={"crawl-id": "c-77", "operator": "alice"})
    written = w.write_exchange(ex)
    w.close()

    name = "test-20240102030405-00000.warc.gz"
    assert written.path == tmp_path / name
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    members = gzip_members((tmp_path / name).read_bytes())
    assert len(members) == 3

    info_block = (
        b"software: nianbao/0.1.0\r\nformat: WARC File Format 1.1\r\n"
        b"crawl-id: c-77\r\noperator: alice\r\n"
    )
    # ids: request and response are drawn first, then the file (and its warcinfo) opens
    expected_info = record(
        [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", uid(3)),
            ("WARC-Date", "2024-01-02T03:04:05.000000Z"),
            ("WARC-Filename", name),
            ("Content-Type", "application/warc-fields"),
            ("WARC-Block-Digest", sha1(info_block)),
        ],
        info_block,
    )
    request_block = (
        b"GET /gongkai/nb/2023.html?from=list HTTP/1.1\r\n"
        b"User-Agent: nianbao-test\r\nAccept-Encoding: gzip\r\n\r\n"
    )
    expected_request = record(
        [
            ("WARC-Type", "request"),
            ("WARC-Record-ID", uid(1)),
            ("WARC-Date", "2024-01-02T03:04:05.123456Z"),
            ("WARC-Target-URI", ex.url),
            ("WARC-Warcinfo-ID", uid(3)),
            ("WARC-Concurrent-To", uid(2)),
            ("Content-Type", "application/http; msgtype=request"),
            ("WARC-Payload-Digest", sha1(b"")),
            ("WARC-Block-Digest", sha1(request_block)),
        ],
        request_block,
    )
    response_block = (
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nServer: nginx\r\n\r\n" + body
    )
    expected_response = record(
        [
            ("WARC-Type", "response"),
            ("WARC-Record-ID", uid(2)),
            ("WARC-Date", "2024-01-02T03:04:05.123456Z"),
            ("WARC-Target-URI", ex.url),
            ("WARC-Warcinfo-ID", uid(3)),
            ("WARC-Concurrent-To", uid(1)),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Payload-Digest", sha1(body)),
            ("WARC-Block-Digest", sha1(response_block)),
        ],
        response_block,
    )
    expected = [expected_info, expected_request, expected_response]
    for (_, _, got), want in zip(members, expected, strict=True):
        assert got.split(b"\r\n") == want.split(b"\r\n")
        assert got == want

    assert written.warcinfo.offset == 0 and written.warcinfo.length == members[0][1]
    assert (written.request.offset, written.request.length) == members[1][:2]
    assert (written.response.offset, written.response.length) == members[2][:2]
    assert (written.request.record_id, written.response.record_id) == (uid(1), uid(2))


def test_same_inputs_give_identical_files(tmp_path):
    outputs = []
    for run in ("a", "b"):
        directory = tmp_path / run
        w = writer(directory)
        w.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>", gzip_body=True))
        w.write_fetch_error("http://x.gov.cn/2", "timeout", T0)
        w.close()
        outputs.append([p.read_bytes() for p in sorted(directory.iterdir())])
    assert outputs[0] == outputs[1]


def test_gzip_payload_stays_compressed_and_reader_decodes(tmp_path):
    html = "<html><head><title>2023年度报告</title></head><body>公开</body></html>".encode()
    w = writer(tmp_path)
    written = w.write_exchange(exchange("http://x.gov.cn/r.html", html, gzip_body=True))
    w.close()
    members = gzip_members(written.path.read_bytes())
    response = members[2][2]
    compressed = gzip.compress(html, mtime=0)
    assert b"\r\nContent-Encoding: gzip\r\n" in response
    assert response.endswith(b"\r\n\r\n" + compressed + b"\r\n\r\n")
    assert f"WARC-Payload-Digest: {sha1(compressed)}".encode() in response
    captures = {c.record_type: c for c in iter_captures(written.path)}
    assert captures["response"].body == html
    assert ("Content-Encoding", "gzip") in captures["response"].http_headers
    assert captures["response"].payload_digest == sha1(compressed)


def test_fetch_error_is_a_metadata_record(tmp_path):
    w = writer(tmp_path)
    ref = w.write_fetch_error(
        "http://x.gov.cn/slow",
        "TimeoutError: took\ntoo long",
        T0,
        via="http://x.gov.cn/",
        attempt=2,
    )
    w.close()
    path = tmp_path / "test-20240102030405-00000.warc.gz"
    members = gzip_members(path.read_bytes())
    assert (ref.offset, ref.length) == members[1][:2]
    text = members[1][2]
    assert text.startswith(b"WARC/1.1\r\nWARC-Type: metadata\r\n")
    assert b"\r\nWARC-Target-URI: http://x.gov.cn/slow\r\n" in text
    # warc-fields, as Heritrix writes metadata: replay tools index JSON metadata as a page
    assert b"\r\nContent-Type: application/warc-fields\r\n" in text
    # a payload digest belongs to an HTTP payload only (fastwarc check -p fails otherwise)
    assert b"WARC-Payload-Digest" not in text and b"\r\nWARC-Block-Digest: sha1:" in text
    block = text.split(b"\r\n\r\n", 1)[1][:-4]
    assert block == b"error: TimeoutError: took too long\r\nvia: http://x.gov.cn/\r\nattempt: 2\r\n"


def test_a_fetch_error_message_over_lines_is_one_field_line(tmp_path):
    w = writer(tmp_path)
    w.write_fetch_error("http://x.gov.cn/x", "DNSLookupError:\r\n  no such host", T0)
    w.close()
    path = tmp_path / "test-20240102030405-00000.warc.gz"
    block = gzip_members(path.read_bytes())[1][2].split(b"\r\n\r\n", 1)[1][:-4]
    assert block == b"error: DNSLookupError: no such host\r\nattempt: 1\r\n"


def test_rotation_by_size(tmp_path):
    w = writer(tmp_path, max_bytes=4000)
    pages = [random.Random(i).randbytes(1000) for i in range(12)]  # incompressible
    written = [
        w.write_exchange(exchange(f"http://x.gov.cn/{i}", p, content_type="image/png"))
        for i, p in enumerate(pages)
    ]
    w.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) >= 4
    assert [p.name for p in files] == [
        f"test-20240102030405-{n:05d}.warc.gz" for n in range(len(files))
    ]
    assert not list(tmp_path.glob("*.open"))
    urls = []
    for path in files:
        assert path.stat().st_size <= 4000
        with path.open("rb") as fh:
            types = [
                (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
                for r in ArchiveIterator(fh)
            ]
        assert types[0][0] == "warcinfo"
        assert [t for t, _ in types[1:]] == ["request", "response"] * ((len(types) - 1) // 2)
        urls += [u for t, u in types if t == "response"]
    assert urls == [f"http://x.gov.cn/{i}" for i in range(12)]
    # each exchange reports the file it went to, and request and response share it
    assert {w.path for w in written} == set(files)


def test_oversized_record_still_gets_a_file(tmp_path):
    w = writer(tmp_path, max_bytes=100)
    big = bytes(range(256)) * 40
    w.write_exchange(exchange("http://x.gov.cn/a", big, content_type="image/png"))
    w.write_exchange(exchange("http://x.gov.cn/b", big, content_type="image/png"))
    w.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 2
    for path in files:
        assert [c.record_type for c in iter_captures(path)] == ["warcinfo", "request", "response"]


def test_prefixes_and_restarts_never_collide(tmp_path):
    a = writer(tmp_path, "worker-a")
    b = writer(tmp_path, "worker-b")
    a.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>"))
    b.write_exchange(exchange("http://x.gov.cn/2", b"<html>2</html>"))
    a.close()
    b.close()
    again = writer(tmp_path, "worker-a")  # same prefix, same clock: next serial
    again.write_exchange(exchange("http://x.gov.cn/3", b"<html>3</html>"))
    again.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "worker-a-20240102030405-00000.warc.gz",
        "worker-a-20240102030405-00001.warc.gz",
        "worker-b-20240102030405-00000.warc.gz",
    ]


def test_file_is_open_until_closed_and_readable_after_each_exchange(tmp_path):
    w = writer(tmp_path)
    written = w.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>"))
    open_files = list(tmp_path.glob("*.warc.gz.open"))
    assert [p.name for p in open_files] == ["test-20240102030405-00000.warc.gz.open"]
    # flushed: a reader sees both records before the writer closes
    assert [c.record_type for c in iter_captures(open_files[0])] == [
        "warcinfo",
        "request",
        "response",
    ]
    w.close()
    assert written.path.exists() and not open_files[0].exists()


def test_crash_recovery_keeps_complete_records(tmp_path):
    w = writer(tmp_path)
    refs = [
        w.write_exchange(exchange(f"http://x.gov.cn/{i}", f"<html>{i}</html>".encode()))
        for i in range(3)
    ]
    # simulate a crash: no close(); cut the file in the middle of the last response member
    open_path = next(tmp_path.glob("*.open"))
    last = refs[-1].response
    cut = last.offset + last.length // 2
    with open_path.open("r+b") as fh:
        fh.truncate(cut)
    w._file = None  # the crashed process never closes its file

    recovered = recover(tmp_path)
    assert len(recovered) == 1
    result = recovered[0]
    final = tmp_path / "test-20240102030405-00000.warc.gz"
    assert result.path == final and not open_path.exists()
    assert result.records == 1 + 2 * 2 + 1  # warcinfo, two exchanges, the last request
    assert result.dropped_bytes == cut - last.offset
    assert final.stat().st_size == last.offset
    captures = list(iter_captures(final))
    assert [c.record_type for c in captures] == ["warcinfo"] + ["request", "response"] * 2 + [
        "request"
    ]
    assert all(c.error is None for c in captures)


def test_writer_recovers_its_own_prefix_on_start(tmp_path):
    crashed = writer(tmp_path, "mine")
    crashed.write_exchange(exchange("http://x.gov.cn/1", b"<html>1</html>"))
    other = writer(tmp_path, "theirs")
    other.write_exchange(exchange("http://x.gov.cn/2", b"<html>2</html>"))
    mine_open = next(tmp_path.glob("mine-*.open"))
    with mine_open.open("ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00garbage")  # a member cut right after its header
    restarted = writer(tmp_path, "mine")
    assert [r.dropped_bytes for r in restarted.recovered] == [4 + len(b"garbage")]
    assert (tmp_path / "mine-20240102030405-00000.warc.gz").exists()
    assert list(tmp_path.glob("theirs-*.open"))  # another worker's open file is left alone
    restarted.write_exchange(exchange("http://x.gov.cn/3", b"<html>3</html>"))
    restarted.close()
    assert (tmp_path / "mine-20240102030405-00001.warc.gz").exists()


def test_recovery_removes_a_file_with_nothing_complete(tmp_path):
    broken = tmp_path / "test-20240102030405-00000.warc.gz.open"
    broken.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")[:20])
    (result,) = recover(tmp_path)
    assert result.path is None and result.records == 0 and result.dropped_bytes == 20
    assert not list(tmp_path.iterdir())


def test_warcinfo_values_must_be_single_lines(tmp_path):
    with pytest.raises(ValueError):
        writer(tmp_path, warcinfo={"operator": "a\nWARC-Type: response"})


def test_the_software_field_is_the_installed_version_unless_given(tmp_path) -> None:
    from importlib.metadata import version

    from nianbao.archive import WarcWriter

    def software_of(**kwargs: str) -> str:
        w = WarcWriter(tmp_path / str(len(kwargs)), "t", **kwargs)
        w.write_fetch_error("http://www.beijing.gov.cn/x", "TimeoutError", datetime.now(UTC))
        w.close()
        info = next(iter_captures(w.paths[0]))
        assert info.warcinfo is not None
        return info.warcinfo["software"]

    assert software_of() == f"nianbao/{version('nianbao')}"
    assert software_of(software="nianbao/9.9.9") == "nianbao/9.9.9"

"""Reading WARCs nianbao did not write: warcio's uncompressed files, records built by hand
with the digests other writers use (issue 12)."""

from __future__ import annotations

import base64
import hashlib
from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from nianbao.archive import iter_captures, read_capture
from nianbao.archive.warc.digests import digest_matches

BODY = b"<html><body>report</body></html>"
HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY


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


def record(digest: str) -> bytes:
    """One uncompressed WARC/1.0 response record whose payload digest reads ``digest``."""
    head = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        "WARC-Date: 2026-12-03T00:00:00Z\r\n"
        "WARC-Target-URI: http://x.gov.cn/a\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"WARC-Payload-Digest: {digest}\r\n"
        f"Content-Length: {len(HTTP)}\r\n\r\n"
    )
    return head.encode() + HTTP + b"\r\n\r\n"


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

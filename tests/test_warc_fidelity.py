"""The WARC holds each exchange's heads as they crossed the wire (issue 12, item 3): header
names, case, order, repeats, Connection and Transfer-Encoding, the server's reason phrase, and
chunk framing; the request as Twisted sent it. Checked byte for byte against a raw server."""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive import iter_captures
from nianbao.archive.warc.exchange import Exchange
from nianbao.crawler.download import RawExchange
from nianbao.crawler.middlewares.warc import _as_on_the_wire
from tests.conftest import run_cli, warc_problems

HOST = "fidelity.gov.cn"
PAGE = (
    "<html><head><title>某局2023年政府信息公开工作年度报告</title></head>"
    '<body><a href="/b.html">下一篇</a><a href="/c.html">上一篇</a><a href="/d.html">附件</a>'
    + "一、总体情况" * 40
    + "</body></html>"
).encode()
GZIPPED = gzip.compress(b"<html><body>second page</body></html>", mtime=0)


def chunked(body: bytes, size: int) -> bytes:
    """``body`` in chunks of ``size`` bytes, one with an extension, as servers frame it."""
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    framed = b"".join(b"%x;ext=1\r\n" % len(p) + p + b"\r\n" for p in parts)
    return framed + b"0\r\n\r\n"


# What the raw server answers, by path: odd on purpose in every way Scrapy normalizes.
ANSWERS = {
    "/": b"HTTP/1.1 200 Fine Thanks\r\n"
    b"content-type: text/html; charset=utf-8\r\n"
    b"X-Repeat: first\r\n"
    b"set-cookie: a=1; Path=/\r\n"
    b"X-Repeat: second\r\n"
    b"Connection: close\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"\r\n" + chunked(PAGE, 700),
    "/b.html": b"HTTP/1.1 200 OK\r\n"
    b"CONTENT-ENCODING: gzip\r\n"
    b"content-type: text/html\r\n"
    b"Content-Length: " + str(len(GZIPPED)).encode() + b"\r\n"
    b"Connection: close\r\n"
    b"\r\n" + GZIPPED,
    # an interim response first: Twisted reads past it to the final one
    "/d.html": b"HTTP/1.1 100 Continue\r\n\r\n"
    b"HTTP/1.1 200 After Continue\r\nContent-Length: 14\r\n\r\n<html>d</html>",
    # bytes past the Content-Length are no part of the response (Twisted drops them too)
    "/c.html": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "/robots.txt": b"HTTP/1.1 404 Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
}
TRAILING = {"/c.html": b"EXTRA BYTES"}


class RawServer:
    """A proxy-shaped loopback server: reads one request per connection, sends canned bytes."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received: dict[str, bytes] = {}
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    piece = conn.recv(65536)
                    if not piece:
                        break
                    data += piece
                target = data.split(b" ", 2)[1].decode() if b" " in data else ""
                path = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else target
                self.received[path] = data
                conn.sendall(ANSWERS.get(path, ANSWERS["/robots.txt"]) + TRAILING.get(path, b""))

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


REGISTRY = (
    f'[[portal]]\nname = "fid"\ntitle = "某局"\nregion = "beijing"\nlevel = "district"\n'
    f'start_urls = ["http://{HOST}/"]\nallowed_hosts = ["{HOST}"]\n'
)


@pytest.fixture(scope="module")
def fidelity_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    out = tmp_path_factory.mktemp("fidelity")
    registry = out / "portals.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    with RawServer() as server:
        done = run_cli(
            "crawl", "--registry", str(registry), "--out", str(out),
            "--proxy", f"http://127.0.0.1:{server.port}", "--loopback", "--prefix", "fid",
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    yield out, server.received


def raw_blocks(out: Path) -> dict[tuple[str, str], bytes]:
    """Each request and response record's whole block, bytes as stored, by (type, URL path)."""
    found = {}
    for path in sorted((out / "warc").glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh, no_record_parse=True):
                kind = record.rec_headers.get_header("WARC-Type")
                if kind in ("request", "response"):
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    found[kind, "/" + url.split("/", 3)[3]] = record.raw_stream.read()
    return found


@pytest.mark.crawl
@pytest.mark.parametrize("path", sorted(ANSWERS))
def test_response_block_is_the_bytes_the_server_sent(fidelity_crawl, path: str) -> None:
    out, _ = fidelity_crawl
    # a record holds one response: the final one, an interim 1xx before it left out
    final = ANSWERS[path].split(b"\r\n\r\n", 1)[1] if path == "/d.html" else ANSWERS[path]
    assert raw_blocks(out)["response", path] == final


@pytest.mark.crawl
@pytest.mark.parametrize("path", sorted(ANSWERS))
def test_request_block_is_the_bytes_the_server_received(fidelity_crawl, path: str) -> None:
    out, received = fidelity_crawl
    assert raw_blocks(out)["request", path] == received[path]


@pytest.mark.crawl
def test_the_wire_bytes_pass_warcio_and_fastwarc_checks(fidelity_crawl) -> None:
    # the payload digest is over the chunk-framed payload, as both checkers compute it
    out, _ = fidelity_crawl
    warcs = sorted((out / "warc").glob("*.warc.gz"))
    assert warcs and [problem for path in warcs for problem in warc_problems(path)] == []


@pytest.mark.crawl
def test_chunked_and_gzipped_bodies_read_back_decoded(fidelity_crawl) -> None:
    out, _ = fidelity_crawl
    bodies = {
        c.url.split("/", 3)[3]: c
        for path in (out / "warc").glob("*.warc.gz")
        for c in iter_captures(path)
        if c.record_type == "response"
    }
    assert bodies[""].body == PAGE and bodies[""].error is None
    assert bodies["b.html"].body == b"<html><body>second page</body></html>"
    assert bodies[""].header("X-Repeat") == "first"  # repeats kept apart, in order
    assert [v for k, v in bodies[""].http_headers if k == "X-Repeat"] == ["first", "second"]


def test_proxy_credentials_never_reach_the_archive() -> None:
    raw = RawExchange(
        sent=bytearray(
            b"GET http://a.gov.cn/ HTTP/1.1\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
            b"Host: a.gov.cn\r\n\r\n"
        )
    )
    assert raw.request_head() == b"GET http://a.gov.cn/ HTTP/1.1\r\nHost: a.gov.cn\r\n\r\n"


@pytest.mark.parametrize(
    ("received", "status"),
    [
        (b"HTTP/1.1 200 OK\r\n\r\n", 200),
        (b"HTTP/1.0 404 x\n\n", 404),
        (b"HTTP/1.1 200\r\n\r\n", 200),  # no reason phrase (Twisted takes it)
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Made\r\n\r\n", 201),
        (b"<html>", None),
    ],
)
def test_status_of_the_received_bytes(received: bytes, status: int | None) -> None:
    assert RawExchange(received=bytearray(received)).status() == status


def exchange_for(url: str) -> Exchange:
    return Exchange(url, "GET", [], b"", 200, [], b"body", datetime.now(UTC))


@pytest.mark.parametrize(
    ("sent", "received", "kept"),
    [
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b"HTTP/1.1 200 Fine\r\nX: y\r\n\r\nbody", True),
        # another exchange's bytes (a 404, or a POST): rebuilt rather than misattributed
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", b"HTTP/1.1 404 No\r\n\r\n", False),
        (b"POST / HTTP/1.1\r\nHost: a\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\nbody", False),
        (b"GET / HTTP/1.1\r\nHost: a\r\n", b"HTTP/1.1 200 OK\r\n\r\nbody", False),
    ],
)
def test_kept_bytes_are_used_only_when_they_are_this_exchange(
    sent: bytes, received: bytes, kept: bool
) -> None:
    exchange = exchange_for("http://a.gov.cn/")
    response = HtmlResponse("http://a.gov.cn/", status=200, body=b"body")
    raw = RawExchange(sent=bytearray(sent), received=bytearray(received))
    wire = _as_on_the_wire(exchange, raw, response)
    assert (wire is not None) == kept
    if wire is not None:
        assert wire.response_head == received[: -len(b"body")] and wire.body == b"body"


SCRAPYS_OWN_HANDLER = """
import sys
from pathlib import Path
from nianbao.crawler.middlewares.warc import REBUILT_STAT
from nianbao.crawler.registry import load_registry
from nianbao.crawler.run import CrawlConfig, crawl
out, proxy = Path(sys.argv[1]), sys.argv[2]
handler = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
result = crawl(CrawlConfig(
    out=out, portals=tuple(load_registry(out / "portals.toml")), proxy=proxy, loopback=True,
    prefix="own", settings={"DOWNLOAD_HANDLERS": {"http": handler, "https": handler}},
))
print(result.pages, result.stats.get(REBUILT_STAT, 0))
"""


@pytest.mark.crawl
def test_without_the_recording_handler_heads_are_rebuilt_and_counted(tmp_path: Path) -> None:
    (tmp_path / "portals.toml").write_text(REGISTRY, encoding="utf-8")
    with RawServer() as server:
        done = subprocess.run(
            [sys.executable, "-c", SCRAPYS_OWN_HANDLER, str(tmp_path),
             f"http://127.0.0.1:{server.port}"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    pages, rebuilt = map(int, done.stdout.split())
    assert pages == rebuilt == len(ANSWERS)  # every response, and each one said
    blocks = raw_blocks(tmp_path)
    assert blocks["response", "/"].startswith(b"HTTP/1.1 200 OK\r\n")  # Scrapy's view
    assert blocks["response", "/"] != ANSWERS["/"]

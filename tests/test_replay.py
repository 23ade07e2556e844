"""Replay in pywb: every report URL of a crawl replays its archived payload; no error is a page.

pywb's own tools run in child processes on loopback: ``wb-manager`` makes a collection of the
WARCs (it copies and indexes them), ``wayback`` serves it on a free 127.0.0.1 port, and each
capture is asked for in ``id_`` mode, which answers with the archived payload unmodified. A
gzip-encoded payload comes back as archived (``Content-Encoding: gzip``) to a client that accepts
gzip, and decoded, its encoding kept as ``X-Archive-Orig-Content-Encoding``, to one that sends no
``Accept-Encoding``: both are checked. A fetch error is a ``metadata`` record of warc-fields
(``error: …``) at the page's URL; pywb must neither index it nor replay it as a page.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive.warc.exchange import Exchange
from nianbao.archive.warc.writer import WarcWriter
from tests.conftest import Crawled

COLLECTION = "coll"
ACCEPTS_GZIP = {"Accept-Encoding": "gzip, deflate"}
# pywb reaches its own warcserver on localhost through requests, which would send even that
# through a proxy named in the environment
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
# pywb's own locked environment (tests/peers/pyproject.toml), synced by tests/run
PEERS_PYTHON = Path(__file__).parent / "peers" / ".venv" / "bin" / "python"


def peers_python() -> str:
    """The interpreter that has pywb; a failure naming the fix when it is not there."""
    if not PEERS_PYTHON.exists():
        pytest.fail(f"{PEERS_PYTHON} is missing: sh tests/run makes it (uv sync in tests/peers)")
    return str(PEERS_PYTHON)


def loopback_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    return {**env, "NO_PROXY": "*", "no_proxy": "*"}


def pywb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [peers_python(), "-m", *args],
        cwd=cwd,
        env=loopback_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Replayed:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Wayback:
    root: Path
    port: int

    def get(self, path: str, headers: dict[str, str] | None = None) -> Replayed:
        """GET ``path`` from the replay server, redirects not followed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            answer = connection.getresponse()
            body = answer.read()
            headers_lower = {k.lower(): v for k, v in answer.getheaders()}
            return Replayed(answer.status, headers_lower, body)
        finally:
            connection.close()

    def memento(self, timestamp: str, url: str, headers: dict[str, str] | None = None) -> Replayed:
        """The capture of ``url`` at ``timestamp``, payload unmodified (pywb's ``id_`` mode)."""
        target = quote(url, safe="/:?&=%;,+@!$'()*[]~")
        return self.get(f"/{COLLECTION}/{timestamp}id_/{target}", headers)

    def indexed_offsets(self) -> set[tuple[str, int]]:
        """(file, offset) of every record pywb's index holds, whatever its type."""
        found = set()
        for index in (self.root / "collections" / COLLECTION / "indexes").glob("*.cdxj"):
            for line in index.read_text(encoding="utf-8").splitlines():
                fields = json.loads(line.split(" ", 2)[2])
                found.add((fields["filename"], int(fields["offset"])))
        return found


@contextmanager
def wayback(root: Path, warcs: list[Path]) -> Iterator[Wayback]:
    """A pywb collection of ``warcs`` in ``root``, served on loopback until the block ends;
    a ``.wacz`` among them goes in unpacked, its WARCs indexed by its own index."""
    assert warcs, "no WARC files to replay"
    root.mkdir(parents=True, exist_ok=True)
    pywb("pywb.manager.manager", "init", COLLECTION, cwd=root)
    unpack = ["--unpack-wacz"] if any(path.suffix == ".wacz" for path in warcs) else []
    pywb("pywb.manager.manager", "add", *unpack, COLLECTION, *map(str, warcs), cwd=root)
    log = root / "wayback.log"
    for _attempt in range(3):  # another process may take the free port before pywb binds it
        port = free_port()
        with log.open("wb") as out:
            server = subprocess.Popen(
                [peers_python(), "-m", "pywb.apps.cli", "--bind", "127.0.0.1", "--port", str(port)],
                cwd=root,
                env=loopback_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            if _answers(server, port):
                yield Wayback(root, port)
                return
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    pytest.fail(f"pywb's wayback did not start: {log.read_text(errors='replace')[-3000:]}")


def _answers(server: subprocess.Popen[bytes], port: int, wait: float = 60.0) -> bool:
    """Whether the server answers on ``port`` before it exits or ``wait`` seconds pass."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and server.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return server.poll() is None  # pywb itself is up, not only something on the port
        except OSError:
            time.sleep(0.1)
    return False


def timestamp(warc_date: str) -> str:
    """``2026-12-03T13:24:46.123456Z`` → ``20261203132446`` (pywb's 14-digit timestamp)."""
    return "".join(c for c in warc_date if c.isdigit())[:14]


@dataclass(frozen=True)
class Archived:
    record_type: str
    url: str
    date: str
    content_type: str | None
    status: int | None
    encoding: str | None  # the payload's Content-Encoding, as archived
    transfer: str | None  # its Transfer-Encoding, as archived
    payload: bytes  # exactly as archived: nothing decoded

    @property
    def sent(self) -> bytes:
        """The payload with chunk framing undone (pywb replays de-chunked), still encoded."""
        if (self.transfer or "").strip().lower() != "chunked":
            return self.payload
        out, at = bytearray(), 0
        while True:
            end = self.payload.index(b"\r\n", at)
            size = int(self.payload[at:end].split(b";")[0], 16)
            if size == 0:
                return bytes(out)
            out += self.payload[end + 2 : end + 2 + size]
            at = end + 2 + size + 2

    @property
    def decoded(self) -> bytes:
        """The payload with its Content-Encoding undone too (what a non-gzip client gets)."""
        coding = (self.encoding or "identity").strip().lower()
        if coding in ("gzip", "x-gzip"):
            return gzip.decompress(self.sent)
        if coding == "deflate":
            try:
                return zlib.decompress(self.sent)
            except zlib.error:
                return zlib.decompress(self.sent, -zlib.MAX_WBITS)
        if coding == "br":
            import brotli

            return brotli.decompress(self.sent)
        assert coding == "identity", f"{self.url}: Content-Encoding {self.encoding!r}"
        return self.sent


def archived_record(warc: Path, offset: int) -> Archived:
    """The record at ``offset`` of ``warc``, read by warcio (payload still encoded)."""
    with warc.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        http_headers = record.http_headers
        return Archived(
            record.rec_type,
            record.rec_headers.get_header("WARC-Target-URI"),
            record.rec_headers.get_header("WARC-Date"),
            record.rec_headers.get_header("Content-Type"),
            int(http_headers.get_statuscode()) if http_headers else None,
            http_headers.get_header("Content-Encoding") if http_headers else None,
            http_headers.get_header("Transfer-Encoding") if http_headers else None,
            record.raw_stream.read(),
        )


def replay_differences(server: Wayback, archived: Archived) -> list[str]:
    """How pywb's replay of one archived response differs from it ([] when it does not)."""
    ts = timestamp(archived.date)
    wants = [
        # a client that accepts gzip gets the payload byte for byte, its encoding kept (chunk
        # framing, if the record kept it, is undone: pywb sends its own)
        (ACCEPTS_GZIP, archived.sent, archived.encoding, "content-encoding"),
        # one that accepts nothing gets it decoded, the encoding named as the original's
        ({}, archived.decoded, archived.encoding, "x-archive-orig-content-encoding"),
    ]
    found = []
    for headers, body, encoding, encoding_header in wants:
        got = server.memento(ts, archived.url, headers)
        asked = f"{archived.url} at {ts} ({'gzip' if headers else 'no'} Accept-Encoding)"
        if got.status != archived.status:
            found.append(f"{asked}: status {got.status}, archived {archived.status}")
        if got.body != body:
            found.append(f"{asked}: {len(got.body)} bytes replayed, {len(body)} archived differ")
        if got.headers.get(encoding_header) != encoding:
            found.append(f"{asked}: {encoding_header} {got.headers.get(encoding_header)!r}")
    return found


def page_exchange(
    url: str,
    headers: list[tuple[str, str]],
    body: bytes,
    date: datetime,
    response_head: bytes | None = None,
) -> Exchange:
    """A 200 GET of a www.beijing.gov.cn page that asked for gzip."""
    return Exchange(
        url=url,
        method="GET",
        request_headers=[("Host", "www.beijing.gov.cn"), ("Accept-Encoding", "gzip")],
        request_body=b"",
        status=200,
        response_headers=headers,
        body=body,
        date=date,
        response_head=response_head,
    )


def error_block(archived: Archived) -> bytes:
    """A fetch error's warc-fields block (``error: …``), checked to be one."""
    assert archived.record_type == "metadata", archived
    assert archived.content_type == "application/warc-fields", archived
    assert archived.payload.startswith(b"error: "), archived.payload[:200]
    return archived.payload


@pytest.mark.crawl
def test_every_report_url_of_the_crawl_replays_its_archived_payload(
    crawled: Crawled, tmp_path: Path
) -> None:
    with sqlite3.connect(f"file:{crawled.db}?mode=ro", uri=True) as db:
        reports = db.execute(
            "select r.url, c.warc_file, c.offset, c.status from reports r"
            " join captures c on c.id = r.capture_id order by r.url"
        ).fetchall()
        errors = db.execute(
            "select url, warc_file, offset from captures where record_type = 'metadata'"
            " order by url"
        ).fetchall()
        answered = {url for (url,) in db.execute("select url from captures where status > 0")}
    files = {path.name: path for path in crawled.warcs}
    assert len(reports) >= len(crawled.world.reports), (len(reports), len(crawled.world.reports))

    with wayback(tmp_path, crawled.warcs) as server:
        indexed = server.indexed_offsets()
        differences: dict[str, list[str]] = {}
        encodings: Counter[str] = Counter()
        for url, warc_file, offset, status in reports:
            archived = archived_record(files[warc_file], offset)
            assert archived.record_type == "response", (url, archived.record_type)
            assert (archived.url, archived.status) == (url, status), (archived.url, status)
            encodings[archived.encoding or "identity"] += 1
            if found := replay_differences(server, archived):
                differences[url] = found
        as_pages = []
        for url, warc_file, offset in errors:
            error = archived_record(files[warc_file], offset)
            block = error_block(error)
            got = server.memento(timestamp(error.date), url)
            if (warc_file, offset) in indexed or block in got.body:
                as_pages.append(f"{url}: indexed or replayed as its error ({got.status})")
            elif url not in answered and got.status != 404:
                as_pages.append(f"{url}: only a fetch error, replayed with status {got.status}")

    replayed = len(reports) - len(differences)
    summary = (
        f"{replayed} of {len(reports)} report URLs replayed their archived payload and status"
        f" (Content-Encoding: {dict(sorted(encodings.items()))});"
        f" {len(errors)} fetch errors, {len(as_pages)} of them replayed as a page"
    )
    print(summary)
    assert not differences, f"{summary}:\n" + "\n".join(
        line for found in differences.values() for line in found
    )
    assert not as_pages, f"{summary}:\n" + "\n".join(as_pages)


def test_a_fetch_error_never_replays_even_in_the_second_of_a_successful_retry(
    tmp_path: Path,
) -> None:
    # one URL fails and is fetched again within the same second; another only fails
    retried, failed = (
        "http://www.beijing.gov.cn/retried.html",
        "http://www.beijing.gov.cn/lost.html",
    )
    second = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    page = (
        "<html><head><title>年报</title></head><body>2025年政府信息公开工作年度报告</body></html>"
    )
    body = page.encode("utf-8")
    with WarcWriter(tmp_path / "warc", "replay", clock=lambda: second) as writer:
        writer.write_fetch_error(
            retried, "TimeoutError: took too long", second.replace(microsecond=1)
        )
        writer.write_fetch_error(
            failed, "DNSLookupError: no such host", second.replace(microsecond=2)
        )
        writer.write_exchange(
            page_exchange(
                retried,
                [("Content-Type", "text/html; charset=utf-8")],
                body,
                second.replace(microsecond=500000),
            )
        )
    warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
    with warcs[0].open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(stream)
        ]
    assert records == [
        ("warcinfo", None),
        ("metadata", retried),
        ("metadata", failed),
        ("request", retried),
        ("response", retried),
    ]

    with wayback(tmp_path / "pywb", warcs) as server:
        indexed = server.indexed_offsets()
        ok = server.memento("20261201120000", retried)
        lost = server.memento("20261201120000", failed)
        lost_later = server.memento("20261201120001", failed)

    assert (ok.status, ok.body) == (200, body), (ok.status, ok.body[:300])
    for got in (lost, lost_later):
        assert got.status == 404, (got.status, got.body[:300])
        assert b"DNSLookupError" not in got.body
    assert len(indexed) == 1, f"pywb indexed {len(indexed)} records, the response alone expected"


def test_a_payload_archived_with_its_chunk_framing_replays_de_chunked(tmp_path: Path) -> None:
    # the crawler keeps a response's head and chunk framing as received (Exchange.response_head)
    url = "http://www.beijing.gov.cn/chunked.html"
    page = "<html><body>2024年政府信息公开工作年度报告 分块</body></html>".encode()
    encoded = gzip.compress(page)
    framed = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (encoded[:9], encoded[9:]))
    head = (
        b"HTTP/1.1 200 Fine Thanks\r\ncontent-type: text/html; charset=utf-8\r\n"
        b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    when = datetime(2026, 12, 1, 12, 0, 0, 250000, tzinfo=UTC)
    with WarcWriter(tmp_path / "warc", "chunked", clock=lambda: when) as writer:
        writer.write_exchange(
            page_exchange(
                url,
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                ],
                framed + b"0\r\n\r\n",
                when,
                response_head=head,
            )
        )
    (warc,) = sorted((tmp_path / "warc").glob("*.warc.gz"))
    with warc.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        offsets = [iterator.get_record_offset() for r in iterator if r.rec_type == "response"]
    archived = archived_record(warc, offsets[0])
    assert archived.transfer == "chunked" and archived.payload == framed + b"0\r\n\r\n"
    assert (archived.sent, archived.decoded) == (encoded, page)

    with wayback(tmp_path / "pywb", [warc]) as server:
        found = replay_differences(server, archived)
    assert not found, "\n".join(found)

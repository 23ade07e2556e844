"""A loopback HTTP server that answers for every simulated host; crawlers use it as a proxy."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from nianbao.simweb import conditional
from nianbao.simweb.agencies import WWW
from nianbao.simweb.truth import Page
from nianbao.simweb.world import World

SERVER_NAME = "nianbao-simweb/1.0"
GZIP_HOSTS = frozenset({WWW})


class _ProxyHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: SimServer) -> None:
        super().__init__(address, _Handler)
        self.sim = sim


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""
    server: _ProxyHTTPServer

    def version_string(self) -> str:
        return SERVER_NAME

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Stay quiet: tests and crawls would drown in access logs."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib hook name
        self._answer(send_body=True, form=b"")

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib hook name
        self._answer(send_body=False, form=b"")

    def do_POST(self) -> None:  # noqa: N802 - stdlib hook name
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        # a form POST (Hanweb's dataproxy) is answered like a GET with the form in the query
        form = body if "urlencoded" in (self.headers.get("Content-Type") or "") else b""
        self._answer(send_body=True, form=form)

    def _absolute_url(self) -> str:
        """The request target as an absolute URL (proxy form, or origin form plus Host)."""
        if self.path.startswith(("http://", "https://")):
            return self.path
        host = (self.headers.get("Host") or "").split(":")[0]
        return f"http://{host}{self.path}"

    def _answer(self, send_body: bool, form: bytes) -> None:
        url = self._absolute_url()
        sim = self.server.sim
        sim.record(self.command, url)
        page = sim.world.lookup(url, form=form) if form else sim.world.lookup(url)
        if page is None:
            page = Page(
                502, [("Content-Type", "text/plain; charset=utf-8")], b"simweb: no such host\n"
            )
        if page.delay or sim.latency:
            time.sleep(page.delay * sim.delay_scale + sim.latency)
        host = (urlsplit(url).hostname or "").lower()
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        unchanged = self.command in ("GET", "HEAD") and conditional.not_modified(
            host, page, if_none_match, if_modified_since
        )
        if if_none_match is not None or if_modified_since is not None:
            # recorded before answering, so a client that has its answer sees the record
            sim.record_conditional(
                url, if_none_match, if_modified_since, 304 if unchanged else page.status
            )
        if unchanged:
            self._not_modified(host, page)
            return
        if page.streamed:
            self._stream(page, send_body)
            return
        body = page.body
        headers = list(page.headers)
        if host in GZIP_HOSTS and page.status == 200 and body:
            headers.append(("Vary", "Accept-Encoding"))
            if "gzip" in (self.headers.get("Accept-Encoding") or "").lower():
                body = gzip.compress(body, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
        self.send_response(page.status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream(self, page: Page, send_body: bool) -> None:
        """``page.body`` repeated to ``page.streamed`` bytes, chunked; a client that stops
        reading (its size limit) ends the connection, which is no error here."""
        self.send_response(page.status)
        for name, value in page.headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not send_body:
            return
        block, left = page.body, page.streamed
        try:
            while left > 0:
                chunk = block[:left]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                left -= len(chunk)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _not_modified(self, host: str, page: Page) -> None:
        """304: the validators again, no body and so no Content-Length (RFC 9110 15.4.5)."""
        self.send_response(304)
        for name, value in conditional.not_modified_headers(page):
            self.send_header(name, value)
        if host in GZIP_HOSTS:
            self.send_header("Vary", "Accept-Encoding")  # as the 200 it stands for says
        self.end_headers()


class SimServer:
    """Serve a World on 127.0.0.1 (a free port) from a daemon thread; also a context manager."""

    def __init__(
        self,
        world: World,
        delay_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
    ) -> None:
        self.world = world
        self.delay_scale = delay_scale
        # seconds every answer waits, as across a real network (benchmarks; loopback has none)
        self.latency = latency
        self.requests: list[tuple[str, str]] = []
        self.arrivals: list[float] = []  # time.monotonic() of each of ``requests``
        # (url, If-None-Match, If-Modified-Since, status answered) of conditional requests
        self.conditionals: list[tuple[str, str | None, str | None, int]] = []
        self._lock = threading.Lock()
        self._address = (host, port)
        self._httpd: _ProxyHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def record(self, method: str, url: str) -> None:
        """Remember one request (thread-safe)."""
        with self._lock:
            self.requests.append((method, url))
            self.arrivals.append(time.monotonic())

    def record_conditional(
        self, url: str, if_none_match: str | None, if_modified_since: str | None, status: int
    ) -> None:
        """Remember the validators one request sent and the status it got (thread-safe)."""
        with self._lock:
            self.conditionals.append((url, if_none_match, if_modified_since, status))

    def start(self) -> int:
        """Bind and serve in the background; returns the port."""
        self._httpd = _ProxyHTTPServer(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name="simweb-server",
        )
        self._thread.start()
        return self.port

    @property
    def port(self) -> int:
        """The bound port (after start())."""
        if self._httpd is None:
            raise RuntimeError("SimServer not started")
        return self._httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        """http://127.0.0.1:PORT, for Scrapy's HTTP proxy setting."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

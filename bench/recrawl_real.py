"""Benchmark: re-crawl bytes on real pages, at the weight real portals serve them.

    .venv/bin/python bench/recrawl_real.py [--real ../shared/real] [--out /tmp/nianbao-recrawl-real]

The simulated web's pages are 2-3 KB gzipped; the real pages of ``../shared/real`` (one
portal's, copied exactly) are 38-225 KB, 9-23 KB gzipped. A revisit record and its request
record weigh about the same whatever the page, so the share a re-crawl writes depends on the
page's weight: this measures it on the real ones.

A loopback proxy-form server answers for www.pingtan.gov.cn: each real page at its original
path, with an ``ETag`` (a digest of its bytes) and ``Last-Modified``, and 304 to a matching
``If-None-Match``; any other path 404 (a short page); a CONNECT (the pages' https links) 403.
``nianbao crawl`` runs twice into one folder, the real pages as start URLs. Printed: each
run's WARC bytes, and the bytes of the records (request, response, revisit) of the real
pages alone, so the 404s and refusals the pages' other links cost are apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from common import machine_line
from warcio.archiveiterator import ArchiveIterator

HOST = "www.pingtan.gov.cn"
LAST_MODIFIED = "Tue, 10 Mar 2026 08:00:00 GMT"


def load_pages(real: Path) -> dict[str, bytes]:
    """Path on the portal -> the real page's bytes, for every page of ``pages.json``."""
    found = json.loads((real / "pages.json").read_text(encoding="utf-8"))
    return {urlsplit(v["url"]).path: (real / "pages" / k).read_bytes() for k, v in found.items()}


def handler(pages: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``pages`` as the portal would, with validators."""

    class Portal(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            return

        def do_CONNECT(self) -> None:  # noqa: N802 - stdlib hook name
            self._send(403, b"", {})

        def do_GET(self) -> None:  # noqa: N802 - stdlib hook name
            body = pages.get(urlsplit(self.path).path)
            if body is None:
                self._send(404, b"<html><body>404</body></html>", {})
                return
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == etag:
                self._send(304, None, headers)
            else:
                self._send(200, body, headers)

        def _send(self, status: int, body: bytes | None, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Portal


def record_bytes(paths: list[Path], urls: set[str]) -> tuple[int, Counter[str]]:
    """Bytes on disk of the records of ``urls`` in ``paths``, and those records by type."""
    size, types = 0, Counter[str]()
    for path in paths:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_headers.get_header("WARC-Target-URI") not in urls:
                    continue
                record.content_stream().read()
                records.read_to_end(record)
                size += records.get_record_length() or 0
                types[record.rec_type] += 1
    return size, types


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--real", type=Path, default=here.parent.parent / "shared" / "real")
    parser.add_argument("--out", type=Path, default=Path("/tmp/nianbao-recrawl-real"))
    args = parser.parse_args()
    if not (args.real / "pages.json").is_file():
        sys.exit(f"no pages.json in {args.real}: give the folder of real pages with --real")
    pages = load_pages(args.real)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    print(machine_line())
    starts = [f"http://{HOST}{path}" for path in pages]
    print(
        f"real pages: {len(pages)}, {sum(map(len, pages.values())):,} bytes "
        f"({min(map(len, pages.values())):,} to {max(map(len, pages.values())):,})"
    )
    registry = args.out / "portals.toml"
    quoted = ", ".join(f'"{url}"' for url in starts)
    registry.write_text(
        f'[[portal]]\nname = "pingtan"\ntitle = "平潭综合实验区"\nstart_urls = [{quoted}]\n'
        f'allowed_hosts = ["{HOST}"]\n',
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(pages))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = f"http://127.0.0.1:{server.server_address[1]}"
    out, runs = args.out / "nianbao", []
    try:
        for name in ("first", "again"):
            before = set((out / "warc").glob("*.warc.gz"))
            started = time.perf_counter()
            cmd = [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--registry"]
            cmd += [str(registry), "--out", str(out), "--proxy", proxy, "--loopback"]
            done = subprocess.run(cmd + ["--prefix", name], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"crawl {name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
            new = sorted(set((out / "warc").glob("*.warc.gz")) - before)
            total = sum(p.stat().st_size for p in new)
            real, types = record_bytes(new, set(starts))
            runs.append((name, time.perf_counter() - started, total, real, types))
    finally:
        server.shutdown()
    first = runs[0]
    head = f"{'run':6} {'seconds':>8} {'WARC bytes':>11} {'ratio':>6} {'real pages':>11}"
    print(f"\n{head} {'ratio':>6}")
    for name, seconds, total, real, types in runs:
        print(
            f"{name:6} {seconds:8.1f} {total:11,} {total / first[2]:6.3f} {real:11,} "
            f"{real / first[3]:6.3f}  {dict(sorted(types.items()))}"
        )


if __name__ == "__main__":
    main()

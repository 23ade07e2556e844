"""Many workers on one Redis frontier (``nianbao crawl --redis``): a real redis-server on
loopback, three crawl processes, each with its own output folder and WARC prefix."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from warcio.archiveiterator import ArchiveIterator

from nianbao.simweb import SimServer
from tests.conftest import Crawled, run_cli

REDIS_SERVER = "/usr/bin/redis-server"  # Debian's package; tests/run installs it
WORKERS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of its own on loopback, nothing saved to disk, stopped after the test."""
    if not Path(REDIS_SERVER).exists():
        pytest.fail(f"{REDIS_SERVER} is missing: sh tests/run installs Debian's redis-server")
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_worker(
    crawled: Crawled, out: Path, proxy: str, url: str, prefix: str, *extra: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--registry"]
        + [str(crawled.registry), "--out", str(out), "--proxy", proxy, "--loopback"]
        + ["--redis", url, "--prefix", prefix, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "250"},
    )


def run_workers(
    crawled: Crawled, tmp_path: Path, url: str, *extra: str
) -> tuple[list[Path], SimServer]:
    """Three workers crawl the session's world together; their output folders, the server."""
    outs = [tmp_path / f"worker{i}" for i in range(WORKERS)]
    with SimServer(crawled.world) as server:
        workers = [
            start_worker(crawled, out, server.proxy_url, url, f"w{i}", *extra)
            for i, out in enumerate(outs)
        ]
        ended = [worker.communicate(timeout=600) for worker in workers]
    for worker, (_, stderr) in zip(workers, ended, strict=True):
        assert worker.returncode == 0, stderr[-3000:]
    return outs, server


def is_robots(url: str | None) -> bool:
    return (url or "").endswith("/robots.txt")


def responses_in(out: Path) -> int:
    count = 0
    for path in sorted((out / "warc").glob("*.warc.gz")):
        with path.open("rb") as fh:
            count += sum(r.rec_type in ("response", "revisit") for r in ArchiveIterator(fh))
    return count


def content(db: Path) -> dict[str, list[tuple]]:
    """What two crawls of one world must agree on, whoever fetched what and when: the reports
    and everything extracted from them, and the answers archived (robots.txt left out: every
    worker reads it for itself; so is warcinfo)."""
    conn = sqlite3.connect(db)
    per_crawl = {"capture_id", "seen", "last_seen", "gone"}
    columns = [c[1] for c in conn.execute("pragma table_info(reports)") if c[1] not in per_crawl]
    out = {
        "reports": conn.execute(f"select {', '.join(columns)} from reports").fetchall(),
        "captures": conn.execute(
            "select record_type, url, status, payload_digest from captures"
        ).fetchall(),
    }
    # each worker's WARC files begin with its own warcinfo record
    out["captures"] = [r for r in out["captures"] if not is_robots(r[1]) and r[0] != "warcinfo"]
    for table in ("sections", "stats", "checks", "figures"):
        out[table] = conn.execute(f"select * from {table}").fetchall()
    return {name: sorted(rows, key=repr) for name, rows in out.items()}


@pytest.mark.crawl
@pytest.mark.slow
def test_three_workers_fetch_every_url_once_and_reindex_to_one_crawls_database(
    crawled: Crawled, tmp_path: Path, redis_url: str
) -> None:
    outs, server = run_workers(crawled, tmp_path, redis_url)
    fetched = Counter(key for key in server.requests if not is_robots(key[1]))
    once = Counter(key for key in crawled.requests if not is_robots(key[1]))
    assert set(fetched) == set(once), set(fetched) ^ set(once)
    # as often as one crawl alone asks (once; twice where a 500 is retried)
    assert {key: (n, once[key]) for key, n in fetched.items() if n != once[key]} == {}
    robots = Counter(key for key in server.requests if is_robots(key[1]))
    assert robots and max(robots.values()) <= WORKERS
    # the work was shared: every worker archived a part of it
    shares = [responses_in(out) for out in outs]
    # the frontier was shared, not crawled by one worker alone; not every worker each time: one
    # that starts late on a loaded machine looks for work every 5 s (Scrapy's idle heartbeat),
    # and a 400-page world can be done by then (CI once saw [0, 164, 243])
    assert sum(1 for n in shares if n > 0) >= 2, shares
    # the last worker out cleared the frontier: the next run starts anew
    assert redis.Redis.from_url(redis_url).keys("nianbao:*") == []
    db = tmp_path / "merged.db"
    warcs = [str(out / "warc") for out in outs]
    done = run_cli("reindex", *warcs, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert content(db) == content(crawled.db)


@pytest.mark.crawl
def test_per_host_politeness_holds_across_workers(
    crawled: Crawled, tmp_path: Path, redis_url: str
) -> None:
    delay = 0.05
    config = tmp_path / "polite.toml"
    config.write_text(f"[settings]\nDOWNLOAD_DELAY = {delay}\n", encoding="utf-8")
    portal = "daxing"  # one portal keeps the test short
    _, server = run_workers(
        crawled, tmp_path, redis_url, "--config", str(config), "--portal", portal
    )
    by_host: dict[str, list[float]] = defaultdict(list)
    for (_, url), when in zip(server.requests, server.arrivals, strict=True):
        if not is_robots(url):  # each worker's own robots.txt comes before its turns
            by_host[urlsplit(url).hostname or ""].append(when)
    assert sum(map(len, by_host.values())) > 20
    for host, times in by_host.items():
        times.sort()
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        # The server sees a request a little after it is sent, later when the machine is
        # busy (OCR tests beside it cut one gap to 36 ms of 50): an arrival that is late
        # shortens one gap and lengthens the next, so two gaps together hold the delay.
        assert min(gaps) >= delay / 2, (host, min(gaps))
        pairs = [a + b for a, b in zip(gaps, gaps[1:], strict=False)]
        assert min(pairs) >= 2 * delay - 0.01, (host, min(pairs))


def crawl_packaged_registry(tmp_path: Path, url: str) -> subprocess.CompletedProcess[str]:
    """``crawl --redis url`` of the packaged registry into tmp_path/o (Redis is checked first,
    so nothing is fetched when it is unreachable)."""
    registry = tmp_path / "portals.toml"
    shutil.copy(Path(__file__).parent.parent / "crawler" / "portals.toml", registry)
    return run_cli(
        "crawl", "--registry", str(registry), "--out", str(tmp_path / "o"), "--redis", url
    )


@pytest.mark.crawl
def test_an_unreachable_redis_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    done = crawl_packaged_registry(tmp_path, url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert url in done.stderr and "redis-server" in done.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.crawl
def test_a_redis_password_never_reaches_the_message(tmp_path: Path) -> None:
    url = f"redis://bob:s3cret-word@127.0.0.1:{free_port()}/0"
    done = crawl_packaged_registry(tmp_path, url)
    assert done.returncode == 1
    assert "s3cret-word" not in done.stderr + done.stdout
    assert url.replace("s3cret-word", "***") in done.stderr

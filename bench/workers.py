"""Benchmark: pages per second of one crawl alone, and of 1 and 3 workers on one Redis.

    .venv/bin/python bench/workers.py [--reports 2500] [--seed 0] [--out /tmp/workers-bench]
        [--workers 1 3]

Serves ``build_world(seed, reports)`` from a forked child process (bench/recrawl.py's
``Web``) and starts a redis-server of its own on a loopback port (Debian's
``/usr/bin/redis-server``, nothing saved). Then, each into fresh output folders:
``nianbao crawl --loopback`` alone (no Redis), and for each N of ``--workers`` N workers
``nianbao crawl --redis`` started together (their own ``--out`` and ``--prefix``). Per run:
wall time from the first start to the last exit, the pages the workers counted (their
``N pages in`` lines, summed), the requests the simulated web received, each worker's share,
and pages/s. On one machine the workers share its cores: the figure says what coordination
through Redis costs, not what more machines would gain.

Prints a table and one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from common import begin
from recrawl import ENV, Web, crawl_cmd, stdout_int

REDIS_SERVER = "/usr/bin/redis-server"


@dataclass
class Run:
    name: str
    seconds: float
    pages: int  # summed "N pages in" of the workers
    requests: int  # requests the simulated web received during the run
    shares: list[int]  # each worker's pages

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A redis-server on a free loopback port, no persistence; it and its URL."""
    if not Path(REDIS_SERVER).exists():
        sys.exit(f"{REDIS_SERVER} is missing: apt-get install redis-server")
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        + ["no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    server.terminate()
    sys.exit("redis-server did not start")


def run(name: str, web: Web, registry: Path, out: Path, workers: int, redis: str | None) -> Run:
    """``workers`` crawls started together (one alone without Redis); their figures."""
    before = len(web.seen()[0])
    started = time.perf_counter()
    procs = []
    for i in range(workers):
        cmd = crawl_cmd(registry, out / f"worker{i}", web.proxy, f"w{i}")
        cmd += ["--redis", redis] if redis else []
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=ENV))
    outputs = [proc.communicate()[0] for proc in procs]
    seconds = time.perf_counter() - started
    for proc, output in zip(procs, outputs, strict=True):
        if proc.returncode != 0:
            sys.exit(f"{name}: a worker exited {proc.returncode}:\n{output[-3000:]}")
    shares = [stdout_int(output, r"([\d,]+) pages in ") for output in outputs]
    requests = len(web.seen()[0]) - before
    result = Run(name, seconds, sum(shares), requests, shares)
    print(f"{name}: {result.pages} pages in {seconds:.1f} s, shares {shares}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/workers-bench"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    out: Path = args.out
    world, registry = begin(out, args.seed, args.reports)
    web = Web(world, out / "server.log")
    redis, url = start_redis()
    try:
        runs = [run("alone (no Redis)", web, registry, out / "alone", 1, None)]
        for n in args.workers:
            runs.append(run(f"{n} Redis worker(s)", web, registry, out / f"redis{n}", n, url))
    finally:
        web.close()
        redis.terminate()
        redis.wait(timeout=30)
    alone = runs[0].rate
    print(f"\n{'run':22} {'seconds':>8} {'pages':>6} {'requests':>8} {'pages/s':>8} {'ratio':>6}")
    for r in runs:
        print(
            f"{r.name:22} {r.seconds:8.1f} {r.pages:6} {r.requests:8} {r.rate:8.1f}"
            f" {r.rate / alone:6.2f}"
        )
    print(json.dumps([asdict(r) | {"rate": r.rate} for r in runs]))


if __name__ == "__main__":
    main()

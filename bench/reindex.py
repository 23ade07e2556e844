"""Benchmark: ``reindex`` with 1 and 2 workers against warcio reading the same WARC files.

    .venv/bin/python bench/reindex.py [--reports 600] [--seed 0] [--out /tmp/rx] [--fresh]
        [--workers 1 2] [--repeat 1] [--profile]

The first run serves ``build_world(seed, reports)`` from a forked child process and crawls
it once with ``nianbao crawl --loopback --proxy`` into ``OUT/crawl``; later runs reuse those
WARC files (``--fresh`` crawls again). Then it times warcio's ArchiveIterator reading every
record's content stream (the peer) and ``reindex(warcs, db, workers=w)``, printing records/s
and the ratio to warcio. ``--profile`` also writes cProfile stats per worker count.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import machine_line, serve, warcio_records, write_world

from nianbao.archive.ingest.reindex import reindex


def crawl(out: Path, reports: int, seed: int) -> None:
    """Crawl a simulated web of ``reports`` reports once into ``out`` (WARCs in out/warc)."""
    world, registry = write_world(out, seed, reports)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(world, theirs))
    server.start()
    try:
        proxy = ours.recv()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--registry", str(registry)]
            + ["--out", str(out), "--proxy", proxy, "--loopback", "--prefix", "rx"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
        print(f"crawl: {time.perf_counter() - started:.1f} s")
    finally:
        server.terminate()
        server.join()


def timed_reindex(warcs: list[Path], db: Path, workers: int, profile: Path | None) -> tuple:
    """Seconds and summary of one reindex into a fresh ``db``; cProfile stats if asked."""
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    summary = reindex(warcs, db, workers=workers)
    if profiler is not None:
        profiler.disable()
    took = time.perf_counter() - started
    if profiler is not None and profile is not None:
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(25)
    return took, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/rx"))
    parser.add_argument("--fresh", action="store_true", help="crawl again")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    out: Path = args.out
    crawled = out / "crawl"
    if args.fresh:
        shutil.rmtree(crawled, ignore_errors=True)
    if not sorted((crawled / "warc").glob("*.warc.gz")):
        crawl(crawled, args.reports, args.seed)
    warcs = sorted((crawled / "warc").glob("*.warc.gz"))
    size = sum(p.stat().st_size for p in warcs) / 1e6
    print(machine_line())
    print(f"archive: {len(warcs)} WARC files, {size:.1f} MB in {crawled / 'warc'}")

    best = min(_time(warcio_records, warcs) for _ in range(args.repeat))
    records = warcio_records(warcs)
    peer = records / best
    print(f"\n{'tool':24} {'seconds':>8} {'records':>8} {'rec/s':>9} {'vs warcio':>9} reports")
    print(f"{'warcio iterate+read':24} {best:8.2f} {records:8} {peer:9.1f} {1.0:9.3f}")
    for workers in args.workers:
        runs = []
        for run in range(args.repeat):
            profile = out / f"reindex-w{workers}.prof" if args.profile and run == 0 else None
            runs.append(
                timed_reindex(warcs, out / f"db-w{workers}" / "nianbao.db", workers, profile)
            )
        took, summary = min(runs, key=lambda r: r[0])
        rate = summary.records / took
        print(
            f"{'nianbao reindex w=' + str(workers):24} {took:8.2f} {summary.records:8}"
            f" {rate:9.1f} {rate / peer:9.3f} {summary.reports}"
        )


def _time(func: object, warcs: list[Path]) -> float:
    started = time.perf_counter()
    func(warcs)  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

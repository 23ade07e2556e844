"""Benchmark: crawl the simulated web through the real pipeline, then reindex its WARCs.

    uv run python bench/crawl.py [--reports 2000] [--out /tmp/nianbao-bench]

Reports pages/s of the crawl (fetch + WARC + extract + SQLite), WARC bytes, reports found
against the ground truth, and reindex time with one and two workers.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from archive.reindex import reindex
from archive.summary import summarize
from simweb import SimServer, build_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nianbao-bench"))
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    world = build_world(seed=args.seed, reports=args.reports)
    registry = args.out / "portals.toml"
    registry.write_text(world.registry_toml(), encoding="utf-8")
    with SimServer(world) as server:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--registry", str(registry),
                        "--out", str(args.out), "--proxy", server.proxy_url, "--loopback"],
                       check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    summary = summarize(args.out / "nianbao.db")
    warcs = sorted((args.out / "warc").glob("*.warc.gz"))
    size = sum(p.stat().st_size for p in warcs)
    print(f"simulated web: {len(world.reports)} reports, {len(world.non_reports)} other pages")
    print(f"crawl: {summary.pages_fetched} pages in {seconds:.1f} s "
          f"({summary.pages_fetched / seconds:.1f} pages/s incl. start-up), "
          f"{size:,} WARC bytes in {len(warcs)} files, "
          f"{summary.reports} reports stored ({len(world.reports)} in truth)")
    for workers in (1, 2):
        started = time.perf_counter()
        result = reindex(warcs, args.out / f"reindex-{workers}.db", workers=workers)
        took = time.perf_counter() - started
        print(f"reindex, {workers} worker(s): {took:.1f} s, {result.records / took:.0f} records/s")


if __name__ == "__main__":
    main()

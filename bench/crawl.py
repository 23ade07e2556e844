"""Benchmark: crawl the simulated web through the real pipeline, then reindex its WARCs.

    uv run python bench/crawl.py [--reports 2000] [--out /tmp/nianbao-bench]

Reports pages/s of the crawl (fetch + WARC + extract + SQLite), WARC bytes, reports found
against the ground truth, reindex time with one and two workers, and then ``run_audit`` on
the crawled database: its time and, per kind, precision and recall of its pairs against the
simulated web's true copy relations.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from nianbao.archive.audit import run_audit
from nianbao.archive.ingest.reindex import reindex
from nianbao.archive.store.summary import summarize
from nianbao.simweb import SimServer, World, build_world
from nianbao.simweb.truth import KINDS, copy_components, relation_key


def audit_accuracy(db: Path, world: World) -> None:
    """Audit ``db`` and print, per kind, its pairs against the true copy relations.

    ``listed`` pairs are true relations with their kind; ``copies`` are pairs the truth does
    not list that still join copies of one report (a mirror of a twin, two copies of one
    original); ``false`` pairs join reports that are not copies. Recall is listed / true.
    """
    started = time.perf_counter()
    run_audit(db)
    took = time.perf_counter() - started
    conn = sqlite3.connect(db)
    url = dict(conn.execute("select id, url from reports"))
    pairs = [
        (k, url[a], url[b])
        for k, a, b in conn.execute("select kind, a_report_id, b_report_id from audit_pairs")
    ]
    truth = {relation_key(r.kind, r.a_url, r.b_url) for r in world.relations}
    component = copy_components(world.relations)
    listed, copies, false = Counter(), Counter(), Counter()
    for kind, a, b in pairs:
        if relation_key(kind, a, b) in truth:
            listed[kind] += 1
        elif a in component and component[a] == component.get(b):
            copies[kind] += 1
        else:
            false[kind] += 1
    print(f"audit: {took:.1f} s for {len(url)} reports, {len(pairs)} pairs")
    print(f"  {'kind':15} {'true':>5} {'listed':>6} {'copies':>6} {'false':>5} {'recall':>7}")
    for kind in KINDS:
        want = sum(key[0] == kind for key in truth)
        recall = listed[kind] / want if want else float("nan")
        print(
            f"  {kind:15} {want:5} {listed[kind]:6} {copies[kind]:6} {false[kind]:5} {recall:7.4f}"
        )


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
        subprocess.run(
            [
                sys.executable,
                "-m",
                "nianbao.crawler.cli",
                "crawl",
                "--registry",
                str(registry),
                "--out",
                str(args.out),
                "--proxy",
                server.proxy_url,
                "--loopback",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
    summary = summarize(args.out / "nianbao.db")
    warcs = sorted((args.out / "warc").glob("*.warc.gz"))
    size = sum(p.stat().st_size for p in warcs)
    print(f"simulated web: {len(world.reports)} reports, {len(world.non_reports)} other pages")
    print(
        f"crawl: {summary.pages_fetched} pages in {seconds:.1f} s "
        f"({summary.pages_fetched / seconds:.1f} pages/s incl. start-up), "
        f"{size:,} WARC bytes in {len(warcs)} files, "
        f"{summary.reports} reports stored ({len(world.reports)} in truth)"
    )
    for workers in (1, 2):
        started = time.perf_counter()
        result = reindex(warcs, args.out / f"reindex-{workers}.db", workers=workers)
        took = time.perf_counter() - started
        print(f"reindex, {workers} worker(s): {took:.1f} s, {result.records / took:.0f} records/s")
    audit_accuracy(args.out / "nianbao.db", world)


if __name__ == "__main__":
    main()

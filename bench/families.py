"""Benchmark: crawl one ~10,000-page simulated portal per CMS family, pages per second.

    uv run python bench/families.py [--pages 10000] [--out /tmp/nianbao-bench-families]

Each family portal (TRS, Hanweb, gkmlpt, iframe, onclick, trsapi) is crawled alone through the full
pipeline (fetch through its pager, WARC, read back, extract, SQLite) with loopback settings;
reports found are compared with the simulated web's truth.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from nianbao.simweb import SimServer, build_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nianbao-bench-families"))
    args = parser.parse_args()

    world = build_world(seed=0, reports=60, family_pages=args.pages)
    registry = args.out / "portals.toml"
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    registry.write_text(world.registry_toml(), encoding="utf-8")
    print(f"{'portal':12} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'reports':>9}")
    with SimServer(world) as server:
        for portal in (p for p in world.portals if p.family):
            out = args.out / portal.name
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nianbao.crawler.cli",
                    "crawl",
                    "--registry",
                    str(registry),
                    "--portal",
                    portal.name,
                    "--out",
                    str(out),
                    "--proxy",
                    server.proxy_url,
                    "--loopback",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds = time.perf_counter() - started
            conn = sqlite3.connect(out / "nianbao.db")
            pages = conn.execute(
                "select count(*) from captures where record_type = 'response'"
            ).fetchone()[0]
            found = {u for (u,) in conn.execute("select url from reports")}
            truth = {r.url for r in world.reports if r.portal == portal.name}
            print(
                f"{portal.name:12} {pages:7} {seconds:8.1f} {pages / seconds:8.1f} "
                f"{len(found & truth):4}/{len(truth):<4}"
            )


if __name__ == "__main__":
    main()

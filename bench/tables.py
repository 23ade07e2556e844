"""Benchmark: table extraction speed and cell accuracy on the simulated web.

    uv run python bench/tables.py [--reports 10000] [--seed 0]

Pages are rendered and their main text extracted first; only ``parse_tables`` (and the
identity checks) is timed, on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from pathlib import Path

from nianbao.extract import extract_report
from nianbao.extract.tables import check_identities, parse_tables
from nianbao.simweb import build_world


def cpu_name() -> str:
    """The processor's model name (Linux), else the architecture."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text(encoding="utf-8").splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    world = build_world(seed=args.seed, reports=args.reports)
    inputs = []
    for truth in world.reports:
        if not truth.tables:
            continue
        page = world.lookup(truth.url)
        headers = {k.lower(): v for k, v in page.headers}
        report = extract_report(truth.url, headers, page.body)
        html = page.body.decode(truth.encoding)
        inputs.append((truth, html, report.text))

    started = time.perf_counter()
    results = [parse_tables(html, text) for _, html, text in inputs]
    checks = [check_identities(r.cells, r.template) for r in results]
    seconds = time.perf_counter() - started

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (truth, _, _), result in zip(inputs, results, strict=True):
        got = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in result.cells}
        for cell in truth.tables:
            key = (cell.table, cell.block, cell.row, cell.column)
            total[truth.table_layout] += 1
            right[truth.table_layout] += got.get(key) == (cell.value, cell.raw)
    cells = sum(len(r.cells) for r in results)
    states = Counter(c.state for report in checks for c in report)
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"reports with tables: {len(inputs)} of {len(world.reports)}")
    print(
        f"parse_tables + checks: {seconds:.2f} s, {len(inputs) / seconds:.0f} reports/s, "
        f"{cells / seconds:,.0f} cells/s, {sum(map(len, checks)):,} identities evaluated "
        f"({states['ok']:,} ok, {states['failed']:,} failed, "
        f"{states['unchecked']:,} not checkable for blank cells)"
    )
    for layout in sorted(total):
        print(
            f"  {layout:6} cells {total[layout]:>9,}  accuracy {right[layout] / total[layout]:.4%}"
        )


if __name__ == "__main__":
    main()

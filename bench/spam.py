"""Benchmark: chrome + spam + OpenCC speed, and spam precision/recall per kind.

    uv run python bench/spam.py [--reports 10000] [--seed 0]

Timed (one core): for each report page of the simulated web, chrome removal on the main
text (`clean_lines`), spam detection (`scan_spam`) and the Simplified form (OpenCC t2s).
trafilatura's main-text extraction runs first and is not timed. Then precision and recall
of `extract_report`'s findings per kind against the simulated web's injected spam.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter

from lxml import html

from nianbao.extract import extract_report
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import SPAM_KINDS, scan_spam
from nianbao.extract.text import clean_lines, extract_main_text
from nianbao.simweb import build_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    world = build_world(seed=args.seed, reports=args.reports)
    pages = []
    for truth in world.reports:
        body = world.lookup(truth.url).body
        pages.append((truth, extract_main_text(html.fromstring(body)), body))

    started = time.perf_counter()
    for truth, raw, _ in pages:
        lines, _simple = clean_lines(raw)
        scan = scan_spam("\n".join(lines), truth.title)
        to_simplified(scan.result.clean_text)
    seconds = time.perf_counter() - started

    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for truth, _, body in pages:
        page = world.lookup(truth.url)
        report = extract_report(truth.url, {k.lower(): v for k, v in page.headers}, body)
        got = Counter((f.kind, f.injected) for f in report.spam)
        for spam in truth.spam:
            expected[spam.kind] += spam.count
            found[spam.kind] += min(spam.count, got[(spam.kind, spam.injected)])
        for (kind, _), count in got.items():
            flagged[kind] += count

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"pages: {len(pages)} reports ({sum(bool(t.spam) for t, _, _ in pages)} spam copies)")
    print(f"chrome + spam + OpenCC: {seconds:.2f} s, {len(pages) / seconds:.0f} reports/s")
    for kind in SPAM_KINDS:
        recall = found[kind] / expected[kind] if expected[kind] else float("nan")
        precision = found[kind] / flagged[kind] if flagged[kind] else float("nan")
        print(
            f"  {kind:15} injected {expected[kind]:6}  found {found[kind]:6}  "
            f"flagged {flagged[kind]:6}  recall {recall:.4f}  precision {precision:.4f}"
        )


if __name__ == "__main__":
    main()

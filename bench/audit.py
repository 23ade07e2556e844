"""Benchmark: duplicate and reuse audit time and memory; LSH recall against exact all pairs.

    uv run python bench/audit.py [--sizes 10000 100000] [--recall 2000] [--seed 0]

Synthetic archives: each report is a title, the national template (intro, headings, table 3
labels with random numbers, stock sentences) and about 45 sentences of its own drawn from a
4,000-word vocabulary. Injected: exact copies on another host (3%), next-year reuse with
changed numbers and a quarter of the sentences rewritten (3%), near duplicates with a tenth
rewritten (2%), another agency's copy (1%). Timed: a first ``run_audit`` on the whole
archive, a second after 1% more reports (incremental), peak RSS of this process and of the
signature workers. Recall: every pair whose exact Jaccard of the masked sets is at least
0.5 / 0.7, counted from an inverted index, against the LSH candidates.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import tempfile
import time
import zlib
from collections import Counter
from itertools import combinations
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.audit import boilerplate, minhash, run_audit
from nianbao.archive.audit.normalize import shingles
from nianbao.archive.store.database import Store
from nianbao.simweb.template import SECTION_HEADINGS, TEMPLATE_INTRO, table3_rows

STOCK = (
    "本报告中所列数据的统计期限自1月1日起至12月31日止。"
    "本报告的电子版可在本机关门户网站的政府信息公开专栏下载。"
    "如对本报告有任何疑问，请与本机关政府信息公开工作机构联系。"
)
SENTENCES = 45


class Corpus:
    """A seeded generator of synthetic report texts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        chars = [chr(0x4E00 + i) for i in range(0, 0x5000, 7)]  # ~2,900 characters
        self.words = [
            "".join(self.rng.choices(chars, k=self.rng.choice((2, 2, 3, 4)))) for _ in range(4000)
        ]

    def sentence(self) -> str:
        return "".join(self.rng.choices(self.words, k=self.rng.randint(6, 12))) + "。"

    def template(self) -> list[str]:
        rows = [f"{block}{row} {self.rng.randrange(200)}" for block, row in table3_rows("2019")]
        return [TEMPLATE_INTRO, *(h[0] for h in SECTION_HEADINGS), *rows, STOCK]

    def report(self, agency: str, year: int, body: list[str] | None = None) -> tuple[str, list]:
        """A report text and its own sentences."""
        body = body if body is not None else [self.sentence() for _ in range(SENTENCES)]
        title = f"{agency}{year}年政府信息公开工作年度报告"
        return "\n".join(
            [title, *body[: SENTENCES // 2], *self.template(), *body[SENTENCES // 2 :]]
        ), body

    def rewrite(self, body: list[str], share: float) -> list[str]:
        return [self.sentence() if self.rng.random() < share else s for s in body]


def generate(count: int, seed: int, start: int = 0) -> list[tuple]:
    """Rows (id, url, host, agency, year, text) of a synthetic archive with injected copies."""
    corpus = Corpus(seed)
    rows: list[tuple] = []
    bodies: list[tuple[str, int, list[str], str]] = []
    while len(rows) < count:
        n = start + len(rows)
        roll = corpus.rng.random()
        if bodies and roll < 0.09:
            agency, year, body, text = corpus.rng.choice(bodies)
            if roll < 0.03:  # exact copy elsewhere
                host = f"copy{n}.example.gov.cn"
            elif roll < 0.06:  # next year's reuse
                year += 1
                text, _ = corpus.report(agency, year, corpus.rewrite(body, 0.25))
                host = f"a{zlib.crc32(agency.encode())}.gov.cn"
            elif roll < 0.08:  # near duplicate
                text, _ = corpus.report(agency, year, corpus.rewrite(body, 0.1))
                host = f"near{n}.example.gov.cn"
            else:  # another agency's copy
                agency = f"北京市第{n}局"
                text, _ = corpus.report(agency, year, body)
                host = f"x{n}.gov.cn"
        else:
            agency, year = f"北京市第{n}局", 2019 + n % 5
            text, body = corpus.report(agency, year)
            bodies.append((agency, year, body, text))
            host = f"a{zlib.crc32(agency.encode())}.gov.cn"
        rows.append((f"r{n:07d}", f"http://{host}/nb/{n}.html", host, agency, year, text))
    return rows


def load(db_path: Path, rows: list[tuple]) -> None:
    """Insert synthetic reports (and their captures) straight into the store's tables."""
    Store(db_path).close()  # schema
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "insert into captures (id, url, host, date, record_type, status)"
            " values (?, ?, ?, '2024-01-01T00:00:00Z', 'response', 200)",
            [(f"cap-{r[0]}", r[1], r[2]) for r in rows],
        )
        conn.executemany(
            "insert into reports (id, capture_id, url, host, agency, year, script, text,"
            " text_simplified, spam_score) values (?, ?, ?, ?, ?, ?, 'Hans', ?, ?, 0)",
            [(r[0], f"cap-{r[0]}", r[1], r[2], r[3], r[4], r[5], r[5]) for r in rows],
        )
    conn.close()


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def time_audit(size: int, seed: int, folder: Path) -> None:
    db = folder / f"audit{size}.db"
    rows = generate(size + size // 100, seed)
    load(db, rows[:size])
    clock = time.perf_counter()
    first = run_audit(db)
    first_s = time.perf_counter() - clock
    load_extra = rows[size:]
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "insert into reports (id, capture_id, url, host, agency, year, script, text,"
            " text_simplified, spam_score) values (?, ?, ?, ?, ?, ?, 'Hans', ?, ?, 0)",
            [(r[0], f"cap-{r[0]}", r[1], r[2], r[3], r[4], r[5], r[5]) for r in load_extra],
        )
    conn.close()
    clock = time.perf_counter()
    second = run_audit(db)
    second_s = time.perf_counter() - clock
    print(
        f"{size:>8} {first_s:8.1f} {first.candidate_pairs:>9} {first.verified_pairs:>9} "
        f"{second.new_reports:>6} {second_s:7.1f} {second.candidate_pairs:>7} "
        f"{peak_mb(resource.RUSAGE_SELF):8.0f} {peak_mb(resource.RUSAGE_CHILDREN):8.0f}  "
        f"{dict(sorted(first.pairs.items()))}"
    )


def recall(size: int, seed: int, folder: Path) -> None:
    db = folder / f"recall{size}.db"
    load(db, generate(size, seed + 1))
    run_audit(db)
    conn = sqlite3.connect(db)
    vocabulary = boilerplate.load(Database(conn))
    assert vocabulary is not None
    sets = {
        rid: shingles(text, vocabulary.shingles)
        for rid, text in conn.execute("select id, text_simplified from reports")
    }
    postings: dict[str, list[str]] = {}
    for rid, found in sets.items():
        for shingle in found:
            postings.setdefault(shingle, []).append(rid)
    common: Counter[tuple[str, str]] = Counter()
    for ids in postings.values():
        common.update(combinations(sorted(ids), 2))
    jaccards = {
        pair: c / (len(sets[pair[0]]) + len(sets[pair[1]]) - c) for pair, c in common.items()
    }
    stored = conn.execute("select report_id, signature from audit_minhash").fetchall()
    found = minhash.candidates(stored, set(sets))
    print(f"LSH at {size} reports: {len(found)} candidates of {size * (size - 1) // 2} pairs")
    for floor in (0.5, 0.6, 0.7, 0.9):
        truth = {pair for pair, j in jaccards.items() if j >= floor}
        hit = len(truth & found)
        print(
            f"  exact Jaccard >= {floor}: {len(truth):>5} pairs, LSH recall "
            f"{hit / len(truth) if truth else 1:.3f}"
        )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--recall", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"cores available: {len(os.sched_getaffinity(0))}, signature workers: {minhash.workers()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if args.recall:
            recall(args.recall, args.seed, Path(tmp))
        print(
            f"{'reports':>8} {'first s':>8} {'cands':>9} {'verified':>9} {'+new':>6} "
            f"{'incr s':>7} {'cands':>7} {'RSS MB':>8} {'kids MB':>8}  pairs by kind"
        )
        for size in args.sizes:
            time_audit(size, args.seed, Path(tmp))


if __name__ == "__main__":
    main()

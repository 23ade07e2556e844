"""Benchmark: `nianbao search` latency over 100,000 reports, and `nianbao export` throughput.

    .venv/bin/python bench/search.py [--reports 100000] [--queries 40] [--out DIR] [--reuse]

1. A demo crawl of the simulated web (60 reports) gives the source reports. Each of the N
   bench reports is a source report with its digits redrawn, 200 characters of the corpus
   inserted at a random place (so rare phrases exist), a year and an agency number of its
   own; its stats rows are the source's. Rows go in through the store's schema, so the
   search index's triggers fill ``reports_fts`` as any ingest does.
2. Search: ``--queries`` phrases of 2, 3 and 6 characters cut from random reports (common
   words, mostly), and as many phrases held by under 0.1% of the reports (rare, found from
   the index's vocabulary: ``rare_phrases``); median and
   p95 of ``search()`` per group, the hits' snippets included, warm cache. The peer is the
   same query as ``instr`` over every report's text, which is what a database without the
   index has to do.
3. Export: the stats (long form) as CSV, JSON Lines and Parquet, rows per second; the peer is
   Debian's ``sqlite3`` shell writing the same rows as CSV (``.mode csv``).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import machine_line

from nianbao.archive.export.files import ExportRequest, export_files
from nianbao.archive.search.query import SearchQuery, search
from nianbao.archive.store.database import Store
from nianbao.archive.store.schema import TABLES

CJK = re.compile(r"[\u4e00-\u9fff]+")
LENGTHS = (2, 3, 6)
RARE_PEERS = 3  # rare phrases the instr peer is timed on
RARE = 0.001  # a rare phrase is held by fewer than this share of the reports


def demo_database(out: Path) -> Path:
    """A demo crawl's database: the source reports."""
    source = out / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.crawler.cli", "demo", "--out", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"demo failed: {done.stderr[-2000:]}")
    return source / "nianbao.db"


def build(source: Path, target: Path, count: int, rng: random.Random) -> float:
    """``count`` bench reports in a new database at ``target``; the seconds it took."""
    started = time.perf_counter()
    columns = list(TABLES["reports"])
    stat_columns = list(TABLES["stats"])
    with sqlite3.connect(source) as src:
        reports = [
            dict(zip(columns, row, strict=True))
            for row in src.execute(
                f"select {', '.join(columns)} from reports where length(text) > 500"
            )
        ]
        stats: dict[str, list[tuple]] = {}
        for row in src.execute(f"select {', '.join(stat_columns)} from stats"):
            stats.setdefault(row[1], []).append(row)
    corpus = "".join(CJK.findall("".join(r["text_simplified"] for r in reports)))
    Store(target).close()  # the schema, the index and its triggers
    db = sqlite3.connect(target)
    db.execute("pragma journal_mode = wal")
    db.execute("pragma synchronous = off")
    marks = ", ".join("?" * len(columns))
    report_sql = f"insert into reports ({', '.join(columns)}) values ({marks})"
    stat_marks = ", ".join("?" * len(stat_columns))
    stat_sql = f"insert into stats ({', '.join(stat_columns)}) values ({stat_marks})"
    for number in range(count):
        base = rng.choice(reports)
        rid = f"b{number:07d}"
        text = re.sub(r"\d", lambda _: str(rng.randrange(10)), base["text_simplified"])
        at = rng.randrange(len(text))
        cut = rng.randrange(len(corpus) - 200)
        text = text[:at] + corpus[cut : cut + 200] + text[at:]
        row = {
            **base,
            "id": rid,
            "url": f"http://bench{number % 997}.gov.cn/{rid}.html",
            "text": text,
            "text_simplified": text,
            "text_original": text,
            "year": 2008 + number % 16,
            "agency": f"{base['agency']}{number % 3000}",
        }
        db.execute(report_sql, [row[c] for c in columns])
        db.executemany(
            stat_sql, [(f"{rid}:{s[0]}", rid, *s[2:]) for s in stats.get(base["id"], ())]
        )
        if number % 5000 == 4999:
            db.commit()
            print(f"  built {number + 1:,} reports", flush=True)
    db.commit()
    db.close()
    return time.perf_counter() - started


def phrases(db: Path, rng: random.Random, length: int, wanted: int, rare: bool) -> list[str]:
    """Phrases of ``length`` CJK characters cut from random reports; with ``rare``, phrases
    held by under RARE of the reports (``rare_phrases``)."""
    if rare:
        return rare_phrases(db, rng, length, wanted)
    found: list[str] = []
    with sqlite3.connect(db) as conn:
        (total,) = conn.execute("select max(rowid) from reports").fetchone()
        while len(found) < wanted:
            (text,) = conn.execute(
                "select text from reports where rowid = ?", [rng.randrange(1, total + 1)]
            ).fetchone()
            runs = [run for run in CJK.findall(text) if len(run) >= length]
            if not runs:
                continue
            run = rng.choice(runs)
            at = rng.randrange(len(run) - length + 1)
            found.append(run[at : at + length])
    return found


def rare_phrases(db: Path, rng: random.Random, length: int, wanted: int) -> list[str]:
    """Rare phrases, found from the index's vocabulary: every text is a source report's with
    200 of the corpus's characters inserted, so phrases cut at random are held by about one
    report in 60, and the rare ones sit where a run was inserted (trigrams few reports hold).
    A 2-character phrase is a rare trigram's start that begins few reports' trigrams; a
    6-character one is a rare trigram with the three characters after it in a report."""
    found: list[str] = []
    with sqlite3.connect(db) as conn:
        (total,) = conn.execute("select count(*) from reports").fetchone()
        limit = max(2, int(total * RARE))
        terms = conn.execute(
            "select term from reports_fts_terms where doc < ? limit 200000", [limit]
        ).fetchall()
        rng.shuffle(terms)
        for (term,) in terms:
            if len(found) >= wanted:
                break
            if len(term) != 3 or not CJK.fullmatch(term):
                continue
            if length == 3:
                phrase = term
            elif length == 2:
                phrase = term[:2]
                (held,) = conn.execute(
                    "select coalesce(sum(doc), 0) from reports_fts_terms"
                    " where term >= ? and term < ?",
                    [phrase, phrase + "\U0010ffff"],
                ).fetchone()
                if held >= limit:
                    continue
            else:
                row = conn.execute(
                    "select r.text from reports_fts f join reports r on r.rowid = f.rowid"
                    " where reports_fts match ? limit 1",
                    [f'"{term}"'],
                ).fetchone()
                text = row[0] if row else ""
                at = text.find(term)
                phrase = text[at : at + length] if at >= 0 else ""
                if not CJK.fullmatch(phrase or "x") or len(phrase) != length:
                    continue
            if phrase not in found:
                found.append(phrase)
    return found


def timed(db: Path, query: str) -> float:
    started = time.perf_counter()
    search(db, SearchQuery(query))
    return (time.perf_counter() - started) * 1000


def peer_scan(db: Path, query: str) -> float:
    started = time.perf_counter()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "select id from reports where instr(text, ?) > 0 or instr(text_simplified, ?) > 0"
            " limit 20",
            [query, query],
        ).fetchall()
    return (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"median {statistics.median(times):7.1f} ms, p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nianbao-search"))
    parser.add_argument(
        "--reuse", action="store_true", help="time the database an earlier run built in --out"
    )
    args = parser.parse_args()
    print(machine_line())
    rng = random.Random(15)
    db = args.out / "bench.db"
    if not (args.reuse and db.exists()):
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        seconds = build(demo_database(args.out), db, args.reports, rng)
        print(f"{args.reports:,} reports in {seconds:.0f} s (indexed by triggers)")
    size = sum(p.stat().st_size for p in args.out.glob("bench.db*"))
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("select count(*) from reports").fetchone()
    print(f"{count:,} reports, {size / 1e9:.2f} GB with the index")
    search(db, SearchQuery("政府信息公开"))  # warm the cache
    for rare in (False, True):
        for length in LENGTHS:
            queries = phrases(db, rng, length, args.queries, rare)
            ours = [timed(db, q) for q in queries]
            # a rare phrase is a full scan for the peer (30 s at 100,000 reports): a few do
            peer = [peer_scan(db, q) for q in (queries[:RARE_PEERS] if rare else queries)]
            kind = "rare " if rare else "common"
            mine, theirs = summary(ours), summary(peer)
            print(f"search {kind} {length} chars: nianbao {mine} | instr scan {theirs}")
    out = args.out / "export"
    for fmt in ("csv", "jsonl", "parquet"):
        done = export_files(ExportRequest(db, out, (fmt,), ("stats",))).files[0]
        rate = done.rows / done.seconds
        print(
            f"export stats as {fmt}: {done.rows:,} rows in {done.seconds:.1f} s, {rate:,.0f} rows/s"
        )
    started = time.perf_counter()
    with (out / "peer.csv").open("wb") as fh:
        subprocess.run(
            ["sqlite3", "-csv", "-header", str(db), "select * from stats"], stdout=fh, check=True
        )
    elapsed = time.perf_counter() - started
    print(f"peer: sqlite3 -csv, same rows: {done.rows / elapsed:,.0f} rows/s")


if __name__ == "__main__":
    main()

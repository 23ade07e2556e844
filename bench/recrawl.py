"""Benchmark: a re-crawl into the same folder against the first crawl; killed crawls resumed.

    .venv/bin/python bench/recrawl.py [--reports 2500] [--family-pages 0] [--seed 0]
        [--out /tmp/recrawl-bench] [--quick] [--changed] [--kills K] [--kill-seed 20261206]

Serves ``build_world(seed, reports)`` from a forked child process (its own GIL) and runs
``nianbao crawl --loopback --proxy`` (a subprocess) twice into ``OUT/recrawl``: the first
crawl, then a re-crawl of the unchanged simulated web. Per run: wall time, pages (the
crawl's own count and the requests the server received), conditional requests and 304
answers, WARC bytes the run wrote (the files new in OUT/recrawl/warc after it), their ratio
to the first run's, and the new files' records by type and revisit records by WARC-Profile
(read with warcio). The default size is about 10,000 pages; ``--quick`` is 200 reports
(about 1,000 pages).

``--changed`` adds a third run into the same folder, against ``build_world(seed, reports,
run=1)`` (the web after one change step: edits, removals, new reports).

``--kills K`` crawls into ``OUT/kills`` K times, each a subprocess in its own session whose
process group gets SIGKILL once the archive passes a random size (growing; the sizes drawn
as tests/test_resume.py draws them, from the first crawl's archive size), then runs it to
its end. Reported: WARC files left ``.open`` (must be 0), whether the final run's stdout
says "resumed an unfinished crawl", and the (method, URL) request records archived more
than once across the folder's WARCs against the first (uninterrupted) crawl's files.

Prints a table of the figures and one line of JSON with them all.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from common import machine_line
from warcio.archiveiterator import ArchiveIterator

from nianbao.simweb import SimServer, World, build_world

QUICK_REPORTS = 200  # about 1,000 pages
DEFAULT_REPORTS = 2500  # about 10,000 pages (10,134 for seed 0)
SAID = (" pages in ", "resumed an unfinished crawl", "archived as revisit records")  # echoed
ENV = {**os.environ, "COLUMNS": "250"}  # the crawl's rich console: one line per figure


def serve(world: World, conn: Connection, log: Path) -> None:
    """Child process: serve ``world``, send the proxy URL; then answer each message with
    the requests and conditional requests received so far, until terminated. Its stderr
    goes to ``log``: a killed crawl's dropped connections print a traceback each."""
    with log.open("ab") as fh:
        os.dup2(fh.fileno(), 2)
    server = SimServer(world)
    server.start()
    conn.send(server.proxy_url)
    while True:
        conn.recv()
        conn.send((list(server.requests), list(server.conditionals)))


class Web:
    """A forked child process serving one world; ``seen()`` is what it received so far."""

    def __init__(self, world: World, log: Path) -> None:
        self.conn, theirs = multiprocessing.Pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=serve, args=(world, theirs, log), daemon=True)
        self.process.start()
        self.proxy: str = self.conn.recv()

    def seen(self) -> tuple[list[tuple[str, str]], list[tuple[str, str | None, str | None, int]]]:
        self.conn.send("seen")
        return self.conn.recv()

    def close(self) -> None:
        self.process.terminate()
        self.process.join()


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    pages: int = 0  # the crawl's own count ("N pages in")
    requests: int = 0  # requests the simulated web received
    conditional: int = 0  # of them with If-None-Match / If-Modified-Since
    not_modified: int = 0  # answered 304
    files: int = 0  # WARC files new after the run
    bytes: int = 0
    ratio: float = 0.0  # bytes / the first run's bytes
    reports: int = 0  # the crawl's own count
    records: dict[str, int] = field(default_factory=dict)  # WARC-Type -> records
    revisits: dict[str, int] = field(default_factory=dict)  # WARC-Profile's last part -> n


def crawl_cmd(registry: Path, out: Path, proxy: str, prefix: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--registry", str(registry)]
    cmd += ["--out", str(out), "--proxy", proxy, "--loopback"]
    return cmd + (["--prefix", prefix] if prefix else [])


def warc_files(out: Path) -> set[Path]:
    return set((out / "warc").glob("*.warc.gz"))


def stdout_int(stdout: str, pattern: str) -> int:
    found = re.search(pattern, stdout)
    return int(found.group(1).replace(",", "")) if found else -1


def record_counts(paths: list[Path]) -> tuple[Counter[str], Counter[str]]:
    """Records by WARC-Type, and revisit records by (the last part of) WARC-Profile."""
    types: Counter[str] = Counter()
    profiles: Counter[str] = Counter()
    for path in paths:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                types[record.rec_type] += 1
                if record.rec_type == "revisit":
                    profile = record.rec_headers.get_header("WARC-Profile") or "(none)"
                    profiles[profile.rsplit("/", 1)[-1]] += 1
    return types, profiles


def archived(paths: list[Path]) -> Counter[tuple[str, str]]:
    """(method, URL) of every request record, counted (as tests/test_resume.py counts)."""
    counts: Counter[tuple[str, str]] = Counter()
    for path in paths:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request" and record.http_headers is not None:
                    method = record.http_headers.statusline.split(" ")[0]
                    counts[(method, record.rec_headers.get_header("WARC-Target-URI"))] += 1
    return counts


def run_crawl(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    """Run a crawl to its end; exit naming ``what`` when it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=ENV)
    if done.returncode != 0:
        sys.exit(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def crawl_run(name: str, web: Web, registry: Path, out: Path, first: Run | None) -> Run:
    """One crawl into ``out`` against ``web``; its figures from what it added."""
    before = warc_files(out)
    requests, conditionals = web.seen()
    started = time.perf_counter()
    done = run_crawl(crawl_cmd(registry, out, web.proxy, name), f"crawl {name}")
    seconds = time.perf_counter() - started
    after_requests, after_conditionals = web.seen()
    new = sorted(warc_files(out) - before)
    types, profiles = record_counts(new)
    run = Run(
        name,
        seconds=seconds,
        pages=stdout_int(done.stdout, r": ([\d,]+) pages in "),
        requests=len(after_requests) - len(requests),
        conditional=len(after_conditionals) - len(conditionals),
        not_modified=sum(1 for c in after_conditionals[len(conditionals) :] if c[3] == 304),
        files=len(new),
        bytes=sum(p.stat().st_size for p in new),
        reports=stdout_int(done.stdout, r"WARC bytes, ([\d,]+) reports?"),
        records=dict(sorted(types.items())),
        revisits=dict(sorted(profiles.items())),
    )
    run.ratio = run.bytes / first.bytes if first is not None and first.bytes else 1.0
    said = [line for line in done.stdout.splitlines() if any(m in line for m in SAID)]
    print(f"{name}: wall {run.seconds:.1f} s; " + " | ".join(said), flush=True)
    return run


def archive_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in (out / "warc").glob("*.warc.gz*") if p.is_file())


def kill_when(process: subprocess.Popen[str], out: Path, size: int, timeout: float) -> bool:
    """SIGKILL the crawl's process group once its archive passes ``size`` bytes; False when
    the crawl ended first (as tests/test_resume.py does)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if (out / "warc").is_dir() and archive_bytes(out) >= size:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return True
        time.sleep(0.02)
    if process.poll() is None:  # past the deadline: stop it all the same, as a kill
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        return True
    return False


def killed_crawls(
    kills: int, seed: int, web: Web, registry: Path, out: Path, once: list[Path], first: Run
) -> dict[str, object]:
    """K crawls killed at random archive sizes, then one to the end; the figures, against
    ``first`` (an uninterrupted crawl of the same web, its WARC files ``once``)."""
    total = first.bytes
    rng = random.Random(seed)
    requests, _ = web.seen()
    landed, size, sizes = 0, 0, []
    started = time.perf_counter()
    for _ in range(kills):
        size += rng.randrange(total // (2 * kills), total // kills)
        sizes.append(size)
        process = subprocess.Popen(
            crawl_cmd(registry, out, web.proxy, None),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            env=ENV,
        )
        landed += kill_when(process, out, size, timeout=1800)
    final = run_crawl(crawl_cmd(registry, out, web.proxy, None), "final crawl after the kills")
    seconds = time.perf_counter() - started
    resumed = [line for line in final.stdout.splitlines() if "resumed an unfinished crawl" in line]
    print(f"kills: final run: {resumed[0] if resumed else '(no resume line)'}", flush=True)
    after, _ = web.seen()
    wire = Counter(after[len(requests) :])
    warcs = sorted((out / "warc").glob("*.warc.gz"))
    again, single = archived(warcs), archived(once)
    return {
        "kills": kills,
        "kills_landed": landed,
        "kill_sizes": sizes,
        "seconds_all_runs": round(seconds, 1),
        "warc_files": len(warcs),
        "open_files": len(list((out / "warc").glob("*.open"))),
        "resumed_line": bool(resumed),
        "request_records": sum(again.values()),
        "request_records_single": sum(single.values()),
        "keys_archived_more_than_once": sum(1 for n in again.values() if n > 1),
        "keys_archived_more_than_once_single": sum(1 for n in single.values() if n > 1),
        "keys_archived_more_often_than_single": sum(
            1 for key, n in again.items() if n > single[key]
        ),
        "keys_missing_vs_single": len(set(single) - set(again)),
        "keys_extra_vs_single": len(set(again) - set(single)),
        "requests_on_wire": sum(wire.values()),
        "requests_on_wire_single": first.requests,
    }


def print_table(runs: list[Run], kills: dict[str, object] | None) -> None:
    print(
        f"\n{'run':8} {'seconds':>8} {'pages':>6} {'requests':>8} {'cond.':>6} {'304':>6}"
        f" {'files':>5} {'WARC bytes':>12} {'ratio':>6} {'reports':>7}  revisits by profile"
    )
    for r in runs:
        profiles = ", ".join(f"{k} {v}" for k, v in r.revisits.items()) or "-"
        print(
            f"{r.name:8} {r.seconds:8.1f} {r.pages:6} {r.requests:8} {r.conditional:6}"
            f" {r.not_modified:6} {r.files:5} {r.bytes:12,} {r.ratio:6.3f} {r.reports:7}"
            f"  {profiles}"
        )
    print(
        "pages: the crawl's count; requests: the simulated web's; cond.: of them conditional;"
        " files, WARC bytes: new after the run; ratio: bytes / first's; reports: stored by it"
    )
    print("\nrecords by WARC-Type in each run's new files:")
    for r in runs:
        print(f"  {r.name:8} " + ", ".join(f"{k} {v}" for k, v in r.records.items()))
    if kills is not None:
        print(
            f"\nkilled and resumed crawl ({kills['kills_landed']}/{kills['kills']} kills landed):"
        )
        for key, value in kills.items():
            if key not in ("kills", "kills_landed"):
                print(f"  {key:40} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=None, help=f"default {DEFAULT_REPORTS}")
    parser.add_argument("--family-pages", type=int, default=0, help="build_world's family_pages")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/recrawl-bench"))
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPORTS} reports")
    parser.add_argument("--changed", action="store_true", help="a third run, the web at run=1")
    parser.add_argument("--kills", type=int, default=0, metavar="K")
    parser.add_argument("--kill-seed", type=int, default=20261206)
    args = parser.parse_args()
    reports = args.reports or (QUICK_REPORTS if args.quick else DEFAULT_REPORTS)
    out: Path = args.out
    for sub in ("recrawl", "kills"):
        shutil.rmtree(out / sub, ignore_errors=True)
    recrawl = out / "recrawl"
    recrawl.mkdir(parents=True)
    print(machine_line())
    world = build_world(seed=args.seed, reports=reports, family_pages=args.family_pages)
    registry = out / "portals.toml"
    registry.write_text(world.registry_toml(), encoding="utf-8")
    print(
        f"simulated web: seed {args.seed}, {reports} reports asked, family_pages "
        f"{args.family_pages}: {len(world.reports)} reports, {len(world.non_reports)} other pages",
        flush=True,
    )

    runs: list[Run] = []
    kills: dict[str, object] | None = None
    log = out / "server.log"
    log.unlink(missing_ok=True)
    web = Web(world, log)
    try:
        first = crawl_run("first", web, registry, recrawl, None)
        runs.append(first)
        once = sorted(warc_files(recrawl))  # one uninterrupted crawl's files
        runs.append(crawl_run("again", web, registry, recrawl, first))
        if args.kills:
            kills = killed_crawls(
                args.kills, args.kill_seed, web, registry, out / "kills", once, first
            )
    finally:
        web.close()
    if args.changed:
        changed = build_world(
            seed=args.seed, reports=reports, family_pages=args.family_pages, run=1
        )
        if changed.registry_toml() != world.registry_toml():
            print("note: the changed world's registry differs; the first one is used")
        c = changed.changes
        print(
            f"change step 1: {len(c.edited)} edited, {len(c.removed)} removed, "
            f"{len(c.added)} added reports",
            flush=True,
        )
        web = Web(changed, log)
        try:
            runs.append(crawl_run("changed", web, registry, recrawl, first))
        finally:
            web.close()

    print_table(runs, kills)
    tracebacks = log.read_text(encoding="utf-8", errors="replace").count("Traceback")
    print(f"\nsimulated web's stderr: {log} ({tracebacks} tracebacks)")
    figures = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
        },
        "seed": args.seed,
        "reports": reports,
        "family_pages": args.family_pages,
        "runs": [
            asdict(r) | {"seconds": round(r.seconds, 2), "ratio": round(r.ratio, 4)} for r in runs
        ],
        "kills": kills,
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

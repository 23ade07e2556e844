"""Benchmark: nianbao against its peers on one simulated web, in one run.

    .venv/bin/python bench/peers.py [--reports 600] [--seed 0] [--out /tmp/nianbao-peers]
                                    [--latency 0] [--fetch-only]

Serves ``build_world(seed, reports)`` from a forked child process (its own GIL), then:

1. ``nianbao crawl`` (subprocess): wall time, and from crawl.log's Scrapy stats the
   fetch+archive phase (``elapsed_time_seconds``) and the close's wait for extraction
   (``nianbao/ingest_wait_seconds``): "archive rate" = responses / elapsed, "database-complete
   rate" = responses / wall (start-up included).
2. plain Scrapy (subprocess, a spider written to the out folder) fetching the GET URLs that
   nianbao archived, ``dont_filter=True``, through the same proxy, nianbao's loopback
   concurrency, no redirects or retries (nianbao's list already holds their hops), no archive,
   no extraction; with CONCURRENT_ITEMS=8 (nianbao's) and Scrapy's default 100.
3. ``wget --warc-file`` on the same list, one connection, no redirects, one try.
4. ``nianbao.extract.extract_report`` vs ``trafilatura.extract`` (defaults) over the HTML
   report pages (the truth's report URLs) in nianbao's WARCs.
5. ``reindex`` with 1 and 2 workers vs warcio's ArchiveIterator reading every record's
   content stream.

``--latency S`` makes every answer S seconds late, as across a real network (loopback has
none, so the tools' CPU alone sets the pace); ``--fetch-only`` stops after 3.

"server CPU" is the simulated web's user+system CPU seconds during a fetch phase: near the
phase's wall time means the server, not the tool, set the pace.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from common import begin, serve, warcio_records

from nianbao.archive.ingest.reindex import reindex
from nianbao.archive.warc.reader import Capture, iter_captures
from nianbao.extract import extract_report

SPIDER = """\
import json, sys, time
from pathlib import Path
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.downloadermiddlewares import cookies
from tldextract import TLDExtract

# as nianbao does: the cookie middleware's suffix list from the package, never the network
cookies._split_domain = TLDExtract(
    cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True
)
urls, proxy, items = Path(sys.argv[1]).read_text().split(), sys.argv[2], int(sys.argv[3])

class Plain(scrapy.Spider):
    name = "plain"

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, dont_filter=True, meta={"proxy": proxy})

    def parse(self, response):
        return None

process = CrawlerProcess({
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "CONCURRENT_ITEMS": items,
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
    "REDIRECT_ENABLED": False, "METAREFRESH_ENABLED": False, "RETRY_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True, "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False, "LOG_LEVEL": "WARNING",
})
crawler = process.create_crawler(Plain)
process.crawl(crawler)
process.start()
stats = crawler.stats.get_stats()
print(json.dumps({"responses": stats.get("downloader/response_count", 0),
                  "elapsed": stats.get("elapsed_time_seconds", 0.0)}))
"""


@dataclass
class Row:
    tool: str
    seconds: float
    count: int
    unit: str
    base: str  # the row whose rate this one is compared with
    server_cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(cmd: list[str], pid: int, **kw: object) -> tuple[float, float, str]:
    """Run ``cmd``; its wall seconds, the server's CPU seconds meanwhile, and its stdout."""
    cpu, started = cpu_seconds(pid), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 8):  # wget exits 8 when some answer was an HTTP error
        sys.exit(f"{cmd[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, cpu_seconds(pid) - cpu, done.stdout


def stat(log: str, name: str) -> float:
    """A number from the Scrapy stats dump in crawl.log."""
    found = re.search(rf"'{re.escape(name)}': ([0-9.]+)", log)
    if not found:
        sys.exit(f"{name} not in crawl.log's stats dump")
    return float(found.group(1))


def fetched(warcs: list[Path]) -> tuple[list[str], list[Capture]]:
    """The GET response URLs nianbao archived (in order, repeats kept), and its responses."""
    posts: set[str] = set()  # response ids whose request had a body (a form POST)
    responses: list[Capture] = []
    for path in warcs:
        for capture in iter_captures(path):
            if capture.record_type == "request" and capture.body and capture.concurrent_to:
                posts.add(capture.concurrent_to)
            elif capture.record_type == "response" and capture.url:
                responses.append(capture)
    return [c.url for c in responses if c.record_id not in posts and c.url], responses


def per_second(func: object, items: list[object]) -> float:
    started = time.perf_counter()
    for item in items:
        func(item)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nianbao-peers"))
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--fetch-only", action="store_true", help="no extraction or reindex")
    args = parser.parse_args()
    out: Path = args.out
    world, registry = begin(out, args.seed, args.reports)
    if args.latency:
        print(f"latency: every answer {args.latency * 1000:.0f} ms late")

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(world, theirs, args.latency)
    )
    server.start()
    try:
        proxy = ours.recv()
        rows = fetch_rows(out, registry, proxy, server.pid or 0, args.latency)
    finally:
        server.terminate()
        server.join()
    if args.fetch_only:
        print_table(rows)
        return

    warcs = sorted((out / "nianbao" / "warc").glob("*.warc.gz"))
    _, responses = fetched(warcs)
    pages = [
        c
        for c in responses
        if c.status == 200 and c.mime == "text/html" and c.url in world.by_url and c.body
    ]
    ours_s = per_second(lambda c: extract_report(c.url, c.headers_lower(), c.body), pages)
    theirs_s = per_second(lambda c: trafilatura.extract(c.body), pages)
    rows += [
        Row("trafilatura.extract", theirs_s, len(pages), "pages", "trafilatura.extract"),
        Row("nianbao extract_report", ours_s, len(pages), "pages", "trafilatura.extract"),
    ]

    started = time.perf_counter()
    records = warcio_records(warcs)
    rows.append(Row("warcio iterate+read", time.perf_counter() - started, records, "records", ""))
    rows[-1].base = rows[-1].tool
    for workers in (1, 2):
        started = time.perf_counter()
        done = reindex(warcs, out / f"reindex-{workers}" / "nianbao.db", workers=workers)
        took = time.perf_counter() - started
        rows.append(Row(f"nianbao reindex w={workers}", took, done.records, "records", ""))
        rows[-1].base = "warcio iterate+read"
    print_table(rows)


def fetch_rows(out: Path, registry: Path, proxy: str, pid: int, latency: float) -> list[Row]:
    """Crawl with nianbao, then fetch its URL list with plain Scrapy and wget."""
    nb = out / "nianbao"
    wall, cpu, _ = timed(
        [sys.executable, "-m", "nianbao.crawler.cli", "crawl", "--registry", str(registry)]
        + ["--out", str(nb), "--proxy", proxy, "--loopback", "--prefix", "peers"],
        pid,
    )
    log = (nb / "crawl.log").read_text(encoding="utf-8")
    responses = int(stat(log, "downloader/response_count"))
    elapsed = stat(log, "elapsed_time_seconds")
    wait = stat(log, "nianbao/ingest_wait_seconds")
    print(
        f"nianbao crawl: {responses} responses, wall {wall:.1f} s, spider open->close "
        f"{elapsed:.1f} s, ingest wait at close {wait:.1f} s, server CPU {cpu:.1f} s"
    )
    urls, _ = fetched(sorted((nb / "warc").glob("*.warc.gz")))
    listing = out / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    print(f"URL list: {len(urls)} GET responses ({len(set(urls))} distinct URLs)")
    base = "plain Scrapy items=8 (wall)"
    rows = [
        Row("nianbao crawl (archive rate)", elapsed, responses, "req", base),
        Row("nianbao crawl (db-complete, wall)", wall, responses, "req", base, cpu),
    ]
    spider = out / "plain_spider.py"
    spider.write_text(SPIDER, encoding="utf-8")
    for items in (8, 100):
        wall, cpu, printed = timed(
            [sys.executable, str(spider), str(listing), proxy, str(items)], pid, cwd=out
        )
        got = json.loads(printed.strip().splitlines()[-1])  # the spider's last line
        rows.append(
            Row(f"plain Scrapy items={items} (wall)", wall, got["responses"], "req", base, cpu)
        )
        rows.append(
            Row(
                f"plain Scrapy items={items} (elapsed)",
                got["elapsed"],
                got["responses"],
                "req",
                base,
            )
        )
    if latency:  # one connection: it would measure the latency alone
        print("wget: not run with --latency")
        return rows
    wget = shutil.which("wget") or "/usr/bin/wget"
    (out / "wget").mkdir(exist_ok=True)  # wget does not make the folder of --warc-file
    wall, cpu, _ = timed(
        [wget, "-q", "-i", str(listing), "-e", "use_proxy=yes", "-e", f"http_proxy={proxy}"]
        + ["--warc-file", str(out / "wget" / "wget"), "--no-warc-keep-log", "-O", "/dev/null"]
        + ["--max-redirect=0", "--tries=1"],
        pid,
        env={k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
    )
    rows.append(Row("wget --warc-file (1 conn)", wall, len(urls), "req", base, cpu))
    return rows


def print_table(rows: list[Row]) -> None:
    rate = {row.tool: row.rate for row in rows}
    print(f"\n{'tool':36} {'seconds':>8} {'count':>6} {'rate':>13} {'ratio':>6} {'srv CPU':>8}  vs")
    for row in rows:
        ratio = row.rate / rate[row.base] if rate.get(row.base) else float("nan")
        srv = f"{row.server_cpu:8.1f}" if row.server_cpu is not None else f"{'':8}"
        print(
            f"{row.tool:36} {row.seconds:8.2f} {row.count:6} {row.rate:9.1f} {row.unit + '/s':<3}"
            f" {ratio:6.2f} {srv}  {row.base}"
        )


if __name__ == "__main__":
    main()

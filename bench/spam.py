"""Benchmark: spam detection speed, and recall/precision per kind on words it never saw.

    uv run python bench/spam.py [--reports 10000] [--seed 0]

Timed (one core): for each report page of the simulated web, chrome removal on the main
text (`clean_lines`), spam detection (`scan_spam`) and the Simplified form (OpenCC t2s).
trafilatura's main-text extraction runs first and is not timed.

Then, per kind, the findings against the injected spam of three worlds built from the same
seed (simweb.spam_vocab): "known" (words the detector's lexicon may hold), "heldout" (words
it must not hold, in the known brand shapes) and "novel" (held-out words in brand shapes the
detector was not written for). Each world is measured twice: "page only" is
`extract_report` on each page alone; "with the other copies in the archive" stores every
report of the world in one database and runs `restore_all`, which compares each spam copy
with the clean original it copied (archive/restore/copies.py), as a crawl that archived
both does. A finding counts when its kind and its injected string are exactly the truth's.
Findings on the bait reports (clean reports about lotteries, sports venues and apps) and on
every real page in ../shared/real/pages must be 0.

Last, held-out spam injected into the real report pages in the shapes of REPORT_FORMAT.md
(issue 11's harness): the agency name replaced by a brand everywhere in the page; 公开 (and
政府) replaced by a term throughout, title included; a stuffed header as the <title>'s
prefix and the first line of the body.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from html import escape as html_escape
from pathlib import Path

from lxml import html

from nianbao.archive.restore import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import report_id, report_rows
from nianbao.archive.warc.reader import sha1_digest
from nianbao.extract import extract_report
from nianbao.extract.report import Report
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import SPAM_KINDS, SpamFinding, scan_spam
from nianbao.extract.text import clean_lines, extract_main_text
from nianbao.simweb import build_world
from nianbao.simweb.spam import make_brand, make_stuffed_line, make_swap_term
from nianbao.simweb.spam_vocab import HELDOUT
from nianbao.simweb.truth import TruthReport
from nianbao.simweb.world import World

REAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "pages"
HEADERS = {"content-type": "text/html; charset=utf-8"}
VOCABULARIES = ("known", "heldout", "novel")
# The name each real report page's hijack replaces (read from its title by hand).
REAL_NAMES = {
    "pingtan_2013_dsj_report_80774.html": "平潭综合实验区地方税务局",
    "pingtan_2019_report_80576.html": "平潭综合实验区",
    "pingtan_2024_report_97791.html": "平潭综合实验区",
    "pingtan_2025_report_105587.html": "平潭综合实验区",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for name in VOCABULARIES:
        world = build_world(seed=args.seed, reports=args.reports, spam_vocabulary=name)
        if name == "known":
            timed(world)
        measure(world, name)
    real_pages()
    injected_real(random.Random(args.seed))


def timed(world: World) -> None:
    pages = [
        (t, extract_main_text(html.fromstring(world.lookup(t.url).body))) for t in world.reports
    ]
    started = time.perf_counter()
    for truth, raw in pages:
        lines, _simple = clean_lines(raw)
        scan = scan_spam("\n".join(lines), truth.title)
        to_simplified(scan.result.clean_text)
    seconds = time.perf_counter() - started
    spam = sum(bool(t.spam) for t, _ in pages)
    print(f"pages: {len(pages)} reports ({spam} spam copies)")
    print(f"chrome + spam + OpenCC: {seconds:.2f} s, {len(pages) / seconds:.0f} reports/s")


Findings = Callable[[TruthReport], Counter[tuple[str, str]]]


def measure(world: World, name: str) -> None:
    """Page only (extract_report), then with every copy in one archive (restore_all)."""
    reports = {t.url: extract(world, t.url) for t in world.reports}
    score(world, f"vocabulary {name}, page only", lambda t: found_in(reports[t.url].spam))
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        for number, truth in enumerate(world.reports):
            if not reports[truth.url].is_report:  # ingest stores reports only
                continue
            digest = sha1_digest(world.lookup(truth.url).body)
            rows = report_rows(truth.url, f"<urn:uuid:{number}>", digest, reports[truth.url])
            store.put_report(rows.report, rows.children, "2026-01-01T00:00:00Z")
        started = time.perf_counter()
        with store.transaction():
            restore_all(store.db)
        seconds = time.perf_counter() - started
        by_report: dict[str, Counter[tuple[str, str]]] = {}
        for rid, kind, injected in store.db.execute(
            "select report_id, kind, injected from spam_findings"
        ):
            by_report.setdefault(rid, Counter())[(kind, injected)] += 1
        ids = {
            t.url: report_id(t.url, sha1_digest(world.lookup(t.url).body)) for t in world.reports
        }
        score(
            world,
            f"vocabulary {name}, with the other copies in the archive (restore_all "
            f"{seconds:.1f} s)",
            lambda t: by_report.get(ids[t.url], Counter()),
        )
        store.close()


def extract(world: World, url: str) -> Report:
    page = world.lookup(url)
    return extract_report(url, {k.lower(): v for k, v in page.headers}, page.body)


def found_in(findings: Iterable[SpamFinding]) -> Counter[tuple[str, str]]:
    return Counter((f.kind, f.injected) for f in findings)


def score(world: World, label: str, findings_of: Findings) -> None:
    """Recall and precision per kind over every report of ``world``; findings on bait."""
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    bait_findings = 0
    for truth in world.reports:
        got = findings_of(truth)
        for spam in truth.spam:
            expected[spam.kind] += spam.count
            found[spam.kind] += min(spam.count, got[(spam.kind, spam.injected)])
        for (kind, _), count in got.items():
            flagged[kind] += count
        if truth.topics and not truth.spam:  # a mirror copy of a bait report is spam
            bait_findings += sum(got.values())
    copies = sum(bool(t.spam) for t in world.reports)
    bait = sum(bool(t.topics) and not t.spam for t in world.reports)
    print(f"{label}: {copies} spam copies, {bait} bait reports, findings on bait: {bait_findings}")
    for kind in SPAM_KINDS:
        print(row(kind, expected[kind], found[kind], flagged[kind]))


def row(kind: str, expected: int, found: int, flagged: int) -> str:
    recall = found / expected if expected else float("nan")
    precision = found / flagged if flagged else float("nan")
    return (
        f"  {kind:15} injected {expected:6}  found {found:6}  flagged {flagged:6}  "
        f"recall {recall:.4f}  precision {precision:.4f}"
    )


def real_pages() -> None:
    if not REAL.is_dir():
        print(f"real pages: {REAL} not found, skipped")
        return
    for path in sorted(REAL.glob("*.html")):
        report = extract_report(real_url(path), HEADERS, path.read_bytes())
        print(f"real page {path.name}: report {report.is_report}, findings {len(report.spam)}")


def real_url(path: Path) -> str:
    return f"https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/{path.stem}.htm"


def injected_real(rng: random.Random) -> None:
    """Held-out spam in the real report pages, measured as in issue 11."""
    if not REAL.is_dir():
        return
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    still_reports = 0
    for file, name in REAL_NAMES.items():
        markup = (REAL / file).read_text(encoding="utf-8")
        for kind, spammed, needles in variants(markup, name, rng):
            report = extract_report(real_url(REAL / file), HEADERS, spammed.encode())
            still_reports += report.is_report
            got = Counter((f.kind, f.place, f.injected) for f in report.spam)
            pages[kind] += 1
            hit = True
            for place, needle in needles:
                count = max(1, report.text_original.count(needle)) if place == "text" else 1
                expected[kind] += count
                found[kind] += min(count, got[(kind, place, needle)])
                hit = hit and got[(kind, place, needle)] >= count
            caught[kind] += hit and report.is_report
            for (k, _, _), count in got.items():
                flagged[k] += count
    total = sum(pages.values())
    print(f"real report pages with held-out spam: {total} pages, still reports {still_reports}")
    for kind in ("entity_hijack", "keyword_swap", "stuffed_header"):
        print(
            row(kind, expected[kind], found[kind], flagged[kind])
            + f"  pages {caught[kind]}/{pages[kind]}"
        )


Needles = list[tuple[str, str]]  # (place, injected string): what a page must be found to hold


def variants(markup: str, name: str, rng: random.Random) -> list[tuple[str, str, Needles]]:
    """(kind, spammed page, needles) for one real page: 3 hijacks, 2 swaps, 4 headers."""
    out: list[tuple[str, str, Needles]] = []
    for _ in range(3):
        brand = make_brand(rng, HELDOUT)
        out.append(("entity_hijack", markup.replace(name, brand), [("text", brand)]))
    first = make_swap_term(rng, HELDOUT)
    out.append(("keyword_swap", markup.replace("公开", first), [("text", first)]))
    second = first
    while second == first:
        second = make_swap_term(rng, HELDOUT)
    both = markup.replace("公开", first).replace("政府", second)
    out.append(("keyword_swap", both, [("text", first), ("text", second)]))
    out.extend(stuffed_variants(markup, make_stuffed_line(rng, HELDOUT)))
    return out


def stuffed_variants(markup: str, line: str) -> list[tuple[str, str, Needles]]:
    """A stuffed header before the <title>'s text and above the title printed in the body;
    in the <title> alone; as the page's keywords; as its description."""
    in_title = markup.replace("<title>", f"<title>{line}_", 1)
    # Above the title printed in the body: the element holding it gets the line before it.
    title = markup[markup.find("<title>") + 7 :].split("<", 1)[0].split("_", 1)[0].strip()
    shown = in_title.find(title[:12], in_title.find("<body"))
    tag = in_title.rfind("<", 0, shown)
    both = in_title[:tag] + f"<p>{line}</p>" + in_title[tag:]
    keywords = ",".join(part.strip() for part in re.split(r"[_|，]+", line) if part.strip())
    return [
        ("stuffed_header", both, [("text", line), ("title", line)]),
        ("stuffed_header", in_title, [("title", line)]),
        ("stuffed_header", with_meta(markup, "keywords", keywords), [("keywords", keywords)]),
        ("stuffed_header", with_meta(markup, "description", line), [("description", line)]),
    ]


def with_meta(markup: str, name: str, content: str) -> str:
    """``markup`` whose <meta name=…> (any case; added when missing) holds ``content``."""
    tag = f'<meta name="{name}" content="{html_escape(content)}"/>'
    pattern = re.compile(rf"<meta\s+name=\"{name}\"[^>]*>", re.IGNORECASE)
    if pattern.search(markup):
        return pattern.sub(lambda _: tag, markup, count=1)
    return markup.replace("<head>", "<head>" + tag, 1)


if __name__ == "__main__":
    main()

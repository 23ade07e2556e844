"""Spam findings and restored words in the crawled database, against the simulated web's truth."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from nianbao.extract import extract_report
from nianbao.extract.spam import SPAM_KINDS
from nianbao.simweb import build_world
from tests.conftest import Crawled

RESTORABLE = ("entity_hijack", "keyword_swap")


def findings(conn: sqlite3.Connection, url: str) -> list[tuple[str, str, str | None]]:
    return conn.execute(
        "select f.kind, f.injected, f.restored from spam_findings f "
        "join reports r on r.id = f.report_id where r.url = ?",
        (url,),
    ).fetchall()


@pytest.mark.crawl
def test_every_injected_span_is_found_and_clean_copies_have_none(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for truth in crawled.world.reports:
        got = Counter((kind, injected) for kind, injected, _ in findings(conn, truth.url))
        want = Counter({(s.kind, s.injected): s.count for s in truth.spam})
        for (kind, injected), count in want.items():
            expected[kind] += count
            found[kind] += min(count, got[(kind, injected)])
        for (kind, injected), count in got.items():
            false[kind] += max(0, count - want[(kind, injected)])
    assert set(expected) == set(SPAM_KINDS), "every kind must be injected somewhere"
    assert found == expected, f"recall: found {dict(found)} of {dict(expected)}"
    assert not +false, f"precision: {dict(+false)} findings that were not injected"


def test_clean_reports_about_lotteries_sports_and_apps_have_no_findings() -> None:
    world = build_world(seed=0, reports=300)
    bait = [r for r in world.reports if r.topics and not r.spam]
    assert {t for r in bait for t in r.topics} >= {"lottery", "sports", "app"}
    for truth in bait:
        page = world.lookup(truth.url)
        report = extract_report(truth.url, {k.lower(): v for k, v in page.headers}, page.body)
        assert report.is_report and report.spam == () and report.spam_score == 0.0, truth.url


@pytest.mark.crawl
def test_crawled_bait_reports_have_no_findings(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    bait = [r for r in crawled.world.reports if r.topics and not r.spam]
    assert bait
    for truth in bait:
        assert findings(conn, truth.url) == [], truth.url
        score = conn.execute("select spam_score from reports where url = ?", (truth.url,))
        assert score.fetchone()[0] == 0.0


@pytest.mark.crawl
def test_restoration_recovers_every_replaced_word_that_has_a_clean_copy(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    stored = {url for (url,) in conn.execute("select url from reports")}
    restored = 0
    for truth in crawled.world.reports:
        if truth.copy_of not in stored:
            continue
        originals = {s.injected: s.original for s in truth.spam if s.kind in RESTORABLE}
        for kind, injected, word in findings(conn, truth.url):
            if kind in RESTORABLE:
                assert word == originals[injected], (truth.url, injected)
                restored += 1
    assert restored > 0


@pytest.mark.crawl
def test_seed_004_brand_becomes_the_district_name(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    mirror = crawled.world.seed_pages["004"]
    words = {(i, r) for kind, i, r in findings(conn, mirror) if kind == "entity_hijack"}
    assert words == {("滚球体育app_188篮球比分-直播|官网:", "门头沟区")}


@pytest.mark.crawl
def test_no_stored_title_or_agency_keeps_injected_spam(crawled: Crawled) -> None:
    # A brand cut from the title's end (its trailing ':' dropped) must still be removed.
    conn = sqlite3.connect(crawled.db)
    checked = 0
    for truth in crawled.world.reports:
        hijacks = [s.injected for s in truth.spam if s.kind in RESTORABLE]
        row = conn.execute(
            "select title, agency from reports where url = ?", (truth.url,)
        ).fetchone()
        if not hijacks or row is None:
            continue
        for field in row:
            for injected in hijacks:
                assert injected.strip(":：|_-") not in (field or ""), (truth.url, field)
                checked += 1
    assert checked > 0

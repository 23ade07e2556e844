"""Crawl the simulated web end to end and hold the result against its ground truth."""

from __future__ import annotations

import dataclasses
import sqlite3
from urllib.parse import urlsplit

import pytest

from nianbao.simweb import World, build_world
from nianbao.simweb.layout import Listing
from tests.conftest import Crawled, crawl_world

pytestmark = pytest.mark.crawl  # every test reads a crawl of the simulated web


def report_rows(db) -> dict[str, sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return {row["url"]: row for row in conn.execute("select * from reports")}


def test_every_truth_report_found_and_nothing_else(crawled: Crawled) -> None:
    found = set(report_rows(crawled.db))
    truth = {r.url for r in crawled.world.reports}
    assert len(truth) >= 40
    assert sorted(truth - found) == [], "reports the crawl missed"
    assert sorted(found - truth) == [], "pages wrongly stored as reports"


def test_no_non_report_page_is_stored_as_report(crawled: Crawled) -> None:
    found = set(report_rows(crawled.db))
    fetched = {url for _, url in crawled.requests}
    distractors = crawled.world.non_reports & fetched
    assert distractors, "the crawl should have met non-report pages"
    assert not (found & crawled.world.non_reports)


def test_robots_disallowed_urls_are_never_requested(crawled: Crawled) -> None:
    fetched = {url for _, url in crawled.requests}
    assert crawled.world.disallowed, "the simulated web must link disallowed URLs"
    assert not (fetched & crawled.world.disallowed)
    robots = {urlsplit(u).hostname for u in fetched if urlsplit(u).path == "/robots.txt"}
    hosts = {h for p in crawled.world.portals for h in p.allowed_hosts}
    assert robots == {urlsplit(u).hostname for u in fetched}
    assert robots <= hosts


def test_crawl_never_leaves_registry_hosts(crawled: Crawled) -> None:
    hosts = {h for p in crawled.world.portals for h in p.allowed_hosts}
    fetched_hosts = {urlsplit(url).hostname for _, url in crawled.requests}
    assert fetched_hosts <= hosts
    assert crawled.world.offsite, "the simulated web must link off-registry hosts"
    fetched = {url for _, url in crawled.requests}
    assert not (fetched & crawled.world.offsite)


def test_extracted_metadata_equals_truth(crawled: Crawled) -> None:
    rows = report_rows(crawled.db)
    conn = sqlite3.connect(crawled.db)
    compared = 0
    for truth in crawled.world.reports:
        if truth.spam:  # spam copies print holes where truth has words: test_spam_truth.py
            continue
        row = rows[truth.url]
        got = {
            k: row[k]
            for k in (
                "title",
                "agency",
                "region",
                "year",
                "published",
                "index_no",
                "doc_no",
                "script",
            )
        }
        want = {
            "title": truth.title,
            "agency": truth.agency,
            "region": truth.region,
            "year": truth.year,
            "published": truth.published,
            "index_no": truth.index_no,
            "doc_no": truth.doc_no,
            "script": truth.script,
        }
        assert got == want, truth.url
        headings = [
            h
            for (h,) in conn.execute(
                "select heading from sections where report_id = ? order by number", (row["id"],)
            )
        ]
        assert headings == [s.heading for s in truth.sections], truth.url
        compared += 1
    assert compared == sum(not r.spam for r in crawled.world.reports)


def one_item_a_page(world: World, key: str) -> Listing:
    """Re-page a column one item a page: a 下一页 chain as deep as the column is long."""
    listing = dataclasses.replace(world.listings[key], page_size=1)
    world.listings[key] = listing
    for index in range(listing.page_count):
        url = f"http://{listing.host}{listing.page_path(index)}"
        world.pages[url] = ("listing", key, index)
        world.non_reports.add(url)
    return listing


def test_long_listing_chains_are_followed_to_their_end(tmp_path) -> None:
    # Depth, not size, is what a depth limit cuts: the daxing portal alone, its two 下一页
    # columns re-paged one item a page, is as deep as an 800-report world's longest chain
    # (23 pages) at a twentieth of its pages (that crawl took 100-280 s; the other portals'
    # reports are held to truth by the session crawl's tests above).
    world = build_world(seed=5, reports=60, spam=False, families=False)
    world.portals = [p for p in world.portals if p.name == "daxing"]
    chains = [
        one_item_a_page(world, key)
        for key, listing in world.listings.items()
        if listing.pager == "links" and listing.host in world.portals[0].allowed_hosts
    ]
    # "下一页" chains put each listing page one link deeper than the one before it
    assert len(chains) == 2 and min(c.page_count for c in chains) > 20, (
        "the world must have listing chains deeper than a small depth limit"
    )
    done = crawl_world(world, tmp_path / "long")
    fetched = {url for _, url in done.requests}
    chain_pages = {f"http://{c.host}{c.page_path(i)}" for c in chains for i in range(c.page_count)}
    assert sorted(chain_pages - fetched) == [], "chain pages never reached"
    assert set(report_rows(done.db)) == {r.url for r in world.reports if r.portal == "daxing"}


def test_blocked_pages_are_recorded_per_portal_and_never_reports(crawled: Crawled) -> None:
    from urllib.parse import urlsplit

    conn = sqlite3.connect(crawled.db)
    recorded = dict(conn.execute("select url, reason from blocked"))
    hosts = {h for p in crawled.world.portals for h in p.allowed_hosts}
    expected = {
        u: case for u, case in crawled.world.blocked.items() if urlsplit(u).hostname in hosts
    }
    assert set(expected.values()) == {"waf-412", "script-only", "js-cookie", "login-wall", "empty"}
    assert recorded == expected
    assert not set(recorded) & set(report_rows(crawled.db))
    # the crawl's own summary names the portals with blocked URLs
    owner = {h: p.name for p in crawled.world.portals for h in p.allowed_hosts}
    for url in expected:
        assert f"{owner[urlsplit(url).hostname]} " in crawled.stdout
    assert f"{len(expected)} URLs blocked" in crawled.stdout

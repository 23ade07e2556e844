"""Scope: a crawl requests nothing outside its portals' exact hosts, redirects included."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.middlewares.scope import OffPortalRequest, ScopeMiddleware
from crawler.registry import Portal
from tests.conftest import Crawled, run_cli

CITY = Portal("city", ("http://www.beijing.gov.cn/",), ("www.beijing.gov.cn", "sw.beijing.gov.cn"))
DISTRICT = Portal("district", ("http://www.bjdx.gov.cn/",), ("www.bjdx.gov.cn",))


def middleware() -> ScopeMiddleware:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    return ScopeMiddleware(crawler, {p.name: p for p in (CITY, DISTRICT)})


def city_request(url: str, came_from: str | None = None) -> Request:
    meta: dict[str, object] = {"portal": "city"}
    if came_from:
        meta["redirect_urls"] = [came_from]
    return Request(url, meta=meta)


@pytest.mark.parametrize("url", [
    "http://www.beijing.gov.cn/a.html",
    "https://sw.beijing.gov.cn/b.html",
    "http://WWW.BEIJING.GOV.CN/c.html",  # host names are case-insensitive
])
def test_the_portals_own_hosts_pass(url: str) -> None:
    middleware().process_request(city_request(url))


@pytest.mark.parametrize("url", [
    "http://xwww.beijing.gov.cn/a.html",      # a suffix match would admit it
    "http://beijing.gov.cn/a.html",           # the parent domain is another host
    "http://www.beijing.gov.cn.evil.test/a",  # the allowed name as a prefix
    "http://www.bjdx.gov.cn/a.html",          # another portal's host
    "http://127.0.0.1:9/a.html",
    "ftp://www.beijing.gov.cn/a.txt",         # the right host, a scheme we do not fetch
])
def test_other_hosts_are_refused_with_the_target_named(url: str) -> None:
    mw = middleware()
    with pytest.raises(OffPortalRequest) as refused:
        mw.process_request(city_request(url))
    assert url.split("//", 1)[1].split("/", 1)[0].lower() in str(refused.value)
    assert mw.crawler.stats.get_value("nianbao/off_portal_refused") == 1


def test_a_refused_redirect_names_where_it_came_from() -> None:
    with pytest.raises(OffPortalRequest, match="redirect from http://www.beijing.gov.cn/old "
                       "to http://evil.test/x"):
        middleware().process_request(city_request("http://evil.test/x",
                                                  "http://www.beijing.gov.cn/old"))


def test_the_url_checked_is_the_one_scrapy_sends() -> None:
    # urlsplit reads the host of the raw link as the portal's; Scrapy normalises it to evil.test
    raw = "http://evil.test\\@www.beijing.gov.cn/x"
    assert CITY.allows(raw)
    with pytest.raises(OffPortalRequest, match="evil.test"):
        middleware().process_request(city_request(raw))


def test_robots_txt_requests_are_held_to_every_portals_hosts() -> None:
    mw = middleware()
    mw.process_request(Request("http://www.bjdx.gov.cn/robots.txt"))  # no portal: any portal's
    with pytest.raises(OffPortalRequest):
        mw.process_request(Request("http://evil.test/robots.txt"))


def test_portal_allows_only_exact_hosts() -> None:
    assert CITY.allows("http://sw.beijing.gov.cn/x")
    for url in ("http://xwww.beijing.gov.cn/", "http://beijing.gov.cn/", "http://gov.cn/",
                "http://www.beijing.gov.cn.evil.test/", "ftp://www.beijing.gov.cn/"):
        assert not CITY.allows(url), url


@pytest.mark.crawl
def test_no_trap_target_is_ever_requested(crawled: Crawled) -> None:
    traps = crawled.world.offsite_traps
    assert len(traps) >= 6, "the simulated web must hold its off-portal traps"
    asked = {url for _, url in crawled.requests}
    hosts = {h for p in crawled.world.portals for h in p.allowed_hosts}
    assert {urlsplit(url).hostname for url in asked} <= hosts
    assert not asked & set(traps.values())
    # the traps themselves (on the portal's own host) were fetched: the test saw them work
    assert {url for url in traps if "\\" not in url} <= asked


@pytest.mark.crawl
def test_each_refused_target_is_a_recorded_error(crawled: Crawled) -> None:
    with sqlite3.connect(crawled.db) as db:
        messages = [m for (m,) in db.execute("select message from errors where stage='fetch'")]
    for trap, target in crawled.world.offsite_traps.items():
        if "\\" in trap:  # a link, refused by the spider before it becomes a request
            continue
        named = [m for m in messages if target in m and "refused" in m]
        assert named, f"no error names the refused target of {trap}"
        if "refresh" not in trap:
            assert any(f"redirect from {trap}" in m for m in named), named


@pytest.mark.crawl
def test_on_host_redirect_chains_are_still_followed(crawled: Crawled) -> None:
    asked = {url for _, url in crawled.requests}
    assert crawled.world.redirect_chains
    for chain in crawled.world.redirect_chains:
        assert set(chain) <= asked


REGISTRY = """[[portal]]
name = "city"
start_urls = ["http://www.beijing.gov.cn/"]
allowed_hosts = ["www.beijing.gov.cn"]
"""


@pytest.mark.crawl
@pytest.mark.parametrize("prefix", ["../../escape", "/tmp/abs", "a/b", "a\\b", "..", ""])
def test_a_prefix_that_is_not_a_file_name_part_is_one_line(tmp_path, prefix: str) -> None:
    registry = tmp_path / "portals.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    done = run_cli("crawl", "--registry", str(registry), "--out", str(out),
                   "--prefix", prefix, "--proxy", "http://127.0.0.1:9", "--loopback")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "WARC prefix" in lines[0] and "--prefix" in lines[0], lines
    # nothing was made: not the output folder, and no WARC wherever the prefix pointed
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["portals.toml"]


@pytest.mark.crawl
def test_an_out_path_through_dot_dot_makes_no_folder_on_the_way(tmp_path) -> None:
    registry = tmp_path / "portals.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    out = tmp_path / "a" / "x" / ".." / ".." / "b"
    # nothing answers on port 9, so the crawl fails (exit 1) after making its folders
    done = run_cli("crawl", "--registry", str(registry), "--out", str(out),
                   "--proxy", "http://127.0.0.1:9", "--loopback", "--prefix", "t")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (tmp_path / "b" / "warc").is_dir()
    assert not (tmp_path / "a").exists()


@pytest.mark.crawl
def test_refusals_are_counted_apart_from_failures(crawled: Crawled) -> None:
    from archive.summary import fetch_failures

    failures = fetch_failures(crawled.db)
    redirects = {t for u, t in crawled.world.offsite_traps.items() if "\\" not in u}
    assert failures.off_portal == len(redirects)
    assert f"{len(redirects)} off-portal redirects refused" in crawled.stdout

"""Scope: a crawl requests nothing outside its portals' exact hosts, redirects included."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from nianbao.archive.places import BadPrefix, normal_path
from nianbao.archive.warc.reader import iter_captures
from nianbao.archive.warc.writer import WarcWriter
from nianbao.crawler import signals
from nianbao.crawler.middlewares.scope import OffPortalRequest, ScopeMiddleware
from nianbao.crawler.middlewares.warc import WarcArchiveMiddleware
from nianbao.crawler.registry import Portal
from nianbao.crawler.spiders.portals import PortalSpider
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


@pytest.mark.parametrize(
    "url",
    [
        "http://www.beijing.gov.cn/a.html",
        "https://sw.beijing.gov.cn/b.html",
        "http://WWW.BEIJING.GOV.CN/c.html",  # host names are case-insensitive
    ],
)
def test_the_portals_own_hosts_pass(url: str) -> None:
    middleware().process_request(city_request(url))


@pytest.mark.parametrize(
    "url",
    [
        "http://xwww.beijing.gov.cn/a.html",  # a suffix match would admit it
        "http://beijing.gov.cn/a.html",  # the parent domain is another host
        "http://www.beijing.gov.cn.evil.test/a",  # the allowed name as a prefix
        "http://www.bjdx.gov.cn/a.html",  # another portal's host
        "http://127.0.0.1:9/a.html",
        "ftp://www.beijing.gov.cn/a.txt",  # the right host, a scheme we do not fetch
    ],
)
def test_other_hosts_are_refused_with_the_target_named(url: str) -> None:
    mw = middleware()
    with pytest.raises(OffPortalRequest) as refused:
        mw.process_request(city_request(url))
    assert url.split("//", 1)[1].split("/", 1)[0].lower() in str(refused.value)
    assert mw.crawler.stats.get_value("nianbao/off_portal_refused") == 1


def test_a_refused_redirect_names_where_it_came_from() -> None:
    with pytest.raises(
        OffPortalRequest, match="redirect from http://www.beijing.gov.cn/old to http://evil.test/x"
    ):
        middleware().process_request(
            city_request("http://evil.test/x", "http://www.beijing.gov.cn/old")
        )


def test_a_refused_meta_refresh_says_so() -> None:
    request = city_request("http://evil.test/x", "http://www.beijing.gov.cn/moved")
    request.meta["redirect_reasons"] = ["meta refresh"]  # what MetaRefreshMiddleware records
    with pytest.raises(
        OffPortalRequest,
        match="refused meta refresh from "
        "http://www.beijing.gov.cn/moved to http://evil.test/x: host evil.test",
    ):
        middleware().process_request(request)


def test_a_portal_the_crawl_does_not_know_allows_nothing() -> None:
    request = Request("http://www.beijing.gov.cn/a.html", meta={"portal": "nowhere"})
    with pytest.raises(OffPortalRequest, match="portal nowhere's"):
        middleware().process_request(request)


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
    # kills "Portal.allows matches hosts by suffix" (with or without a dot before the suffix)
    assert CITY.allows("http://sw.beijing.gov.cn/x")
    for url in (
        "http://xwww.beijing.gov.cn/",
        "http://a.www.beijing.gov.cn/",
        "http://beijing.gov.cn/",
        "http://gov.cn/",
        "http://www.beijing.gov.cn.evil.test/",
        "ftp://www.beijing.gov.cn/",
    ):
        assert not CITY.allows(url), url


def links_page(*hrefs: str) -> HtmlResponse:
    url = "http://www.beijing.gov.cn/links.html"
    body = "".join(f'<a href="{h}">链接</a>' for h in hrefs)
    return HtmlResponse(
        url,
        body=f"<html><body>{body}</body></html>".encode(),
        encoding="utf-8",
        headers={"Content-Type": "text/html; charset=utf-8"},
        request=Request(url, meta={"portal": "city"}),
    )


def spider_and_refusals() -> tuple[PortalSpider, list[tuple[Request, Exception]]]:
    crawler = get_crawler(PortalSpider)
    crawler.stats.open_spider()
    spider = PortalSpider.from_crawler(crawler, portals=[CITY])
    heard: list[tuple[Request, Exception]] = []
    crawler.signals.connect(
        lambda request, exception: heard.append((request, exception)),
        signal=signals.link_refused,
        weak=False,
    )
    return spider, heard


def test_the_spider_checks_the_request_it_builds_not_the_href() -> None:
    spider, heard = spider_and_refusals()
    disguised = "http://evil.test\\@www.beijing.gov.cn/x.html"
    sent = [
        r.url
        for r in spider.parse(
            links_page(disguised, "http://www.beijing.gov.cn/ok.html", "http://www.gov.cn/")
        )
    ]
    assert sent == ["http://www.beijing.gov.cn/ok.html"]
    # the disguised link is a recorded refusal; the plain link to another site is not
    [(request, refused)] = heard
    assert request.url == "http://evil.test/@www.beijing.gov.cn/x.html"
    assert isinstance(refused, OffPortalRequest)
    assert str(refused).startswith(
        "refused link from http://www.beijing.gov.cn/links.html to "
        "http://evil.test/@www.beijing.gov.cn/x.html: host evil.test"
    )
    assert spider.crawler.stats.get_value("nianbao/off_portal_refused") == 1
    assert spider.crawler.stats.get_value("nianbao/offsite_links_skipped") == 1


def archiving(tmp_path) -> tuple[WarcArchiveMiddleware, WarcWriter]:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    writer = WarcWriter(tmp_path, "t")
    return WarcArchiveMiddleware(crawler, writer), writer


def test_scope_refusals_are_archived_and_robots_refusals_are_not(tmp_path) -> None:
    mw, writer = archiving(tmp_path)
    target = "http://evil.test/x"
    mw.process_exception(Request(target), OffPortalRequest(f"refused request for {target}"))
    mw.process_exception(
        Request("http://www.beijing.gov.cn/admin/"), IgnoreRequest("Forbidden by robots.txt")
    )
    writer.close()
    errors = [
        c for path in writer.paths for c in iter_captures(path) if c.record_type == "metadata"
    ]
    assert [c.url for c in errors] == [target]
    assert b"OffPortalRequest: refused request for http://evil.test/x" in errors[0].body
    # a refusal is not a failed attempt: the fetch-error count stays for real failures
    assert mw.crawler.stats.get_value("nianbao/fetch_errors") is None


def test_a_refused_link_reaches_the_archive_through_its_signal(tmp_path) -> None:
    crawler = get_crawler(
        PortalSpider, {"NIANBAO_WARC_DIR": str(tmp_path), "NIANBAO_WARC_PREFIX": "t"}
    )
    crawler.stats.open_spider()
    mw = WarcArchiveMiddleware.from_crawler(crawler)
    spider = PortalSpider.from_crawler(crawler, portals=[CITY])
    list(spider.parse(links_page("http://evil.test\\@www.beijing.gov.cn/x.html")))
    mw.close()
    errors = [
        c for path in mw.writer.paths for c in iter_captures(path) if c.record_type == "metadata"
    ]
    assert [c.url for c in errors] == ["http://evil.test/@www.beijing.gov.cn/x.html"]
    assert b"refused link from http://www.beijing.gov.cn/links.html" in errors[0].body


@pytest.mark.parametrize("prefix", ["../../escape", "/tmp/abs", "a/b", "a\\b", "..", "", "x..y"])
def test_the_warc_writer_refuses_a_prefix_that_is_not_a_file_name_part(
    tmp_path, prefix: str
) -> None:
    with pytest.raises(BadPrefix) as refused:
        WarcWriter(tmp_path / "warc", prefix)
    assert isinstance(refused.value, ValueError)
    assert not (tmp_path / "warc").exists()  # refused before any folder was made


def test_an_out_path_is_folded_before_it_is_made(tmp_path) -> None:
    assert normal_path(tmp_path / "a" / "x" / ".." / ".." / "b") == tmp_path / "b"
    WarcWriter(tmp_path / "a" / "x" / ".." / ".." / "b", "t").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


@pytest.mark.crawl
def test_no_off_portal_host_is_ever_requested(crawled: Crawled) -> None:
    traps = crawled.world.offsite_traps
    assert len(traps) >= 7, "the simulated web must hold its off-portal traps"
    asked = {url for _, url in crawled.requests}
    hosts = {h for p in crawled.world.portals for h in p.allowed_hosts}
    # every request the server saw, robots.txt included, was for a portal's own host
    assert {urlsplit(url).hostname for url in asked} <= hosts
    assert any(url.endswith("/robots.txt") for url in asked)
    assert not asked & set(traps.values())
    # the trap pages themselves (on the portal's own host) were fetched: the traps were sprung
    assert set(traps) <= asked


@pytest.mark.crawl
def test_each_refused_target_is_a_recorded_error(crawled: Crawled) -> None:
    with sqlite3.connect(crawled.db) as db:
        rows = db.execute("select url, message from errors where stage='fetch'").fetchall()
    for trap, target in crawled.world.offsite_traps.items():
        named = [m for u, m in rows if u == target and "refused" in m]
        assert named, f"no error names the refused target of {trap}"
        # the message says where the redirect, refresh or link came from
        assert any(f"from {trap} to {target}: host " in m for m in named), named


@pytest.mark.crawl
def test_refusals_name_how_they_were_reached(crawled: Crawled) -> None:
    with sqlite3.connect(crawled.db) as db:
        messages = [m for (m,) in db.execute("select message from errors where stage='fetch'")]
    for how, page in (
        ("redirect", "absolute.html"),
        ("meta refresh", "refresh.html"),
        ("link", "links.html"),
    ):
        assert any(f"refused {how} from " in m and f"/trap/{page} to " in m for m in messages)


@pytest.mark.crawl
def test_on_host_redirect_chains_are_still_followed(crawled: Crawled) -> None:
    asked = {url for _, url in crawled.requests}
    chains = crawled.world.redirect_chains
    # one chain ends on the portal's other host: exact matching must still allow it
    assert any(urlsplit(c[-1]).hostname != urlsplit(c[0]).hostname for c in chains)
    for chain in chains:
        assert set(chain) <= asked, chain


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
    done = run_cli(
        "crawl",
        "--registry",
        str(registry),
        "--out",
        str(out),
        "--prefix",
        prefix,
        "--proxy",
        "http://127.0.0.1:9",
        "--loopback",
    )
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
    done = run_cli(
        "crawl",
        "--registry",
        str(registry),
        "--out",
        str(out),
        "--proxy",
        "http://127.0.0.1:9",
        "--loopback",
        "--prefix",
        "t",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (tmp_path / "b" / "warc").is_dir()
    assert not (tmp_path / "a").exists()


@pytest.mark.crawl
def test_refusals_are_counted_apart_from_failures(crawled: Crawled) -> None:
    from nianbao.archive.store.summary import fetch_failures

    failures = fetch_failures(crawled.db)
    refused = set(crawled.world.offsite_traps.values())
    assert failures.off_portal == len(refused)
    assert f"{len(refused)} off-portal URLs refused" in crawled.stdout


@pytest.mark.crawl
def test_refusals_are_not_listed_as_common_errors(crawled: Crawled) -> None:
    # counted apart in the headline; "most common errors" is for what went wrong
    from nianbao.archive.store.summary import common_errors

    with sqlite3.connect(crawled.db) as db:
        refused = db.execute(
            "select count(*) from errors where message like 'OffPortalRequest:%'"
        ).fetchone()[0]
    assert refused == len(crawled.world.offsite_traps)
    assert not [m for _, m, _ in common_errors(crawled.db, top=50) if "OffPortalRequest" in m]
    assert "most common errors" not in crawled.stdout or "OffPortalRequest" not in crawled.stdout


@pytest.mark.crawl
def test_refusals_are_their_own_kind_of_error_in_the_summary(crawled: Crawled) -> None:
    # a fetch-stage row, but nothing was fetched: "fetch" in the errors table would contradict
    # the headline's "0 URLs failed to fetch"
    from nianbao.archive.store.summary import summarize

    by_kind = dict(summarize(crawled.db).errors_by_stage)
    assert by_kind["off-portal refused"] == len(crawled.world.offsite_traps)
    with sqlite3.connect(crawled.db) as db:
        fetch_rows = db.execute(
            "select count(*) from errors "
            "where stage = 'fetch' and message not like 'OffPortalRequest:%'"
        ).fetchone()[0]
    assert by_kind.get("fetch", 0) == fetch_rows

"""Redirects that are not followed leave a fetch-error record each: loops, chains cut at
REDIRECT_MAX_TIMES, and redirects to file: or ftp: (Scrapy drops all three without a word)."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from nianbao.archive.warc.reader import iter_captures
from nianbao.crawler import settings as defaults
from nianbao.crawler.middlewares.redirect import RecordedRedirectMiddleware
from nianbao.crawler.middlewares.warc import WarcArchiveMiddleware

SITE = "http://www.beijing.gov.cn"


@pytest.fixture
def chain(tmp_path):
    """(redirect middleware, WARC middleware) of one crawler, as the crawl builds them."""
    crawler = get_crawler(
        Spider,
        {
            "NIANBAO_WARC_DIR": str(tmp_path),
            "NIANBAO_WARC_PREFIX": "t",
            "REDIRECT_MAX_TIMES": 3,
            "DOWNLOADER_MIDDLEWARES": defaults.DOWNLOADER_MIDDLEWARES,
        },
    )
    crawler.stats.open_spider()
    crawler.spider = Spider("t")
    warc = WarcArchiveMiddleware.from_crawler(crawler)
    return RecordedRedirectMiddleware.from_crawler(crawler), warc


def redirect(url: str, location: str, status: int = 302) -> Response:
    return Response(url, status=status, headers={"Location": location})


def recorded(warc: WarcArchiveMiddleware) -> list[tuple[str, str]]:
    warc.close()
    return [
        (c.url, c.body.decode("utf-8"))
        for path in warc.writer.paths
        for c in iter_captures(path)
        if c.record_type == "metadata"
    ]


def follow(mw: RecordedRedirectMiddleware, request: Request, location: str) -> Request:
    response = redirect(request.url, location)
    result = mw.process_response(request, response)
    assert isinstance(result, Request)
    return result


def test_the_crawl_uses_the_recording_redirect_middleware() -> None:
    middlewares = defaults.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.redirect.RedirectMiddleware"] is None
    assert middlewares["nianbao.crawler.middlewares.redirect.RecordedRedirectMiddleware"] == 600


def test_a_followed_redirect_records_nothing(chain) -> None:
    mw, warc = chain
    moved = follow(mw, Request(f"{SITE}/old.html"), "/new.html")
    assert moved.url == f"{SITE}/new.html"
    assert recorded(warc) == []


def test_a_loop_is_recorded_and_dropped(chain) -> None:
    mw, warc = chain
    b = follow(mw, Request(f"{SITE}/a.html"), "/b.html")
    with pytest.raises(IgnoreRequest):
        mw.process_response(b, redirect(b.url, "/a.html"))
    [(url, body)] = recorded(warc)
    assert url == f"{SITE}/b.html"
    assert f"redirect loop: {SITE}/b.html leads back to {SITE}/a.html" in body


def test_a_chain_cut_at_the_limit_is_recorded(chain) -> None:
    mw, warc = chain
    request = Request(f"{SITE}/hop/0")
    for hop in range(1, 4):
        request = follow(mw, request, f"/hop/{hop}")
    with pytest.raises(IgnoreRequest):
        mw.process_response(request, redirect(request.url, "/hop/4"))
    [(url, body)] = recorded(warc)
    assert url == f"{SITE}/hop/3"
    assert "redirect chain cut after 3 hops (REDIRECT_MAX_TIMES)" in body


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://ftp.beijing.gov.cn/a.doc"])
def test_a_redirect_to_another_scheme_is_recorded_not_followed(chain, target: str) -> None:
    mw, warc = chain
    response = redirect(f"{SITE}/x.html", target)
    assert mw.process_response(Request(f"{SITE}/x.html"), response) is response
    [(url, body)] = recorded(warc)
    assert url == f"{SITE}/x.html" and f"redirect to {target} not followed" in body

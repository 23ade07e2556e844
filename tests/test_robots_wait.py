"""Every request that waits for a host's robots.txt is checked against it (Scrapy 2.19 let
all but the first through: crawler/middlewares/robots.py)."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from nianbao.crawler.middlewares.robots import RobotsTxtWaitMiddleware

ROBOTS = b"User-agent: *\nDisallow: /internal/\n"


def waiters_get(middleware: RobotsTxtMiddleware, count: int) -> list[object]:
    """What ``count`` requests waiting for one host's pending robots.txt each receive."""
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})

    async def wait_then_fire() -> list[object]:
        pending: Deferred[object] = Deferred()
        middleware._parsers["www.example.gov.cn"] = pending
        requests = [Request(f"http://www.example.gov.cn/internal/{n}.html") for n in range(count)]
        waiting = [asyncio.ensure_future(middleware.robot_parser(r)) for r in requests]
        await asyncio.sleep(0)  # every waiter is now waiting on the pending robots.txt
        parser = ProtegoRobotParser.from_crawler(crawler, ROBOTS)
        middleware._parsers["www.example.gov.cn"] = parser  # as Scrapy's _parse_robots does
        pending.callback(parser)
        return list(await asyncio.gather(*waiting))

    return asyncio.run(wait_then_fire())


def middleware(cls: type[RobotsTxtMiddleware]) -> RobotsTxtMiddleware:
    return cls.from_crawler(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))


def test_every_waiting_request_gets_the_hosts_parser() -> None:
    got = waiters_get(middleware(RobotsTxtWaitMiddleware), 4)
    assert len({id(parser) for parser in got}) == 1 and got[0] is not None
    assert not got[0].allowed("http://www.example.gov.cn/internal/1.html", "nianbao")


def test_the_crawl_uses_the_fixed_middleware_and_not_scrapys() -> None:
    from nianbao.crawler import settings

    chain = settings.DOWNLOADER_MIDDLEWARES
    assert chain["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert chain["nianbao.crawler.middlewares.robots.RobotsTxtWaitMiddleware"] == 100

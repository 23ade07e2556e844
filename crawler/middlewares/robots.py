"""Scrapy's robots.txt middleware, with every request that waits for a host's robots.txt
given its parser.

Scrapy 2.19's RobotsTxtMiddleware awaits the host's pending Deferred once per waiting
request, and turning a Deferred into a Future consumes its result: the first waiter gets
the parser, every later one gets None, and None means "no robots.txt, all allowed". A crawl
that asks several URLs of a host before its robots.txt arrives (a worker joining a shared
Redis frontier does, and so do start URLs) then fetched disallowed pages. Each waiter here
gets a Deferred of its own, fired with the parser and passing it on.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtWaitMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware whose waiters all receive the parser (see the module docstring)."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The host's parser: fetched by the first request, waited for by the others."""
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def hand_on(parser: RobotParser | None) -> RobotParser | None:
            mine.callback(parser)
            return parser  # the next waiter's callback gets it too

        pending.addCallback(hand_on)
        return await maybe_deferred_to_future(mine)

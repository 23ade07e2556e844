"""Refuse every request outside the crawl's portals: links, redirects, refreshes, robots.txt."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.registry import Portal

SCOPE_SETTING = "NIANBAO_SCOPE_ENABLED"


class OffPortalRequest(IgnoreRequest):
    """A request for a URL outside its portal's allowed_hosts; archived as a fetch error."""


class ScopeMiddleware:
    """Checks ``request.url`` — the URL Scrapy will send, after its own normalisation — against
    the exact host names of the request's portal (all portals' for robots.txt requests).

    Pitfall: Scrapy filters links by ``allowed_domains``, by suffix, and not redirects; a
    302 or a ``<meta http-equiv=refresh>`` to another host was fetched. Redirected requests
    are scheduled anew and pass every ``process_request`` again, so checking here catches them.
    Priority 60: before RobotsTxtMiddleware (100), which would otherwise fetch the refused
    host's robots.txt first.
    """

    def __init__(self, crawler: Crawler, portals: Mapping[str, Portal]) -> None:
        self.crawler = crawler
        self.portals = portals
        self.any_host = frozenset(h for p in portals.values() for h in p.allowed_hosts)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        if not crawler.settings.getbool(SCOPE_SETTING, True):
            raise NotConfigured(f"{SCOPE_SETTING} is off")
        portals = getattr(crawler.spider, "portals", None)
        if not portals:
            raise NotConfigured("the spider names no portals")
        return cls(crawler, portals)

    def process_request(self, request: Request) -> None:
        """Let the request through, or raise OffPortalRequest naming the target and origin."""
        reason = self.refusal(request)
        if reason is not None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("nianbao/off_portal_refused")
            raise OffPortalRequest(reason)

    def refusal(self, request: Request) -> str | None:
        """Why ``request`` is out of scope, or None when it may be sent."""
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        name = request.meta.get("portal")
        portal = self.portals.get(name) if name else None
        allowed = portal.allowed_hosts if portal is not None else self.any_host
        if parts.scheme in ("http", "https") and host in allowed:
            return None
        owner = f"portal {name}'s" if portal is not None else "any portal's"
        came = request.meta.get("redirect_urls") or ()
        what = f"redirect from {came[-1]} to" if came else "request for"
        return f"refused {what} {request.url}: host {host or '(none)'} is not in {owner} " \
               "allowed_hosts"

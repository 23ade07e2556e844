"""Refuse every request outside the crawl's portals: links, redirects, refreshes, robots.txt."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from nianbao.crawler import settings as defaults
from nianbao.crawler.registry import Portal, on_hosts

SCOPE_SETTING = "NIANBAO_SCOPE_ENABLED"
REFUSED_STAT = "nianbao/off_portal_refused"


class OffPortalRequest(IgnoreRequest):
    """A URL outside its portal's allowed_hosts, never sent; archived as a fetch error."""


def refusal(
    url: str,
    allowed: Collection[str],
    owner: str,
    came_from: str | None = None,
    how: str = "redirect",
) -> OffPortalRequest | None:
    """Why ``url`` (as Scrapy sends it) may not be fetched, or None when its host is allowed.

    ``owner`` names whose hosts ``allowed`` are (``"portal beijing's"``); ``came_from`` is the
    page whose ``how`` (redirect, link) led to ``url``.
    """
    if on_hosts(url, allowed):
        return None
    host = urlsplit(url).hostname or ""
    what = f"{how} from {came_from} to" if came_from else "request for"
    return OffPortalRequest(
        f"refused {what} {url}: host {host or '(none)'} is not in {owner} allowed_hosts"
    )


class ScopeMiddleware:
    """Checks ``request.url`` — the URL Scrapy will send, after its own normalisation — against
    the exact host names of the request's portal (all portals' for robots.txt requests).

    Pitfall: Scrapy filters links by ``allowed_domains``, by suffix, and not redirects; a
    302 or a ``<meta http-equiv=refresh>`` to another host was fetched. Redirected requests
    are scheduled anew and pass every ``process_request`` again, so checking here catches them.
    """

    def __init__(self, crawler: Crawler, portals: Mapping[str, Portal]) -> None:
        self.crawler = crawler
        self.portals = portals
        self.any_host = frozenset(h for p in portals.values() for h in p.allowed_hosts)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        """The spider's portals; NotConfigured when NIANBAO_SCOPE_ENABLED is off."""
        if not crawler.settings.getbool(SCOPE_SETTING, defaults.NIANBAO_SCOPE_ENABLED):
            raise NotConfigured(f"{SCOPE_SETTING} is off")
        portals = getattr(crawler.spider, "portals", None)
        if not portals:
            raise NotConfigured("the spider names no portals")
        return cls(crawler, portals)

    def process_request(self, request: Request) -> None:
        """Let the request through, or raise OffPortalRequest naming the target and origin."""
        refused = self.refusal(request)
        if refused is not None:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(REFUSED_STAT)
            raise refused

    def refusal(self, request: Request) -> OffPortalRequest | None:
        """Why ``request`` is out of scope, or None when it may be sent."""
        name = request.meta.get("portal")
        if name is None:  # robots.txt requests (RobotsTxtMiddleware) carry no portal
            allowed, owner = self.any_host, "any portal's"
        else:  # a portal this crawl does not know allows nothing
            portal = self.portals.get(name)
            allowed = frozenset(portal.allowed_hosts) if portal else frozenset()
            owner = f"portal {name}'s"
        came = request.meta.get("redirect_urls") or ()
        how = _redirect_kind(request)
        return refusal(request.url, allowed, owner, came[-1] if came else None, how)


def _redirect_kind(request: Request) -> str:
    # RedirectMiddleware records an HTTP status, MetaRefreshMiddleware the words "meta refresh"
    reasons = request.meta.get("redirect_reasons") or ()
    return "meta refresh" if reasons and reasons[-1] == "meta refresh" else "redirect"

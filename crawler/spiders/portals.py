"""PortalSpider: walks registry portals, staying on each portal's own hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from nianbao.crawler import signals
from nianbao.crawler.links import page_links
from nianbao.crawler.middlewares.scope import REFUSED_STAT, OffPortalRequest, refusal
from nianbao.crawler.pagers import Follow, Pager, select
from nianbao.crawler.registry import Portal

PAGERS_SETTING = "NIANBAO_PAGERS"
# Listing pages and API calls go first: each one releases a page of report links.
LISTING_PRIORITY = 1


class PortalSpider(scrapy.Spider):
    """Follows every link, frame, image and pager-found listing on the portals' allowed hosts.

    Recognising reports is not the spider's job: every response is archived and the
    store extension decides, from title and body, which pages are reports. The pagers
    (crawler/pagers) add what plain links miss; requests they ask for carry
    ``meta["pager"]`` so the XML/JSON answers go back to the same pager.
    """

    name = "portals"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}  # 404 pages can still list real links

    def __init__(
        self,
        portals: Iterable[Portal] = (),
        pagers: Collection[str] | None = None,
        known: Mapping[str, Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.portals: dict[str, Portal] = {p.name: p for p in portals}
        # per portal, report URLs earlier crawls found: asked for again, linked or not
        self.known = {name: tuple(urls) for name, urls in (known or {}).items()}
        if not self.portals:
            raise ValueError("PortalSpider needs at least one portal")
        self.pagers: tuple[Pager, ...] = select(pagers)
        # Every URL this crawl has asked for: pagers stop on pages that only repeat these.
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        """Read NIANBAO_PAGERS (family names; unset = all) once for the whole crawl."""
        if crawler.settings.get(PAGERS_SETTING) is not None:
            kwargs.setdefault("pagers", crawler.settings.getlist(PAGERS_SETTING))
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Start URLs of every portal, tagged with the portal they belong to."""
        for portal in self.portals.values():
            for url in portal.start_urls:
                self.seen.add(url)
                # Filtered like any request, so a page linking back to it is not fetched twice.
                yield scrapy.Request(url, meta={"portal": portal.name})
        # After the start URLs, and filtered too: a report still linked is fetched once. Not
        # added to ``seen``: pagers would take listings of known reports for repeats and stop.
        for name, urls in self.known.items():
            owner = self.portals.get(name)
            for url in urls if owner is not None else ():
                if owner is not None and owner.allows(url):
                    yield scrapy.Request(url, meta={"portal": name}, priority=-1)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow plain links and pager finds that stay on the page's portal."""
        portal = self.portals[response.meta["portal"]]
        found = self._found(response)
        self.seen.update(found)
        for url, (pager, follow) in found.items():
            if not portal.allows(url):  # an ordinary link to another site: not an error
                self.crawler.stats.inc_value("nianbao/offsite_links_skipped")
                continue
            request = _request(follow, portal.name, pager)
            # The URL Scrapy will send, after its normalisation: `http://a\@b/` asks host a.
            refused = refusal(
                request.url, portal.allowed_hosts, f"portal {portal.name}'s", response.url, "link"
            )
            if refused is None:
                yield request
            else:
                request.meta[signals.VIA] = response.url  # never sent, so no Referer is set on it
                self._refuse_disguised(request, refused)

    def _refuse_disguised(self, request: scrapy.Request, refused: OffPortalRequest) -> None:
        """A link that reads as the portal's own but would ask another host: recorded, never sent.

        The WARC middleware archives the refusal (crawler.signals.link_refused), so the errors
        table, derived from the WARCs, names the target like a refused redirect.
        """
        self.crawler.stats.inc_value(REFUSED_STAT)
        self.crawler.signals.send_catch_log(
            signal=signals.link_refused, request=request, exception=refused
        )

    def _found(self, response: Response) -> dict[str, tuple[str | None, Follow]]:
        """URL -> (pager that asked for a listing, follow); its ask wins over a plain link."""
        found: dict[str, tuple[str | None, Follow]] = {}
        asked = response.meta.get("pager")
        html = isinstance(response, TextResponse) and _is_html(response)
        text = _text(response) if html or asked else None
        if text is not None:
            if html:
                for url in page_links(response.url, text):
                    found[url] = (None, Follow(url, kind="page"))
            for pager in self.pagers:
                if pager.name == asked or (html and pager.fingerprint(response.url, text)):
                    for follow in pager.follow(response.url, text, self.seen):
                        self._add(found, pager.name, follow)
        if response.status == 404:
            for pager in self.pagers:
                for follow in pager.missing(response.url):
                    self._add(found, pager.name, follow)
        return found

    def _add(self, found: dict[str, tuple[str | None, Follow]], pager: str, follow: Follow) -> None:
        """Listing asks carry their pager (its answers go back to it); pages are plain links."""
        self.crawler.stats.inc_value(f"nianbao/pager/{pager}/{follow.kind}")
        if follow.kind == "listing":
            found[follow.url] = (pager, follow)
        else:
            found.setdefault(follow.url, (None, follow))


def _request(follow: Follow, portal: str, pager: str | None) -> scrapy.Request:
    meta = {"portal": portal} if pager is None else {"portal": portal, "pager": pager}
    return scrapy.Request(
        follow.url,
        method=follow.method,
        body=follow.body or None,
        headers=dict(follow.headers) or None,
        meta=meta,
        priority=LISTING_PRIORITY if follow.kind == "listing" else 0,
    )


def _text(response: Response) -> str:
    if isinstance(response, TextResponse):
        return response.text
    # JSON/XML answers served as octet-stream: the pager that asked still reads them.
    return response.body.decode("utf-8", errors="replace")


def _is_html(response: TextResponse) -> bool:
    ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return "html" in ctype or (not ctype and b"<html" in response.body[:2048].lower())

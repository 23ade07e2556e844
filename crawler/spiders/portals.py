"""PortalSpider: walks registry portals, staying on each portal's own hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator

import scrapy
from scrapy.http import Response, TextResponse

from crawler.links import page_links
from crawler.registry import Portal


class PortalSpider(scrapy.Spider):
    """Follows every link, frame, image and listing page on the portals' allowed hosts.

    Recognising reports is not the spider's job: every response is archived and the
    store extension decides, from title and body, which pages are reports.
    """

    name = "portals"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}  # 404 pages can still list real links

    def __init__(self, portals: Iterable[Portal] = (), **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.portals: dict[str, Portal] = {p.name: p for p in portals}
        if not self.portals:
            raise ValueError("PortalSpider needs at least one portal")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Start URLs of every portal, tagged with the portal they belong to."""
        for portal in self.portals.values():
            for url in portal.start_urls:
                yield scrapy.Request(url, meta={"portal": portal.name}, dont_filter=True)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the links of HTML pages that stay on the page's portal."""
        if not isinstance(response, TextResponse) or not _is_html(response):
            return
        portal = self.portals[response.meta["portal"]]
        for url in page_links(response.url, response.text):
            if portal.allows(url):
                yield scrapy.Request(url, meta={"portal": portal.name})
            else:
                self.crawler.stats.inc_value("nianbao/offsite_links_skipped")


def _is_html(response: TextResponse) -> bool:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in ctype or (not ctype and b"<html" in response.body[:2048].lower())

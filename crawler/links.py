"""Which URLs a fetched page leads to: anchors, frames, images and listing pagers."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from parsel import Selector

from crawler.pagers import listing_pages

# Links that never lead to a page or file worth archiving.
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


def page_links(url: str, html: str) -> list[str]:
    """Absolute, fragment-free URLs linked from this HTML page, in document order, unique."""
    selector = Selector(text=html)
    raw = selector.xpath(
        "//a/@href | //area/@href | //iframe/@src | //frame/@src | //img/@src"
    ).getall()
    base = selector.xpath("//base/@href").get()
    root = urljoin(url, base.strip()) if base else url
    found: list[str] = []
    for href in raw:
        href = href.strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        found.append(urldefrag(urljoin(root, href)).url)
    found.extend(listing_pages(url, html))
    return list(dict.fromkeys(found))

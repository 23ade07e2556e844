"""Plain links of a fetched HTML page: anchors, areas and images (frames are a pager's job)."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

from parsel import Selector

# Links that never lead to a page or file worth archiving.
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


def page_links(url: str, html: str) -> list[str]:
    """Absolute, fragment-free URLs linked from this HTML page, in document order, unique."""
    selector = Selector(text=html)
    # What a crawler that reads only links sees; frames, scripts and APIs are the pagers'.
    raw = selector.xpath("//a/@href | //area/@href | //img/@src").getall()
    base = selector.xpath("//base/@href").get()
    root = urljoin(url, base.strip()) if base else url
    found: list[str] = []
    for href in raw:
        href = href.strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        found.append(urldefrag(urljoin(root, href)).url)
    return list(dict.fromkeys(found))

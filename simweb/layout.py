"""Compact page specs kept by the world: listings, news items and per-report render styles."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Listing:
    """A paginated column: items newest first, pages index.html, index_1.html, …"""

    host: str
    base: str  # directory path ending in "/"
    title: str
    trail: tuple[tuple[str, str], ...]
    items: tuple[tuple[str, str, str], ...]  # (title, absolute URL, YYYY-MM-DD)
    page_size: int
    pager: str  # "trs": createPageHTML script only; "links": plain <a href> 下一页
    extra_links: tuple[tuple[str, str], ...] = ()  # (label, href) shown above the items

    @property
    def page_count(self) -> int:
        """Number of pages (at least one, even when empty)."""
        return max(1, math.ceil(len(self.items) / self.page_size))

    def page_path(self, index: int) -> str:
        """Path of page ``index`` (0-based): index.html, then index_1.html …"""
        return f"{self.base}index.html" if index == 0 else f"{self.base}index_{index}.html"

    def page_items(self, index: int) -> tuple[tuple[str, str, str], ...]:
        """The items shown on page ``index``."""
        return self.items[index * self.page_size : (index + 1) * self.page_size]


def adaptive_page_size(count: int) -> int:
    """About three pages for small columns, 15 items a page for big ones."""
    return min(15, max(4, math.ceil(count / 3)))


@dataclass(frozen=True)
class NewsItem:
    """A non-report article: where it lives, its title, date and what kind of text it has."""

    host: str
    url: str
    title: str
    date: str
    kind: str  # "news" | "notice" | "nb-notice" | "hpf" | "jiedu" | "stat"
    column: str  # listing base the item belongs to


@dataclass(frozen=True)
class ReportStyle:
    """Per-report rendering choices (seeded) and the gateway twin linked from the page."""

    style_seed: int
    twin_url: str | None
    image_urls: tuple[str, ...] = ()

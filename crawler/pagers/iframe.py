"""Listing shells whose real list is a same-host ``<iframe>`` (Changzhou, Huai'an districts)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsel import Selector

from nianbao.crawler.pagers.base import Follow, absolute

# Frames whose source a script sets: frame.src = "/list.html", $("#f").attr("src", "/l.html").
_SCRIPT_SRC = re.compile(
    r"""(?:\.src\s*=\s*|\.attr\(\s*["']src["']\s*,\s*)["']([^"'\s]+)["']""", re.I
)


@dataclass(frozen=True)
class IframePager:
    """Every same-host frame source: ``src``, lazy ``data-src`` and script-set sources."""

    name: str = "iframe"

    def fingerprint(self, url: str, text: str) -> bool:
        """An ``<iframe`` or ``<frame`` tag in the page."""
        lowered = text.lower()
        return "<iframe" in lowered or "<frame" in lowered

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """Same-host frame sources as listing requests."""
        selector = Selector(text=text)
        hrefs = selector.xpath(
            "//iframe/@src | //iframe/@data-src | //frame/@src | //frame/@data-src"
        ).getall()
        hrefs += _SCRIPT_SRC.findall(" ".join(selector.xpath("//script/text()").getall()))
        host = urlsplit(url).hostname
        urls = dict.fromkeys(
            absolute(url, h)
            for h in hrefs
            if h.strip() and not h.strip().lower().startswith("javascript:")
        )
        return [Follow(u) for u in urls if urlsplit(u).hostname == host]

    def missing(self, url: str) -> list[Follow]:
        """Nothing to try instead."""
        return []


PAGER = IframePager()

"""Links that exist only as script calls in ``onclick`` attributes."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from parsel import Selector

from nianbao.crawler.pagers.base import Follow, pages

# jumpToDetail('./202601/t20260105_1.html'), window.open("/a.html"), location.href='/b.html'
# (?<!\w): a name is tried once, from its start; from every letter of it is quadratic
_TARGET = re.compile(
    r"""(?:(?<!\w)\w+\s*\(\s*|(?:window\.|document\.)?location(?:\.href)?\s*=\s*)["']([^"']+)["']"""
)
_CALLS = ("jumpToDetail", "window.open", "location")


@dataclass(frozen=True)
class OnclickPager:
    """URLs passed to ``jumpToDetail``/``window.open`` or assigned to ``location.href``."""

    name: str = "onclick"

    def fingerprint(self, url: str, text: str) -> bool:
        """An onclick attribute that navigates."""
        lowered = text.lower()
        return "onclick" in lowered and any(call.lower() in lowered for call in _CALLS)

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """The navigation targets of every onclick, resolved against the page URL."""
        hrefs: list[str] = []
        for script in Selector(text=text).xpath("//@onclick").getall():
            if not any(call in script for call in _CALLS):
                continue
            hrefs += [h for h in _TARGET.findall(script) if _looks_like_url(h)]
        return pages(url, hrefs)

    def missing(self, url: str) -> list[Follow]:
        """Nothing to try instead."""
        return []


def _looks_like_url(value: str) -> bool:
    # jumpToDetail('12345') style ids are not URLs; './', '/', 'http' and 'x.html' are.
    return value.startswith(("/", "./", "../", "http://", "https://")) or "." in value


PAGER = OnclickPager()

"""Fallback: a "下一页" anchor to a numbered page (?page=N, index_N, N.html) is a listing."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from parsel import Selector

from nianbao.crawler.pagers.base import Follow, absolute

_NEXT_TEXTS = ("下一页", "下页", "下一頁", "后页")
# ?page=3, ?pageNo=3, index_3.html, list_3.shtml, /3.html, column-index-3.shtml
_NUMBERED = re.compile(r"(?:[?&]page\w*=\d+|_\d+\.s?html?$|/\d+\.s?html?$|-\d+\.s?html?$)", re.I)


@dataclass(frozen=True)
class GenericPager:
    """Numbered "next page" anchors, marked as listing requests; plain links do the rest."""

    name: str = "generic"

    def fingerprint(self, url: str, text: str) -> bool:
        """A "next page" label anywhere in the page."""
        return any(label in text for label in _NEXT_TEXTS)

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """The numbered targets of anchors labelled "next page"."""
        found: list[str] = []
        for anchor in Selector(text=text).xpath("//a[@href]"):
            label = "".join(anchor.xpath(".//text()").getall()).strip()
            href = anchor.attrib["href"].strip()
            if any(n in label for n in _NEXT_TEXTS) and _NUMBERED.search(href.split("#")[0]):
                found.append(absolute(url, href))
        return [Follow(u) for u in dict.fromkeys(found)]

    def missing(self, url: str) -> list[Follow]:
        """Nothing to try instead."""
        return []


PAGER = GenericPager()

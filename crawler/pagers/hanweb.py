"""Hanweb JCMS: page 1's records sit in a ``<datastore>`` XML script, page 2+ in dataproxy.jsp."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from nianbao.crawler.pagers.base import MAX_PAGES, Follow, absolute, all_seen, pages
from nianbao.extract.scan import delimited

# Records and the next group are found by linear scans (nianbao.extract.scan): ``.*?``
# between the two ends is quadratic on a page that opens many and closes none.
_RECORD_OPEN = re.compile(r"<record>\s*<!\[CDATA\[", re.I)
_RECORD_CLOSE = re.compile(r"\]\]>\s*</record>", re.I)
_TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_NEXTGROUP_OPEN = re.compile(r"<nextgroup>", re.I)
_NEXTGROUP_CLOSE = re.compile(r"</nextgroup>", re.I)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_PAGE_PARAM = re.compile(r"([?&]page=)\d*")


@dataclass(frozen=True)
class HanwebPager:
    """Records from the datastore; page k+1 from the ``<nextgroup>`` href with ``page=k+1``."""

    name: str = "hanweb"

    def fingerprint(self, url: str, text: str) -> bool:
        """A ``<datastore>`` block or a dataproxy.jsp reference."""
        return "<datastore>" in text.lower() or "dataproxy.jsp" in url or "dataproxy.jsp" in text

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """The records of this page, then further pages until totalpage or a repeated page."""
        items = pages(url, _record_hrefs(text))
        template = _template(url, text)
        if template is None:
            return items
        page = _page_number(url)
        total = _TOTAL_PAGE.search(text)
        if total and page == 1:
            # The count is declared: ask for every page at once, never past it.
            last = min(int(total.group(1)), MAX_PAGES)
            return items + [Follow(_with_page(template, k)) for k in range(2, last + 1)]
        if total or all_seen(items, seen):
            # Pages 2+ were asked for by page 1; a page that only repeats what is known
            # (out-of-range pages answer page 1 again) ends an undeclared chain.
            return items
        return items + [Follow(_with_page(template, page + 1))]

    def missing(self, url: str) -> list[Follow]:
        """Nothing to try instead: index_N.html never exists on Hanweb columns."""
        return []


def _record_hrefs(text: str) -> list[str]:
    hrefs: list[str] = []
    for span in delimited(text, _RECORD_OPEN, _RECORD_CLOSE):
        record = text[span.inner_start : span.inner_end]
        hrefs.extend(Selector(text=record).xpath("//a/@href").getall())
    return hrefs


def _template(url: str, text: str) -> str | None:
    """The dataproxy URL to vary ``page=`` in: the nextgroup href, or this answer's own URL."""
    group = next(delimited(text, _NEXTGROUP_OPEN, _NEXTGROUP_CLOSE), None)
    # the href is found inside the group whether or not a CDATA section wraps it
    href = _HREF.search(text, group.inner_start, group.inner_end) if group else None
    target = (href.group(1) or href.group(2) or "") if href else ""
    if "dataproxy.jsp" in target:
        return absolute(url, unescape(target))
    if "dataproxy.jsp" in url:
        return url
    return None


def _page_number(url: str) -> int:
    if "dataproxy.jsp" not in url:
        return 1
    values = parse_qs(urlsplit(url).query).get("page", ["1"])
    return int(values[0]) if values[0].isdigit() else 1


def _with_page(template: str, page: int) -> str:
    if _PAGE_PARAM.search(template):
        return _PAGE_PARAM.sub(lambda m: f"{m.group(1)}{page}", template, count=1)
    joiner = "&" if urlsplit(template).query else "?"
    return f"{template}{joiner}page={page}"


PAGER = HanwebPager()

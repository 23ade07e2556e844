"""TRS WCM static listings: page links exist only inside a ``createPageHTML(...)`` call."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from nianbao.crawler.pagers.base import MAX_PAGES, Follow

# createPageHTML(pageCount, currentIndex, "index", "html") — arguments may be variables.
_CALL = re.compile(
    r"createPageHTML\(\s*(?P<count>\w+)\s*,\s*(?P<current>\w+)\s*,\s*"
    r"[\"'](?P<stem>[\w.-]+)[\"']\s*,\s*[\"'](?P<ext>\w+)[\"']"
)
_COUNT_VARS = ("countPage", "totalPage", "pageCount")
_VAR = r"var\s+{name}\s*=\s*(\d+)"
# The last path segment of a numbered listing page: index_3.html, index_3.shtml.
# (?<![\w.-]): the stem is tried once, from its start (a URL is at most 2 kB, but still)
_NUMBERED = re.compile(r"(?<![\w.-])(?P<stem>[\w.-]+?)_(?P<n>\d+)\.(?P<ext>s?html?)$")


@dataclass(frozen=True)
class TrsPager:
    """index.html, index_1.html, …: page k+1 is ``stem_k.ext`` (``stem_(k+1)`` on offset sites)."""

    name: str = "trs"

    def fingerprint(self, url: str, text: str) -> bool:
        """A createPageHTML call or a countPage variable in the page."""
        return "createPageHTML(" in text or _count_var(text) is not None

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """Every page of the listing, from the declared page count (stop: page ≥ count)."""
        call = _CALL.search(text)
        if call:
            count = _number(call["count"], text)
            current = _number(call["current"], text)
            stem, ext = call["stem"], call["ext"]
        else:
            count, current = _count_var(text), _number("currentPage", text)
            stem, ext = "index", _page_ext(url)
        if count is None or count <= 1:
            return []
        count = min(count, MAX_PAGES)
        # Offset sites name page 2 index_2: this page's suffix is one more than its 0-based index.
        numbered = _NUMBERED.search(urlsplit(url).path.rsplit("/", 1)[-1])
        offset = bool(
            numbered and current is not None and int(numbered["n"]) == current + 1 and current >= 1
        )
        if numbered and not (offset and numbered["n"] == "2"):
            # Page 1 (always among a later page's asks) names every page: asking again from
            # each of n pages would push n² duplicates through the filter.
            return [Follow(urljoin(url, f"{stem}.{ext}"))]
        first = 2 if offset else 1
        names = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(first, count - 1 + first)]
        return [Follow(urljoin(url, name)) for name in names]

    def missing(self, url: str) -> list[Follow]:
        """index_1 answered 404: the site may start numbering at index_2 (page 2)."""
        numbered = _NUMBERED.search(urlsplit(url).path.rsplit("/", 1)[-1])
        if not numbered or numbered["n"] != "1" or urlsplit(url).query:
            return []
        return [Follow(urljoin(url, f"{numbered['stem']}_2.{numbered['ext']}"))]


def _page_ext(url: str) -> str:
    numbered = _NUMBERED.search(urlsplit(url).path)
    if numbered:
        return numbered["ext"]
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1] if "." in last else "html"


def _count_var(text: str) -> int | None:
    for name in _COUNT_VARS:
        value = _number(name, text)
        if value is not None:
            return value
    return None


def _number(token: str, text: str) -> int | None:
    if token.isdigit():
        return int(token)
    found = re.search(_VAR.format(name=re.escape(token)), text)
    return int(found.group(1)) if found else None


PAGER = TrsPager()

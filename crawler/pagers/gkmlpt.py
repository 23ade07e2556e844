"""Guangdong gkmlpt: a Vue shell whose lists come from ``/gkmlpt/api/all/<catid>`` JSON."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from nianbao.crawler.pagers.base import MAX_PAGES, Follow, all_seen, pages
from nianbao.extract.scan import delimited

_SID = re.compile(r"""["']?SID["']?\s*:\s*["']([^"']+)["']""")
# the tree is found by a linear scan: ``\[(.*?)\]`` is quadratic on many unclosed openings
_TREE_OPEN = re.compile(r"""["']?TREE["']?\s*:\s*\[""")
_TREE_CLOSE = re.compile(r"\]\s*[,}]")
_TREE_ID = re.compile(r"""(?<!\w)["']?id["']?\s*:\s*["']?(\d+)""")
# Category routes in links or jump URLs: /gkmlpt/index#123, /gkmlpt/annualreport#123.
# "/" ends the scan too: from one route it stops at the next (linear on "/gkmlpt/index" × n)
_ROUTE = re.compile(r"/gkmlpt/(?:index|annualreport)[^\"'#\s/]*#(\d+)")
_API = re.compile(r"/gkmlpt/api/all/(\d+)")
_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class GkmlptPager:
    """API pages 1..ceil(post_count/size) per category; stop on an empty or repeated page."""

    name: str = "gkmlpt"

    def fingerprint(self, url: str, text: str) -> bool:
        """A gkmlpt URL or API answer, or a page whose ``window._CONFIG`` names a SID."""
        if _API.search(url):
            return True
        return (
            ("/gkmlpt/" in url or "/gkmlpt/" in text)
            and "window._CONFIG" in text
            and _SID.search(text) is not None
        )

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """API page 1 of every category on a shell; articles and next pages on an answer."""
        api = _API.search(url)
        if api:
            return _answer(url, api.group(1), text, seen)
        sid = _SID.search(text)
        if sid is None:
            return []
        fragment = urlsplit(url).fragment
        ids = [fragment] if fragment.isdigit() else []
        tree = next(delimited(text, _TREE_OPEN, _TREE_CLOSE), None)
        if tree:
            ids += _TREE_ID.findall(text[tree.inner_start : tree.inner_end])
        ids += _ROUTE.findall(text)
        return [Follow(_api_url(url, cat, 1, sid.group(1))) for cat in dict.fromkeys(ids)]

    def missing(self, url: str) -> list[Follow]:
        """Nothing: some sites answer 404 past their one page, which ends the category."""
        return []


def _answer(url: str, cat: str, text: str, seen: Container[str]) -> list[Follow]:
    data = decode_answer(text)
    if not isinstance(data, dict):
        return []
    articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
    hrefs: list[str] = []
    for article in articles:
        hrefs += [str(article[key]) for key in ("url", "post_url") if article.get(key)]
        hrefs += [
            str(f["url"])
            for f in article.get("attachment") or []
            if isinstance(f, dict) and f.get("url")
        ]
    items = pages(url, hrefs)
    query = parse_qs(urlsplit(url).query)
    page = int(query.get("page", ["1"])[0] or 1)
    sid = query.get("sid", [""])[0]
    count = _post_count(data)
    if count is not None and page <= 1:
        # Declared size: every page at once, none past the count (pages 0 and 1 are equal).
        last = min(math.ceil(count / max(len(articles), 1)), MAX_PAGES) if articles else 1
        return items + [Follow(_api_url(url, cat, k, sid)) for k in range(2, last + 1)]
    if count is not None or all_seen(items, seen):
        return items
    return items + [Follow(_api_url(url, cat, page + 1, sid))]


def decode_answer(text: str) -> Any:
    """The JSON of an API answer, undoing the ``%uXXXX`` escaping some sites send."""
    plain = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)
    try:
        return json.loads(plain)
    except json.JSONDecodeError:
        pass
    # A wholly escape()d answer: %7B%22articles%22... once the %u runs are undone.
    try:
        return json.loads(unquote(plain))
    except json.JSONDecodeError:
        return None


def _post_count(data: dict[str, Any]) -> int | None:
    classify = data.get("classify")
    value = classify.get("post_count") if isinstance(classify, dict) else None
    if value is None:
        value = data.get("total")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _api_url(base: str, cat: str, page: int, sid: str) -> str:
    # One API at the host root serves every department's shell (/<dept>/gkmlpt/index): the
    # SID says whose catalogue it is.
    return urljoin(base, f"/gkmlpt/api/all/{cat}?page={page}&sid={sid}")


PAGER = GkmlptPager()

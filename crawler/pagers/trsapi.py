"""TRS "动静结合" listings (Fujian portals): page 1 static, pages 2+ from ``list2.trsapi``'s API.

The column page ``require()``s the ``list2.trsapi`` module and calls ``listModel({quickMode:
"动静结合", maxStaticIndex, listArgs: {channelid, classsql, sortfield}, pagebar: {prepage,
recordCount, …}})``. The first ``maxStaticIndex`` pages are static HTML (the ``ms-visible=
"showStatic"`` block); the script fetches the others as JSON from the site's search servlet,
``/fjdzapp/search``, with the ``listArgs`` plus ``page`` and ``prepage`` as a form POST. The
module itself is not in the page: the endpoint and the answer's shape (``data[]`` with
``chnldocurl``/``docpuburl``, ``doctitle``, ``docreltime``; ``pageCount``) come from public
crawlers of these portals (the older ``was5`` answer, ``docs[]`` with ``url``, is read too).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

from nianbao.crawler.pagers.base import MAX_PAGES, Follow, all_seen, pages

API_PATH = "/fjdzapp/search"
DEFAULT_PREPAGE = 10  # the avalon template shows 10 rows; pagebars that omit prepage mean it
FORM_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "X-Requested-With": "XMLHttpRequest",
}
# "[" ends the scan too, so one require([ stops at the next (linear on many unclosed)
_MODULE = re.compile(r"""require\(\s*\[[^\[\]]*["']list\d*\.trsapi["']""")
_BLOCK = r"\b{name}\s*:\s*\{{(?P<body>[^{{}}]*)\}}"
# (?<!\w): a key is tried once, from its start; from every letter of it is quadratic
_PAIR = re.compile(r"""(?<!\w)(?P<key>\w+)\s*:\s*(?P<value>(?:"[^"]*"|'[^']*'|[^,}\n])+)""")
_LITERAL = re.compile(r""""([^"]*)"|'([^']*)'""")
_STATIC = re.compile(r"\bmaxStaticIndex\s*:\s*['\"]?(\d+)")
_CHNL_META = re.compile(r"""<meta\s+name=["']ChnlId["']\s+content=["'](\d+)["']""", re.I)
# Keys of one document in an answer, in the order they are trusted.
_DOC_URLS = ("chnldocurl", "docpuburl", "url")


@dataclass(frozen=True)
class TrsApiPager:
    """Static items of page 1; API pages ``maxStaticIndex+1`` … ``ceil(recordCount/prepage)``.

    Each API page is a form POST whose fields are repeated in the query string: the body is
    what the script sends; the query gives every page its own URL (so the WARC, the seen set
    and the answer itself say which page it is), and servlets read both alike.
    """

    name: str = "trsapi"

    def fingerprint(self, url: str, text: str) -> bool:
        """A ``require([... "list2.trsapi" ...])`` call with listArgs, or an API answer."""
        if urlsplit(url).path.endswith(API_PATH):
            return True
        return _MODULE.search(text) is not None and "listArgs" in text

    def follow(self, url: str, text: str, seen: Container[str] = frozenset()) -> list[Follow]:
        """Page 1: its static items and every API page it declares; an answer: its documents."""
        if urlsplit(url).path.endswith(API_PATH):
            return _answer(url, text, seen)
        form = list_form(text)
        if form is None:
            return []
        items = pages(url, _static_hrefs(text))
        bar = _block(text, "pagebar")
        prepage = _int(bar.get("prepage")) or DEFAULT_PREPAGE
        static = _static_pages(text)
        count = _int(bar.get("recordCount"))
        first = static + 1
        # Without a declared count, ask the first API page: its pageCount says the rest.
        last = first if count is None else min(math.ceil(count / prepage), MAX_PAGES)
        return items + [_follow(url, form, page, prepage) for page in range(first, last + 1)]

    def missing(self, url: str) -> list[Follow]:
        """Nothing: the API has no static fallback to try."""
        return []


def list_form(text: str) -> list[tuple[str, str]] | None:
    """The script's ``listArgs`` as form fields, resolved against the page; None if absent."""
    if _MODULE.search(text) is None:
        return None
    args = _block(text, "listArgs", raw=True)
    form: list[tuple[str, str]] = []
    for key, expression in args.items():
        value = _resolve(expression, text)
        if value is not None:
            form.append((key, value))
    if "classsql" not in dict(form):
        # Some pages leave classsql to a variable: the column's own channel is what it holds.
        chnl = _CHNL_META.search(text)
        if chnl:
            form.append(("classsql", f"chnlid={chnl.group(1)}"))
    return form if "channelid" in dict(form) else None


def _block(text: str, name: str, raw: bool = False) -> dict[str, str]:
    """``name: {k: v, …}`` of the listModel call as {k: v} (string values unquoted unless raw)."""
    found = re.search(_BLOCK.format(name=name), text)
    if not found:
        return {}
    out: dict[str, str] = {}
    for pair in _PAIR.finditer(found.group("body")):
        value = pair["value"].strip()
        literal = _LITERAL.fullmatch(value)
        out[pair["key"]] = value if raw or not literal else (literal[1] or literal[2] or "")
    return out


def _resolve(expression: str, text: str) -> str | None:
    """A listArgs value: a literal, ``"" || "x"`` (first non-empty), or ``Obj.name``'s value."""
    literals = [a or b for a, b in _LITERAL.findall(expression)]
    if literals and "||" in expression:
        return next((v for v in literals if v), "")
    if literals:
        return literals[0]
    if re.fullmatch(r"-?\d+", expression):
        return expression
    # SiteInfo.searchId: the page defines it in an inline object (``searchId: 200210``).
    name = expression.rsplit(".", 1)[-1]
    if not name.isidentifier():
        return None
    found = re.search(rf"\b{re.escape(name)}\s*[:=]\s*['\"]?([\w.=-]+)", text)
    return found.group(1) if found else None


def _static_pages(text: str) -> int:
    found = _STATIC.search(text)
    return int(found.group(1)) if found else 1


def _static_hrefs(text: str) -> list[str]:
    """Anchors of the static block(s); the avalon template has none (ms-attr-href)."""
    return Selector(text=text).xpath('//*[@ms-visible="showStatic"]//a/@href').getall()


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


def _follow(base: str, form: list[tuple[str, str]], page: int, prepage: int) -> Follow:
    fields = [(k, v) for k, v in form if k not in ("page", "prepage")]
    query = urlencode([*fields, ("page", str(page)), ("prepage", str(prepage))])
    return Follow(
        urljoin(base, f"{API_PATH}?{query}"),  # the page's own host, whatever the script says
        method="POST",
        body=query.encode("ascii"),
        headers=FORM_HEADERS,
    )


def _answer(url: str, text: str, seen: Container[str]) -> list[Follow]:
    """Documents of an API answer, then pages up to its pageCount that nobody asked for yet."""
    data = _json(text)
    if not isinstance(data, dict):
        return []
    docs = data.get("data") if isinstance(data.get("data"), list) else data.get("docs")
    hrefs = [
        str(next(doc[k] for k in _DOC_URLS if doc.get(k)))
        for doc in docs or []
        if isinstance(doc, dict) and any(doc.get(k) for k in _DOC_URLS)
    ]
    items = pages(url, hrefs)
    if not items or all_seen(items, seen):
        # Empty past the end, or a page repeating known documents: nothing further to ask.
        return items
    form = parse_qsl(urlsplit(url).query)
    fields = dict(form)
    page = _int(fields.get("page")) or 1
    prepage = _int(fields.get("prepage")) or DEFAULT_PREPAGE
    count = _page_count(data, prepage)
    after = _follow(url, form, page + 1, prepage)
    if count is None or page >= count or after.url in seen:
        # Page 1 asked for every page it declared; only a longer list than it said goes on.
        return items
    last = min(count, MAX_PAGES)
    return items + [_follow(url, form, k, prepage) for k in range(page + 1, last + 1)]


def _page_count(data: dict[str, Any], prepage: int) -> int | None:
    for key in ("pageCount", "pagecount", "totalPage"):
        value = _int(str(data.get(key))) if data.get(key) is not None else None
        if value is not None:
            return value
    for key in ("recordCount", "count", "total"):
        value = _int(str(data.get(key))) if data.get(key) is not None else None
        if value is not None:
            return math.ceil(value / prepage)
    return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


PAGER = TrsApiPager()

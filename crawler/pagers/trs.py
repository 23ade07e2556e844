"""TRS WCM static listings: page links exist only inside ``createPageHTML(...)`` calls."""

from __future__ import annotations

import re
from urllib.parse import urljoin

# createPageHTML(pageCount, currentIndex, "index", "html") — arguments may be variables.
_CALL = re.compile(
    r"createPageHTML\(\s*(?P<count>\w+)\s*,\s*(?P<current>\w+)\s*,\s*"
    r"[\"'](?P<stem>[\w.-]+)[\"']\s*,\s*[\"'](?P<ext>\w+)[\"']"
)
_VAR = r"var\s+{name}\s*=\s*(\d+)"
# A hostile or broken page may claim millions of pages; no real listing has this many.
MAX_PAGES = 5000


def trs_pages(url: str, html: str) -> list[str]:
    """Listing pages named by a TRS ``createPageHTML`` call: index.html, index_1.html, …"""
    match = _CALL.search(html)
    if not match:
        return []
    count = _number(match["count"], html)
    if count is None or count <= 1:
        return []
    count = min(count, MAX_PAGES)
    stem, ext = match["stem"], match["ext"]
    # Page 1 is stem.ext, page k+1 is stem_k.ext (the common "_1 is page 2" convention).
    names = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(1, count)]
    return [urljoin(url, name) for name in names]


def _number(token: str, html: str) -> int | None:
    if token.isdigit():
        return int(token)
    found = re.search(_VAR.format(name=re.escape(token)), html)
    return int(found.group(1)) if found else None

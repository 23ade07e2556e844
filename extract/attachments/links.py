"""Links from a report's page to the files that hold the report: its 附件 block.

Found by the file name (an office or PDF extension in the URL or in the link text) or by a
download script (``downfile.jsp``, ``download.jsp``, ``/module/download/``): portals serve
attachments from URLs whose type only the answer's headers tell.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urldefrag, urljoin

from lxml import etree

_FILE = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd)(?:$|[?#&])", re.I)
_SCRIPT = re.compile(r"down(?:load)?file|/download/|download\.(?:jsp|do|aspx?)", re.I)
MAX_LINKS = 50  # a page listing hundreds of files is a listing, not a report's page


def attachment_links(root: etree._Element, url: str) -> tuple[str, ...]:
    """Absolute URLs of the attachments this page links, in page order, each once."""
    found: dict[str, None] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        text = "".join(anchor.itertext()).strip()
        if _FILE.search(unquote(href)) or _FILE.search(text + "#") or _SCRIPT.search(href):
            found.setdefault(urldefrag(urljoin(url, href)).url, None)
            if len(found) >= MAX_LINKS:
                break
    return tuple(found)

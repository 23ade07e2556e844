"""A stuffed header in the page's head: its <title> and <meta name=keywords|description>.

Mirrors stuff the head as they stuff the line above the title (REPORT_FORMAT.md): a run of
betting or porn phrases joined by separators, before or after the report's title in
<title>, or as the whole keywords or description. The same rule decides (spam.stuffed_line:
phrases foreign to the page's text, or lexicon terms), so a site name after the title
(…年度报告_政府信息公开年报_某某区人民政府) or keywords in the report's own words are no spam.
Findings carry their place and offsets within that string; the main text is untouched.
"""

from __future__ import annotations

import re

from lxml import html

from nianbao.extract.dom import element_text
from nianbao.extract.metadata import meta_content
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import SpamFinding, stuffed_line

HEAD_PLACES = ("title", "keywords", "description")
_SEPARATOR = r"[\s_|｜\-:：·,，、/]"
# (?<!…): a run is tried once, from its start; from each of its characters is quadratic
_LEAD, _TRAIL = re.compile(f"^{_SEPARATOR}+"), re.compile(f"(?<!{_SEPARATOR}){_SEPARATOR}+$")


def head_spam(
    root: html.HtmlElement, simple_text: str, title: str | None
) -> tuple[SpamFinding, ...]:
    """Stuffed headers in ``root``'s head; ``simple_text`` is the page's clean main text in
    Simplified, ``title`` the report's title as picked (its place in <title> is no candidate).
    """
    rest = simple_text
    found: list[SpamFinding] = []
    title_el = next(root.iter("title"), None)
    if title_el is not None:
        found += _in_title(element_text(title_el), rest, title)
    for place in HEAD_PLACES[1:]:  # the <meta> ones
        content = meta_content(root, place)
        if content and stuffed_line(to_simplified(content), rest):
            found.append(SpamFinding("stuffed_header", 0, len(content), content, place=place))
    return tuple(found)


def _in_title(whole: str, rest: str, title: str | None) -> list[SpamFinding]:
    """The runs of <title> before and after the report's title that are stuffed headers."""
    at = whole.find(title) if title else -1
    runs = [(0, len(whole))] if at < 0 or not title else [(0, at), (at + len(title), len(whole))]
    found = []
    for start, end in runs:
        piece = whole[start:end]
        lead, trail = _LEAD.search(piece), _TRAIL.search(piece)
        start, end = start + (lead.end() if lead else 0), end - (len(trail[0]) if trail else 0)
        if start < end and stuffed_line(to_simplified(whole[start:end]), rest):
            found.append(SpamFinding("stuffed_header", start, end, whole[start:end], place="title"))
    return found

"""Parse HTML leniently and read it as lines, the way a person sees the page."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lxml import etree, html

# Elements that start a new line when rendered.
_BLOCKS = frozenset(
    "address article aside blockquote body br center dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul title".split()
)
_CELLS = frozenset(("td", "th"))
_INVISIBLE = frozenset(("script", "style", "noscript", "template", "head", "iframe", "object"))
# Formatting-only elements whose text belongs to the surrounding sentence.
_INLINE = frozenset(
    "span font b i u em strong small big s strike sub sup ins del mark abbr cite q tt code "
    "nobr o:p st1:chsdate st1:chmetcnv".split()
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u200b]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(text: str) -> html.HtmlElement | None:
    """Parse a page into an lxml tree; None when there is no document to speak of."""
    cleaned = _CONTROL.sub("", text)
    if not cleaned.strip():
        return None
    # Bytes input lets lxml ignore an XML declaration that a str would be rejected for.
    parser = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(cleaned.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    return root


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.lower()


def visible_text(
    root: etree._Element,
    blocks: frozenset[str],
    marks: Mapping[str, Callable[[etree._Element], str]] | None = None,
) -> str:
    """The page's visible text: a newline at each edge of a ``blocks`` element, and for a tag in
    ``marks`` the text its function gives for the element (a cell separator, an image mark)."""
    marks = marks or {}
    parts: list[str] = []
    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(element)
        if event == "start":
            if tag in _INVISIBLE:
                skipping += 1
            if skipping:
                continue
            if tag in blocks:
                parts.append("\n")
            elif tag in marks:
                parts.append(marks[tag](element))
            if element.text:
                parts.append(element.text)
        else:
            if tag in _INVISIBLE:
                skipping -= 1
            if skipping:
                continue
            if tag in blocks:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
    return "".join(parts)


def page_lines(root: html.HtmlElement) -> list[str]:
    """All visible text of the page, one rendered line per entry (cells joined by a space)."""
    text = visible_text(root, _BLOCKS, {tag: _cell_gap for tag in _CELLS})
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _cell_gap(_element: etree._Element) -> str:
    return " "


def element_text(element: etree._Element) -> str:
    """The text of one element with whitespace collapsed."""
    return _SPACES.sub(" ", " ".join(element.itertext())).strip()


def unwrap_inline(root: html.HtmlElement) -> None:
    """Dissolve formatting elements into their parents so split words stay whole.

    Extractors treat a <span> or <font> around one character (今年5<span>月</span>1日)
    as its own text node and can drop or isolate it; links are dissolved only when they
    sit inside running text, so navigation menus keep their link density.
    """
    for element in list(root.iter()):
        tag = _tag(element)
        if tag in _INLINE:
            element.drop_tag()
        elif tag == "a" and _in_running_text(element):
            element.drop_tag()


def _in_running_text(link: etree._Element) -> bool:
    parent = link.getparent()
    if parent is None:
        return False
    if (parent.text or "").strip() or (link.tail or "").strip():
        return True
    previous = link.getprevious()
    return previous is not None and bool((previous.tail or "").strip())

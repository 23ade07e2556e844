"""Parse HTML leniently and read it as lines, the way a person sees the page."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ParsedPage:
    """A page's tree, and what the parser's limits cost it, if anything."""

    root: html.HtmlElement | None
    loss: str | None = None  # recorded: an errors row even when the page is no report


def parse_page(text: str) -> ParsedPage:
    """Parse a page into an lxml tree (root None when there is no document to speak of).

    libxml2 keeps at most 10 MB in a text node and 256 levels of nesting unless told
    ``huge_tree`` (a 19 MB one-line page kept 115 of 6.7 M characters, and 300 nested
    ``<div>`` lost every word); told, it still stops at 2,048 levels. Deeper markup is read
    again with its wrapper elements taken out, then with every tag but a few taken out, and
    the page says so in ``loss``.
    """
    cleaned = _CONTROL.sub("", text)
    if not cleaned.strip():
        return ParsedPage(None)
    root, limited = _parsed(cleaned)
    if not limited:
        return ParsedPage(root)
    for keep, what in _FLATTENINGS:
        root, limited = _parsed(flattened(cleaned, keep))
        if not limited:
            return ParsedPage(root, f"markup nested deeper than {MAX_DEPTH} levels: read {what}")
    return ParsedPage(root, f"markup nested deeper than {MAX_DEPTH} levels: text past it lost")


def parse_html(text: str) -> html.HtmlElement | None:
    """Parse a page into an lxml tree; None when there is no document to speak of."""
    return parse_page(text).root


def _parsed(cleaned: str) -> tuple[html.HtmlElement | None, bool]:
    """The tree (None if none) and whether the parser stopped at one of its limits."""
    # Bytes input lets lxml ignore an XML declaration that a str would be rejected for.
    parser = html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = etree.fromstring(cleaned.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    limited = any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log)
    if root is None or not isinstance(root.tag, str):
        return None, limited
    return root, limited


MAX_DEPTH = 2048  # libxml2's nesting limit under huge_tree
# Elements that only wrap others: taken out first when the nesting is too deep.
_WRAPPERS = frozenset(
    "div span font section article center main aside nav header footer form label "
    "blockquote b i u em strong small big s strike sub sup ins del mark".split()
)
# What survives the second flattening: the head's fields and the breaks between lines.
_SKELETON = frozenset("html head title meta body p br h1 h2 h3 h4 h5 h6".split())
_FLATTENINGS = (
    (None, "with its wrapper elements (div, span, font…) taken out"),
    (_SKELETON, "as plain lines, tables and links taken out"),
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*>")
_BREAKS = re.compile(r"<br>(?:\s*<br>)+")


def flattened(markup: str, keep: frozenset[str] | None) -> str:
    """The markup with the wrapper elements taken out (``keep`` None), or every element
    not in ``keep``; a block element's tag becomes a line break."""

    def replace(tag: re.Match[str]) -> str:
        name = tag.group(2).lower()
        if (name not in _WRAPPERS) if keep is None else (name in keep):
            return tag.group(0)
        return "<br>" if name in _BLOCKS else ""

    # a run of breaks is one: 100,000 nested <div> made as many <br>, and trafilatura is
    # quadratic in them
    return _BREAKS.sub("<br>", _TAG_NAME.sub(replace, markup))


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

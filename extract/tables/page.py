"""HTML → leaf <table> grids (rowspan/colspan expanded) and lines (cells, images as markers)."""

from __future__ import annotations

import re

from lxml import etree, html

from nianbao.extract.dom import parse_html, visible_text
from nianbao.extract.tables.tokens import IMG_MARK

_DIGITS = re.compile(r"\s*(\d{1,4})")
_INVISIBLE = frozenset(("script", "style", "noscript", "template", "head", "iframe", "object"))
_BLOCKS = frozenset(
    "address article aside blockquote body br center dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr td th "
    "ul caption".split()
)
MAX_SPAN = 200  # a larger rowspan/colspan is a typo; capping keeps expansion linear
MAX_WIDTH = 64  # the widest template table has 15 value columns


def parse_page(text: str) -> html.HtmlElement | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    return parse_html(text)


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def leaf_tables(root: etree._Element) -> list[etree._Element]:
    """<table> elements holding no other table (outer layout tables are page scaffolding)."""
    return [t for t in root.iter("table") if next(t.iterdescendants("table"), None) is None]


def cell_text(cell: etree._Element) -> str:
    """A cell's text: inline pieces joined as printed, <br> and paragraphs as line breaks."""
    if len(cell) == 0:
        return (cell.text or "").strip()
    if len(cell) == 1 and len(cell[0]) == 0 and _tag(cell[0]) == "p":  # <td><p>0</p></td>
        return ((cell.text or "") + (cell[0].text or "") + (cell[0].tail or "")).strip()
    parts: list[str] = []
    for event, element in etree.iterwalk(cell, events=("start", "end")):
        tag = _tag(element)
        if event == "start":
            if tag in ("br", "p", "div") and element is not cell:
                parts.append("\n")
            if element.text and tag not in _INVISIBLE:
                parts.append(element.text)
        elif element is not cell and element.tail:
            parts.append(element.tail)
    return "".join(parts).strip()


def _span(cell: etree._Element, name: str) -> int:
    match = _DIGITS.match(cell.get(name) or "")
    return min(max(int(match.group(1)), 1), MAX_SPAN) if match else 1


ORIGIN, COLSPAN_COPY, ROWSPAN_COPY = 0, 1, 2
GridRow = list[tuple[str, int]]  # (text, ORIGIN | COLSPAN_COPY | ROWSPAN_COPY) per position


def table_grid(table: etree._Element) -> list[GridRow]:
    """The table as rows of cell texts, every spanned position filled with its cell's text."""
    grid: list[GridRow] = []
    pending: dict[int, list] = {}  # column → [rows still covered, text] from a rowspan above
    for tr in table.iter("tr"):
        row: GridRow = []
        col = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            while col in pending:
                row.append(_take(pending, col))
                col += 1
            text = cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for k in range(colspan):
                if col >= MAX_WIDTH:
                    break
                row.append((text, COLSPAN_COPY if k else ORIGIN))
                if rowspan > 1:
                    pending[col] = [rowspan - 1, text]
                col += 1
        for covered in sorted(c for c in pending if c >= col):
            row.extend([("", ORIGIN)] * (covered - col))
            row.append(_take(pending, covered))
            col = covered + 1
        grid.append(row)
    return grid


def _take(pending: dict[int, list], col: int) -> tuple[str, int]:
    entry = pending[col]
    entry[0] -= 1
    if entry[0] <= 0:
        del pending[col]
    return entry[1], ROWSPAN_COPY


def page_lines(root: etree._Element) -> list[str]:
    """Visible text one block (paragraph, cell) per line; <img> as IMG_MARK lines."""
    return visible_text(root, _BLOCKS, {"img": _image_mark}).split("\n")


def _image_mark(element: etree._Element) -> str:
    return f"\n{IMG_MARK}{(element.get('src') or '').strip()}\n"

"""DOCX attachments, read with python-docx: paragraphs and tables in document order.

python-docx repeats a merged cell at every grid position it covers; the spans are read from
the cells' own XML instead (``w:gridSpan`` across, ``w:vMerge`` down), so each merged cell is
one cell with its spans, as an HTML table prints it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from lxml import etree

from nianbao.extract.attachments.archive_zip import check_zip
from nianbao.extract.attachments.document import Block, Document, Table, TableCell
from nianbao.extract.errors import ExtractError


def read_docx(body: bytes) -> Document:
    """The DOCX's lines and tables in order; ExtractError when it cannot be read."""
    check_zip(body, "DOCX")
    try:
        document = docx.Document(io.BytesIO(body))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as bad:
        raise ExtractError("attachment", f"unreadable DOCX ({type(bad).__name__}: {bad})") from bad
    return Document(tuple(_blocks(document.element.body)))


def _blocks(body: etree._Element) -> Iterator[Block]:
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield _text(child)
        elif child.tag == qn("w:tbl"):
            yield _table(child)


def _text(element: etree._Element) -> str:
    """A paragraph's text; w:br and w:tab as a space (labels are matched without them)."""
    text = qn("w:t")
    nodes = element.iter(text, qn("w:br"), qn("w:tab"))
    return "".join((node.text or "") if node.tag == text else " " for node in nodes)


def _table(tbl: etree._Element) -> Table:
    grid: list[list[tuple[etree._Element, int, str]]] = []  # per row: (tc, colspan, vmerge)
    for tr in tbl.iterchildren(qn("w:tr")):
        row = []
        for tc in tr.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span = props.find(qn("w:gridSpan")) if props is not None else None
            merge = props.find(qn("w:vMerge")) if props is not None else None
            colspan = int(span.get(qn("w:val"), "1")) if span is not None else 1
            vmerge = "" if merge is None else (merge.get(qn("w:val")) or "continue")
            row.append((tc, max(1, colspan), vmerge))
        grid.append(row)
    starts = [_columns(row) for row in grid]
    rows: list[tuple[TableCell, ...]] = []
    for r, row in enumerate(grid):
        cells = []
        for (tc, colspan, vmerge), column in zip(row, starts[r], strict=True):
            if vmerge == "continue":
                continue  # covered by the cell above, as an HTML rowspan covers it
            rowspan = _rowspan(grid, starts, r, column) if vmerge == "restart" else 1
            text = "\n".join(_text(p) for p in tc.iterchildren(qn("w:p")))
            cells.append(TableCell(text, rowspan, colspan))
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _rowspan(
    grid: list[list[tuple[etree._Element, int, str]]], starts: list[list[int]], r: int, column: int
) -> int:
    """Rows a ``w:vMerge="restart"`` cell at ``column`` of row ``r`` covers, itself included."""
    span = 1
    while r + span < len(grid) and _continues(grid[r + span], starts[r + span], column):
        span += 1
    return span


def _columns(row: list[tuple[etree._Element, int, str]]) -> list[int]:
    """The grid column each cell of ``row`` starts at."""
    out, column = [], 0
    for _, colspan, _ in row:
        out.append(column)
        column += colspan
    return out


def _continues(row: list[tuple[etree._Element, int, str]], starts: list[int], column: int) -> bool:
    return any(s == column and v == "continue" for (_, _, v), s in zip(row, starts, strict=True))

"""What every attachment reader returns: the document's lines and tables in reading order.

Readers of PDF, DOCX and XLSX files differ in everything but this; the report is then read
from the document as the HTML extractor reads a page (``document_html``), so an attachment's
tables go through the same label matching and identity checks as a page's.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableCell:
    """One printed cell; ``rowspan``/``colspan`` as merged in the file."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    """A table's rows of cells; a spanned position has no cell of its own (as in HTML)."""

    rows: tuple[tuple[TableCell, ...], ...]


Block = str | Table  # a line of text, or a table


@dataclass(frozen=True)
class Document:
    """An attachment as read: its blocks in reading order, and what the reader noticed."""

    blocks: tuple[Block, ...]
    pages: int = 0  # PDF pages (0 for formats without pages)
    notes: tuple[str, ...] = field(default=())


def document_html(document: Document) -> str:
    """The document as a plain HTML page: a paragraph per line, a bordered table per table."""
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>']
    for block in document.blocks:
        if isinstance(block, Table):
            out.append(_table_html(block))
        elif block.strip():
            out.append(f"<p>{html.escape(block.strip())}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def _table_html(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            text = "<br>".join(html.escape(part) for part in cell.text.split("\n"))
            cells.append(f"<td{spans}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


# A value cell of a statistical table: digits (half- or full-width), signs, "/", "无".
_VALUE = re.compile(r"^[\s\d０-９.．,，+\-－—–/／无]*$")
# Where a label of the template begins: "1." "（一）" "一、" — two labels run together by a
# missing rule split there.
_LABEL_START = re.compile(r"^(?:\d+[.．、]|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def split_merged_rows(table: Table) -> Table:
    """Rows that a missing rule ran together, split again.

    A PDF table whose rule between two rows is not drawn comes out as one row whose cells
    hold both rows' texts, a line each ("0\\n3"). Where every value cell of a row holds the
    same number k > 1 of lines, the row is k rows: values a line each, labels at their
    enumerators ("1." "（一）"); cells spanning down from above grow by k - 1.
    """
    anchors = _anchors(table)
    for r in sorted({a[0] for a in anchors}, reverse=True):
        own = [a for a in anchors if a[0] == r and a[2] == 1]
        k = _merged_lines(own)
        if k > 1:
            anchors = _split_row(anchors, r, k)
    return _from_anchors(anchors)


Anchor = tuple[int, int, int, int, str]  # row, column, rowspan, colspan, text


def _anchors(table: Table) -> list[Anchor]:
    out: list[Anchor] = []
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            out.append((r, c, cell.rowspan, cell.colspan, cell.text))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, c + dc))
            c += cell.colspan
    return out


def _merged_lines(cells: list[Anchor]) -> int:
    """k when every value cell (two at least) of a row holds k lines, else 1."""
    values = [text for *_, text in cells if text and _VALUE.match(text)]
    counts = {len(text.split("\n")) for text in values}
    return counts.pop() if len(counts) == 1 and len(values) >= 2 else 1


def _split_row(anchors: list[Anchor], r: int, k: int) -> list[Anchor]:
    out: list[Anchor] = []
    for row, col, rowspan, colspan, text in anchors:
        if row > r:
            out.append((row + k - 1, col, rowspan, colspan, text))
        elif row < r <= row + rowspan - 1 or (row == r and rowspan > 1):
            out.append((row, col, rowspan + k - 1, colspan, text))
        elif row == r:
            for n, part in enumerate(_parts(text, k)):
                out.append((r + n, col, 1, colspan, part))
        else:
            out.append((row, col, rowspan, colspan, text))
    return out


def _parts(text: str, k: int) -> list[str]:
    """``text`` as k cells' texts: a line each, or grouped at label starts; else unsplit."""
    lines = text.split("\n")
    if len(lines) == k:
        return lines
    groups: list[list[str]] = []
    for line in lines:
        if not groups or _LABEL_START.match(line.strip()):
            groups.append([line])
        else:
            groups[-1].append(line)
    if len(groups) == k:
        return ["".join(group) for group in groups]
    return [text] + [""] * (k - 1)


def _from_anchors(anchors: list[Anchor]) -> Table:
    rows: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        rows.setdefault(anchor[0], []).append(anchor)
    height = max((a[0] + a[2] for a in anchors), default=0)
    return Table(
        tuple(
            tuple(
                TableCell(t, rs, cs)
                for _, _, rs, cs, t in sorted(rows.get(r, []), key=lambda a: a[1])
            )
            for r in range(height)
        )
    )

"""What every attachment reader returns: the document's lines and tables in reading order.

Readers of PDF, DOCX and XLSX files differ in everything but this; the report is then read
from the document as the HTML extractor reads a page (``document_html``), so an attachment's
tables go through the same label matching and identity checks as a page's.
"""

from __future__ import annotations

import html
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

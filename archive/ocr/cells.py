"""A picture's OCR'd table as stats rows of its report, and the identities evaluated again."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.archive.store.cells import OCR, add_cells
from nianbao.archive.store.database import Store
from nianbao.extract.attachments.document import Document, document_html
from nianbao.extract.ocr.tables import lowest_confidence, read_table_image
from nianbao.extract.tables import Cell, parse_tables


@dataclass(frozen=True)
class OcrCells:
    """Cells read from one picture, each with the confidence of its reading (0-100)."""

    cells: tuple[tuple[Cell, float], ...]


def ocr_cells(picture: bytes) -> OcrCells:
    """The cells of tables 2-4 in a table picture, under the template's labels."""
    read = read_table_image(picture)
    tables = parse_tables(document_html(Document((read.table,))), "")
    lowest: dict[str, float] = {}  # a cell's: the lowest of the cells printed as it is
    lowest_confidence(read, lowest)
    return OcrCells(tuple((c, lowest.get(c.raw, 0.0)) for c in tables.cells))


def write_cells(store: Store, report_id: str, read: OcrCells) -> int:
    """Stats rows (source 'ocr') for the cells the report does not have yet, then its
    checks again; the cells written."""
    cells = ((cell, round(confidence, 1)) for cell, confidence in read.cells)
    return add_cells(store, report_id, cells, OCR)

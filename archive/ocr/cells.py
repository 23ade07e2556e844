"""A picture's OCR'd table as stats rows of its report, and the identities evaluated again."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import check_row, stat_row
from nianbao.extract.attachments.document import Document, document_html
from nianbao.extract.ocr.tables import read_table_image
from nianbao.extract.tables import Cell, check_identities, parse_tables
from nianbao.extract.tables.model import CHECK_FAILED

REREAD = "reread"  # a check state: failed on cells read by OCR


@dataclass(frozen=True)
class OcrCells:
    """Cells read from one picture, each with the confidence of its reading (0-100)."""

    cells: tuple[tuple[Cell, float], ...]


def ocr_cells(picture: bytes) -> OcrCells:
    """The cells of tables 2-4 in a table picture, under the template's labels."""
    read = read_table_image(picture)
    tables = parse_tables(document_html(Document((read.table,))), "")
    # a cell's confidence: the lowest of the picture's cells printed as it is (labels are
    # matched, not positions, so the cell behind each value is known by its text only)
    lowest: dict[str, float] = {}
    for row, confidences in zip(read.table.rows, read.confidence, strict=True):
        for cell, confidence in zip(row, confidences, strict=True):
            lowest[cell.text] = min(confidence, lowest.get(cell.text, 100.0))
    return OcrCells(tuple((c, lowest.get(c.raw, 0.0)) for c in tables.cells))


def write_cells(store: Store, report_id: str, read: OcrCells) -> int:
    """Stats rows for the cells the report does not have yet, then its checks again; the
    cells written."""
    have = {
        row[0] for row in store.db.execute("select id from stats where report_id = ?", [report_id])
    }
    rows = [
        stat_row(report_id, cell, "ocr", round(confidence, 1)) for cell, confidence in read.cells
    ]
    new = [row for row in rows if row["id"] not in have]  # a page's cell is never replaced
    for row in new:
        store.put_cell(row)
    _check_again(store, report_id)
    return len(new)


def _check_again(store: Store, report_id: str) -> None:
    """The report's identities on all its cells; failures on OCR'd tables are ``reread``."""
    db = store.db
    rows = db.execute(
        "select table_no, block, row, [column], value, raw, source from stats where report_id = ?",
        [report_id],
    ).fetchall()
    cells = [Cell(t, b, r, c, v, raw) for t, b, r, c, v, raw, _ in rows]
    ocr_tables = {t for t, *_, source in rows if source == "ocr"}
    found = db.execute("select template, generation from reports where id = ?", [report_id])
    template = found.fetchone()
    for check in check_identities(cells, (template[0] or template[1]) if template else None):
        table = 4 if check.identity.startswith("t4") else 3
        failed_on_ocr = check.state == CHECK_FAILED and table in ocr_tables
        store.put_check(check_row(report_id, check, REREAD if failed_on_ocr else None))

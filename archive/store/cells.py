"""Cells a report takes from another capture (a table picture's OCR, a linked spreadsheet),
and its identities evaluated again on all its cells."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import check_row, stat_row
from nianbao.extract.tables import Cell, check_identities
from nianbao.extract.tables.model import CHECK_FAILED

OCR = "ocr"  # a stats source: read from a picture
SHEET = "sheet"  # a stats source: read from a workbook (XLSX, XLS, ET) the page links
REREAD = "reread"  # a check state: failed on cells read by OCR
# an OCR'd cell read with less confidence than this (Tesseract's, 0-100) is shown as doubtful:
# the OCR stage reads such cells a second time alone (extract.ocr.tables.REREAD_BELOW)
DOUBTFUL_BELOW = 85.0


def add_cells(
    store: Store, report_id: str, cells: Iterable[tuple[Cell, float | None]], source: str
) -> int:
    """Stats rows of ``source`` for the cells the report does not have yet (a page's cell is
    never replaced), each with its reading's confidence (OCR) or None, then its checks
    again; the cells written."""
    have = {
        row[0] for row in store.db.execute("select id from stats where report_id = ?", [report_id])
    }
    rows = [stat_row(report_id, cell, source, confidence) for cell, confidence in cells]
    new = [row for row in rows if row["id"] not in have]
    for row in new:
        store.put_cell(row)
    if new:
        check_again(store, report_id)
    return len(new)


def check_again(store: Store, report_id: str) -> None:
    """The report's identities on all its cells; failures on OCR'd tables are ``reread``."""
    db = store.db
    rows = db.execute(
        "select table_no, block, row, [column], value, raw, source from stats where report_id = ?",
        [report_id],
    ).fetchall()
    cells = [Cell(t, b, r, c, v, raw) for t, b, r, c, v, raw, _ in rows]
    ocr_tables = {t for t, *_, source in rows if source == OCR}
    found = db.execute("select template, generation from reports where id = ?", [report_id])
    template = found.fetchone()
    for check in check_identities(cells, (template[0] or template[1]) if template else None):
        table = 4 if check.identity.startswith("t4") else 3
        failed_on_ocr = check.state == CHECK_FAILED and table in ocr_tables
        store.put_check(check_row(report_id, check, REREAD if failed_on_ocr else None))

"""A picture's OCR'd table as stats rows of its report, and the identities evaluated again."""

from __future__ import annotations

import json
from dataclasses import dataclass

from nianbao.archive.store.database import Store
from nianbao.extract.attachments.document import Document, document_html
from nianbao.extract.ocr.tables import read_table_image
from nianbao.extract.tables import Cell, check_identities, parse_tables
from nianbao.extract.tables.model import CHECK_FAILED, CHECK_UNCHECKED

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
    db = store.db
    have = {row[0] for row in db.execute("select id from stats where report_id = ?", [report_id])}
    written = 0
    for cell, confidence in read.cells:
        key = f"{report_id}:{cell.table}:{cell.block}:{cell.row}:{cell.column}"
        if key in have:
            continue  # read from the page: never replaced by a reading of a picture
        db.execute(
            "insert into stats (id, report_id, table_no, block, row, [column], value, raw,"
            " source, confidence) values (?, ?, ?, ?, ?, ?, ?, ?, 'ocr', ?)",
            [
                key,
                report_id,
                cell.table,
                cell.block,
                cell.row,
                cell.column,
                cell.value,
                cell.raw,
                round(confidence, 1),
            ],
        )
        written += 1
    _check_again(store, report_id)
    return written


def _check_again(store: Store, report_id: str) -> None:
    """The report's identities on all its cells; failures on OCR'd tables are ``reread``."""
    db = store.db
    rows = db.execute(
        "select table_no, block, row, [column], value, raw, source from stats where report_id = ?",
        [report_id],
    ).fetchall()
    cells = [Cell(t, b, r, c, v, raw) for t, b, r, c, v, raw, _ in rows]
    ocr_tables = {t for t, *_, source in rows if source == "ocr"}
    template = db.execute("select template, generation from reports where id = ?", [report_id])
    found = template.fetchone()
    for check in check_identities(cells, (found[0] or found[1]) if found else None):
        table = 4 if check.identity.startswith("t4") else 3
        state = check.state
        if state == CHECK_FAILED and table in ocr_tables:
            state = REREAD
        db.execute(
            "insert or replace into checks (id, report_id, identity, expected, actual, ok,"
            " state, blank_cells) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                f"{report_id}:{check.identity}",
                report_id,
                check.identity,
                check.expected,
                check.actual,
                None if state in (CHECK_UNCHECKED, REREAD) else int(check.ok),
                state,
                json.dumps(list(check.blank), ensure_ascii=False) if check.blank else None,
            ],
        )

"""XLSX attachments, read with openpyxl: each sheet one table, merged ranges as spans."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from nianbao.extract.attachments.archive_zip import check_zip
from nianbao.extract.attachments.document import Block, Document, Table, TableCell
from nianbao.extract.errors import ExtractError

_PLACES = re.compile(r"0\.(0+)(?![^\[]*\])")  # "0.00", "#,##0.00": places shown
MAX_CELLS = 200_000  # per sheet: a report's tables are a few hundred cells


def read_xlsx(body: bytes) -> Document:
    """Every sheet's name as a line, then its cells as a table; ExtractError when unreadable."""
    check_zip(body, "XLSX")
    try:
        book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile, OSError) as bad:
        raise ExtractError("attachment", f"unreadable XLSX ({type(bad).__name__}: {bad})") from bad
    blocks: list[Block] = []
    notes: list[str] = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            notes.append(f"sheet {sheet.title}: {sheet.max_row} x {sheet.max_column} not read")
            continue
        blocks.append(sheet.title)
        blocks.append(Table(tuple(_rows(sheet))))
    return Document(tuple(blocks), notes=tuple(notes))


def _rows(sheet: Any) -> Iterator[tuple[TableCell, ...]]:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (
            merged.max_row - merged.min_row + 1,
            merged.max_col - merged.min_col + 1,
        )
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    for r, row in enumerate(sheet.iter_rows(), start=1):
        cells = []
        for c, cell in enumerate(row, start=1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cells.append(TableCell(_printed(cell.value, cell.number_format), rowspan, colspan))
        yield tuple(cells)


def _printed(value: object, number_format: str = "General") -> str:
    """A cell's value as the sheet shows it: 12.0 stored for 12 prints as 12, 555.445 under
    the format "0.0000" prints as 555.4450 (the raw text a page of the report would show)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        places = _PLACES.search(number_format.split(";")[0])
        if places is not None:
            return f"{value:.{len(places.group(1))}f}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
    return str(value)

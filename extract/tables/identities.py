"""The arithmetic a correct report satisfies (REPORT_FORMAT.md), checked cell by cell.

Names match simweb.truth: t3.col.<column>.balance, t3.col.<column>.total,
t3.row.<row>.total, t4.<block>.total. Cells printed as not applicable (value None) count as
0 in sums, as does a missing total; a row or group with no number at all is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.extract.tables import template as tpl
from nianbao.extract.tables.model import Cell, Check

_TOLERANCE = 1e-6  # money columns are floats; table 3 and 4 hold integers


def check_identities(cells: Iterable[Cell], template: str | None) -> tuple[Check, ...]:
    """Every identity of tables 3 and 4 that these cells allow to evaluate.

    ``template`` ("2019" | "2021" | None) needs no special casing: the rows summed into
    （七）总计 are the result rows present, so 2021's （六） sub-rows replace 2019's one row.
    """
    t3: dict[tuple[str, str], int | float | None] = {}
    t3_rows: dict[str, str] = {}  # row → block, in printed order
    t4: dict[tuple[str, str], int | float | None] = {}
    t4_live: set[str] = set()
    for cell in cells:
        if cell.table == 3:
            t3[(cell.row, cell.column)] = cell.value
            if cell.value is not None:
                t3_rows.setdefault(cell.row, cell.block)
        elif cell.table == 4:
            t4[(cell.block, cell.column)] = cell.value
            if cell.value is not None:
                t4_live.add(cell.block)
    checks: list[Check] = []
    if t3_rows:
        checks += _table3(t3, t3_rows)
    for block in tpl.T4_BLOCKS:
        if block in t4_live:
            parts = [t4.get((block, c)) for c in tpl.T4_COLUMNS[:-1]]
            checks.append(_check(f"t4.{block}.total", parts, t4.get((block, "总计"))))
    return tuple(checks)


def _table3(t3: dict, rows: dict[str, str]) -> list[Check]:
    results = [r for r, b in rows.items() if tpl.is_result_row(b, r)]
    checks = []
    for col in tpl.T3_COLUMNS:
        sources = [t3.get((tpl.T3_NEW, col)), t3.get((tpl.T3_CARRIED_IN, col))]
        total, out = t3.get((tpl.T3_TOTAL, col)), t3.get((tpl.T3_CARRIED_OUT, col))
        # Balance: 一 + 二 (expected) against 三（七）总计 + 四 (printed).
        printed = None if total is None and out is None else (total or 0) + (out or 0)
        checks.append(_check(f"t3.col.{col}.balance", sources, printed))
        checks.append(_check(f"t3.col.{col}.total", [t3.get((r, col)) for r in results], total))
    for row in rows:
        parts = [t3.get((row, c)) for c in tpl.T3_COLUMNS[:-1]]
        checks.append(_check(f"t3.row.{row}.total", parts, t3.get((row, tpl.T3_TOTAL_COLUMN))))
    return checks


def _check(name: str, parts: list[int | float | None], actual: int | float | None) -> Check:
    expected = sum(p for p in parts if p is not None)
    return Check(name, expected, actual, abs((actual or 0) - expected) <= _TOLERANCE)

"""The arithmetic a correct report satisfies (REPORT_FORMAT.md), checked cell by cell.

Names match simweb.truth: t3.col.<column>.balance, t3.col.<column>.total,
t3.row.<row>.total, t4.<block>.total.

Each operand is read in one of three ways:

- a number is a number;
- a not-applicable mark ("/", "—", "无") counts as 0: the template's way of printing "none";
- a cell printed empty, unreadable, or not printed at all has no number. An identity with
  such an operand is "unchecked" and names those cells: a real 2019-template report left its
  总计 cells blank in rows that had values, and reading the blanks as 0 turned every one of
  those rows, and the 总计 column ("expected 0, actual 805"), into failures it never printed.

So a "failed" check always has two numbers. A row or group with no number at all is not
checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.extract.tables import template as tpl
from nianbao.extract.tables.model import CHECK_FAILED, CHECK_OK, CHECK_UNCHECKED, Cell, Check
from nianbao.extract.tables.values import NOT_APPLICABLE

_TOLERANCE = 1e-6  # money columns are floats; table 3 and 4 hold integers
_MARKS = NOT_APPLICABLE - {""}  # printed marks; an empty cell is a blank, not a mark

Key = tuple[int, str, str, str]  # (table, block, row, column), as the stats row id
Operand = tuple[Key, Cell | None]


def check_identities(cells: Iterable[Cell], template: str | None) -> tuple[Check, ...]:
    """Every identity of tables 3 and 4 that these cells allow to evaluate.

    ``template`` ("2019" | "2021" | None) needs no special casing: the rows summed into
    （七）总计 are the result rows present, so 2021's （六） sub-rows replace 2019's one row.
    """
    t3: dict[tuple[str, str], Cell] = {}
    t3_rows: dict[str, str] = {}  # row → block, in printed order
    t4: dict[tuple[str, str], Cell] = {}
    t4_live: set[str] = set()
    for cell in cells:
        if cell.table == 3:
            t3[(cell.row, cell.column)] = cell
            if cell.value is not None:
                t3_rows.setdefault(cell.row, cell.block)
        elif cell.table == 4:
            t4[(cell.block, cell.column)] = cell
            if cell.value is not None:
                t4_live.add(cell.block)
    checks: list[Check] = []
    if t3_rows:
        checks += _table3(t3, t3_rows)
    for block in tpl.T4_BLOCKS:
        if block in t4_live:
            parts = [_t4(t4, block, c) for c in tpl.T4_COLUMNS[:-1]]
            checks.append(_check(f"t4.{block}.total", parts, [_t4(t4, block, "总计")]))
    return tuple(checks)


def _t4(t4: dict[tuple[str, str], Cell], block: str, column: str) -> Operand:
    return (4, block, "", column), t4.get((block, column))


def _table3(t3: dict[tuple[str, str], Cell], rows: dict[str, str]) -> list[Check]:
    results = [r for r, b in rows.items() if tpl.is_result_row(b, r)]

    def op(row: str, column: str) -> Operand:
        return (3, rows.get(row, ""), row, column), t3.get((row, column))

    checks = []
    for col in tpl.T3_COLUMNS:
        # Balance: 一 + 二 (expected) against 三（七）总计 + 四 (printed).
        sources = [op(tpl.T3_NEW, col), op(tpl.T3_CARRIED_IN, col)]
        printed = [op(tpl.T3_TOTAL, col), op(tpl.T3_CARRIED_OUT, col)]
        checks.append(_check(f"t3.col.{col}.balance", sources, printed))
        parts = [op(r, col) for r in results]
        checks.append(_check(f"t3.col.{col}.total", parts, [op(tpl.T3_TOTAL, col)]))
    for row in rows:
        parts = [op(row, c) for c in tpl.T3_COLUMNS[:-1]]
        checks.append(_check(f"t3.row.{row}.total", parts, [op(row, tpl.T3_TOTAL_COLUMN)]))
    return checks


def _number(cell: Cell | None) -> int | float | None:
    """The operand's number: its value, 0 for a not-applicable mark, None for a blank."""
    if cell is None:
        return None
    if cell.value is not None:
        return cell.value
    return 0 if cell.raw in _MARKS else None


def _sum(operands: list[Operand], blank: list[str]) -> int | float | None:
    """The operands' sum, or None when one has no number (its cell id added to ``blank``)."""
    total: int | float = 0
    complete = True
    for key, cell in operands:
        number = _number(cell)
        if number is None:
            blank.append(":".join(map(str, key)))
            complete = False
        else:
            total += number
    return total if complete else None


def _check(name: str, parts: list[Operand], printed: list[Operand]) -> Check:
    blank: list[str] = []
    expected, actual = _sum(parts, blank), _sum(printed, blank)
    if expected is None or actual is None:
        return Check(name, expected, actual, CHECK_UNCHECKED, tuple(blank))
    state = CHECK_OK if abs(actual - expected) <= _TOLERANCE else CHECK_FAILED
    return Check(name, expected, actual, state)

"""Plain values produced by the table parser: cells, missing tables, problems, checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    """One statistical cell of table 2, 3 or 4 under its canonical Simplified labels."""

    table: int
    block: str
    row: str
    column: str
    value: int | float | None  # None: not applicable ("/", "—", "无", empty) or unreadable
    raw: str  # the cell as printed (full-width digits and signs kept)


@dataclass(frozen=True, slots=True)
class MissingTable:
    """A table the report should have but that could not be read as cells."""

    table: int
    # "image" (published as a picture) | "not found" (labelled, but unreadable) |
    # "absent" (a template report printing no table, label or picture at all)
    reason: str
    image_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Something wrong with one cell, row or column (keys are empty where unknown)."""

    table: int
    block: str
    row: str
    column: str
    raw: str
    message: str


@dataclass(frozen=True, slots=True)
class TablesResult:
    """Everything read from the statistical tables of one report page."""

    template: str | None  # "2019" | "2021" | None
    cells: tuple[Cell, ...] = ()
    missing: tuple[MissingTable, ...] = ()
    problems: tuple[CellProblem, ...] = ()


# Check states. "unchecked": an operand had no number (printed empty, unreadable or not
# printed), so the identity could not be evaluated; it is neither ok nor failed.
CHECK_OK, CHECK_FAILED, CHECK_UNCHECKED = "ok", "failed", "unchecked"
CHECK_STATES = (CHECK_OK, CHECK_FAILED, CHECK_UNCHECKED)


@dataclass(frozen=True, slots=True)
class Check:
    """One identity evaluated on a report: expected (sum of parts) against the printed total.

    A failed check always has both numbers; an unchecked one has None on the side whose
    operands include a blank, and names the blank cells.
    """

    identity: str
    expected: int | float | None  # None: a part had no number (unchecked)
    actual: int | float | None  # the printed total (a not-applicable mark as 0); None: blank
    state: str  # one of CHECK_STATES
    blank: tuple[str, ...] = ()  # "table:block:row:column" of the operands with no number

    @property
    def ok(self) -> bool:
        """True only when the identity was evaluated and holds."""
        return self.state == CHECK_OK

    @property
    def failed(self) -> bool:
        """True only when the identity was evaluated on two numbers and does not hold."""
        return self.state == CHECK_FAILED

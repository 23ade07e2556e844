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


@dataclass(frozen=True, slots=True)
class Check:
    """One identity evaluated on a report: expected (sum of parts) against the printed total."""

    identity: str
    expected: int | float
    actual: int | float | None  # the printed total; None when printed as not applicable
    ok: bool

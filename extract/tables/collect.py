"""Accumulate parsed cells and problems for one report, with duplicates and floods bounded."""

from __future__ import annotations

from nianbao.extract.tables.model import Cell, CellProblem
from nianbao.extract.tables.values import parse_value

# Past this many problems per table the rest are summarised in one (a 10,000-row table of junk
# must not produce 10,000 records).
MAX_PROBLEMS_PER_TABLE = 100


class Collector:
    """Cells keyed by (table, block, row, column); the first printed value of a key wins."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, str, str, str], Cell] = {}
        self._problems: list[CellProblem] = []
        self._problem_counts: dict[int, int] = {}

    def add(self, table: int, block: str, row: str, column: str, text: str) -> None:
        """Parse one cell's text and keep it (a problem is recorded for unreadable text)."""
        parsed = parse_value(text)
        key = (table, block, row, column)
        if key in self._cells:
            self.problem(table, block, row, column, parsed.raw, "duplicate cell; first kept")
            return
        self._cells[key] = Cell(table, block, row, column, parsed.value, parsed.raw)
        if parsed.problem:
            self.problem(table, block, row, column, parsed.raw, parsed.problem)

    def add_table4(self, keys: list[tuple[str, str]], values: list[str]) -> None:
        """Table 4's values in reading order under its (block, column) keys; a count that
        does not match the keys is a problem, and the values that fit are still kept."""
        if len(values) != len(keys):
            self.problem(
                4,
                "",
                "",
                "",
                " ".join(values)[:200],
                f"{len(values)} values for {len(keys)} columns",
            )
        for (block, column), text in zip(keys, values, strict=False):
            self.add(4, block, "", column, text)

    def problem(
        self, table: int, block: str, row: str, column: str, raw: str, message: str
    ) -> None:
        """Record a problem, up to MAX_PROBLEMS_PER_TABLE per table."""
        count = self._problem_counts.get(table, 0) + 1
        self._problem_counts[table] = count
        if count <= MAX_PROBLEMS_PER_TABLE:
            self._problems.append(CellProblem(table, block, row, column, raw[:200], message))

    def tables(self) -> set[int]:
        """The tables that have at least one cell."""
        return {key[0] for key in self._cells}

    def cells(self, tables: set[int] | None = None) -> list[Cell]:
        """Cells in the order they were read, optionally of some tables only."""
        return [c for c in self._cells.values() if tables is None or c.table in tables]

    def problems(self, tables: set[int] | None = None) -> list[CellProblem]:
        """Problems in the order met (plus one summary per table that overflowed)."""
        out = [p for p in self._problems if tables is None or p.table in tables]
        for table, count in sorted(self._problem_counts.items()):
            if count > MAX_PROBLEMS_PER_TABLE and (tables is None or table in tables):
                out.append(
                    CellProblem(
                        table,
                        "",
                        "",
                        "",
                        "",
                        f"{count - MAX_PROBLEMS_PER_TABLE} more problems omitted",
                    )
                )
        return out

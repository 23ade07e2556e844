"""Tables from HTML grids (spans expanded): header rows map positions to columns, by label."""

from __future__ import annotations

from collections import Counter

from nianbao.extract.tables import labels as lb
from nianbao.extract.tables import template as tpl
from nianbao.extract.tables.collect import Collector
from nianbao.extract.tables.page import COLSPAN_COPY, ORIGIN, GridRow
from nianbao.extract.tables.tokens import EMPTY, LABEL, TEXT, VALUE, Token, classify, is_cell_text
from nianbao.extract.tables.widths import default_t2_columns


class GridParser:
    """Reads the rows of every leaf table in document order; state carries across split tables."""

    def __init__(self, out: Collector, votes: Counter[str]) -> None:
        self.out = out
        self.votes = votes
        self.kind: int | None = None
        self.t2_block = ""
        self.cols: dict[int, dict[int, str]] = {2: {}, 3: {}, 4: {}}  # position → column
        self.t4_groups: dict[int, str] = {}
        self.in_header = {2: False, 3: False, 4: False}
        self.t3_checked = False
        self.copies: set[int] | frozenset = frozenset()  # this row's colspan copies

    def table(self, grid: list[GridRow]) -> None:
        """Read one table's rows."""
        for row in grid:
            self.row(
                [_token(text, copy) for text, copy in row],
                {pos for pos, (_, copy) in enumerate(row) if copy == COLSPAN_COPY},
            )

    def row(self, tokens: list[Token], colspan_copies: set[int] | frozenset = frozenset()) -> None:
        """Read one row: a header row maps columns, a data row yields cells."""
        self.copies = colspan_copies
        kind = self._kind_of(tokens)
        if kind is None:
            return
        self.kind = kind
        has_data = any(t.kind == VALUE for t in tokens)
        if kind == 2:
            self._t2(tokens, has_data)
        elif kind == 3:
            self._t3(tokens, has_data)
        else:
            self._t4(tokens, has_data)

    def _kind_of(self, tokens: list[Token]) -> int | None:
        counts: Counter[int] = Counter()
        seen: set[str] = set()
        for token in tokens:
            if token.kind == LABEL and token.text not in seen:
                seen.add(token.text)
                for table in {x.table for x in token.labels if x.table is not None}:
                    counts[table] += 1
        if not counts:
            return self.kind
        best = max(counts.values())
        if self.kind is not None and counts.get(self.kind) == best:
            return self.kind
        return min(t for t, c in counts.items() if c == best)

    # -- table 2 ----------------------------------------------------------------------------

    def _t2(self, tokens: list[Token], has_data: bool) -> None:
        labels = _labels(tokens, 2)
        for _, label in labels:
            self._vote(label)
            if label.kind == lb.BLOCK and label.canonical != self.t2_block:
                self.t2_block, self.cols[2] = label.canonical, {}
        if not has_data:
            mapped = self._columns(labels)
            if mapped or any(x.kind == lb.CONTENT for _, x in labels):
                self.cols[2] = mapped
            return
        rows = [x for _, x in labels if x.kind == lb.ROW]
        columns = self.cols[2]
        shift = _shift(tokens, columns)
        label_text = _last_label_text(tokens, columns, shift)
        if rows and (label_text is None or lb.label_index().lookup(label_text)):
            row, block = rows[-1].canonical, rows[-1].block
            self.t2_block = block if block != self.t2_block else self.t2_block
        elif label_text is not None and is_cell_text(label_text) and self.t2_block:
            row, block = lb.plain_label(label_text), self.t2_block  # a sub-row (行政检查)
        else:
            self.out.problem(2, self.t2_block, "", "", label_text or "", "row without a label")
            return
        if not columns:
            values = [t.text for t in tokens if t.kind == VALUE]
            names = default_t2_columns(block, len(values), self.votes)
            for column, text in zip(names, values, strict=False):
                self.out.add(2, block, row, column, text)
            return
        in_order = None if _aligned(tokens, columns, shift) else self._row_cells(tokens)
        if in_order is not None and len(in_order) == len(columns):
            # The row's cells do not sit under the header's: Word-pasted 2019 tables print
            # the （五）（六） blocks' rows narrower (no colspans) than their header or than
            # the first block's grid. A table-2 row lists its values in the header's order,
            # so when the counts agree the order says which column each value is.
            for (_, column), text in zip(sorted(columns.items()), in_order, strict=True):
                self.out.add(2, block, row, column, text)
            return
        self._cells(2, block, row, tokens, columns, shift)

    def _row_cells(self, tokens: list[Token]) -> list[str]:
        """The row's own cells after its label, in order (span copies left out).

        Trailing empty cells (a Word row's padding) are dropped; text among the values stays,
        so an unreadable cell keeps its place and is reported where it is read.
        """
        first = next((i for i, t in enumerate(tokens) if t.kind == VALUE), len(tokens))
        start = next(
            (i + 1 for i in range(first - 1, -1, -1) if tokens[i].kind in (LABEL, TEXT)), 0
        )
        cells = [
            t.text
            for i, t in enumerate(tokens[start:], start)
            if i not in self.copies and t.kind in (VALUE, EMPTY, TEXT)
        ]
        while cells and not cells[-1]:
            cells.pop()
        return cells

    # -- table 3 ----------------------------------------------------------------------------

    def _t3(self, tokens: list[Token], has_data: bool) -> None:
        labels = _labels(tokens, 3)
        if not has_data:
            mapped = self._columns(labels)
            if mapped:
                if not self.in_header[3]:
                    self.cols[3], self.in_header[3] = {}, True
                self.cols[3].update(mapped)
            return
        self.in_header[3] = False
        columns = self.cols[3]
        rows = [x for _, x in labels if x.kind == lb.ROW]
        if not rows:
            text = _last_label_text(tokens, columns) or ""
            self.out.problem(3, "", text, "", text, "row label not in the template")
            return
        label = rows[-1]
        self._vote(label)
        if not columns:
            values = [t.text for t in tokens if t.kind in (VALUE, EMPTY)][-len(tpl.T3_COLUMNS) :]
            for column, text in zip(tpl.T3_COLUMNS, values, strict=False):
                self.out.add(3, label.block, label.canonical, column, text)
            return
        if not self.t3_checked:
            self.t3_checked = True
            for column in set(tpl.T3_COLUMNS) - set(columns.values()):
                self.out.problem(3, "", "", column, "", "column missing from the header")
        self._cells(3, label.block, label.canonical, tokens, columns, _shift(tokens, columns))

    # -- table 4 ----------------------------------------------------------------------------

    def _t4(self, tokens: list[Token], has_data: bool) -> None:
        labels = _labels(tokens, 4)
        if not has_data:
            if not labels:
                return
            if not self.in_header[4]:
                self.cols[4], self.t4_groups, self.in_header[4] = {}, {}, True
            for pos, label in labels:
                if label.kind == lb.GROUP:
                    self.t4_groups[pos] = label.canonical
            self.cols[4].update(self._columns(labels))
            return
        self.in_header[4] = False
        columns = self.cols[4]
        if not columns:
            keys = [(b, c) for b in tpl.T4_BLOCKS for c in tpl.T4_COLUMNS]
            self.out.add_table4(keys, [t.text for t in tokens if t.kind == VALUE])
            return
        shift = _shift(tokens, columns)
        for pos, column in columns.items():
            block = self.t4_groups.get(pos, "")
            if not block:
                self.out.problem(4, "", "", column, "", "column without a group")
                continue
            self._cell(4, block, "", column, tokens, pos + shift)

    # -- helpers ----------------------------------------------------------------------------

    def _columns(self, labels: list[tuple[int, lb.Label]]) -> dict[int, str]:
        """Column labels of a header row by position; a label spanning columns maps once."""
        return {
            pos: x.canonical for pos, x in labels if x.kind == lb.COLUMN and pos not in self.copies
        }

    def _cells(
        self,
        table: int,
        block: str,
        row: str,
        tokens: list[Token],
        columns: dict[int, str],
        shift: int,
    ) -> None:
        for pos, column in columns.items():
            self._cell(table, block, row, column, tokens, pos + shift)
        extra = [
            t.text
            for i, t in enumerate(tokens)
            if t.kind == VALUE and i - shift not in columns and i >= min(columns) + shift
        ]
        if extra:
            self.out.problem(
                table, block, row, "", " ".join(extra)[:200], "values outside the header's columns"
            )

    def _cell(
        self, table: int, block: str, row: str, column: str, tokens: list[Token], pos: int
    ) -> None:
        if pos >= len(tokens):
            self.out.problem(table, block, row, column, "", "cell missing (short row)")
            return
        self.out.add(table, block, row, column, tokens[pos].text)

    def _vote(self, label: lb.Label) -> None:
        if len(label.templates) == 1:
            self.votes[next(iter(label.templates))] += 1


_SPAN_COPY = Token(EMPTY, "")


def _token(text: str, copy: int) -> Token:
    token = classify(text)
    if copy == ORIGIN or token.kind != VALUE:
        return token
    return _SPAN_COPY  # a number spanning positions counts once, at its first position


def _labels(tokens: list[Token], table: int) -> list[tuple[int, lb.Label]]:
    """(position, label) for the cells naming a label of this table."""
    out = []
    for pos, token in enumerate(tokens):
        if token.kind == LABEL:
            for label in token.labels:
                if label.table == table:
                    out.append((pos, label))
    return out


def _last_label_text(tokens: list[Token], columns: dict[int, str], shift: int = 0) -> str | None:
    """The rightmost non-number text outside the value columns: the most specific row label."""
    first = min(columns) + shift if columns else len(tokens)
    for token in reversed(tokens[:first]):
        if token.kind in (LABEL, TEXT) and token.text:
            return token.text
    return None


def _aligned(tokens: list[Token], columns: dict[int, str], shift: int) -> bool:
    """True when every header column has a cell in this row and no number lies outside them."""
    if any(pos + shift >= len(tokens) for pos in columns):
        return False
    mapped = {pos + shift for pos in columns}
    lowest = min(mapped)
    return not any(
        t.kind == VALUE and i >= lowest and i not in mapped for i, t in enumerate(tokens)
    )


def _shift(tokens: list[Token], columns: dict[int, str]) -> int:
    """How far this row's values sit from the header's columns.

    Right (+) when the row has an extra label cell; left (−) when a merged label cell of the
    header's width is absent (a table continued without its group column).
    """
    if not columns:
        return 0
    first, last = min(columns), max(columns)
    shift = 0
    while first + shift < len(tokens) and tokens[first + shift].kind in (LABEL, TEXT):
        shift += 1
    # Only a row wider than the header can hold an extra label; otherwise it is a bad value.
    if shift:
        return shift if len(tokens) > last + shift else 0
    short = len(tokens) - (last + 1)
    if (
        short < 0
        and first + short >= 1
        and tokens[first + short - 1].kind in (LABEL, TEXT)
        and all(t.kind in (VALUE, EMPTY) for t in tokens[first + short :])
    ):
        return short
    return 0

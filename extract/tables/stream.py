"""Tables flattened to text (pipe rows, one cell per line): read label by label, in order."""

from __future__ import annotations

from collections import Counter

from nianbao.extract.tables import labels as lb
from nianbao.extract.tables import template as tpl
from nianbao.extract.tables.collect import Collector
from nianbao.extract.tables.tokens import (
    CAPTION,
    EMPTY,
    HEADING,
    IMG,
    LABEL,
    TEXT,
    VALUE,
    Token,
    is_cell_text,
)
from nianbao.extract.tables.widths import default_t2_columns, t4_keys


class StreamParser:
    """One pass over a report's tokens; cells go to a Collector, template hints to votes."""

    def __init__(self, tokens: list[Token], out: Collector, votes: Counter[str]) -> None:
        self.tokens = tokens
        self.out = out
        self.votes = votes
        self.table: int | None = None
        self.t2_block = ""
        self.t2_columns: list[str] = []
        self.t2_header = False
        self.t3_columns: set[str] = set()
        self.t3_reported = False
        self.t4_header: list[lb.Label] = []
        self.t4_values: list[str] = []

    def run(self) -> None:
        """Read every token once (linear in the text)."""
        i, n = 0, len(self.tokens)
        while i < n:
            token = self.tokens[i]
            if token.kind == HEADING:
                self._leave()
                self.table = token.table or None
                i += 1
            elif token.kind == LABEL:
                i = self._label(token, i)
            elif token.kind == VALUE and self.table == 4 and self.t4_header:
                self.t4_values.append(token.text)
                i += 1
            elif token.kind == TEXT:
                i = self._text(token, i)
            else:
                if token.kind in (CAPTION, IMG) and self.table == 4:
                    self._flush_t4()
                i += 1
        self._leave()

    # -- dispatch ---------------------------------------------------------------------------

    def _label(self, token: Token, i: int) -> int:
        labels = [x for x in token.labels if x.table == self.table] or list(token.labels)
        table = labels[0].table
        if table != self.table:
            self._leave()
            self.table = table
        if table == 2:
            return self._t2(labels, token, i)
        if table == 3:
            return self._t3(labels, token, i)
        if self.t4_values:
            self._flush_t4()  # a new header after values: another table 4
        self.t4_header.append(labels[0])
        return i + 1

    def _text(self, token: Token, i: int) -> int:
        if self.table == 2 and self.t2_block and is_cell_text(token.text):
            if self._next_kind(i + 1) == VALUE:  # a sub-row such as 行政检查 (seed 003)
                return self._t2_row(lb.plain_label(token.text), self.t2_block, i + 1)
        if self.table == 4 and self.t4_header and self.t4_values and is_cell_text(token.text):
            self.t4_values.append(token.text)  # text where a number belongs: kept as a problem
            return i + 1
        if self.table == 4 and self.t4_values:
            self._flush_t4()
        return i + 1

    def _leave(self) -> None:
        if self.table == 4:
            self._flush_t4()
        self.t2_header = False

    # -- table 2 ----------------------------------------------------------------------------

    def _t2(self, labels: list[lb.Label], token: Token, i: int) -> int:
        label = labels[0]
        self._vote(label)
        if label.kind == lb.BLOCK:
            self.t2_block, self.t2_columns, self.t2_header = label.canonical, [], False
        elif label.kind == lb.CONTENT:
            self.t2_columns, self.t2_header = [], True
        elif label.kind == lb.COLUMN:
            if self.t2_header:
                self.t2_columns.append(label.canonical)
        elif label.kind == lb.ROW:
            self.t2_header = False
            block = self.t2_block if self.t2_block == label.block else label.block
            self.t2_block = block
            nxt = self._next_index(i + 1)
            if (
                nxt is not None
                and self.tokens[nxt].kind == TEXT
                and self._next_kind(nxt + 1) == VALUE
            ):
                return i + 1  # a parent row split into sub-rows that follow
            return self._t2_row(label.canonical, block, i + 1)
        return i + 1

    def _t2_row(self, row: str, block: str, i: int) -> int:
        columns = self.t2_columns
        if not columns:
            columns = list(default_t2_columns(block, self._count_values(i), self.votes))
        cells, j = self._read_cells(i, len(columns), 2, block, row)
        for column, text in zip(columns, cells, strict=False):
            self.out.add(2, block, row, column, text)
        return j

    # -- table 3 ----------------------------------------------------------------------------

    def _t3(self, labels: list[lb.Label], token: Token, i: int) -> int:
        kinds = {x.kind for x in labels}
        if lb.COLUMN in kinds:
            self.t3_columns.add(labels[0].canonical)
            return i + 1
        rows = [x for x in labels if x.kind == lb.ROW]
        if not rows or (lb.GROUP in kinds and self._next_kind(i + 1) != VALUE):
            return i + 1  # a header word or a result group heading its sub-rows
        label = rows[0]
        self._vote(label)
        columns = self._t3_column_list()
        cells, j = self._read_cells(i + 1, len(columns), 3, label.block, label.canonical)
        for column, text in zip(columns, cells, strict=False):
            self.out.add(3, label.block, label.canonical, column, text)
        return j

    def _t3_column_list(self) -> list[str]:
        seen = self.t3_columns
        if len(seen) < 3:  # no usable header: the template's seven columns in order
            return list(tpl.T3_COLUMNS)
        if not self.t3_reported:
            self.t3_reported = True
            for column in tpl.T3_COLUMNS:
                if column not in seen:
                    self.out.problem(3, "", "", column, "", "column missing from the header")
        return [c for c in tpl.T3_COLUMNS if c in seen]

    # -- table 4 ----------------------------------------------------------------------------

    def _flush_t4(self) -> None:
        header, values = self.t4_header, self.t4_values
        self.t4_header, self.t4_values = [], []
        if not values:
            return
        self.out.add_table4(t4_keys(header), values)

    # -- helpers ----------------------------------------------------------------------------

    def _read_cells(
        self, i: int, ncols: int, table: int, block: str, row: str
    ) -> tuple[list[str], int]:
        """The next ``ncols`` cells after a row label, and where reading stopped."""
        window: list[str] = []
        filled, j, n = 0, i, len(self.tokens)
        while j < n and filled < ncols:
            token = self.tokens[j]
            if token.kind == EMPTY:
                window.append("")
            elif token.kind == VALUE or (token.kind == TEXT and is_cell_text(token.text)):
                window.append(token.text)
                filled += 1
            else:
                break
            j += 1
        while window and not window[0]:
            window.pop(0)
        while window and not window[-1]:
            window.pop()
        if filled == ncols and len(window) > ncols:
            window = [w for w in window if w]  # the blanks were spacer cells of merged labels
        window = window[:ncols]
        if len(window) < ncols:
            self.out.problem(table, block, row, "", "", f"row has {len(window)} of {ncols} cells")
        return window, j

    def _count_values(self, i: int) -> int:
        count, n = 0, len(self.tokens)
        while i < n and self.tokens[i].kind in (VALUE, EMPTY) and count < 8:
            count += self.tokens[i].kind == VALUE
            i += 1
        return count

    def _next_index(self, i: int) -> int | None:
        n = len(self.tokens)
        while i < n and self.tokens[i].kind == EMPTY:
            i += 1
        return i if i < n else None

    def _next_kind(self, i: int) -> int | None:
        j = self._next_index(i)
        return None if j is None else self.tokens[j].kind

    def _vote(self, label: lb.Label) -> None:
        if len(label.templates) == 1:
            self.votes[next(iter(label.templates))] += 1

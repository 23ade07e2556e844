"""The SQLite store: idempotent, order-independent writes of derived rows."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from nianbao.archive.store.schema import CHILD_TABLES, TABLES, ensure_schema

Row = dict[str, Any]


def date_key(warc_date: str | None) -> str:
    """A WARC-Date normalised to ``YYYY-MM-DDTHH:MM:SS.ffffff`` so that strings order in time."""
    if not warc_date:
        return ""
    digits = "".join(ch if ch.isdigit() else " " for ch in warc_date).split()
    if len(digits) < 6:
        return warc_date
    fraction = (digits[6] if len(digits) > 6 else "")[:6].ljust(6, "0")
    year, month, day, hour, minute, second = (int(part) for part in digits[:6])
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{fraction}"


class Store:
    """The derived database over sqlite-utils, in WAL mode; every write is an idempotent upsert."""

    def __init__(self, path: Path | str, *, any_thread: bool = False) -> None:
        """``any_thread``: the connection may move to another thread (the crawl opens the
        store, so a bad database fails at once, then writes from its ingest thread alone)."""
        self.path = Path(path)
        self.db = Database(sqlite3.connect(self.path, check_same_thread=not any_thread))
        self.db.enable_wal()
        # sqlite-utils turns recursive_triggers on: a REPLACE's removed row then fires the
        # delete trigger that keeps the search index right (archive/search/index.py)
        ensure_schema(self.db)
        self._sql: dict[str, str] = {}

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the store at ``path``."""
        return cls(path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group many writes in one transaction; inside an open one, just join it."""
        if self.db.conn.in_transaction:
            yield self
            return
        with self.db.atomic():
            yield self

    def _upsert(self, table: str, row: Row) -> None:
        """Insert or replace one row by primary key (plain SQL: sqlite-utils costs 10x here)."""
        columns = TABLES[table]
        sql = self._sql.get(table)
        if sql is None:
            names = ", ".join(f'"{name}"' for name in columns)
            marks = ", ".join("?" for _ in columns)
            sql = self._sql[table] = f'insert or replace into "{table}" ({names}) values ({marks})'
        self.db.conn.execute(sql, [row.get(name) for name in columns])

    def close(self) -> None:
        """Checkpoint the WAL and close the connection."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writes --------------------------------------------------------------------------

    def put_capture(self, row: Row) -> None:
        """One row per WARC record, keyed by its record id."""
        with self.transaction():
            self._upsert("captures", row)

    def put_error(self, row: Row) -> None:
        """An error row; its id is a hash of its content, so repeats collapse."""
        with self.transaction():
            self._upsert("errors", row)

    def put_blocked(self, row: Row) -> None:
        """A blocked-page row, keyed by its capture id."""
        with self.transaction():
            self._upsert("blocked", row)

    def put_attachment(self, row: Row) -> None:
        """A page's link to an attachment, keyed by page capture and attachment URL."""
        with self.transaction():
            self._upsert("attachments", row)

    def put_sheet_cell(self, row: Row) -> None:
        """A spreadsheet attachment's cell, keyed by its capture and place in the tables."""
        with self.transaction():
            self._upsert("sheet_cells", row)

    def put_cell(self, row: Row) -> None:
        """A stats row by id (an OCR stage's cell; a page's come with put_report)."""
        with self.transaction():
            self._upsert("stats", row)

    def put_check(self, row: Row) -> None:
        """A checks row by id, replacing the identity's earlier evaluation."""
        with self.transaction():
            self._upsert("checks", row)

    def put_crawl(self, row: Row) -> None:
        """The crawl row comes from its earliest warcinfo record, whatever the ingest order."""
        current = self.db.execute(
            "select started, warcinfo_id from crawls where id = ?", [row["id"]]
        ).fetchone()
        if current and (date_key(current[0]), current[1]) <= (
            date_key(row["started"]),
            row["warcinfo_id"],
        ):
            return
        with self.transaction():
            self._upsert("crawls", row)

    def put_report(
        self, row: Row, children: Mapping[str, Sequence[Row]], capture_date: str
    ) -> bool:
        """Keep the report from its earliest capture by (date, capture id); True if written."""
        current = self.db.execute(
            "select r.capture_id, c.date from reports r left join captures c"
            " on c.id = r.capture_id where r.id = ?",
            [row["id"]],
        ).fetchone()
        if current and (date_key(current[1]), current[0]) <= (
            date_key(capture_date),
            row["capture_id"],
        ):
            return False
        with self.transaction():
            self._upsert("reports", row)
            self._drop_parts(row["id"])  # a report's parts are replaced with it, never merged
            for table, rows in children.items():
                for child in rows:
                    self._upsert(table, child)
        return True

    def drop_report(self, report_id: str) -> None:
        """A report and its parts gone (a stage that made it makes it anew)."""
        with self.transaction():
            self._drop_parts(report_id)
            self.db.conn.execute("delete from reports where id = ?", [report_id])

    def _drop_parts(self, report_id: str) -> None:
        for table in CHILD_TABLES:
            self.db.conn.execute(f'delete from "{table}" where report_id = ?', [report_id])

    # -- reads ---------------------------------------------------------------------------

    def count(self, table: str) -> int:
        """Rows in a table."""
        return self.db.table(table).count

    def rows(self, table: str) -> list[tuple]:
        """Every row of a table as tuples in schema column order, sorted (for comparisons)."""
        columns = ", ".join(f'"{name}"' for name in TABLES[table])
        rows = self.db.execute(f'select {columns} from "{table}"').fetchall()
        return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))

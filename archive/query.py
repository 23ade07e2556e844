"""Read-side questions about one report: find it by id or URL, and fetch its tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database


class NotFound(LookupError):
    """No report matches the id or URL asked for."""


@dataclass(frozen=True)
class StoredCell:
    """One stored cell of a report's tables."""

    table: int
    block: str
    row: str
    column: str
    value: int | float | None
    raw: str


@dataclass(frozen=True)
class StoredCheck:
    """One stored identity check."""

    identity: str
    expected: int | float | None
    actual: int | float | None
    ok: bool


@dataclass(frozen=True)
class ReportTables:
    """A report's tables as stored: its identity, cells, checks and tables missing."""

    report_id: str
    url: str
    title: str | None
    template: str | None
    cells: tuple[StoredCell, ...]
    checks: tuple[StoredCheck, ...]
    missing: tuple[tuple[int, str, tuple[str, ...]], ...]  # (table, reason, image urls)

    @property
    def failed(self) -> tuple[StoredCheck, ...]:
        """The identities this report breaks."""
        return tuple(c for c in self.checks if not c.ok)


def report_tables(db_path: Path, key: str) -> ReportTables:
    """The tables of the report whose id or URL is ``key`` (the earliest if several share it)."""
    db = Database(db_path)
    found = db.execute(
        "select id, url, title, template from reports where id = ? or url = ? "
        "order by id limit 1", [key, key]).fetchone()
    if found is None:
        raise NotFound(key)
    rid, url, title, template = found
    cells = tuple(StoredCell(*row) for row in db.execute(
        "select table_no, block, row, [column], value, raw from stats where report_id = ? "
        "order by rowid", [rid]))
    checks = tuple(StoredCheck(i, e, a, bool(ok)) for i, e, a, ok in db.execute(
        "select identity, expected, actual, ok from checks where report_id = ? order by rowid",
        [rid]))
    missing = tuple((t, reason, tuple(json.loads(urls))) for t, reason, urls in db.execute(
        "select table_no, reason, image_urls from missing_tables where report_id = ? "
        "order by table_no", [rid]))
    return ReportTables(rid, url, title, template, cells, checks, missing)

"""What a reindex changed: the database it replaces against the one rebuilt from the WARCs.

After an upgrade of nianbao or of a library extraction depends on, this says which reports
read differently now, and what in them (a field of the report, or a table of its parts).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.store.schema import CHILD_TABLES

# Not compared: it names the extraction, and is reported apart as before and after.
VERSION_COLUMN = "extractor_version"


@dataclass(frozen=True)
class ReindexChanges:
    """Reports in both databases that differ, and the ones only one of them has."""

    before: tuple[tuple[str, int], ...]  # extractor version -> reports, in the old database
    after: tuple[tuple[str, int], ...]  # the same in the rebuilt one
    changed: int  # reports in both whose row or parts differ
    added: int  # reports only the rebuilt database has
    removed: int  # reports only the old database had
    what: tuple[tuple[str, int], ...]  # field or table -> changed reports it differs in


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _versions(conn: sqlite3.Connection, schema: str) -> tuple[tuple[str, int], ...]:
    if VERSION_COLUMN not in _columns(conn, schema, "reports"):
        (count,) = conn.execute(f"select count(*) from {schema}.reports").fetchone()
        return (("unrecorded", count),)
    rows = conn.execute(
        f"select coalesce({VERSION_COLUMN}, 'unrecorded'), count(*) from {schema}.reports "
        "group by 1 order by 2 desc, 1"
    )
    return tuple((version, count) for version, count in rows)


def _ids(conn: sqlite3.Connection, sql: str) -> set[str]:
    return {rid for (rid,) in conn.execute(sql)}


def _differing_parts(conn: sqlite3.Connection, table: str) -> set[str]:
    """Reports whose rows in ``table`` differ between the databases, in any common column."""
    common = [c for c in _columns(conn, "main", table) if c in _columns(conn, "old", table)]
    if "report_id" not in common:
        return set()
    cols = ", ".join(f'"{c}"' for c in common)
    return _ids(
        conn,
        f'select report_id from (select {cols} from main."{table}" '
        f'except select {cols} from old."{table}") '
        f'union select report_id from (select {cols} from old."{table}" '
        f'except select {cols} from main."{table}")',
    )


def compare(old: Path, new: Path) -> ReindexChanges:
    """Compare the reports of the database at ``old`` with those at ``new`` (both read-only).

    Raises sqlite3.DatabaseError when ``old`` cannot be read as a nianbao database.
    """
    conn = sqlite3.connect(f"{Path(new).resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("attach database ? as old", [f"{Path(old).resolve().as_uri()}?mode=ro"])
        both = _ids(conn, "select id from main.reports intersect select id from old.reports")
        added = _ids(conn, "select id from main.reports except select id from old.reports")
        removed = _ids(conn, "select id from old.reports except select id from main.reports")
        what: Counter[str] = Counter()
        changed: set[str] = set()
        old_columns = _columns(conn, "old", "reports")
        for column in _columns(conn, "main", "reports"):
            if column in (VERSION_COLUMN, "id") or column not in old_columns:
                continue
            ids = _ids(
                conn,
                f"select n.id from main.reports n join old.reports o on o.id = n.id "
                f'where n."{column}" is not o."{column}"',
            )
            what[column] += len(ids)
            changed |= ids
        for table in CHILD_TABLES:
            ids = _differing_parts(conn, table) & both
            what[table] += len(ids)
            changed |= ids
        return ReindexChanges(
            before=_versions(conn, "old"),
            after=_versions(conn, "main"),
            changed=len(changed),
            added=len(added),
            removed=len(removed),
            what=tuple((name, count) for name, count in what.most_common() if count),
        )
    finally:
        conn.close()

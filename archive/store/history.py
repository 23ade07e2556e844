"""A URL's history across crawls: its captures, and what changed between the reports it held.

A re-crawl archives an unchanged page as a revisit and a changed one as a new response; a
changed report is a new reports row (its id hashes the URL and the payload digest). This
module puts them side by side: every answer archived for the URL in date order, and for each
report after the first, how much of its clean text changed and which table cells did.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.places import open_read_only
from nianbao.archive.store.query import NotFound, find_report


@dataclass(frozen=True)
class HistoryCapture:
    """One archived answer for the URL (requests left out)."""

    date: str
    record_type: str  # response | revisit | resource
    profile: str | None  # a revisit's: server-not-modified | identical-payload-digest
    status: int | None
    payload_digest: str | None
    report_id: str | None  # the report this answer holds, if it held one
    warc_file: str
    offset: int


@dataclass(frozen=True)
class CellChange:
    """A table cell whose printed value differs between two reports of one URL."""

    table_no: int
    block: str
    row: str
    column: str
    before: str | None  # as printed; None: the cell is not in that report
    after: str | None


@dataclass(frozen=True)
class ReportChange:
    """How a report of the URL differs from the one before it."""

    before: str  # report ids
    after: str
    date: str  # the capture that first held ``after``
    chars_removed: int  # characters of clean text in removed or replaced lines
    chars_added: int
    lines_changed: int
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class History:
    """Everything archived for one URL, and the changes between its reports."""

    url: str
    captures: tuple[HistoryCapture, ...]
    changes: tuple[ReportChange, ...]
    gone: str | None  # date of the first 404/410 after the last report was last seen


def url_history(db_path: Path, key: str) -> History:
    """The history of the URL ``key`` (or of the URL of the report whose id, or unique id
    prefix, is ``key``). Raises NotFound when nothing was archived for it, Ambiguous for a
    prefix several report ids share."""
    with open_read_only(db_path) as db:
        url = key if _archived(db, key) else find_report(db, key)[1]
        captures = _captures(db, url)
        reports = [(c.report_id, c.date) for c in captures if c.report_id is not None]
        firsts: list[tuple[str, str]] = []
        for report_id, date in reports:
            if not firsts or firsts[-1][0] != report_id:
                firsts.append((report_id, date))
        changes = tuple(_change(db, old, new, date) for (old, _), (new, date) in pairwise(firsts))
        gone = db.execute(
            "select gone from reports where url = ? order by last_seen desc limit 1", [url]
        ).fetchone()
    return History(url, captures, changes, gone[0] if gone else None)


def _archived(db: Database, url: str) -> bool:
    found = db.execute("select 1 from captures where url = ? limit 1", [url]).fetchone()
    return found is not None


def _captures(db: Database, url: str) -> tuple[HistoryCapture, ...]:
    rows = db.execute(
        "select c.date, c.record_type, c.profile, c.status, c.payload_digest,"
        " (select r.id from reports r join captures o on o.id = r.capture_id"
        "  where r.url = c.url and o.payload_digest = c.payload_digest"
        "  order by o.date limit 1),"
        " c.warc_file, c.offset from captures c"
        " where c.url = ? and c.record_type != 'request' order by c.date, c.id",
        [url],
    ).fetchall()
    if not rows:
        raise NotFound(url)
    return tuple(HistoryCapture(*row) for row in rows)


def _change(db: Database, before: str, after: str, date: str) -> ReportChange:
    old, new = _text(db, before), _text(db, after)
    removed = added = lines = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += sum(len(line) for line in old[i1:i2])
            added += sum(len(line) for line in new[j1:j2])
            lines += max(i2 - i1, j2 - j1)
    return ReportChange(before, after, date, removed, added, lines, _cells(db, before, after))


def _text(db: Database, report_id: str) -> list[str]:
    row = db.execute("select text from reports where id = ?", [report_id]).fetchone()
    return (row[0] or "").splitlines() if row else []


def _cells(db: Database, before: str, after: str) -> tuple[CellChange, ...]:
    def cells(report_id: str) -> dict[tuple[int, str, str, str], str | None]:
        rows = db.execute(
            'select table_no, block, "row", "column", raw from stats where report_id = ?',
            [report_id],
        )
        return {(t, b, r, c): raw for t, b, r, c, raw in rows}

    old, new = cells(before), cells(after)
    keys = sorted(set(old) | set(new), key=lambda k: (k[0], k[1] or "", k[2] or "", k[3] or ""))
    return tuple(
        CellChange(*key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)
    )

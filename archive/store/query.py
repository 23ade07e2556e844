"""Read-side questions: list reports, find one by id, id prefix or URL, fetch its tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.places import open_read_only
from nianbao.extract.script import to_simplified


class NotFound(LookupError):
    """No report matches the id, id prefix or URL asked for."""


class Ambiguous(LookupError):
    """An id prefix that several reports share."""

    def __init__(self, key: str, matches: int) -> None:
        super().__init__(key)
        self.key = key
        self.matches = matches


@dataclass(frozen=True)
class ReportListing:
    """One line of the report list: enough to pick a report and find it again."""

    id: str
    title: str | None
    agency: str | None
    year: int | None
    url: str
    source_format: str | None = "html"  # html, pdf, docx, xlsx, doc, …
    page_url: str | None = None  # a report read from an attachment: the page linking it


def list_reports(
    db_path: Path, *, year: int | None = None, agency: str | None = None
) -> tuple[ReportListing, ...]:
    """Reports, by year then agency then URL; ``agency`` is a substring of the agency.

    The agency matches in either script: 商務局 finds 商务局 and back, through the
    Simplified forms (``agency_simplified``; the agency itself where that is NULL).
    """
    key = to_simplified(agency) if agency is not None else None
    with open_read_only(db_path) as db:
        # a database older than the column, opened read-only, is never migrated
        known = db["reports"].columns_dict
        grouped = "agency_simplified" if "agency_simplified" in known else "agency"
        origin = (
            "coalesce(source_format, 'html'), page_url" if "page_url" in known else "'html', null"
        )
        rows = db.execute(
            f"select id, title, agency, year, url, {origin} from reports"
            " where (:year is null or year = :year)"
            " and (:agency is null or instr(coalesce(agency, ''), :agency) > 0"
            f" or instr(coalesce({grouped}, ''), :key) > 0)"
            " order by year, agency, url, id",
            {"year": year, "agency": agency, "key": key},
        )
        return tuple(ReportListing(*row) for row in rows)


def find_report(db: Database, key: str) -> tuple:
    """The report whose id or URL is ``key``, else the one report whose id starts with it."""
    found = db.execute(
        "select id, url, title, template from reports where id = ? or url = ? order by id limit 1",
        [key, key],
    ).fetchone()
    if found is not None:
        return found
    # LIKE's wildcards in a prefix would match ids that do not start with it
    if not key or any(ch in key for ch in "%_"):
        raise NotFound(key)
    matches = db.execute(
        "select id, url, title, template from reports where id like ? order by id limit 2",
        [key + "%"],
    ).fetchall()
    if not matches:
        raise NotFound(key)
    if len(matches) > 1:
        count = db.execute("select count(*) from reports where id like ?", [key + "%"]).fetchone()[
            0
        ]
        raise Ambiguous(key, count)
    return matches[0]


@dataclass(frozen=True)
class StoredCell:
    """One stored cell of a report's tables."""

    table: int
    block: str
    row: str
    column: str
    value: int | float | None
    raw: str
    source: str | None = None  # None: the page or file; "ocr": a picture; "sheet": a workbook
    confidence: float | None = None  # OCR's, 0-100


@dataclass(frozen=True)
class StoredCheck:
    """One stored identity check: "ok", "failed" (two numbers) or "unchecked" (blanks)."""

    identity: str
    expected: int | float | None
    actual: int | float | None
    state: str
    blank_cells: tuple[str, ...] = ()  # "table:block:row:column" of the blank operands

    @property
    def ok(self) -> bool:
        """True only for an identity evaluated and holding."""
        return self.state == "ok"


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
    # (picture URL, why) for the pictures of missing tables an OCR run could not read
    unread: tuple[tuple[str, str], ...] = ()

    @property
    def failed(self) -> tuple[StoredCheck, ...]:
        """The identities this report breaks (both sides printed as numbers)."""
        return tuple(c for c in self.checks if c.state == "failed")

    @property
    def unchecked(self) -> tuple[StoredCheck, ...]:
        """The identities that blank cells kept from being evaluated."""
        return tuple(c for c in self.checks if c.state == "unchecked")

    @property
    def reread(self) -> tuple[StoredCheck, ...]:
        """The identities failing on cells read by OCR: the picture is to be read again."""
        return tuple(c for c in self.checks if c.state == "reread")


def report_tables(db_path: Path, key: str) -> ReportTables:
    """The tables of the report whose id, unique id prefix or URL is ``key``.

    Raises NotFound, or Ambiguous for a prefix several ids share.
    """
    with open_read_only(db_path) as db:
        return _tables(db, *find_report(db, key))


def _tables(
    db: Database, rid: str, url: str, title: str | None, template: str | None
) -> ReportTables:
    # a database of schema 1 opened read-only has not been migrated: no newer columns yet
    origin = "source, confidence" if "source" in db.table("stats").columns_dict else "null, null"
    cells = tuple(
        StoredCell(*row)
        for row in db.execute(
            f"select table_no, block, row, [column], value, raw, {origin} from stats"
            " where report_id = ? order by rowid",
            [rid],
        )
    )
    known = set(db.table("checks").columns_dict)
    state, blank = (
        ("state" if "state" in known else "null"),
        ("blank_cells" if "blank_cells" in known else "null"),
    )
    checks = tuple(
        StoredCheck(i, e, a, _state(st, ok, e, a), tuple(json.loads(cells or "[]")))
        for i, e, a, ok, st, cells in db.execute(
            f"select identity, expected, actual, ok, {state}, {blank} from checks"
            " where report_id = ? order by rowid",
            [rid],
        )
    )
    missing = tuple(
        (t, reason, tuple(json.loads(urls)))
        for t, reason, urls in db.execute(
            "select table_no, reason, image_urls from missing_tables where report_id = ? "
            "order by table_no",
            [rid],
        )
    )
    pictures = sorted({u for _, reason, urls in missing if reason == "image" for u in urls})
    marks = ",".join("?" for _ in pictures)
    unread = tuple(
        (u, why)
        for u, why in db.execute(
            f"select url, min(message) from errors where stage = 'ocr' and url in ({marks})"
            " group by url order by url",
            pictures,
        )
    )
    return ReportTables(rid, url, title, template, cells, checks, missing, unread)


def _state(state: str | None, ok: int | None, expected: object, actual: object) -> str:
    """The stored state; for a row a read-only opening left unmigrated (schema 1), the one
    schema._fill_check_state would give it."""
    if state:
        return state
    if ok == 1:
        return "ok"
    return "failed" if expected is not None and actual is not None else "unchecked"

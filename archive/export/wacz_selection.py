"""Which WARC records and pages a WACZ of some reports holds, read from the database.

A report needs its own capture (a response, or a revisit and the record holding its payload),
the page linking it when it was read from an attachment, the request that fetched each of
those, the continuation segments of a record split over several (WARC 1.1 §5.8), and the
warcinfo record of every file they come from (their WARC-Warcinfo-ID points at it). Nothing
else of the crawl goes in: a WACZ of one year's reports is that year's records only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from nianbao.archive.errors import PlaceError
from nianbao.archive.warc.reader import on_disk

_REINDEX = "rebuild the database from the WARC files with `nianbao reindex`"
# the record types a replay tool serves as a page (cdxj-indexer indexes these, requests not)
_PAGE_TYPES = ("response", "revisit", "resource")


class WaczError(PlaceError):
    """A WACZ that cannot be written from what was named; the message names the fix."""


class NoReports(WaczError):
    """No report ids were given."""


class UnknownReports(WaczError):
    """Report ids the database does not hold."""


class MissingWarc(WaczError):
    """A WARC file a selected record lives in is not in the folder given."""

    def __init__(self, warc_file: str, folder: Path) -> None:
        super().__init__(
            f"WARC file {warc_file} is not in {folder}: pass the folder holding the WARC "
            "files the database was built from (or copy that file into it)"
        )
        self.warc_file = warc_file


class UnreadableRecord(WaczError):
    """The bytes where the database says a record is do not hold that record."""

    def __init__(self, warc_file: str, offset: int, problem: str) -> None:
        super().__init__(
            f"{warc_file} at byte {offset}: {problem}: the file is damaged or the database "
            f"was built from other files ({_REINDEX})"
        )
        self.warc_file = warc_file
        self.offset = offset


@dataclass(frozen=True)
class Record:
    """One WARC record to package: where its gzip member lies in its crawl's file."""

    id: str
    record_type: str
    warc_file: str  # file name only, inside the WARC folder
    offset: int
    length: int


@dataclass(frozen=True)
class Page:
    """One report as a WACZ page: its URL and the date of the capture that answered it."""

    id: str
    url: str
    ts: str


@dataclass(frozen=True)
class Selection:
    """The pages in the order asked for, and every record they need in file order."""

    pages: tuple[Page, ...]
    records: tuple[Record, ...]  # by (file, offset): each file's warcinfo before its records


def report_id_list(report_ids: Sequence[str]) -> list[str]:
    """Each id once, in first-named order; NoReports if there are none."""
    if isinstance(report_ids, str):  # one id, not its characters
        report_ids = [report_ids]
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        raise NoReports("no report ids given: name at least one (`nianbao reports` lists them)")
    return ids


def select(db: Database, report_ids: Sequence[str]) -> Selection:
    """The pages and records a WACZ of ``report_ids`` holds (each id once, first place kept).

    Raises NoReports for no ids, UnknownReports for ids the database lacks, and WaczError for a
    report whose capture is not in the captures table.
    """
    ids = report_id_list(report_ids)
    reports = _rows(
        db,
        "select r.id, r.url, r.capture_id, r.page_capture_id from json_each(?) j"
        " join reports r on r.id = j.value order by j.key",
        [json.dumps(ids)],
    )
    unknown = sorted(set(ids) - {r["id"] for r in reports})
    if unknown:
        shown = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more" if unknown[3:] else "")
        raise UnknownReports(
            f"no report {shown} in the database: `nianbao reports` lists the ids it holds"
        )
    wanted = {r["capture_id"] for r in reports} | {
        r["page_capture_id"] for r in reports if r["page_capture_id"]
    }
    found = _captures(db, "id", wanted)
    pages = tuple(_page(report, found) for report in reports)
    _add_what_they_need(db, found)
    files = {row["warc_file"] for row in found.values()}
    found.update(_captures(db, "warc_file", files, "record_type = 'warcinfo'"))
    records = sorted((_record(row) for row in found.values()), key=_place)
    return Selection(pages, tuple(records))


def _page(report: dict[str, Any], captures: dict[str, dict[str, Any]]) -> Page:
    capture = captures.get(report["capture_id"])
    if capture is None:
        raise WaczError(
            f"report {report['id']}'s capture {report['capture_id']} is not in the captures"
            f" table: {_REINDEX}"
        )
    if capture["record_type"] not in _PAGE_TYPES:
        raise WaczError(
            f"report {report['id']}'s capture is a {capture['record_type']} record, which no"
            f" replay serves as a page: {_REINDEX}"
        )
    return Page(report["id"], report["url"], capture["date"])


def _add_what_they_need(db: Database, found: dict[str, dict[str, Any]]) -> None:
    """Add to ``found`` the requests, payload records and segments its records need, and
    theirs in turn (a revisit's original has a request of its own)."""
    new = dict(found)
    while new:
        answers = [i for i, row in new.items() if row["record_type"] in _PAGE_TYPES]
        more = _captures(db, "concurrent_to", answers, "record_type = 'request'")
        more.update(_captures(db, "segment_origin_id", new, "id != segment_origin_id"))
        originals = {_original(db, row) for row in new.values() if row["record_type"] == "revisit"}
        more.update(_captures(db, "id", originals - {None}))
        new = {i: row for i, row in more.items() if i not in found}
        found.update(new)


def _original(db: Database, revisit: dict[str, Any]) -> str | None:
    """The record holding a revisit's payload: its WARC-Refers-To if archived, else the
    earliest response with its payload digest (as ingest reads it, ingest/revisits.py).
    None when neither is archived: the revisit goes in alone, as the crawl archived it."""
    if revisit["refers_to"] and _captures(db, "id", [revisit["refers_to"]]):
        return str(revisit["refers_to"])
    if not revisit["payload_digest"]:
        return None  # a 304 revisit written without the digest of what it confirms
    row = db.execute(
        "select id from captures where payload_digest = ? and record_type in"
        " ('response', 'resource') order by date, id limit 1",
        [revisit["payload_digest"]],
    ).fetchone()
    return None if row is None else str(row[0])


def _captures(
    db: Database, column: str, values: Iterable[str | None], where: str = "1"
) -> dict[str, dict[str, Any]]:
    """Capture rows by id whose ``column`` is one of ``values`` (one query, any count)."""
    wanted = sorted({v for v in values if v})
    if not wanted:
        return {}
    rows = _rows(
        db,
        "select id, record_type, url, date, warc_file, offset, length, refers_to,"
        f" payload_digest from captures where {column} in (select value from json_each(?))"
        f" and {where}",
        [json.dumps(wanted)],
    )
    return {row["id"]: row for row in rows}


def _rows(db: Database, sql: str, params: list[str]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _record(row: dict[str, Any]) -> Record:
    return Record(
        row["id"], row["record_type"], row["warc_file"], int(row["offset"]), int(row["length"])
    )


def _place(record: Record) -> tuple[str, int]:
    return record.warc_file, record.offset


def locate(records: Sequence[Record], folder: Path) -> dict[str, Path]:
    """Each record's WARC file in ``folder`` (the writer's ``.open`` twin too), checked to be
    there and long enough for its records; MissingWarc or UnreadableRecord otherwise."""
    paths: dict[str, Path] = {}
    sizes: dict[str, int] = {}
    for record in records:
        name = record.warc_file
        if name not in paths:
            path = on_disk(folder / name)
            # a name with a folder in it is not one of this folder's files
            if Path(name).name != name or not path.is_file():
                raise MissingWarc(name, folder)
            paths[name], sizes[name] = path, path.stat().st_size
        if record.offset + record.length > sizes[name]:
            raise UnreadableRecord(
                name, record.offset, f"the file ends at byte {sizes[name]}, inside the record"
            )
    return paths


def report_texts(db: Database, report_ids: Sequence[str]) -> Iterator[tuple[str | None, ...]]:
    """(id, title, text) of each report in the order given, streamed from the database."""
    ids = list(dict.fromkeys(report_ids))
    yield from db.execute(
        "select r.id, r.title, r.text from json_each(?) j join reports r on r.id = j.value"
        " order by j.key",
        [json.dumps(ids)],
    )

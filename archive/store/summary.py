"""Counts for the demo and ``nianbao stats``: pages, bytes, reports by year and agency, errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from nianbao.archive.places import open_read_only
from nianbao.extract.errors import NEEDS_OCR


@dataclass(frozen=True)
class FetchFailures:
    """URLs that failed, each counted once however often it was retried."""

    urls: int = 0  # no answer at all (DNS, refused, timeout) on every attempt
    pages_by_status: tuple[tuple[int, int], ...] = ()  # (status, URLs): 4xx/5xx on every answer
    off_portal: int = 0  # never requested: redirects, refreshes, disguised links off-portal

    @property
    def pages(self) -> int:
        """URLs that answered, but only with 4xx/5xx."""
        return sum(n for _, n in self.pages_by_status)


@dataclass(frozen=True)
class Summary:
    """What a database holds, in the numbers people ask for first."""

    captures: int
    pages_fetched: int  # response records
    warc_bytes: int  # sum of record lengths (compressed, as stored)
    reports: int
    reports_by_year: tuple[tuple[int | None, int], ...]
    reports_by_agency: tuple[tuple[str | None, int], ...]
    errors_by_stage: tuple[tuple[str, int], ...]
    # (kind, findings, reports, restored) for spam, and (failed, unchecked, run) identity
    # checks: unchecked ones had a blank operand and are neither ok nor failed
    spam_by_kind: tuple[tuple[str, int, int, int], ...] = ()
    checks: tuple[int, int, int] = (0, 0, 0)
    cells: int = 0
    # (host, URLs blocked): WAF challenges, script shells, login walls, empty pages
    blocked_by_host: tuple[tuple[str, int], ...] = ()
    # (stage, message, times): the messages recorded most often, most first
    common_errors: tuple[tuple[str, str, int], ...] = ()
    failures: FetchFailures = FetchFailures()
    # what reports were read from (html, pdf, docx, …), and where cells came from:
    # "page or file", "ocr" (a picture or a scan), "sheet" (a workbook the page links)
    reports_by_format: tuple[tuple[str, int], ...] = ()
    cells_by_source: tuple[tuple[str, int], ...] = ()
    reread: int = 0  # identity checks failing on OCR'd cells


def _pairs(db: Database, sql: str) -> tuple[tuple, ...]:
    return tuple(tuple(row) for row in db.execute(sql).fetchall())


_BLOCKED_SQL = (
    "select b.host, count(distinct b.url) as n from blocked b{join} group by b.host"
    " order by n desc, b.host"
)


def _blocked(db: Database, crawl_id: str | None = None) -> tuple[tuple[str, int], ...]:
    if not db.table("blocked").exists():
        return ()
    if crawl_id is None:
        return _pairs(db, _BLOCKED_SQL.format(join=""))
    sql = _BLOCKED_SQL.format(join=" join captures c on c.id = b.capture_id where c.crawl_id = ?")
    return tuple(tuple(row) for row in db.execute(sql, [crawl_id]).fetchall())


# The scope middleware's refusals (crawler/middlewares/scope.py: OffPortalRequest) are
# archived as fetch errors, but nothing failed: they are counted apart, never "common errors".
_REFUSED = "e.message like 'OffPortalRequest:%'"
_ERRORS_SQL = (
    "select e.stage, e.message, count(*) as n from errors e{join} where not (" + _REFUSED + ")"
    " group by e.stage, e.message order by n desc, e.stage, e.message limit ?"
)
_OF_CRAWL = " join captures c on c.id = e.capture_id and c.crawl_id = ?"


def _common_errors(
    db: Database, crawl_id: str | None = None, top: int = 5
) -> tuple[tuple[str, str, int], ...]:
    if crawl_id is None:
        rows = db.execute(_ERRORS_SQL.format(join=""), [top])
    else:
        rows = db.execute(_ERRORS_SQL.format(join=_OF_CRAWL), [crawl_id, top])
    return tuple(tuple(row) for row in rows.fetchall())


_FAILED_URLS_SQL = (
    "select count(distinct e.url), count(distinct case when " + _REFUSED + " then e.url end)"
    " from errors e join captures c on c.id = e.capture_id"
    " where e.stage = 'fetch' and (:crawl is null or c.crawl_id = :crawl) and e.url not in"
    " (select url from captures where record_type = 'response'"
    " and (:crawl is null or crawl_id = :crawl))"
)
_FAILED_PAGES_SQL = (
    "select status, count(*) from (select url, min(status) as status from captures"
    " where record_type = 'response' and (:crawl is null or crawl_id = :crawl)"
    " group by url having min(status) >= 400) group by status order by status"
)


def _failures(db: Database, crawl_id: str | None = None) -> FetchFailures:
    params = {"crawl": crawl_id}
    urls, refused = db.execute(_FAILED_URLS_SQL, params).fetchone()
    pages = tuple(tuple(row) for row in db.execute(_FAILED_PAGES_SQL, params))
    return FetchFailures(urls - refused, pages, refused)


def fetch_failures(db_path: Path, crawl_id: str | None = None) -> FetchFailures:
    """Failed URLs and pages that answered only 4xx/5xx; only one crawl's when ``crawl_id``."""
    with open_read_only(db_path) as db:
        return _failures(db, crawl_id)


def common_errors(
    db_path: Path, crawl_id: str | None = None, top: int = 5
) -> tuple[tuple[str, str, int], ...]:
    """The ``top`` error messages recorded most often: (stage, message, times), most first.

    With ``crawl_id``, only errors of that crawl's captures.
    """
    with open_read_only(db_path) as db:
        return _common_errors(db, crawl_id, top)


@dataclass(frozen=True)
class EarlierReports:
    """What one crawl found of the reports earlier crawls stored."""

    seen_again: int = 0  # reports of earlier crawls whose latest capture is this crawl's
    gone: int = 0  # reports this crawl found 404/410


def earlier_reports(db_path: Path, crawl_id: str) -> EarlierReports:
    """How many earlier reports ``crawl_id`` saw again unchanged, and found gone."""
    with open_read_only(db_path) as db:
        this_crawl = "select 1 from captures c where c.crawl_id = ? and c.url = r.url and c.date = "
        (again,) = db.execute(
            f"select count(*) from reports r where exists ({this_crawl} r.last_seen) "
            "and r.capture_id not in (select id from captures where crawl_id = ?)",
            [crawl_id, crawl_id],
        ).fetchone()
        (gone,) = db.execute(
            f"select count(*) from reports r where exists ({this_crawl} r.gone)", [crawl_id]
        ).fetchone()
    return EarlierReports(int(again), int(gone))


def pictures_to_read(db_path: Path) -> int:
    """Table pictures of the database's reports that no OCR run has read yet."""
    with open_read_only(db_path) as db:
        if "source" not in db.table("stats").columns_dict:
            return 0
        (count,) = db.execute(
            "select coalesce(sum(json_array_length(m.image_urls)), 0) from missing_tables m"
            " where m.reason = 'image' and not exists (select 1 from stats s where"
            " s.report_id = m.report_id and s.table_no = m.table_no and s.source = 'ocr')"
        ).fetchone()
    return int(count)


def scans_to_read(db_path: Path) -> int:
    """Scanned PDFs (no text layer) that no OCR run has read yet."""
    with open_read_only(db_path) as db:
        (count,) = db.execute(
            "select count(distinct capture_id) from errors"
            " where stage = 'attachment' and message like ?",
            [f"{NEEDS_OCR}%"],
        ).fetchone()
    return int(count)


def blocked_by_host(db_path: Path, crawl_id: str | None = None) -> tuple[tuple[str, int], ...]:
    """(host, distinct URLs blocked), most first; only one crawl's captures when ``crawl_id``."""
    with open_read_only(db_path) as db:
        return _blocked(db, crawl_id)


def _agency_key(db: Database) -> str:
    """The column agencies group by; plain agency in a database from before that column."""
    columns = db.table("reports").columns_dict
    return "agency_simplified" if "agency_simplified" in columns else "agency"


def summarize(db_path: Path) -> Summary:
    """Read the summary counts from a store's database (opened read-only)."""
    with open_read_only(db_path) as db:
        captures, responses, size = db.execute(
            "select count(*), coalesce(sum(record_type = 'response'), 0),"
            " coalesce(sum(length), 0) from captures"
        ).fetchone()
        return Summary(
            captures=captures,
            pages_fetched=responses,
            warc_bytes=size,
            reports=db.execute("select count(*) from reports").fetchone()[0],
            reports_by_year=_pairs(
                db, "select year, count(*) from reports group by year order by year"
            ),
            # one row per agency in either script; a holed agency (北京市□) counts as unknown
            reports_by_agency=_pairs(
                db,
                f"select {_agency_key(db)} as a, count(*) as n from reports group by a"
                " order by n desc, a",
            ),
            # Scope refusals are fetch-stage rows, but nothing was fetched: their own kind, as
            # the headline counts them apart from failed fetches.
            errors_by_stage=_pairs(
                db,
                f"select case when {_REFUSED} then 'off-portal refused' else e.stage end as kind, "
                "count(*) as n from errors e group by kind order by n desc, kind",
            ),
            spam_by_kind=_pairs(
                db,
                "select kind, count(*), count(distinct report_id), count(restored) "
                "from spam_findings group by kind order by kind",
            ),
            checks=tuple(
                # ok is NULL for unchecked rows (schema 2), so this reads schema 1 too
                db.execute(
                    "select coalesce(sum(ok = 0), 0), coalesce(sum(ok is null), 0), count(*)"
                    " from checks"
                ).fetchone()
            ),
            cells=db.execute("select count(*) from stats").fetchone()[0],
            blocked_by_host=_blocked(db),
            common_errors=_common_errors(db),
            failures=_failures(db),
            **_origins(db),
        )


def _origins(db: Database) -> dict[str, Any]:
    """Reports by format, cells by source, reread checks: empty on databases older than
    those columns (opened read-only, never migrated)."""
    if "source" not in db["stats"].columns_dict or "state" not in db["checks"].columns_dict:
        return {}
    return {
        "reports_by_format": _pairs(
            db,
            "select coalesce(source_format, 'html') as f, count(*) as n from reports"
            " group by f order by n desc, f",
        ),
        "cells_by_source": _pairs(
            db,
            "select coalesce(source, 'page or file') as s, count(*) as n from stats"
            " group by s order by n desc, s",
        ),
        "reread": db.execute("select count(*) from checks where state = 'reread'").fetchone()[0],
    }

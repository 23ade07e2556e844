"""Database rows for one extracted report: the report, its sections, cells, checks, gaps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from nianbao.archive.store.database import Row
from nianbao.extract.figures import Figure
from nianbao.extract.report import Report, Section
from nianbao.extract.spam import SpamFinding
from nianbao.extract.tables.model import CHECK_FAILED, CHECK_OK, Cell, Check
from nianbao.extract.version import extractor_version

# Scalar report fields copied to the reports row as they are.
REPORT_FIELDS = (
    "title",
    "agency",
    "region",
    "year",
    "published",
    "index_no",
    "doc_no",
    "script",
    "generation",
    "charset",
    "text",
    "text_original",
    "text_simplified",
    "title_original",
    "agency_original",
    "agency_simplified",
    "spam_score",
    "source_format",
)


@dataclass(frozen=True)
class ReportRows:
    """The reports row, its child rows by table, and errors found while reading it."""

    report: Row
    children: dict[str, tuple[Row, ...]] = field(default_factory=dict)
    errors: tuple[Row, ...] = ()


def host_of(url: str | None) -> str | None:
    """The lower-case host name of a URL."""
    return urlsplit(url).hostname if url else None


def short_hash(*parts: object) -> str:
    """First 16 hex digits of the sha1 of the parts (a stable id)."""
    key = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def report_id(url: str, payload_digest: str) -> str:
    """Stable report id: first 16 hex of sha1(url + newline + payload digest)."""
    return hashlib.sha1(f"{url}\n{payload_digest}".encode()).hexdigest()[:16]


def error_row(url: str | None, stage: str, capture_id: str | None, message: str) -> Row:
    """An errors row whose id is a hash of its content."""
    return {
        "id": short_hash(url, stage, capture_id, message),
        "url": url,
        "capture_id": capture_id,
        "stage": stage,
        "message": message,
    }


def attachment_rows(page_url: str, capture_id: str, report: Report) -> tuple[Row, ...]:
    """One attachments row per file a page titled as a report links (report or not)."""
    return tuple(
        {
            "id": hashlib.sha1(f"{capture_id}\n{url}".encode()).hexdigest()[:16],
            "page_capture_id": capture_id,
            "page_url": page_url,
            "url": url,
            "title": report.title,
            "published": report.published,
            "index_no": report.index_no,
            "doc_no": report.doc_no,
        }
        for url in report.attachments
    )


def sheet_cell_rows(url: str, capture_id: str, report: Report) -> tuple[Row, ...]:
    """The cells of a spreadsheet that holds tables but no report, keyed by its capture."""
    cells = report.tables.cells if report.tables else ()
    return tuple(
        {
            "id": f"{capture_id}:{c.table}:{c.block}:{c.row}:{c.column}",
            "capture_id": capture_id,
            "url": url,
            "table_no": c.table,
            "block": c.block,
            "row": c.row,
            "column": c.column,
            "value": c.value,
            "raw": c.raw,
        }
        for c in cells
    )


def blocked_row(url: str | None, capture_id: str, reason: str) -> Row:
    """A blocked row: one per blocked response, keyed by its capture id."""
    return {
        "id": capture_id,
        "capture_id": capture_id,
        "url": url,
        "host": host_of(url),
        "reason": reason,
    }


def stat_row(
    report_id: str, cell: Cell, source: str | None = None, confidence: float | None = None
) -> Row:
    """The stats row of one cell; ``source`` "ocr" with its confidence for a picture's."""
    return {
        "id": f"{report_id}:{cell.table}:{cell.block}:{cell.row}:{cell.column}",
        "report_id": report_id,
        "table_no": cell.table,
        "block": cell.block,
        "row": cell.row,
        "column": cell.column,
        "value": cell.value,
        "raw": cell.raw,
        "source": source,
        "confidence": confidence,
    }


def check_row(report_id: str, check: Check, state: str | None = None) -> Row:
    """The checks row of one identity; ``state`` overrides the check's own (OCR's reread)."""
    state = state or check.state
    return {
        "id": f"{report_id}:{check.identity}",
        "report_id": report_id,
        "identity": check.identity,
        "expected": check.expected,
        "actual": check.actual,
        "ok": int(check.ok) if state in (CHECK_OK, CHECK_FAILED) else None,
        "state": state,
        "blank_cells": json.dumps(list(check.blank), ensure_ascii=False) if check.blank else None,
    }


def report_rows(url: str, capture_id: str, payload_digest: str, report: Report) -> ReportRows:
    """Every row a report yields, keyed so that writing them twice changes nothing."""
    rid = report_id(url, payload_digest)
    row: Row = {"id": rid, "capture_id": capture_id, "url": url, "host": host_of(url)}
    row.update({name: getattr(report, name) for name in REPORT_FIELDS})
    row["notes"] = json.dumps(list(report.notes), ensure_ascii=False)
    row["template"] = report.tables.template if report.tables else None
    row["extractor_version"] = extractor_version()  # so a reindex after an upgrade tells
    sections = section_rows(rid, report.sections)
    tables = report.tables
    stats = tuple(stat_row(rid, c) for c in (tables.cells if tables else ()))
    checks = tuple(check_row(rid, c) for c in report.checks)
    missing = tuple(
        {
            "id": f"{rid}:{m.table}",
            "report_id": rid,
            "table_no": m.table,
            "reason": m.reason,
            "image_urls": json.dumps(list(m.image_urls)),
        }
        for m in (tables.missing if tables else ())
    )
    problems = tuple(
        error_row(
            url,
            "tables",
            capture_id,
            f"table {p.table} {p.block}/{p.row}/{p.column} {p.raw!r}: {p.message}",
        )
        for p in (tables.problems if tables else ())
    )
    figures = figure_rows(rid, report.figures)
    spam = spam_rows(rid, report.spam)
    children: dict[str, tuple[dict[str, Any], ...]] = {
        "sections": sections,
        "stats": stats,
        "checks": checks,
        "missing_tables": missing,
        "figures": figures,
        "spam_findings": spam,
    }
    return ReportRows(row, children, problems)


def section_rows(rid: str, sections: Iterable[Section]) -> tuple[Row, ...]:
    """The sections rows of report ``rid``."""
    return tuple(
        {
            "id": f"{rid}:{s.number}",
            "report_id": rid,
            "number": s.number,
            "heading": s.heading,
            "text": s.text,
        }
        for s in sections
    )


def figure_rows(rid: str, figures: Iterable[Figure]) -> tuple[Row, ...]:
    """The figures rows of report ``rid``."""
    return tuple(
        {
            "id": f"{rid}:{f.offset}:{f.key}",
            "report_id": rid,
            "key": f.key,
            "value": f.value,
            "unit": f.unit,
            "sentence": f.sentence,
            "offset": f.offset,
            "sentence_offset": f.sentence_offset,
        }
        for f in figures
    )


def spam_rows(rid: str, findings: Iterable[SpamFinding]) -> tuple[Row, ...]:
    """The spam_findings rows of report ``rid`` (restored later, by archive/restore)."""
    return tuple(
        {
            "id": f"{rid}:{f.start}:{f.kind}" + ("" if f.place == "text" else f":{f.place}"),
            "report_id": rid,
            "kind": f.kind,
            "start": f.start,
            "end": f.end,
            "injected": f.injected,
            "restored": None,
            "restored_from": None,
            "place": f.place,
        }
        for f in findings
    )

"""Scanned PDF attachments (pictures of pages, no text layer) read by OCR into reports.

Ingest records such a file as an ``errors`` row (stage ``attachment``, "scanned PDF: N pages
without a text layer need OCR"); here its archived bytes are read page by page
(``extract.ocr.scan``) into a report like any attachment's, its cells marked ``source =
'ocr'`` with their confidence, and the errors row goes: the file is read now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nianbao.archive.ocr.archived import read_archived
from nianbao.archive.store.cells import OCR, check_again
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import report_rows
from nianbao.archive.warc.reader import Capture, sha1_digest
from nianbao.extract.errors import NEEDS_OCR
from nianbao.extract.ocr.scan import ScannedPdf, read_scanned_pdf, scanned_report
from nianbao.extract.report import Report

SCANNED = f"{NEEDS_OCR}%"  # the errors rows of scans waiting: a LIKE pattern


@dataclass(frozen=True)
class Scan:
    """One archived scanned PDF."""

    capture_id: str
    url: str
    warc_file: str
    offset: int
    date: str


@dataclass(frozen=True)
class ScanRead:
    """A scan's report and the confidence of its cells' readings."""

    report: Report
    scan: ScannedPdf
    payload_digest: str


def waiting_scans(store: Store, again: bool) -> list[Scan]:
    """The scans ingest left for OCR; with ``again``, also those an earlier run read."""
    rows = store.db.execute(
        "select distinct c.id, c.url, c.warc_file, c.offset, c.date from errors e"
        " join captures c on c.id = e.capture_id"
        " where e.stage = 'attachment' and e.message like ? and c.warc_file is not null",
        [SCANNED],
    ).fetchall()
    if again:
        rows += store.db.execute(
            "select c.id, c.url, c.warc_file, c.offset, c.date from reports r"
            " join captures c on c.id = r.capture_id where r.source_format = 'pdf' and exists"
            " (select 1 from stats s where s.report_id = r.id and s.source = ?)",
            [OCR],
        ).fetchall()
    return [Scan(*row) for row in sorted(set(rows))]


def read_scan(scan: Scan, warc_dir: Path) -> ScanRead | str:
    """The report a scan holds, or why it could not be read."""
    return read_archived(warc_dir, scan.warc_file, scan.offset, lambda c: _report(scan, c))


def _report(scan: Scan, capture: Capture) -> ScanRead | str:
    read = read_scanned_pdf(capture.body)
    report = scanned_report(scan.url, read)
    if not report.is_report:
        return "scanned PDF read by OCR, but no report in its text"
    return ScanRead(report, read, capture.payload_digest or sha1_digest(capture.body))


def store_scan(store: Store, scan: Scan, read: ScanRead) -> int:
    """Write the scan's report (cells with source 'ocr'), its checks evaluated as OCR'd
    ones are; the errors row that said it waits goes. The cells written."""
    rows = report_rows(scan.url, scan.capture_id, read.payload_digest, read.report)
    lowest = read.scan.confidence
    stats = tuple(
        {**row, "source": OCR, "confidence": round(lowest.get(row["raw"], 0.0), 1)}
        for row in rows.children.get("stats", ())
    )
    with store.transaction():
        # a scan's report is this stage's own: read again (--again), it is replaced whole
        store.drop_report(rows.report["id"])
        store.put_report(rows.report, {**rows.children, "stats": stats}, scan.date)
        check_again(store, rows.report["id"])
        store.db.execute(
            "delete from errors where capture_id = ? and stage = 'attachment' and message like ?",
            [scan.capture_id, SCANNED],
        )
    return len(stats)

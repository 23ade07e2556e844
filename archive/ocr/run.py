"""Read every archived table picture of the database's reports, write their cells; read
every scanned PDF attachment into a report."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.archive.ingest.attachment_pages import link_attachment_pages
from nianbao.archive.ingest.sightings import refresh_sightings
from nianbao.archive.ocr.archived import read_archived
from nianbao.archive.ocr.cells import OcrCells, ocr_cells, write_cells
from nianbao.archive.ocr.scans import Scan, read_scan, store_scan, waiting_scans
from nianbao.archive.places import archive_folder, writable_database
from nianbao.archive.store.cells import OCR
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import error_row, report_id
from nianbao.extract.ocr.engine import OcrUnavailable, tesseract

Progress = Callable[[int, int], None]  # (pictures and scans done, in all)


@dataclass(frozen=True)
class Picture:
    """One table picture of a report, and where its bytes are archived (if they are)."""

    report_id: str
    table_no: int
    url: str
    warc_file: str | None
    offset: int | None


@dataclass
class OcrResult:
    """What one OCR run did; pictures are counted by URL (a twin shows its original's)."""

    pictures: int = 0  # table pictures of the database's reports
    skipped: int = 0  # of them, read by an earlier run (``again`` reads them anew)
    archived: int = 0  # of the others, found in the archive
    read: int = 0  # read into cells
    cells: int = 0  # cells written (source 'ocr')
    reread: int = 0  # identities failing on OCR'd cells: look at the picture again
    scans: int = 0  # scanned PDFs waiting (with ``again``: and those read before)
    scans_read: int = 0  # of them, read into reports
    scan_pages: int = 0  # pages read
    unavailable: str | None = None  # why nothing was read (Tesseract missing), if so
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, why not read)


def run_ocr(
    db: Path,
    warc_dir: Path,
    *,
    workers: int = 2,
    again: bool = False,
    progress: Progress | None = None,
) -> OcrResult:
    """OCR the table pictures and scanned PDFs of ``db`` from the WARC files in
    ``warc_dir``; what an earlier run read is skipped unless ``again``. PlaceError for a
    database or folder that is not there (before anything is written)."""
    writable_database(db, "give the folder a crawl wrote (--out) or the database (--db)")
    archive_folder(warc_dir, "give the folder the database was made from (--warc)")
    with Store(db) as store:
        by_url, skipped = _pictures_to_read(store, again)
        result = OcrResult(pictures=len(by_url) + skipped, skipped=skipped)
        found = [uses[0] for uses in by_url.values() if uses[0].warc_file is not None]
        result.archived = len(found)
        scans = waiting_scans(store, again)
        result.scans = len(scans)
        try:
            tesseract()
        except OcrUnavailable as missing:
            result.unavailable = str(missing)
            return result
        count = itertools.count(1)
        tick = (lambda: progress(next(count), len(found) + len(scans))) if progress else None
        # a picture is a Tesseract process: threads wait on it, and the cores work
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            touched = _read_pictures(store, warc_dir, pool, found, by_url, again, result, tick)
            touched |= _read_scans(store, warc_dir, pool, scans, result, tick)
        if result.scans_read:  # the new reports take their pages' metadata, and are sighted
            link_attachment_pages(store)
            refresh_sightings(store)
        marks = ",".join("?" for _ in touched)
        result.reread = store.db.execute(
            f"select count(*) from checks where state = 'reread' and report_id in ({marks})",
            sorted(touched),
        ).fetchone()[0]
    return result


def _pictures_to_read(store: Store, again: bool) -> tuple[dict[str, list[Picture]], int]:
    """The pictures to read, by URL (a twin shows its original's), and how many of the
    database's were skipped as read by an earlier run."""
    by_url: dict[str, list[Picture]] = {}
    for picture in _pictures(store):
        by_url.setdefault(picture.url, []).append(picture)
    if again:
        return by_url, 0
    done = _read_before(store)
    todo = {
        url: uses
        for url, uses in by_url.items()
        if any((p.report_id, p.table_no) not in done for p in uses)
    }
    return todo, len(by_url) - len(todo)


def _read_pictures(
    store: Store,
    warc_dir: Path,
    pool: ThreadPoolExecutor,
    found: list[Picture],
    by_url: dict[str, list[Picture]],
    again: bool,
    result: OcrResult,
    tick: Callable[[], None] | None,
) -> set[str]:
    """Read the pictures into their reports' cells; the ids of the reports given cells."""
    reads = pool.map(lambda p: _read(p, warc_dir), found)
    for picture, read in zip(found, reads, strict=True):
        if tick is not None:
            tick()
        if isinstance(read, str):
            result.errors.append((picture.url, read))
            store.put_error(error_row(picture.url, "ocr", None, read))
            continue
        result.read += 1
        with store.transaction():
            for use in by_url[picture.url]:
                if again:  # read anew: the earlier reading of this table goes
                    store.db.execute(
                        "delete from stats where source = ? and report_id = ? and table_no = ?",
                        [OCR, use.report_id, use.table_no],
                    )
                result.cells += write_cells(store, use.report_id, read)
    return {p.report_id for p in found}


def _read_scans(
    store: Store,
    warc_dir: Path,
    pool: ThreadPoolExecutor,
    scans: list[Scan],
    result: OcrResult,
    tick: Callable[[], None] | None,
) -> set[str]:
    """Read the scanned PDFs into reports; the ids of the reports written."""
    written = set()
    for scan, read in zip(scans, pool.map(lambda s: read_scan(s, warc_dir), scans), strict=True):
        if tick is not None:
            tick()
        if isinstance(read, str):
            result.errors.append((scan.url, read))
            store.put_error(error_row(scan.url, "ocr", scan.capture_id, read))
            continue
        result.scans_read += 1
        result.scan_pages += read.scan.pages_read
        result.cells += store_scan(store, scan, read)
        written.add(report_id(scan.url, read.payload_digest))
    return written


def _read_before(store: Store) -> set[tuple[str, int]]:
    """(report, table) pairs that hold cells an OCR run wrote."""
    rows = store.db.execute("select distinct report_id, table_no from stats where source = 'ocr'")
    return {(report, table_no) for report, table_no in rows.fetchall()}


def _pictures(store: Store) -> Iterator[Picture]:
    rows = store.db.execute(
        "select report_id, table_no, image_urls from missing_tables where reason = 'image'"
    ).fetchall()
    for report, table_no, urls in rows:
        for url in json.loads(urls or "[]"):
            found = store.db.execute(
                "select warc_file, offset from captures where url = ? and status = 200"
                " and record_type = 'response' order by date desc limit 1",
                [url],
            ).fetchone()
            yield Picture(report, table_no, url, *(found or (None, None)))


def _read(picture: Picture, warc_dir: Path) -> OcrCells | str:
    """The picture's cells, or why they could not be read."""
    assert picture.warc_file is not None and picture.offset is not None
    return read_archived(
        warc_dir, picture.warc_file, picture.offset, lambda capture: ocr_cells(capture.body)
    )

"""Read every archived table picture of the database's reports, write their cells."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.archive.ocr.cells import OcrCells, ocr_cells, write_cells
from nianbao.archive.store.database import Store
from nianbao.archive.store.rows import error_row
from nianbao.archive.warc.reader import ArchiveReadError, on_disk, read_capture
from nianbao.extract.errors import ExtractError
from nianbao.extract.ocr.engine import OcrUnavailable, tesseract

Progress = Callable[[int, int], None]  # (pictures done, pictures in all)


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
    """OCR the table pictures of ``db``'s reports from the WARC files in ``warc_dir``; a
    picture an earlier run read is skipped unless ``again``."""
    with Store(db) as store:
        by_url: dict[str, list[Picture]] = {}
        for picture in _pictures(store):
            by_url.setdefault(picture.url, []).append(picture)
        result = OcrResult(pictures=len(by_url))
        done = _read_before(store)
        if not again:
            todo = {
                url: uses
                for url, uses in by_url.items()
                if any((p.report_id, p.table_no) not in done for p in uses)
            }
            result.skipped = len(by_url) - len(todo)
            by_url = todo
        found = [uses[0] for uses in by_url.values() if uses[0].warc_file is not None]
        result.archived = len(found)
        try:
            tesseract()
        except OcrUnavailable as missing:
            result.unavailable = str(missing)
            return result
        # a picture is a Tesseract process: threads wait on it, and the cores work
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            reads = pool.map(lambda p: _read(p, warc_dir), found)
            for n, (picture, read) in enumerate(zip(found, reads, strict=True), start=1):
                if progress is not None:
                    progress(n, len(found))
                if isinstance(read, str):
                    result.errors.append((picture.url, read))
                    store.put_error(error_row(picture.url, "ocr", None, read))
                    continue
                result.read += 1
                with store.transaction():
                    for use in by_url[picture.url]:
                        if again:  # read anew: the earlier reading of this table goes
                            store.db.execute(
                                "delete from stats where source = 'ocr' and report_id = ?"
                                " and table_no = ?",
                                [use.report_id, use.table_no],
                            )
                        result.cells += write_cells(store, use.report_id, read)
        touched = sorted({p.report_id for p in found})
        marks = ",".join("?" for _ in touched)
        result.reread = store.db.execute(
            f"select count(*) from checks where state = 'reread' and report_id in ({marks})",
            touched,
        ).fetchone()[0]
    return result


def _read_before(store: Store) -> set[tuple[str, int]]:
    """(report, table) pairs that hold cells an OCR run wrote."""
    rows = store.db.execute("select distinct report_id, table_no from stats where source = 'ocr'")
    return {(report_id, table_no) for report_id, table_no in rows.fetchall()}


def _pictures(store: Store) -> Iterator[Picture]:
    rows = store.db.execute(
        "select report_id, table_no, image_urls from missing_tables where reason = 'image'"
    ).fetchall()
    for report_id, table_no, urls in rows:
        for url in json.loads(urls or "[]"):
            found = store.db.execute(
                "select warc_file, offset from captures where url = ? and status = 200"
                " and record_type = 'response' order by date desc limit 1",
                [url],
            ).fetchone()
            yield Picture(report_id, table_no, url, *(found or (None, None)))


def _read(picture: Picture, warc_dir: Path) -> OcrCells | str:
    """The picture's cells, or why they could not be read."""
    assert picture.warc_file is not None and picture.offset is not None
    try:
        capture = read_capture(on_disk(warc_dir / picture.warc_file), picture.offset)
        return ocr_cells(capture.body)
    except (ArchiveReadError, OSError) as problem:
        return f"archive: {problem}"
    except ExtractError as problem:
        return problem.message
    except OcrUnavailable as problem:
        return str(problem)

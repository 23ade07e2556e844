"""A scanned PDF (pictures of pages, no text layer) read by OCR into the same Report.

Each page is rendered (pypdfium2) and split into bands top to bottom: a ruled table is a run
of long horizontal rules joined by a vertical one, read cell by cell as a table picture is
(``ocr.tables``); the text between tables is read as lines. The lines and tables then go the
way of every attachment: one HTML page, read by the page extractor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pypdfium2

from nianbao.extract.attachments import document_report
from nianbao.extract.attachments.document import Block, Document
from nianbao.extract.errors import ExtractError
from nianbao.extract.ocr.engine import read_lines
from nianbao.extract.ocr.tables import INK, lowest_confidence, png_of, read_table_image
from nianbao.extract.report import Report

MAX_SCAN_PAGES = 60  # OCR takes seconds a page; a report is 3-20 pages
DPI = 200  # rendering: scans are 150-300 dpi, Tesseract reads Chinese well from about 200
_MARGIN = 6  # pixels kept around a table's outer rules


@dataclass(frozen=True)
class ScannedPdf:
    """What OCR read from a scan: its blocks, and each table cell text's confidence."""

    document: Document
    confidence: dict[str, float]  # a cell's text -> the lowest confidence it was read with
    pages_read: int


def read_scanned_pdf(body: bytes, max_pages: int = MAX_SCAN_PAGES) -> ScannedPdf:
    """The lines and tables of a scanned PDF's pages, in reading order; ExtractError for a
    file pdfium cannot open; OcrUnavailable without Tesseract."""
    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError as bad:
        raise ExtractError("ocr", f"unreadable PDF ({bad})") from bad
    blocks: list[Block] = []
    lowest: dict[str, float] = {}
    try:
        total = len(pdf)
        for index in range(min(total, max_pages)):
            page = pdf[index]
            try:
                picture = page.render(scale=DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
            blocks.extend(_page_blocks(np.asarray(picture.convert("L")) < INK, lowest))
    finally:
        pdf.close()
    read = min(total, max_pages)
    notes = [f"read by OCR from {read} scanned pages"]
    if total > max_pages:
        notes.append(f"read the first {max_pages} of {total} PDF pages")
    return ScannedPdf(Document(tuple(blocks), pages=total, notes=tuple(notes)), lowest, read)


def scanned_report(url: str, scan: ScannedPdf) -> Report:
    """The report the scan's blocks hold, read as the HTML extractor reads a page."""
    return document_report(url, scan.document, "pdf")


def table_bands(dark: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) of each ruled table on a page picture, top to bottom."""
    width = dark.shape[1]
    # longer than any stroke of text (a 一 is a character wide), short enough that a rule
    # on a page scanned a little askew still has runs this long
    length = max(40, width // 12)
    m = dark.astype(np.int32)
    sums = np.cumsum(np.pad(m, ((0, 0), (1, 0))), axis=1)
    long_run = (sums[:, length:] - sums[:, :-length]) == length
    rows = np.nonzero(long_run.any(axis=1))[0]
    rules: list[_Rule] = []
    for y in rows:
        xs = np.nonzero(long_run[y])[0]
        if rules and y - rules[-1].bottom <= 2:  # the same (thick) rule, a pixel row lower
            last = rules[-1]
            rules[-1] = _Rule(
                last.top, int(y), min(last.left, int(xs[0])), max(last.right, int(xs[-1]) + length)
            )
        else:
            rules.append(_Rule(int(y), int(y), int(xs[0]), int(xs[-1]) + length))
    bands: list[tuple[int, int, int, int]] = []
    group: list[_Rule] = []
    for rule in rules:
        if group and not _joined(dark, group[-1], rule):
            bands.extend(_band(group, dark.shape))
            group = []
        group.append(rule)
    bands.extend(_band(group, dark.shape))
    return bands


@dataclass(frozen=True)
class _Rule:
    """A horizontal rule: its first and last pixel rows, and how far it runs."""

    top: int
    bottom: int
    left: int
    right: int


def _joined(dark: np.ndarray, upper: _Rule, lower: _Rule) -> bool:
    """Whether a vertical rule runs from one rule down to the next (a column of ink over
    nine tenths of the height, a pixel either side allowed for a scan a little askew)."""
    top, bottom = upper.bottom + 1, lower.top
    if bottom - top < 3:
        return True
    left, right = max(upper.left, lower.left), min(upper.right, lower.right)
    if right - left < 3:
        return False
    band = dark[top:bottom, left:right]
    widened = band.copy()
    widened[:, 1:] |= band[:, :-1]
    widened[:, :-1] |= band[:, 1:]
    return bool(widened.mean(axis=0).max() > 0.9)


def _band(group: list[_Rule], shape: tuple[int, ...]) -> list[tuple[int, int, int, int]]:
    if len(group) < 3:  # a rule or two (an underline, a frame) is no table
        return []
    top = max(0, group[0].top - _MARGIN)
    bottom = min(shape[0], group[-1].bottom + _MARGIN)
    left = max(0, min(r.left for r in group) - _MARGIN)
    right = min(shape[1], max(r.right for r in group) + _MARGIN)
    return [(top, bottom, left, right)]


def _page_blocks(dark: np.ndarray, lowest: dict[str, float]) -> list[Block]:
    blocks: list[Block] = []
    y = 0
    height = dark.shape[0]
    for top, bottom, left, right in [*table_bands(dark), (height, height, 0, 0)]:
        if top - y > 10 and dark[y:top].any():
            blocks.extend(read_lines(png_of(dark[y:top])))
        if bottom > top:
            try:
                read = read_table_image(png_of(dark[top:bottom, left:right]))
            except ExtractError:  # rules, but no grid: read what is there as text
                blocks.extend(read_lines(png_of(dark[top:bottom])))
            else:
                blocks.append(read.table)
                lowest_confidence(read, lowest)
        y = bottom
    return blocks

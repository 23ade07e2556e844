"""Benchmark: reports read from PDF, DOCX, XLSX and scanned PDF attachments, per format.

    .venv/bin/python bench/attachments.py [--reports 40] [--seed 0]

Renders the attachment reports of ``build_world(seed, reports=20, attachments=N)`` (simweb's
reportlab and python-docx renderers), then per format, each in a fresh process (its peak
memory is its own):

- ``extract_attachment`` (tables, text, metadata, identity checks): reports/s, cells right
  against the truth, peak RSS above the process's start;
- the reader alone, as a peer: pdfplumber's ``extract_text`` of every page, python-docx's
  paragraph texts, openpyxl's cell values;
- scanned PDFs (no text layer): ``read_scanned_pdf`` + ``scanned_report`` (OCR of every
  page's text and tables), values right and seconds a page, against Tesseract alone reading
  each rendered page once as text.

Then OCR (``--pictures N``, 0 to skip): the first N table pictures of
``build_world(seed, reports=60, drawn_tables=True)``, drawn clean and drawn "scanned"
(``simweb.table_images``), read by ``nianbao.archive.ocr.cells.ocr_cells``: values right
against the truth (by label; a cell not found counts as wrong) and seconds a picture.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import machine_line

from nianbao.simweb import TruthReport, build_world


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss would keep the spawning parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(docs: list[tuple[TruthReport, dict[str, str], bytes]]) -> tuple[float, float, str]:
    from nianbao.extract.attachments import extract_attachment

    right, total = 0, 0
    started = time.perf_counter()
    for truth, headers, body in docs:
        report = extract_attachment(truth.attachment_url or "", headers, body)
        got = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables.cells}
        want = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in truth.tables}
        right += sum(1 for key, value in want.items() if got.get(key) == value)
        total += len(want)
    took = time.perf_counter() - started
    return took, peak_mb(), f"cells right {right:,} / {total:,} ({right / total:.4f})"


def reader_alone(docs: list[tuple[TruthReport, dict[str, str], bytes]]) -> tuple[float, float, str]:
    import io

    import docx
    import openpyxl
    import pdfplumber

    started = time.perf_counter()
    chars = 0
    for truth, _, body in docs:
        if truth.table_layout == "pdf":
            with pdfplumber.open(io.BytesIO(body)) as pdf:
                chars += sum(len(page.extract_text() or "") for page in pdf.pages)
        elif truth.table_layout == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
            for sheet in book.worksheets:
                chars += sum(
                    len(str(v))
                    for row in sheet.iter_rows(values_only=True)
                    for v in row
                    if v is not None
                )
        else:
            chars += sum(len(p.text) for p in docx.Document(io.BytesIO(body)).paragraphs)
    return time.perf_counter() - started, peak_mb(), f"{chars:,} characters"


def _child(job: Callable, docs: list, out: Any) -> None:
    out.put(job(docs))


def in_fresh_process(job: Callable, docs: list) -> tuple[float, float, str]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_child, args=(job, docs, out))
    child.start()
    result = out.get()
    child.join()
    return result


def ocr_rows(seed: int, count: int) -> None:
    """Values right and seconds a picture, clean and scanned pictures."""
    from nianbao.archive.ocr.cells import ocr_cells
    from nianbao.simweb.table_images import report_table_pngs

    world = build_world(seed=seed, reports=60, families=False, drawn_tables=True)
    drawn = [t for t in world.reports if t.image_cells and t.url in world.styles]
    for scanned in (False, True):
        right = total = done = 0
        took = 0.0
        for truth in drawn:
            as_drawn = dataclasses.replace(truth, tables=truth.image_cells)
            for number, png in report_table_pngs(as_drawn, 0, scanned=scanned).items():
                if done >= count:
                    break
                started = time.perf_counter()
                read = {
                    (c.table, c.block, c.row, c.column): c.value for c, _ in ocr_cells(png).cells
                }
                took += time.perf_counter() - started
                want = [c for c in truth.image_cells if c.table == number]
                key = lambda c: (c.table, c.block, c.row, c.column)  # noqa: E731
                right += sum(1 for c in want if key(c) in read and read[key(c)] == c.value)
                total += len(want)
                done += 1
        kind = "scanned" if scanned else "clean"
        print(
            f"OCR {kind:7} pictures {done:3}  values right {right:,} / {total:,} "
            f"({right / max(1, total):.4f})  {took / max(1, done):.2f} s a picture"
        )


def scans(docs: list[tuple[TruthReport, dict[str, str], bytes]]) -> tuple[float, float, str]:
    """Scanned PDFs read by OCR into reports: values right (a cell not found is wrong)."""
    from nianbao.extract.ocr.scan import read_scanned_pdf, scanned_report

    right = total = pages = 0
    started = time.perf_counter()
    for truth, _, body in docs:
        read = read_scanned_pdf(body)
        report = scanned_report(truth.attachment_url or "", read)
        pages += read.pages_read
        cells = report.tables.cells if report.tables else ()  # OCR may find no table at all
        got = {(c.table, c.block, c.row, c.column): c.value for c in cells}
        right += sum(
            1 for c in truth.tables if got.get((c.table, c.block, c.row, c.column), "x") == c.value
        )
        total += len(truth.tables)
    took = time.perf_counter() - started
    return (
        took,
        peak_mb(),
        (
            f"values right {right:,} / {total:,} ({right / total:.4f}); {pages} pages, "
            f"{took / pages:.2f} s a page"
        ),
    )


def tesseract_alone(
    docs: list[tuple[TruthReport, dict[str, str], bytes]],
) -> tuple[float, float, str]:
    """The peer of a scan: every page rendered at the same resolution and read by Tesseract
    once as a page of text (no tables, no second pass)."""
    import io

    import pypdfium2

    from nianbao.extract.ocr.engine import read_lines
    from nianbao.extract.ocr.scan import DPI

    pages = 0
    started = time.perf_counter()
    for _, _, body in docs:
        pdf = pypdfium2.PdfDocument(body)
        for index in range(len(pdf)):
            picture = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil()
            png = io.BytesIO()
            picture.save(png, "PNG")
            read_lines(png.getvalue())
            pages += 1
        pdf.close()
    took = time.perf_counter() - started
    return took, peak_mb(), f"{pages} pages, {took / pages:.2f} s a page"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=40, help="attachment reports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pictures", type=int, default=30, help="table pictures to OCR")
    args = parser.parse_args()
    print(machine_line())
    # drawn tables: scanned PDFs among the attachments too (a fifth of them)
    world = build_world(
        seed=args.seed, reports=20, attachments=args.reports, families=False, drawn_tables=True
    )
    by_format: dict[str, list[tuple[TruthReport, dict[str, str], bytes]]] = {}
    started = time.perf_counter()
    for truth in world.reports:
        if truth.attachment_url:
            page = world.lookup(truth.attachment_url)
            assert page is not None
            headers = {k.lower(): v for k, v in page.headers}
            by_format.setdefault(truth.table_layout, []).append((truth, headers, page.body))
    print(
        f"rendered {sum(map(len, by_format.values()))} attachments in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        f"\n{'format':6} {'tool':22} {'docs':>5} {'seconds':>8} {'docs/s':>7} {'peak MB':>8}  notes"
    )
    for form, docs in sorted(by_format.items()):
        size = sum(len(body) for _, _, body in docs) / len(docs)
        jobs = (
            (("read_scanned_pdf", scans), ("tesseract alone", tesseract_alone))
            if form == "scan"
            else (("extract_attachment", ours), ("reader alone", reader_alone))
        )
        for name, job in jobs:
            took, peak, note = in_fresh_process(job, docs)
            print(
                f"{form:6} {name:22} {len(docs):5} {took:8.2f} {len(docs) / took:7.1f} "
                f"{peak:8.1f}  {note}; mean file {size / 1000:.1f} KB"
            )
    if args.pictures:
        print()
        ocr_rows(args.seed, args.pictures)


if __name__ == "__main__":
    main()

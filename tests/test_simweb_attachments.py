"""simweb.attachments: a template report as PDF, DOCX and XLSX, every table value readable."""

from __future__ import annotations

import io
import re
from collections import Counter

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn

from nianbao.simweb import TruthReport, build_world
from nianbao.simweb.attachments import docx_bytes, pdf_bytes, xlsx_bytes

RENDERERS = (pdf_bytes, docx_bytes, xlsx_bytes)


@pytest.fixture(scope="module")
def reports() -> list[TruthReport]:
    """Three template reports with tables: the first 2019 and the first two 2021 ones."""
    world = build_world(seed=0, reports=60)
    tabled = [
        r
        for r in world.reports
        if r.generation in ("2019", "2021")
        and r.table_layout != "image"
        and r.source == "generated"
        and r.tables
    ]
    picked = [next(r for r in tabled if r.generation == "2019")]
    picked += [r for r in tabled if r.generation == "2021"][:2]
    assert len(picked) == 3
    return picked


def squash(text: str | None) -> str:
    """Text without whitespace: wrapped lines inside a cell or title join up again."""
    return re.sub(r"\s+", "", text or "")


def wanted(truth: TruthReport) -> Counter[str]:
    """Every printed value of tables 2–4, with its multiplicity."""
    return Counter(c.raw for c in truth.tables if c.table in (2, 3, 4))


def check_found(truth: TruthReport, found: Counter[str], what: str) -> None:
    """Each raw value occurs in the document at least as often as the truth prints it."""
    need = wanted(truth)
    missing = need - found
    hits = sum(need.values()) - sum(missing.values())
    assert not missing, (
        f"{what} {truth.url}: {hits}/{sum(need.values())} values found, missing {dict(missing)}"
    )


def pdf_pages(data: bytes) -> tuple[str, list[list[str]]]:
    """Page 1's text and, per page, the texts of all table cells pdfplumber finds there."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0].extract_text()
        cells = [
            [squash(cell) for table in page.extract_tables() for row in table for cell in row]
            for page in pdf.pages
        ]
    return first, cells


def test_pdf_tables_values_and_split(reports):
    for truth in reports:
        first_text, pages = pdf_pages(pdf_bytes(truth, seed=1))
        assert len(pages) >= 2
        assert squash(truth.title) in squash(first_text)
        check_found(truth, Counter(c for page in pages for c in page if c), "pdf")
        # Table 3 starts on one page and its last row continues on a later one.
        head = next(i for i, page in enumerate(pages) if "申请人情况" in page)
        tail = next(i for i, page in enumerate(pages) if "四、结转下年度继续办理" in page)
        assert tail > head


def test_pdf_split_at_either_break(reports):
    # The seeds choose between two break rows; both must still put table 3 on two pages.
    truth = reports[1]
    for seed in range(6):
        _, pages = pdf_pages(pdf_bytes(truth, seed))
        head = next(i for i, page in enumerate(pages) if "申请人情况" in page)
        tail = next(i for i, page in enumerate(pages) if "四、结转下年度继续办理" in page)
        assert tail > head, seed


def test_docx_tables_values_and_merges(reports):
    for truth in reports:
        doc = docx.Document(io.BytesIO(docx_bytes(truth, seed=1)))
        assert doc.paragraphs[0].text == truth.title
        assert len(doc.tables) == 3
        found: Counter[str] = Counter()
        merged = 0
        for table in doc.tables:
            # Each <w:tc> once: row.cells repeats a merged cell at every position it covers.
            for tc in table._tbl.iter(qn("w:tc")):
                found[squash("".join(t.text or "" for t in tc.iter(qn("w:t"))))] += 1
                merged += tc.grid_span > 1 or tc.vMerge is not None
        check_found(truth, found, "docx")
        assert merged > 0
        # Table 2's block title spans the whole first row: one cell at all four positions.
        first = doc.tables[0]
        assert first.cell(0, 0)._tc is first.cell(0, 3)._tc


def shown(cell) -> str:
    """A cell's value as Excel displays it (decimals with their number format's places)."""
    value = cell.value
    if isinstance(value, float):
        places = len(cell.number_format.partition(".")[2])
        return f"{value:.{places}f}"
    return "" if value is None else str(value)


def test_xlsx_sheets_values_and_merges(reports):
    for truth in reports:
        wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(truth, seed=1)))
        assert len(wb.worksheets) == 3
        found: Counter[str] = Counter()
        for ws in wb.worksheets:
            assert ws.merged_cells.ranges
            found.update(squash(shown(cell)) for row in ws.iter_rows() for cell in row)
        check_found(truth, found, "xlsx")
    # Plain numbers are numbers, printed forms such as "＋１" or "/" stay text.
    ws = wb.worksheets[0]
    kinds = {type(cell.value) for row in ws.iter_rows(min_row=2) for cell in row}
    assert int in kinds and str in kinds


@pytest.mark.parametrize("render", RENDERERS, ids=lambda f: f.__name__)
def test_deterministic(reports, render):
    first, other = reports[0], reports[1]
    data = render(first, 5)
    assert render(first, 5) == data
    assert render(other, 5) != data

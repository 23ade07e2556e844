"""simweb.attachments: a template report as PDF, DOCX and XLSX, every table value readable."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn

from nianbao.simweb import TruthReport, build_world
from nianbao.simweb.attachments import docx_bytes, pdf_bytes, xlsx_bytes
from nianbao.simweb.template import T3_NOTE

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


@dataclass(frozen=True)
class PdfView:
    """What pdfplumber reads of one PDF."""

    first_text: str  # page 1's text
    tops: list[str]  # per page, the text of its top strip, above the body
    tables: list[list[list[list[str]]]]  # per page, its tables: rows of cell texts as read


def pdf_view(data: bytes) -> PdfView:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return PdfView(
            first_text=pdf.pages[0].extract_text(),
            # body text starts at the top margin, 54 points or more
            tops=[page.crop((0, 0, page.width, 45)).extract_text() for page in pdf.pages],
            tables=[
                [[[cell or "" for cell in row] for row in table] for table in page.extract_tables()]
                for page in pdf.pages
            ],
        )


def page_cells(view: PdfView) -> list[list[str]]:
    """Per page, the texts of all its table cells, whitespace removed."""
    return [[squash(c) for t in page for row in t for c in row] for page in view.tables]


def pdf_values(view: PdfView) -> Counter[str]:
    """Every table cell's text, and each line of a cell holding several: a merged row's cell
    such as "0\n3" holds two values."""
    found: Counter[str] = Counter()
    for page in view.tables:
        for cell in (c for t in page for row in t for c in row):
            found[squash(cell)] += 1
            if "\n" in cell:
                found.update(squash(line) for line in cell.split("\n"))
    return found


def t3_pages(view: PdfView) -> tuple[int, int]:
    """The pages where table 3 starts (its header) and where its last row is."""
    pages = page_cells(view)
    head = next(i for i, page in enumerate(pages) if "申请人情况" in page)
    tail = next(i for i, page in enumerate(pages) if "四、结转下年度继续办理" in page)
    return head, tail


def test_pdf_tables_values_and_split(reports):
    for truth in reports:
        view = pdf_view(pdf_bytes(truth, seed=1))
        assert len(view.tables) >= 2
        assert squash(truth.title) in squash(view.first_text)
        check_found(truth, pdf_values(view), "pdf")
        # Table 3 starts on one page and its last row continues on a later one.
        head, tail = t3_pages(view)
        assert tail > head


def test_pdf_split_at_either_break(reports):
    # The seeds choose between two break rows; both must still put table 3 on two pages.
    truth = reports[1]
    for seed in range(6):
        head, tail = t3_pages(pdf_view(pdf_bytes(truth, seed)))
        assert tail > head, seed


SEEDS = range(41)
_views: dict[tuple[str, int], PdfView] = {}


def find_pdf(
    reports: list[TruthReport], shows: Callable[[TruthReport, PdfView], bool]
) -> tuple[TruthReport, PdfView]:
    """The first document, by seed, then report, that shows a variation; its values must
    all still be read."""
    for seed in SEEDS:
        for truth in reports:
            key = (truth.url, seed)
            if key not in _views:  # the variation tests share their parsed PDFs
                _views[key] = pdf_view(pdf_bytes(truth, seed))
            if shows(truth, _views[key]):
                check_found(truth, pdf_values(_views[key]), f"pdf seed {seed}")
                return truth, _views[key]
    raise AssertionError(f"no document of seeds {SEEDS} shows it")


def t3_labels(truth: TruthReport) -> list[str]:
    """Table 3's row labels in printed order."""
    return list(dict.fromkeys(c.row for c in truth.tables if c.table == 3))


def two_labels(cell: str, upper: str, lower: str) -> bool:
    """The cell is ``upper`` and ``lower`` with a line break between (wrapped lines aside)."""
    lines = cell.split("\n")
    return any(
        squash("".join(lines[:k])) == squash(upper) and squash("".join(lines[k:])) == squash(lower)
        for k in range(1, len(lines))
    )


def test_pdf_merged_rows(reports):
    def shows(truth: TruthReport, view: PdfView) -> bool:
        labels = t3_labels(truth)
        pairs = list(zip(labels, labels[1:], strict=False))
        cells = (c for page in view.tables for t in page for row in t for c in row)
        return any(two_labels(c, a, b) for c in cells for a, b in pairs if "\n" in c)

    truth, view = find_pdf(reports, shows)
    # The values of a merged row print in the same cells, one above the other.
    cells = [c for page in view.tables for t in page for row in t for c in row]
    assert any(re.fullmatch(r"[^\n]+\n[^\n]+", c) and len(c) < 12 for c in cells)


def test_pdf_framed_section_start(reports):
    def shows(truth: TruthReport, view: PdfView) -> bool:
        starts = {
            (squash(s.heading), squash(s.text.split("\n")[0])) for s in truth.sections if s.text
        }
        boxed = (t for page in view.tables for t in page if all(len(row) == 1 for row in t))
        return any(len(t) == 2 and (squash(t[0][0]), squash(t[1][0])) in starts for t in boxed)

    find_pdf(reports, shows)


def test_pdf_t3_header_repeated(reports):
    header = {squash(T3_NOTE), "申请人情况", "自然人", "法人或其他组织", "总计"}

    def shows(truth: TruthReport, view: PdfView) -> bool:
        # Table 3's header on the page it starts on and again on its continuation page.
        pages = page_cells(view)
        head, tail = t3_pages(view)
        return tail > head and header <= set(pages[head]) and header <= set(pages[tail])

    find_pdf(reports, shows)


def test_pdf_running_header(reports):
    def shows(truth: TruthReport, view: PdfView) -> bool:
        return truth.agency in (view.tops[1] or "")

    truth, view = find_pdf(reports, shows)
    assert truth.agency not in (view.tops[0] or "")  # not on the first page
    assert all(truth.agency in (top or "") for top in view.tops[1:])


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

"""A template report's ground truth as the attachments agencies publish: PDF, DOCX and XLSX.

Many agencies link the annual report as a file instead of (or next to) an HTML page. These
renderers print the same things the HTML report page prints (``pages._report_page``): title,
TEMPLATE_INTRO, every section heading and text line, and tables 2, 3 and 4 after sections 2, 3
and 4, each cell's ``raw`` exactly as printed. Output is byte-identical for equal input (fixed
metadata dates, fixed zip entry times), so an archive of these files stays reproducible.
The PDF renderer lives in ``attachments_pdf`` (it builds on the helpers here); ``pdf_bytes``
is importable from this module as before.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.writer.excel import ExcelWriter

from nianbao.simweb.tables import (
    TABLE_TITLES,
    Grid,
    TableStyle,
    grid_anchors,
    table2_grid,
    table3_grid,
    table4_grid,
)
from nianbao.simweb.template import TEMPLATE_INTRO
from nianbao.simweb.truth import TruthReport

DOCX_FONT = "宋体"
CREATOR = "nianbao simweb"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
VARIATION_SHARE = 0.4  # of PDFs showing each harder-to-read variation
# Table 3 rows where no row span crosses: the page break of a PDF's table 3 falls before one.
T3_BREAKS = ("三、本年度办理结果", "四、结转")
_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.([0-9]+))?")


@dataclass(frozen=True)
class _Look:
    """The seeded small variations of one document."""

    font_size: float  # body text, points
    margin: float  # page margins, points
    table_titles: bool  # a centred title line above each table
    t3_break: str  # the table-3 row a PDF page break falls before
    short_sheets: bool  # XLSX sheet names "表2" … instead of the table titles
    style: TableStyle  # label line breaks and the vertical table-4 header
    # PDF only, each on in VARIATION_SHARE of documents, independently (drawn after the
    # fields above, which so keep the values they had before these existed):
    merge_rows: bool  # table 3 prints pairs of adjacent rows as one row, "\n" in each cell
    merge_count: int  # how many pairs, 1–3
    merge_seed: int  # which pairs (candidates depend on the generation's rows)
    frame_text: bool  # a heading and its section's first line sit in a one-column table
    frame_pick: float  # which section: a fraction of the way through the candidates
    repeat_header: bool  # table 3's column headers again above its continuation
    running_header: bool  # the agency name atop every page after the first


def _look(seed: int) -> _Look:
    rng = random.Random(seed)
    return _Look(
        font_size=rng.choice((10.0, 10.5)),
        margin=rng.choice((54.0, 64.0, 72.0)),
        table_titles=rng.random() < 0.5,
        t3_break=rng.choice(T3_BREAKS),
        short_sheets=rng.random() < 0.5,
        style=TableStyle(
            "html", break_labels=rng.random() < 0.3, vertical_header=rng.random() < 0.3
        ),
        merge_rows=rng.random() < VARIATION_SHARE,
        merge_count=rng.choice((1, 2, 3)),
        merge_seed=rng.getrandbits(32),
        frame_text=rng.random() < VARIATION_SHARE,
        frame_pick=rng.random(),
        repeat_header=rng.random() < VARIATION_SHARE,
        running_header=rng.random() < VARIATION_SHARE,
    )


def _grids(truth: TruthReport, style: TableStyle) -> dict[int, Grid]:
    """Tables 2–4 by number; none for prose reports and text-only copies."""
    if truth.generation == "prose" or not truth.tables:
        return {}
    try:
        return {
            2: table2_grid(truth.tables, truth.generation),
            3: table3_grid(truth.tables, truth.generation, style),
            4: table4_grid(truth.tables, style),
        }
    except KeyError as missing:  # seed 003 splits rows the template does not have
        raise ValueError(f"{truth.url}: cells off the {truth.generation} template") from missing


def _published(truth: TruthReport) -> dt.datetime:
    # Metadata dates follow the report, not the clock, so equal input gives equal bytes.
    return dt.datetime.fromisoformat(truth.published).replace(hour=9)


def _issuing_line(truth: TruthReport) -> str:
    day = _published(truth)
    return f"{truth.agency}　{day.year}年{day.month}月{day.day}日"


def _body(truth: TruthReport, grids: dict[int, Grid]) -> list[tuple[str, str, int]]:
    """What the report prints, in order, as (kind, text, table number): kind "intro",
    "heading" or "line" with its text, or "table" after sections 2, 3 and 4 (as the page)."""
    out = [("intro", TEMPLATE_INTRO, 0)] if truth.generation != "prose" else []
    for section in truth.sections:
        out.append(("heading", section.heading, 0))
        out.extend(("line", line, 0) for line in section.text.split("\n") if section.text)
        if section.number in grids:
            out.append(("table", "", section.number))
    return out


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes (writers stamp the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0  # the default depends on the platform
            fixed.external_attr = 0
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def pdf_bytes(truth: TruthReport, seed: int) -> bytes:
    """A born-digital PDF of the report (reportlab, STSong-Light); table 3 always continues
    on a following page. Seeded variations: rows of table 3 merged in pairs, a section start
    in a box, table 3's header repeated, a running header. Byte-identical for equal input."""
    # Imported here, not at the top: attachments_pdf imports this module's helpers.
    from nianbao.simweb.attachments_pdf import render_pdf

    return render_pdf(truth, _look(seed))


def docx_bytes(truth: TruthReport, seed: int) -> bytes:
    """A Word document of the report: tables in style "Table Grid" with merged cells, the
    text once in each merged cell. Byte-identical for equal input."""
    look = _look(seed)
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(look.font_size)
    # Han text takes the East Asian font slot, which the Normal style leaves unset.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    for section in doc.sections:
        section.left_margin = section.right_margin = Pt(look.margin)
        section.top_margin = section.bottom_margin = Pt(look.margin)

    def paragraph(text: str, centred: bool = False, bold: bool = False, size: float = 0):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if centred:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.paragraph_format.first_line_indent = Pt(2 * look.font_size)
        return p

    paragraph(truth.title, centred=True, bold=True, size=look.font_size + 8)
    paragraph(_issuing_line(truth), centred=True)
    grids = _grids(truth, look.style)
    for kind, text, number in _body(truth, grids):
        if kind != "table":
            paragraph(text, bold=kind == "heading")
            continue
        if look.table_titles:
            paragraph(TABLE_TITLES[number], centred=True, bold=True)
        grid = grids[number]
        anchors, width, _ = grid_anchors(grid)
        table = doc.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        # Fetched once before merging: table.cell() walks the whole table on every call.
        # Merges rewrite only their own region, so corners of other regions stay valid.
        cells = [row.cells for row in table.rows]
        for r, c, rowspan, colspan, text in anchors:
            target = cells[r][c]
            if rowspan > 1 or colspan > 1:
                target = target.merge(cells[r + rowspan - 1][c + colspan - 1])
            target.text = text  # "\n" becomes a <w:br/> line break
            target.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = truth.title, truth.agency, CREATOR
    props.created = props.modified = _published(truth)
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def _xlsx_value(text: str) -> tuple[str | int | float, str]:
    """A plain integer or decimal as a number (decimals keep their printed places), else the
    text as printed: full-width digits, signs, "/" stay strings."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text, "General"
    places = match.group(1)
    if places is None:
        return int(text), "0"
    return float(text), "0." + "0" * len(places)


def xlsx_bytes(truth: TruthReport, seed: int) -> bytes:
    """A workbook with one sheet per table 2, 3, 4: the table title in a merged first row,
    then the grid with merged spans. Byte-identical for equal input."""
    look = _look(seed)
    grids = _grids(truth, look.style)
    if not grids:
        raise ValueError(f"{truth.url}: no tables to put in a workbook")
    wb = Workbook()
    wb.remove(wb.active)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, grid in grids.items():
        ws = wb.create_sheet(f"表{number}" if look.short_sheets else TABLE_TITLES[number][:31])
        anchors, width, _ = grid_anchors(grid)
        ws.cell(1, 1, TABLE_TITLES[number]).alignment = wrap
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for r, c, rowspan, colspan, text in anchors:
            value, number_format = _xlsx_value(text)
            target = ws.cell(r + 2, c + 1, value)
            target.number_format, target.alignment = number_format, wrap
            if rowspan > 1 or colspan > 1:
                ws.merge_cells(
                    start_row=r + 2,
                    start_column=c + 1,
                    end_row=r + 1 + rowspan,
                    end_column=c + colspan,
                )
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = truth.title, truth.agency, CREATOR
    props.created = props.modified = _published(truth)
    out = io.BytesIO()
    # ExcelWriter, not Workbook.save: save_workbook stamps properties.modified with the clock.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip(out.getvalue())

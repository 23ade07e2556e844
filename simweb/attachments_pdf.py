"""The PDF attachment (``attachments.pdf_bytes``): reportlab, the built-in STSong-Light font.

Born-digital report PDFs are laid out in a word processor, and its habits show in what a PDF
reader sees. Besides the plain layout, each of these is on in a seeded share of documents:

* merged rows: 1–3 pairs of adjacent rows of table 3 printed as one row, each cell holding
  both rows' texts on two lines, as when a template's rule between them got lost;
* a framed section start: a heading and its section's first line in a bordered one-column
  table of two cells (pdfplumber reports no table of a single cell, so no plain box);
* the repeated header: table 3's column-header rows again above its continuation page;
* a running header: the agency name at the top of every page after the first.
"""

from __future__ import annotations

import dataclasses
import io
import random
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)
from reportlab.platypus import TableStyle as PdfTableStyle

from nianbao.simweb.attachments import (
    CREATOR,
    _body,
    _grids,
    _issuing_line,
    _Look,
)
from nianbao.simweb.tables import TABLE_TITLES, Grid, GridCell, grid_anchors
from nianbao.simweb.truth import TruthReport

PDF_FONT = "STSong-Light"  # a built-in CID font: readers supply the glyphs, nothing embedded
FRAMED_MAX = 600  # characters: a longer paragraph could outgrow a page in its unsplittable box


def _pdf_font() -> str:
    # reportlab's font registry is process-wide; register once, on first use.
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def _column_widths(number: int, width: int, frame: float) -> list[float]:
    if number == 2:
        return [frame * 0.31] + [frame * 0.69 / 3] * 3
    if number == 3:  # three label columns, the widest for the row labels, then seven values
        return [frame * 0.08, frame * 0.09, frame * 0.25] + [frame * 0.58 / 7] * 7
    return [frame / width] * width


def _t3_head(grid: Grid) -> int:
    """How many column-header rows table 3 has: the rows above 一、本年新收."""
    return next(i for i, row in enumerate(grid) if row[0].text.startswith("一、"))


def _merge_candidates(grid: Grid) -> list[int]:
    """Data rows i of table 3 that can print as one row with row i + 1: neither row starts
    a row span (so both sit in the same group) and their label cells have equal widths."""
    out = []
    for i in range(_t3_head(grid), len(grid) - 1):
        upper, lower = grid[i], grid[i + 1]
        if any(c.rowspan > 1 for c in upper + lower):
            continue
        if [c.colspan for c in upper] == [c.colspan for c in lower]:
            out.append(i)
    return out


def _merged(grid: Grid, look: _Look) -> Grid:
    """Table 3 with the seeded pairs of rows printed as one row, "\\n" between the texts;
    spans from above that covered both rows now cover one row less."""
    candidates = _merge_candidates(grid)
    random.Random(look.merge_seed).shuffle(candidates)
    picked: list[int] = []
    for i in candidates:
        if len(picked) < look.merge_count and all(abs(i - j) > 1 for j in picked):
            picked.append(i)
    out = [list(row) for row in grid]
    for i in sorted(picked, reverse=True):  # bottom up: rows above keep their indices
        pair = zip(out[i], out[i + 1], strict=True)
        out[i] = [GridCell(f"{a.text}\n{b.text}", colspan=a.colspan) for a, b in pair]
        del out[i + 1]
        for r in range(i):
            out[r] = [
                dataclasses.replace(c, rowspan=c.rowspan - 1) if r + c.rowspan > i + 1 else c
                for c in out[r]
            ]
    return out


def _pdf_tables(
    grid: Grid, number: int, frame: float, cell: ParagraphStyle, look: _Look
) -> list[Flowable]:
    """The table as reportlab Tables: table 3 in two, a page break between them."""
    parts = [grid]
    if number == 3:
        if look.merge_rows:
            grid = _merged(grid, look)
        at = next(i for i, row in enumerate(grid) if row[0].text.startswith(look.t3_break))
        head = grid[: _t3_head(grid)] if look.repeat_header else []
        parts = [grid[:at], head + grid[at:]]
    out: list[Flowable] = []
    for part in parts:
        anchors, width, _ = grid_anchors(part)
        matrix: list[list[object]] = [[""] * width for _ in part]
        commands: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        for r, c, rowspan, colspan, text in anchors:
            # Paragraph cells wrap long labels; "\n" in a grid cell is a forced line break.
            matrix[r][c] = Paragraph(escape(text).replace("\n", "<br/>"), cell)
            if rowspan > 1 or colspan > 1:
                commands.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        widths = _column_widths(number, width, frame)
        if out:
            out.append(PageBreak())
        out.append(Table(matrix, colWidths=widths, style=PdfTableStyle(commands)))
    return out


def _framed_index(body: list[tuple[str, str, int]], look: _Look) -> int | None:
    """Which heading prints boxed together with its section's first line, or none."""
    if not look.frame_text:
        return None
    candidates = [
        i
        for i, (kind, _, _) in enumerate(body[:-1])
        if kind == "heading" and body[i + 1][0] == "line" and len(body[i + 1][1]) <= FRAMED_MAX
    ]
    return candidates[int(look.frame_pick * len(candidates))] if candidates else None


def render_pdf(truth: TruthReport, look: _Look) -> bytes:
    """``attachments.pdf_bytes``: table 3 always continues on a following page, split at a
    row no span crosses. Byte-identical for equal input."""
    font, size = _pdf_font(), look.font_size
    body = ParagraphStyle(
        "body", fontName=font, fontSize=size, leading=size * 1.7, firstLineIndent=2 * size
    )
    body.wordWrap = "CJK"  # break lines between any two Han characters
    title = ParagraphStyle(
        "title", body, fontSize=size + 6, leading=(size + 6) * 1.4, firstLineIndent=0
    )
    title.alignment, title.spaceAfter = TA_CENTER, size
    centred = ParagraphStyle("centred", body, firstLineIndent=0, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", body, fontSize=size + 1, spaceBefore=size / 2)
    cell = ParagraphStyle(
        "cell", body, fontSize=size - 2.5, leading=(size - 2.5) * 1.3, firstLineIndent=0
    )
    cell.alignment = TA_CENTER
    frame = A4[0] - 2 * look.margin
    grids = _grids(truth, look.style)
    story: list[Flowable] = [
        Paragraph(escape(truth.title), title),
        Paragraph(escape(_issuing_line(truth)), centred),
        Spacer(1, size),
    ]
    printed = _body(truth, grids)
    framed = _framed_index(printed, look)
    for i, (kind, text, number) in enumerate(printed):
        if kind == "table":
            if look.table_titles:
                story.append(Paragraph(escape(TABLE_TITLES[number]), centred))
            story.extend(_pdf_tables(grids[number], number, frame, cell, look))
            story.append(Spacer(1, size))
        elif i == framed:
            # Two cells: pdfplumber drops a table of one cell, so a plain box would not show.
            rows = [
                [Paragraph(escape(text), heading)],
                [Paragraph(escape(printed[i + 1][1]), body)],
            ]
            grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            story.append(Table(rows, colWidths=[frame], style=PdfTableStyle(grid)))
        elif i - 1 != framed:  # the line after a framed heading is in the box already
            story.append(Paragraph(escape(text), heading if kind == "heading" else body))

    def first_page(canvas, document) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, look.margin / 2, f"— {document.page} —")

    def later_page(canvas, document) -> None:
        first_page(canvas, document)
        if look.running_header:
            canvas.setFont(font, 8)
            canvas.drawCentredString(A4[0] / 2, A4[1] - look.margin / 2, truth.agency)

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=look.margin,
        rightMargin=look.margin,
        topMargin=look.margin,
        bottomMargin=look.margin,
        title=truth.title,
        author=truth.agency,
        creator=CREATOR,
        producer=CREATOR,
        invariant=1,  # fixed creation date and document ID
    ).build(story, onFirstPage=first_page, onLaterPages=later_page)
    return out.getvalue()

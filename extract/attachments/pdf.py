"""Born-digital PDF attachments, read with pdfplumber: body lines and ruled tables in order.

Real report PDFs split table 3 over pages, merge template rows and leave spanned positions
empty (pdfplumber gives None there), and frame body text in boxes that read as one-column
"tables". So spans are rebuilt from the cells' geometry, one-column tables are read as text,
and a table continued on the next page stays two tables: the label matcher joins them by their
row labels, never by position.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from nianbao.extract.attachments.document import (
    Block,
    Document,
    Table,
    TableCell,
    split_merged_rows,
)
from nianbao.extract.errors import NEEDS_OCR, ExtractError

# Pages read at most: a report is 5-40 pages; a 10,000-page file is cut here, with a note.
MAX_PAGES = 300
Line = dict[str, Any]  # one of pdfplumber's text lines: text, x0, x1, top, chars
_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
# "— 3 —", "-3-", "第3页", "第 3 页 共 12 页", "3/12": page furniture, not report text
# matched whole on the stripped line: a leading \s* beside the inner ones is quadratic
_PAGE_NUMBER = re.compile(r"[—–\-－]*\s*\d+\s*[—–\-－]*|第\s*\d+\s*页.*|\d+\s*/\s*\d+")


def read_pdf(body: bytes, max_pages: int = MAX_PAGES) -> Document:
    """The PDF's lines and tables in reading order; ExtractError when it cannot be read."""
    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            total = len(pdf.pages)
            placed: list[Line | Table] = []
            for page in pdf.pages[:max_pages]:
                placed.extend(_page_blocks(page))
                page.close()  # frees the page's parsed objects: memory stays one page's
            placed = _without_running_lines(placed)
            if not placed and any(page.images for page in pdf.pages[:max_pages]):
                # a scan: pictures of pages, no text layer (OCR reads table pictures only yet)
                raise ExtractError(
                    "attachment", f"{NEEDS_OCR} {total} pages without a text layer need OCR"
                )
    except (PdfminerException, PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as bad:
        raise ExtractError("attachment", _why(bad)) from bad
    notes = (f"read the first {max_pages} of {total} PDF pages",) if total > max_pages else ()
    return Document(tuple(_paragraphs(placed)), pages=total, notes=notes)


def _why(problem: Exception) -> str:
    cause = problem.args[0] if problem.args else problem
    text = f"{type(cause).__name__}: {cause}".strip().rstrip(":")
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return f"encrypted PDF, not read ({text})"
    return f"unreadable PDF ({text})"[:300]


def _page_blocks(page: Any) -> list[Line | Table]:
    """The page's text lines (page numbers left out) and tables, top to bottom."""
    tables = [t for t in page.find_tables() if _width(t) > 1]
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes))
    placed: list[tuple[float, int, Line | Table]] = [
        (
            line["top"],
            1,
            {
                **line,
                "page_number": page.page_number,
                "page_height": page.height,
                "page_width": page.width,
            },
        )
        for line in outside.extract_text_lines()
        if not _PAGE_NUMBER.fullmatch(line["text"].strip())
    ]
    placed += [(t.bbox[1], 0, _table(t)) for t in tables]
    return [block for _, _, block in sorted(placed, key=lambda item: (item[0], item[1]))]


def _without_running_lines(placed: list[Line | Table]) -> list[Line | Table]:
    """Without the lines every page repeats in its top or bottom margin (a running header
    or footer): left in, they would cut a paragraph that goes on over the page break."""
    pages: dict[tuple[str, bool], set[int]] = {}
    for block in placed:
        if isinstance(block, Table):
            continue
        key = _margin_key(block)
        if key is not None:
            pages.setdefault(key, set()).add(block["page_number"])
    running = {key for key, seen in pages.items() if len(seen) >= 2}
    return [b for b in placed if isinstance(b, Table) or _margin_key(b) not in running]


def _margin_key(line: Line) -> tuple[str, bool] | None:
    """(text, in the top margin) of a line in the top or bottom eighth of its page; its exact
    height varies by a few points from page to page, so it is not part of the key."""
    height = line.get("page_height") or 0.0
    if 0.12 * height <= line["top"] <= 0.88 * height:
        return None
    return line["text"].strip(), line["top"] < 0.12 * height


def _paragraphs(placed: list[Line | Table]) -> Iterator[Block]:
    """Lines joined into paragraphs: a line that runs to (within 4 characters of) the right
    margin goes on in the next line of the same size, unless that one is indented (a first
    line) or centred alone; a sentence cut at the margin would match no label or figure.
    Margins are the whole document's: a page may hold only first lines."""
    lines = [block for block in placed if not isinstance(block, Table)]
    if not lines:
        yield from (block for block in placed if isinstance(block, Table))
        return
    left, right = min(line["x0"] for line in lines), max(line["x1"] for line in lines)
    middle = (left + right) / 2
    if right < 0.6 * max(line["page_width"] for line in lines):
        right = float("inf")  # no line runs to a margin: each is its own (a list, a form)
    text, previous = "", None
    for block in placed:
        if isinstance(block, Table):
            if previous is not None:
                yield text
            text, previous = "", None
            yield block
            continue
        if previous is not None and _goes_on(previous, block, left, right, middle):
            text += block["text"]
        else:
            if previous is not None:
                yield text
            text = block["text"]
        previous = block
    if previous is not None:
        yield text


def _goes_on(previous: Line, line: Line, left: float, right: float, middle: float) -> bool:
    size = _size(previous)
    flush = line["x0"] <= left + size / 2 or _centred(line, middle, size)
    return previous["x1"] >= right - 4 * size and flush and abs(_size(line) - size) < 0.5


def _centred(line: Line, middle: float, size: float) -> bool:
    return abs((line["x0"] + line["x1"]) / 2 - middle) < size and line["x0"] > middle - 10 * size


def _size(line: Line) -> float:
    chars = line.get("chars") or ()
    return float(chars[0]["size"]) if chars else 0.0


def _width(table: Any) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _table(table: Any) -> Table:
    """Rows of cells with their spans, read off the cells' edges."""
    xs = _lines([c[0] for c in table.cells] + [c[2] for c in table.cells])
    ys = _lines([c[1] for c in table.cells] + [c[3] for c in table.cells])
    texts = table.extract()  # top-left text of each cell; None where a span covers
    rows: list[tuple[TableCell, ...]] = []
    for r, row in enumerate(table.rows):
        cells: list[TableCell] = []
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            colspan = max(1, _index(xs, box[2]) - _index(xs, box[0]))
            rowspan = max(1, _index(ys, box[3]) - _index(ys, box[1]))
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
            cells.append(TableCell(text or "", rowspan, colspan))
        rows.append(tuple(cells))
    return split_merged_rows(Table(tuple(rows)))


def _lines(edges: list[float]) -> list[float]:
    """Distinct grid lines, edges within the tolerance taken as one."""
    out: list[float] = []
    for edge in sorted(edges):
        if not out or edge - out[-1] > _TOLERANCE:
            out.append(edge)
    return out


def _index(lines: list[float], edge: float) -> int:
    return min(range(len(lines)), key=lambda k: abs(lines[k] - edge))

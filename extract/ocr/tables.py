"""A table printed as a picture, read cell by cell: ruled grid found, lines erased, OCR'd.

Tesseract reads a ruled table as noise; with the rules erased it reads the words well, and
each word goes to the grid cell its middle falls in. The grid comes from the rules: a row of
pixels dark over a long run is a horizontal rule, a column likewise a vertical one, and two
neighbouring positions with no rule between them are one merged cell. Numbers are read in a
second pass restricted to digits (Chinese data reads a lone "7" as 了).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from nianbao.extract.attachments.document import Table, TableCell
from nianbao.extract.errors import ExtractError
from nianbao.extract.ocr.engine import Word, read_words

# a cell read with less confidence than this (and no number) is read again on its own
REREAD_BELOW = 85.0
_GAP = 40  # pixels of white put where each vertical rule was
MAX_PIXELS = 40_000_000  # a table picture is 1-5 Mpx; a larger one is cut to this, not read
INK = 160  # gray level under which a pixel is ink
_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class OcrTable:
    """A table read from a picture, and the mean word confidence (0-100) of each cell."""

    table: Table
    confidence: tuple[tuple[float, ...], ...]  # per row, per cell of ``table``


def read_table_image(data: bytes) -> OcrTable:
    """The ruled table of a picture (PNG, JPEG, GIF); ExtractError for a picture it cannot
    open or that holds no ruled table; OcrUnavailable without Tesseract."""
    dark = _dark(data)
    # a rule is longer than any stroke of a character: across, 3 characters' width at least;
    # down, most of the lowest row's height (text strokes are shorter than their line)
    horizontal = _runs(dark, 1, max(60, dark.shape[1] // 25))
    rows = _rules(horizontal, axis=1)
    if len(rows) < 3:
        raise ExtractError("ocr", "no ruled table in the picture")
    vertical = _runs(dark, 0, max(12, int(0.7 * min(np.diff(rows)))))
    cols = _rules(vertical, axis=0)
    if len(cols) < 3:
        raise ExtractError("ocr", "no ruled table in the picture")
    cells = _cells(rows, cols, horizontal, vertical)
    clean = dark & ~horizontal & ~vertical
    # white space widened where each vertical rule was: read as one picture, a row of
    # numbers ran together over the erased rules ("0297" for 0 | 297)
    spread = png_of(np.insert(clean, np.repeat(np.array(cols, dtype=int), _GAP), False, axis=1))
    with ThreadPoolExecutor(max_workers=2) as passes:  # each pass is its own process
        chinese = passes.submit(read_words, spread)
        digits = passes.submit(read_words, spread, digits=True)
        words, numbers = chinese.result(), digits.result()
    words = _split_across(_unspread(words, cols), cols)
    numbers = _split_across(_unspread(numbers, cols), cols)
    return _assemble(
        cells, rows, cols, words, numbers, lambda spans: _reread(clean, spans, rows, cols)
    )


def _reread(
    clean: np.ndarray, spans: list[tuple[int, int, int, int]], rows: list[float], cols: list[float]
) -> dict[tuple[int, int, int, int], tuple[str, float]]:
    """Cells read badly in the whole picture (narrow headers stacked a character a line),
    each cut out and read alone: stacked one under another, read in one Tesseract pass."""
    if not spans:
        return {}
    pieces = []
    for span in spans:
        top, bottom = int(rows[span[0]]) + 3, int(rows[span[0] + span[2]]) - 2
        left, right = int(cols[span[1]]) + 3, int(cols[span[1] + span[3]]) - 2
        pieces.append(clean[top:bottom, left:right])
    gap = 30
    width = max(piece.shape[1] for piece in pieces) + 2 * gap
    height = sum(piece.shape[0] for piece in pieces) + gap * (len(pieces) + 1)
    sheet = np.zeros((height, width), dtype=bool)
    places: list[tuple[int, int]] = []
    y = gap
    for piece in pieces:
        sheet[y : y + piece.shape[0], gap : gap + piece.shape[1]] = piece
        places.append((y, y + piece.shape[0]))
        y += piece.shape[0] + gap
    words = read_words(png_of(sheet))
    out = {}
    for span, (top, bottom) in zip(spans, places, strict=True):
        inside = [w for w in words if top - gap / 2 < w.middle[1] < bottom + gap / 2]
        if inside:
            out[span] = ("".join(w.text for w in inside), min(w.confidence for w in inside))
    return out


def _unspread(words: list[Word], cols: list[float]) -> list[Word]:
    """Words with their boxes in the picture as it was, before the rules were widened."""

    def back(x: float) -> float:
        return x - _GAP * sum(1 for j, c in enumerate(cols) if int(c) + j * _GAP < x)

    out = []
    for w in words:
        left, right = back(w.left), back(w.left + w.width)
        out.append(
            Word(w.text, w.confidence, int(left), w.top, max(1, int(right - left)), w.height)
        )
    return out


def _split_across(words: list[Word], cols: list[float]) -> list[Word]:
    """Words that run over a vertical rule (a row of zeros read as "0000000") cut at the
    rules, their characters given out by position (digits are of one width)."""
    out: list[Word] = []
    for word in words:
        step = word.width / max(1, len(word.text))
        margin = max(3.0, step / 2)  # a rule at a word's very edge only touches it
        inside = [x for x in cols if word.left + margin < x < word.left + word.width - margin]
        if not inside or len(word.text) < 2:
            out.append(word)
            continue
        parts: dict[int, str] = {}
        for k, char in enumerate(word.text):
            middle = word.left + (k + 0.5) * step
            cell = sum(1 for x in inside if x < middle)
            parts[cell] = parts.get(cell, "") + char
        edges = [word.left, *inside, word.left + word.width]
        for n, text in sorted(parts.items()):
            left, right = int(edges[n]), int(edges[n + 1])
            out.append(Word(text, word.confidence, left, word.top, right - left, word.height))
    return out


def _dark(data: bytes) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise ExtractError("ocr", f"picture of {picture.width}x{picture.height} pixels")
            gray = np.asarray(picture.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError) as bad:
        raise ExtractError("ocr", f"unreadable picture ({bad})") from bad
    return gray < INK


def lowest_confidence(read: OcrTable, lowest: dict[str, float]) -> None:
    """Note in ``lowest`` each cell text's lowest confidence in ``read``: labels are matched,
    not positions, so the cell behind each value is known by its text only."""
    for row, confidences in zip(read.table.rows, read.confidence, strict=True):
        for cell, confidence in zip(row, confidences, strict=True):
            lowest[cell.text] = min(confidence, lowest.get(cell.text, 100.0))


def png_of(dark: np.ndarray) -> bytes:
    """A mask of ink as a black-on-white PNG, the form Tesseract reads."""
    out = io.BytesIO()
    Image.fromarray(np.where(dark, 0, 255).astype(np.uint8)).save(out, "PNG")
    return out.getvalue()


def _runs(mask: np.ndarray, axis: int, length: int) -> np.ndarray:
    """Pixels inside a dark run of at least ``length`` along ``axis`` (1: rows, 0: columns)."""
    m = mask.T if axis == 1 else mask
    sums = np.cumsum(np.pad(m.astype(np.int32), ((1, 0), (0, 0))), axis=0)
    full = (sums[length:] - sums[:-length]) == length
    out = np.zeros(m.shape, dtype=bool)
    for shift in range(length):
        out[shift : shift + full.shape[0]] |= full
    return out.T if axis == 1 else out


def _rules(lines: np.ndarray, axis: int) -> list[float]:
    """Positions of the rules in a mask of rule pixels (axis 1: horizontal rules' y, 0:
    vertical rules' x); a rule covers 5% of the picture's extent at least."""
    counts = lines.sum(axis=axis)
    extent = lines.shape[axis]
    marked = np.nonzero(counts > 0.05 * extent)[0]
    out: list[float] = []
    group: list[int] = []
    for position in marked:
        if group and position - group[-1] > 3:
            out.append(float(np.average(group, weights=counts[group])))
            group = []
        group.append(int(position))
    if group:
        out.append(float(np.average(group, weights=counts[group])))
    return out


def _cells(
    rows: list[float], cols: list[float], horizontal: np.ndarray, vertical: np.ndarray
) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Grid position -> (row, column, rowspan, colspan) of the cell that covers it."""
    height, width = len(rows) - 1, len(cols) - 1
    parent = {(i, j): (i, j) for i in range(height) for j in range(width)}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for i in range(height):
        for j in range(width):
            if j + 1 < width and not _ruled(vertical, cols[j + 1], rows[i], rows[i + 1], 0):
                parent[find((i, j + 1))] = find((i, j))
            if i + 1 < height and not _ruled(horizontal, rows[i + 1], cols[j], cols[j + 1], 1):
                parent[find((i + 1, j))] = find((i, j))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in parent:
        groups.setdefault(find(p), []).append(p)
    out = {}
    for members in groups.values():
        top, left = min(i for i, _ in members), min(j for _, j in members)
        span = (
            top,
            left,
            max(i for i, _ in members) - top + 1,
            max(j for _, j in members) - left + 1,
        )
        for p in members:
            out[p] = span
    return out


def _ruled(lines: np.ndarray, at: float, start: float, end: float, axis: int) -> bool:
    """Whether a rule runs at ``at`` from ``start`` to ``end`` (at least half of the way)."""
    a, b = int(start) + 4, int(end) - 4
    if b <= a:
        return True
    band = slice(max(0, int(at) - 6), int(at) + 7)
    part = lines[band, a:b] if axis == 1 else lines[a:b, band]
    covered = part.any(axis=0 if axis == 1 else 1)
    return bool(covered.mean() >= 0.5)


def _assemble(
    cells: dict[tuple[int, int], tuple[int, int, int, int]],
    rows: list[float],
    cols: list[float],
    words: list[Word],
    numbers: list[Word],
    reread: Callable[[list[tuple[int, int, int, int]]], dict],
) -> OcrTable:
    texts = {span: _text(span, words, rows, cols) for span in set(cells.values())}
    digits = {span: _text(span, numbers, rows, cols) for span in set(cells.values())}
    doubtful = [
        span
        for span, (text, confidence) in texts.items()
        if confidence < REREAD_BELOW and not _NUMBER.match(digits[span][0])
    ]
    texts.update(reread(doubtful))
    out_rows, out_conf = [], []
    for i in range(len(rows) - 1):
        row, conf = [], []
        for span in sorted({s for s in cells.values() if s[0] == i}, key=lambda s: s[1]):
            text, confidence = _choose(texts[span], digits[span])
            row.append(TableCell(text, rowspan=span[2], colspan=span[3]))
            conf.append(confidence)
        out_rows.append(tuple(row))
        out_conf.append(tuple(conf))
    return OcrTable(Table(tuple(out_rows)), tuple(out_conf))


def _text(
    span: tuple[int, int, int, int], words: list[Word], rows: list[float], cols: list[float]
) -> tuple[str, float]:
    top, bottom = rows[span[0]], rows[span[0] + span[2]]
    left, right = cols[span[1]], cols[span[1] + span[3]]
    # in Tesseract's reading order: line by line, left to right
    inside = [w for w in words if left < w.middle[0] < right and top < w.middle[1] < bottom]
    if not inside:
        return "", 100.0
    return "".join(w.text for w in inside), min(w.confidence for w in inside)


# Marks Tesseract reads for the brackets of template labels: 第二十条第《五)项 is （五）.
_BRACKETS = str.maketrans({"《": "（", "〈": "（", "<": "（", "》": "）", "〉": "）", ">": "）"})


# Letters Tesseract's Chinese data reads for digits in a cell that holds only a number: a
# 0 read as "O" was stored as a blank, which is not 0.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "D": "0", "I": "1", "l": "1", "|": "1"})
_NUMBERISH = re.compile(r"[+\-]?[\dOo〇DIl|][\dOo〇DIl|,]*(?:\.[\dOo〇DIl|]+)?")


def _choose(text: tuple[str, float], digits: tuple[str, float]) -> tuple[str, float]:
    """The Chinese reading, or the digits-only one where the cell holds a number, or the
    reading with digit look-alikes made digits where that is a number."""
    if _HAN.search(text[0]) and len(_HAN.findall(text[0])) >= 2:
        return text[0].translate(_BRACKETS), text[1]
    if _NUMBER.match(digits[0]):
        return digits
    # a lone "|" or "l" is as likely what is left of an erased rule: only with a 0 or digit
    if _NUMBERISH.fullmatch(text[0]) and re.search(r"[\dOo〇]", text[0]):
        return text[0].translate(_LOOKALIKES), text[1]
    return text

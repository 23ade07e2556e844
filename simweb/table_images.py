"""A report's tables 2, 3 and 4 as pictures, and the whole report as a scanned PDF.

Agencies paste tables as a screenshot or scan into the page, or publish a scanned PDF with no
text layer. These draw the grids of ``simweb.tables`` (spans placed as a browser places them)
in Debian's Noto CJK fonts, so an OCR reader can be scored cell by cell against the truth.
Look and scan noise are seeded: equal input gives equal bytes.
"""

from __future__ import annotations

import io
import math
import os
import random
import re
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from nianbao.simweb.tables import (
    TABLE_TITLES,
    Grid,
    GridCell,
    TableStyle,
    grid_anchors,
    table2_grid,
    table3_grid,
    table4_grid,
)
from nianbao.simweb.truth import TruthReport

FONT_DIR = "/usr/share/fonts/opentype/noto"
FONT_FILES = {"sans": "NotoSansCJK-Regular.ttc", "serif": "NotoSerifCJK-Regular.ttc"}
BORDER = 2  # px, every cell border
PAGE_PX = (1240, 1754)  # A4 at 150 dpi
_NO_START = "，。、；：？！）》」』”’…—,.;:?!)%％"
_NO_END = "（《「『“‘("
_NUMERIC = re.compile(r"^[\s0-9０-９.．,，+＋\-－/／—–无%％]*$")  # a value cell ("１２", "/", "无")

Font = ImageFont.FreeTypeFont


@lru_cache(maxsize=8)
def _sc_index(path: str) -> int:
    """Index of the Simplified Chinese face ("Noto Sans CJK SC") in a .ttc collection."""
    for i in range(32):
        try:
            name = ImageFont.truetype(path, 12, index=i).getname()[0] or ""
        except OSError:
            break
        if " SC" in name and "Mono" not in name:
            return i
    raise ValueError(f"{path}: no SC face in this font collection")


@lru_cache(maxsize=64)
def _load(path: str, size: int) -> Font:
    # ImageFont.truetype would look a missing file up by its bare name in system font folders
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{path}: Noto CJK font missing; install the Debian package fonts-noto-cjk"
        )
    return ImageFont.truetype(path, size, index=_sc_index(path))


def _font(family: str, size: int) -> Font:
    """The SC face of Noto Sans or Serif CJK at ``size`` px (FileNotFoundError if absent)."""
    return _load(f"{FONT_DIR}/{FONT_FILES[family]}", size)


def _break(text: str, font: Font, width: float) -> list[str]:
    """``text`` broken between characters into lines of about ``width`` px at most, as CJK
    text breaks: no line starts with closing or ends with opening punctuation."""
    lines, line = [], ""
    for ch in text:
        if line and ch not in _NO_START and font.getlength(line + ch) > width:
            keep = line.rstrip(_NO_END)  # an opening bracket moves down with its text
            lines.append(keep or line)
            line = line[len(keep) :] if keep else ""
        line += ch
    return [*lines, line]


def _wrap(text: str, font: Font, limit: float) -> list[str]:
    """Lines of ``text`` ("\\n" kept), each in as few balanced lines as ``limit`` px allow."""
    lines: list[str] = []
    for part in text.split("\n"):
        total = font.getlength(part)
        count = max(1, math.ceil(total / max(limit, 1.0)))
        target = total / count
        while len(broken := _break(part, font, target)) > count and target <= total:
            target += font.size / 4
        lines.extend(broken)
    return lines


def _spread(sizes: list[int], start: int, span: int, need: int) -> None:
    """Widen sizes[start:start + span] evenly until they sum to at least ``need``."""
    deficit = need - sum(sizes[start : start + span])
    for k in range(span if deficit > 0 else 0):
        sizes[start + k] += deficit // span + (1 if k < deficit % span else 0)


def _draw_grid(grid: Grid, rng: random.Random) -> Image.Image:
    """The grid on white: 2 px black borders, each cell's lines centred, seeded look."""
    size = rng.randint(18, 26)
    font = _font(rng.choice(("sans", "serif")), size)
    pad_x, pad_y = rng.randint(6, 14), rng.randint(4, 10)
    line_h = int(size * rng.uniform(1.3, 1.5))
    label_limit, value_limit = size * rng.randint(9, 16), size * rng.randint(2, 6)
    margin = rng.randint(16, 32)
    anchors, width, height = grid_anchors(grid)
    floor: dict[int, int] = {}  # value column (a one-column cell prints a number) -> widest
    for _, c, _, cs, text in anchors:
        if cs == 1 and text.strip() and _NUMERIC.match(text):
            floor[c] = max(floor.get(c, 0), int(font.getlength(text)))
    limits = [max(value_limit, floor[c]) if c in floor else label_limit for c in range(width)]
    wrapped = [_wrap(t, font, sum(limits[c : c + cs])) for _, c, _, cs, t in anchors]
    cols, rows = [2 * pad_x] * width, [2 * pad_y + line_h] * height
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i][3], anchors[i][2]))
    for i in order:  # one-column cells first, then the spans widen what is still too narrow
        _, c, _, cs, _ = anchors[i]
        need = max(int(font.getlength(line)) for line in wrapped[i]) + 2 * pad_x
        _spread(cols, c, cs, need - BORDER * (cs - 1))  # inner borders add room
    for i in sorted(range(len(anchors)), key=lambda i: anchors[i][2]):
        r, _, rs, _, _ = anchors[i]
        _spread(rows, r, rs, len(wrapped[i]) * line_h + 2 * pad_y)
    xs = [margin + sum(cols[:k]) + BORDER * k for k in range(width + 1)]
    ys = [margin + sum(rows[:k]) + BORDER * k for k in range(height + 1)]
    image = Image.new("L", (xs[-1] + BORDER + margin, ys[-1] + BORDER + margin), 255)
    draw = ImageDraw.Draw(image)
    for (r, c, rs, cs, _), lines in zip(anchors, wrapped, strict=True):
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        draw.rectangle((x0, y0, x1 + BORDER - 1, y1 + BORDER - 1), outline=0, width=BORDER)
        top = (y0 + BORDER + y1 - len(lines) * line_h) / 2
        for k, line in enumerate(lines):
            centre = ((x0 + BORDER + x1) / 2, top + (k + 0.5) * line_h)
            draw.text(centre, line, fill=0, font=font, anchor="mm")
    return image


def _scan(image: Image.Image, rng: random.Random, angle: float, blur: float) -> Image.Image:
    """A scanner's look: tilted by up to ``angle``°, gray paper, dark specks, blur up to
    ``blur`` px (from 60 % of it), light grain; all from ``rng``."""
    image = image.rotate(
        rng.uniform(-angle, angle), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255
    )
    noise = np.random.default_rng(rng.getrandbits(64))
    pixels = np.asarray(image, dtype=np.float32) * rng.uniform(0.90, 0.96)  # gray paper
    h, w = pixels.shape
    count = rng.randint(200, 600)
    ys, xs = noise.integers(0, h - 1, count), noise.integers(0, w - 1, count)
    dark = noise.uniform(0, 120, count)
    pixels[ys, xs] = dark
    big = noise.random(count) < 0.3  # some specks are 2×2
    pixels[ys[big] + 1, xs[big]] = dark[big]
    pixels[ys[big], xs[big] + 1] = dark[big]
    specked = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    blurred = specked.filter(ImageFilter.GaussianBlur(rng.uniform(0.6 * blur, blur)))
    grain = np.asarray(blurred, dtype=np.float32) + noise.normal(0, rng.uniform(1.5, 3.5), (h, w))
    return Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8), "L")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _table_image(grid: Grid, seed: int, scanned: bool) -> Image.Image:
    image = _draw_grid(grid, rng := random.Random(seed))
    return _scan(image, rng, 0.6, 1.0) if scanned else image


def table_png(grid: Grid, seed: int, scanned: bool = False) -> bytes:
    """A grayscale PNG of ``grid``: black 2 px cell borders, each cell's text centred ("\\n"
    breaks a line), columns as wide as their longest (wrapped) text, label columns wider than
    value columns. Font (Noto Sans or Serif CJK SC, 18–26 px) and padding follow ``seed``;
    ``scanned`` adds a slight tilt, blur, specks and gray paper. Equal input, equal bytes."""
    return _png(_table_image(grid, seed, scanned))


def _grids(truth: TruthReport, rng: random.Random) -> dict[int, Grid]:
    """Tables 2–4 as the HTML pages print them, a title row on some (seeded); none without
    tables (prose reports, text-only copies, reports whose tables already are pictures)."""
    if truth.generation == "prose" or not truth.tables:
        return {}
    style = TableStyle("html")
    try:
        grids = {
            2: table2_grid(truth.tables, truth.generation),
            3: table3_grid(truth.tables, truth.generation, style),
            4: table4_grid(truth.tables, style),
        }
    except KeyError as missing:  # seed 003 splits rows the template does not have
        raise ValueError(f"{truth.url}: cells off the {truth.generation} template") from missing
    for number, grid in grids.items():
        if rng.random() < 0.4:
            width = grid_anchors(grid)[1]
            grids[number] = [[GridCell(TABLE_TITLES[number], colspan=width)], *grid]
    return grids


def _report_images(truth: TruthReport, seed: int, scanned: bool) -> dict[int, Image.Image]:
    grids = _grids(truth, rng := random.Random(seed))
    return {n: _table_image(g, rng.getrandbits(32), scanned) for n, g in grids.items()}


def report_table_pngs(truth: TruthReport, seed: int, scanned: bool = False) -> dict[int, bytes]:
    """Table number (2, 3, 4) -> PNG of that table of ``truth`` (see ``table_png``); empty
    for a report without tables."""
    return {n: _png(image) for n, image in _report_images(truth, seed, scanned).items()}


class _Pages:
    """Lays out lines and pictures top to bottom on A4 pages at 150 dpi."""

    def __init__(self, rng: random.Random) -> None:
        self.margin = rng.randint(100, 150)
        self.width = PAGE_PX[0] - 2 * self.margin
        self.size = rng.randint(20, 24)
        self.family = rng.choice(("sans", "serif"))
        self.pages: list[Image.Image] = []
        self.y = PAGE_PX[1]  # no page yet: the first item opens one

    def _room(self, height: int) -> ImageDraw.ImageDraw:
        if self.y + height > PAGE_PX[1] - self.margin:
            self.pages.append(Image.new("L", PAGE_PX, 255))
            self.y = self.margin
        return ImageDraw.Draw(self.pages[-1])

    def text(self, text: str, size: int, centred: bool = False, bold: bool = False) -> None:
        """A paragraph wrapped to the page width, indented two characters unless centred."""
        font, line_h = _font(self.family, size), int(size * 1.6)
        indent = "" if centred else "\u3000\u3000"
        for line in _break(indent + text, font, self.width):
            draw = self._room(line_h)
            x = self.margin + (self.width - font.getlength(line)) / 2 if centred else self.margin
            draw.text((x, self.y), line, fill=0, font=font, stroke_width=int(bold), stroke_fill=0)
            self.y += line_h

    def picture(self, image: Image.Image) -> None:
        """A picture, centred, scaled to the text width and one page, on a new page if need be."""
        scale = min(1.0, self.width / image.width, (PAGE_PX[1] - 2 * self.margin) / image.height)
        if scale < 1.0:
            size = (int(image.width * scale), int(image.height * scale))
            image = image.resize(size, Image.Resampling.LANCZOS)
        self._room(image.height + self.size)
        self.pages[-1].paste(image, (self.margin + (self.width - image.width) // 2, self.y))
        self.y += image.height + self.size


def scanned_pdf(truth: TruthReport, seed: int) -> bytes:
    """The report as a scanned PDF without a text layer: each page one grayscale A4 picture
    (150 dpi) of the title, section headings and text lines, and after sections 2, 3 and 4
    that table's scanned picture. Equal input, equal bytes (reportlab ``invariant=1``)."""
    rng = random.Random(seed)
    tables = _report_images(truth, rng.getrandbits(32), scanned=True)
    layout = _Pages(rng)
    layout.text(truth.title, layout.size + 8, centred=True, bold=True)
    layout.y += layout.size
    for section in truth.sections:
        layout.text(section.heading, layout.size + 2, bold=True)
        for line in section.text.split("\n") if section.text else []:
            layout.text(line, layout.size)
        if section.number in tables:
            layout.picture(tables[section.number])
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    for page in layout.pages:
        jpeg = io.BytesIO()
        _scan(page, rng, 0.3, 0.5).save(jpeg, format="JPEG", quality=rng.randint(70, 88))
        pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, A4[0], A4[1])
        pdf.showPage()
    pdf.save()
    return out.getvalue()

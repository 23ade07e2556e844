"""simweb.table_images: tables 2–4 as PNG pictures and a report as a scanned PDF."""

from __future__ import annotations

import io

import numpy as np
import pdfplumber
import pytest
from PIL import Image

from nianbao.simweb import TruthReport, build_world, table_images
from nianbao.simweb.table_images import report_table_pngs, scanned_pdf, table_png
from nianbao.simweb.tables import GridCell


@pytest.fixture(scope="module")
def reports() -> list[TruthReport]:
    """Two generated template reports with tables: one 2019, one 2021."""
    world = build_world(seed=0, reports=60)
    tabled = [r for r in world.reports if r.tables and r.source == "generated"]
    return [next(r for r in tabled if r.generation == g) for g in ("2019", "2021")]


@pytest.fixture(scope="module")
def pngs(reports: list[TruthReport]) -> dict[tuple[int, bool], dict[int, bytes]]:
    """(report index, scanned) -> the report's table PNGs, seed 7."""
    return {
        (i, s): report_table_pngs(r, 7, s) for i, r in enumerate(reports) for s in (False, True)
    }


@pytest.fixture(scope="module")
def pdf(reports: list[TruthReport]) -> bytes:
    return scanned_pdf(reports[1], 3)


def dark_lines(pixels: np.ndarray, share: float = 0.25) -> int:
    """Ruled lines: runs of adjacent rows each holding a dark run longer than ``share`` of
    the width (text never makes runs that long)."""
    dark = pixels < 128
    ruled = []
    for row in dark:
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        runs = edges[1::2] - edges[::2]
        ruled.append(bool(runs.size) and runs.max() > share * len(row))
    return sum(1 for k, on in enumerate(ruled) if on and (k == 0 or not ruled[k - 1]))


def test_pngs_open_grayscale(pngs: dict[tuple[int, bool], dict[int, bytes]]) -> None:
    for key, tables in pngs.items():
        assert sorted(tables) == [2, 3, 4], key
        for number, data in tables.items():
            image = Image.open(io.BytesIO(data))
            assert image.format == "PNG" and image.mode == "L", (key, number)
            assert min(image.size) > 100, (key, number, image.size)


def test_pngs_deterministic(
    reports: list[TruthReport], pngs: dict[tuple[int, bool], dict[int, bytes]]
) -> None:
    for scanned in (False, True):
        assert report_table_pngs(reports[1], 7, scanned) == pngs[(1, scanned)]
        for number in (2, 3, 4):  # another report (other values, other template): other bytes
            assert pngs[(0, scanned)][number] != pngs[(1, scanned)][number]
    assert report_table_pngs(reports[1], 8)[3] != pngs[(1, False)][3]


def test_table3_ruled(pngs: dict[tuple[int, bool], dict[int, bytes]]) -> None:
    for i in (0, 1):
        pixels = np.asarray(Image.open(io.BytesIO(pngs[(i, False)][3])))
        height, width = pixels.shape
        rows = dark_lines(pixels)
        assert height > width or rows > 20, (i, pixels.shape, rows)
        assert rows > 20, rows  # 3 header rows and 23–25 body rows
        assert dark_lines(pixels.T, share=0.05) >= 11  # ten columns


def test_scanned_look(pngs: dict[tuple[int, bool], dict[int, bytes]]) -> None:
    clean = np.asarray(Image.open(io.BytesIO(pngs[(1, False)][3])))
    scan = np.asarray(Image.open(io.BytesIO(pngs[(1, True)][3])))
    assert clean.shape == scan.shape  # rotated without expanding
    assert np.median(clean) == 255 and 220 < np.median(scan) < 250  # gray paper
    assert len(np.unique(scan)) > 100  # blur and grain: no longer black on white


def test_cell_text_lines() -> None:
    """A "\\n" in a cell breaks the line: the cell grows taller, not wider."""
    one = Image.open(io.BytesIO(table_png([[GridCell("行政"), GridCell("复议")]], 1)))
    two = Image.open(io.BytesIO(table_png([[GridCell("行\n政"), GridCell("复议")]], 1)))
    assert two.height > one.height and two.width < one.width


def test_scanned_pdf(pdf: bytes, reports: list[TruthReport]) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        for page in doc.pages:
            assert not (page.extract_text() or "").strip(), page.page_number  # no text layer
            assert not page.chars
            assert len(page.images) == 1, page.page_number
            assert page.images[0]["srcsize"] == table_images.PAGE_PX
    assert scanned_pdf(reports[1], 3) == pdf
    assert scanned_pdf(reports[0], 3) != pdf


def test_no_tables(reports: list[TruthReport]) -> None:
    prose = next(r for r in build_world(seed=0, reports=30).reports if r.generation == "prose")
    assert report_table_pngs(prose, 1) == {}
    with pdfplumber.open(io.BytesIO(scanned_pdf(prose, 1))) as doc:
        assert all(len(page.images) == 1 for page in doc.pages)


def test_missing_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_images, "FONT_DIR", "/nonexistent/fonts")
    with pytest.raises(FileNotFoundError, match="fonts-noto-cjk"):
        table_png([[GridCell("1")]], 1)

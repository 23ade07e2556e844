"""Legacy DOC, WPS, XLS and ET attachments, read through LibreOffice, held against the truth.

The legacy files are LibreOffice's own conversions of the simulated web's DOCX and XLSX
attachments (Word 97-2003 and Excel 97-2003, the formats WPS Office saves .wps and .et in).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from nianbao.extract.attachments import extract_attachment, legacy
from nianbao.extract.errors import ExtractError
from nianbao.extract.report import Report
from nianbao.simweb import TruthReport, build_world
from nianbao.simweb.attachments import docx_bytes, xlsx_bytes
from tests.test_attachments import truth_cells, truth_lines

OLE2_GARBAGE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
MSWORD = {"content-type": "application/msword"}
Legacy = tuple[TruthReport, str, bytes, bytes]  # truth, "doc"/"xls", its bytes, the DOCX/XLSX


def saved_as(folder: Path, files: dict[str, bytes], form: str) -> dict[str, bytes]:
    """``files`` (name -> DOCX/XLSX bytes) saved by LibreOffice as ``form`` ("doc", "xls")."""
    source = folder / f"src-{form}"
    source.mkdir()
    for name, body in files.items():
        (source / name).write_bytes(body)
    env = {**os.environ, "HOME": str(folder), "XDG_CACHE_HOME": str(folder)}
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={(folder / f'profile-{form}').as_uri()}",
            "--convert-to",
            form,
            "--outdir",
            str(folder / form),
            *sorted(str(p) for p in source.iterdir()),
        ],
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    return {name: (folder / form / f"{Path(name).stem}.{form}").read_bytes() for name in files}


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory: pytest.TempPathFactory) -> list[Legacy]:
    """Every DOCX and XLSX attachment of the world, saved as DOC or XLS by LibreOffice."""
    world = build_world(seed=3, reports=20, attachments=12, families=False)
    truths = [r for r in world.reports if r.attachment_url and r.table_layout in ("docx", "xlsx")]
    folder = tmp_path_factory.mktemp("legacy")
    docs, sheets = {}, {}
    for i, t in enumerate(truths):
        if t.table_layout == "docx":
            docs[f"{i}.docx"] = docx_bytes(t, i)
        else:
            sheets[f"{i}.xlsx"] = xlsx_bytes(t, i)
    made = {**saved_as(folder, docs, "doc"), **saved_as(folder, sheets, "xls")}
    originals = {**docs, **sheets}
    return [
        (t, t.table_layout[:-1], made[name], originals[name])  # docx -> doc, xlsx -> xls
        for i, t in enumerate(truths)
        for name in [f"{i}.{t.table_layout}"]
    ]


@pytest.fixture(scope="module")
def a_doc(legacy_files: list[Legacy]) -> tuple[TruthReport, bytes, Report]:
    """The first DOC: its truth, its bytes, and its report when served as application/msword."""
    truth, _, body, _ = next(f for f in legacy_files if f[1] == "doc")
    return truth, body, extract_attachment("http://x.gov.cn/a.doc", MSWORD, body)


def cells(report: Report) -> dict[tuple, tuple]:
    return {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables.cells}


def test_every_cell_and_line_of_a_doc_and_every_cell_of_an_xls_equal_truth(
    legacy_files: list[Legacy],
) -> None:
    counted: Counter[str] = Counter()
    for truth, form, body, original in legacy_files:
        assert body.startswith(OLE2_GARBAGE[:8])  # a real OLE2 file, not a renamed DOCX
        url = f"http://x.gov.cn/{truth.index_no}.{form}"
        headers = MSWORD if form == "doc" else {"content-type": "application/vnd.ms-excel"}
        report = extract_attachment(url, headers, body)
        assert report.source_format == form
        assert cells(report) == truth_cells(truth), (url, form)
        assert f"converted from {form.upper()} by LibreOffice" in report.notes
        # read as the file it was made from: the same text, no problem the original lacks
        same = extract_attachment(f"{url}x", {}, original)
        assert (report.text, report.tables.problems) == (same.text, same.tables.problems), url
        if form == "doc":
            assert report.is_report
            lines = report.text.split("\n")
            assert [line for line in truth_lines(truth) if line not in lines] == [], url
            assert report.title == truth.title and report.agency == truth.agency
        else:  # a workbook holds the tables only: the text is the page's
            assert not report.is_report
        counted[form] += len(cells(report))
    assert set(counted) == {"doc", "xls"} and min(counted.values()) > 500, counted


OCTETS = "application/octet-stream"


@pytest.mark.parametrize(
    ("url", "headers", "kind"),
    [
        ("http://x.gov.cn/a", {"content-type": "application/kswps"}, "wps"),
        (
            "http://x.gov.cn/downfile.jsp?id=1",
            {"content-type": OCTETS, "content-disposition": "attachment; filename=年报.wps"},
            "wps",
        ),
        # the URL's name is not read for an OLE2 file (attachment_kind): sniffed as a DOC
        ("http://x.gov.cn/年报.wps", {"content-type": OCTETS}, "doc"),
    ],
    ids=["kswps-type", "wps-filename", "wps-url"],
)
def test_a_doc_served_as_wps_reads_the_same(
    a_doc: tuple[TruthReport, bytes, Report], url: str, headers: dict[str, str], kind: str
) -> None:
    truth, body, as_doc = a_doc
    report = extract_attachment(url, headers, body)
    assert report.source_format == kind and report.is_report
    assert cells(report) == truth_cells(truth)
    assert (report.text, report.title, report.agency) == (as_doc.text, as_doc.title, as_doc.agency)


def test_an_xls_served_as_et_reads_the_same(legacy_files: list[Legacy]) -> None:
    truth, _, body, _ = next(f for f in legacy_files if f[1] == "xls")
    headers = {"content-type": OCTETS, "content-disposition": "attachment; filename=表.et"}
    report = extract_attachment("http://x.gov.cn/downfile.jsp?id=2", headers, body)
    assert report.source_format == "et" and cells(report) == truth_cells(truth)


def test_a_bogus_ole2_file_is_unreadable_not_a_crash() -> None:
    with pytest.raises(ExtractError) as raised:
        extract_attachment("http://x.gov.cn/a.doc", MSWORD, OLE2_GARBAGE)
    assert raised.value.stage == "attachment"
    assert raised.value.message == "unreadable DOC (LibreOffice could not convert it)"


def test_without_libreoffice_the_message_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no soffice on it
    for headers, package in (
        (MSWORD, "libreoffice-writer-nogui"),
        ({"content-type": "application/vnd.ms-excel"}, "libreoffice-calc-nogui"),
    ):
        with pytest.raises(ExtractError) as raised:
            extract_attachment("http://x.gov.cn/a", headers, OLE2_GARBAGE)
        kind = "DOC" if package.endswith("writer-nogui") else "XLS"
        assert raised.value.message == (
            f"unsupported format: {kind} (install Debian's {package} to read it)"
        )


def test_a_conversion_writes_nothing_outside_its_temporary_folder_and_removes_it(
    a_doc: tuple[TruthReport, bytes, Report],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    places = {name: tmp_path / name for name in ("home", "tmp", "cache", "config")}
    for folder in places.values():
        folder.mkdir()
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(places["cache"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(places["config"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    assert legacy.read_doc(a_doc[1]).blocks
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == sorted(places), left


def test_a_slow_conversion_is_stopped_and_said(
    legacy_files: list[Legacy], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(legacy, "TIMEOUT", 0.05)
    _, _, body, _ = next(f for f in legacy_files if f[1] == "xls")
    with pytest.raises(ExtractError) as raised:
        legacy.read_xls(body)
    assert raised.value.message == "LibreOffice took over 0.05 s to convert the XLS: not read"


def test_a_file_over_the_size_limit_is_refused_before_conversion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(legacy, "MAX_BYTES", 4095)
    with pytest.raises(ExtractError) as raised:
        legacy.read_doc(OLE2_GARBAGE)
    assert raised.value.message == (
        "DOC of 4,096 bytes is over the 4,095-byte limit of conversion by LibreOffice: not read"
    )


def _table(grid: str, rows: str) -> etree._Element:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    cols = "".join(f'<w:gridCol w:w="{width}"/>' for width in grid.split())
    return etree.fromstring(f'<w:tbl xmlns:w="{w}"><w:tblGrid>{cols}</w:tblGrid>{rows}</w:tbl>')


def _spans(table: etree._Element) -> list[list[str]]:
    """Per row: gridBefore as "<n", each cell's span, gridAfter as ">n"."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found = []
    for tr in table.iter(f"{w}tr"):
        row = [f"<{e.get(f'{w}val')}" for e in tr.iter(f"{w}gridBefore")]
        row += [e.get(f"{w}val", "1") for e in tr.iter(f"{w}gridSpan")]
        row += [f">{e.get(f'{w}val')}" for e in tr.iter(f"{w}gridAfter")]
        found.append(row)
    return found


def _cell(span: int) -> str:
    return f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>'


def test_sliver_columns_of_a_converted_doc_are_dropped_from_the_spans() -> None:
    # row edges a twip apart: column 2 is 1 twip wide, spanned by a cell of each row
    rows = (
        f"<w:tr>{_cell(3)}{_cell(1)}</w:tr>"
        f"<w:tr>{_cell(1)}{_cell(1)}{_cell(2)}</w:tr>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="2"/></w:trPr>{_cell(1)}</w:tr>'
        f'<w:tr><w:trPr><w:gridBefore w:val="3"/></w:trPr>{_cell(1)}</w:tr>'
    )
    table = _table("645 645 1 645", rows)
    assert legacy._drop_slivers(table)
    assert _spans(table) == [["2", "1"], ["1", "1", "1"], ["<1", "1", ">1"], ["<2", "1"]]
    assert len(table[0]) == 3  # the grid lost its sliver
    # a gridAfter over the sliver alone goes
    edge = _table("645 1", f'<w:tr><w:trPr><w:gridAfter w:val="1"/></w:trPr>{_cell(1)}</w:tr>')
    assert legacy._drop_slivers(edge) and _spans(edge) == [["1"]]
    # a cell on the sliver alone: the table is left as it was
    kept = _table("645 1 645", f"<w:tr>{_cell(1)}{_cell(1)}{_cell(1)}</w:tr>")
    assert not legacy._drop_slivers(kept) and _spans(kept) == [["1", "1", "1"]]

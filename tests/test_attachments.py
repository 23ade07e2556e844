"""Reports published as PDF and DOCX attachments, held against the simulated web's truth."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen import canvas

from nianbao.archive.ingest.reindex import reindex
from nianbao.extract import extract_report
from nianbao.extract.attachments import attachment_kind, extract_attachment
from nianbao.extract.attachments.document import Table, TableCell, split_merged_rows
from nianbao.extract.attachments.pdf import MAX_PAGES, read_pdf
from nianbao.extract.errors import ExtractError
from nianbao.simweb import TruthReport, World, build_world
from nianbao.simweb.attachment_reports import HOSTILE, HOSTILE_PAGE, HUGE
from nianbao.simweb.table_images import scanned_pdf
from tests.conftest import crawl_world, run_cli
from tests.test_archive_support import exchange, writer


def truth_cells(truth: TruthReport) -> dict[tuple, tuple]:
    return {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in truth.tables}


def truth_lines(truth: TruthReport) -> list[str]:
    return [
        line
        for s in truth.sections
        for line in [s.heading, *(s.text.split("\n") if s.text else [])]
    ]


def answer(world: World, url: str) -> tuple[dict[str, str], bytes]:
    page = world.lookup(url)
    assert page is not None and page.status == 200, url
    return {k.lower(): v for k, v in page.headers}, page.body


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(seed=3, reports=20, attachments=12, families=False)


def attachment_reports(world: World) -> list[TruthReport]:
    return [r for r in world.reports if r.attachment_url]


def test_every_cell_and_line_of_every_attachment_equals_truth(world: World) -> None:
    cells: Counter[str] = Counter()
    for truth in attachment_reports(world):
        headers, body = answer(world, truth.attachment_url or "")
        report = extract_attachment(truth.attachment_url or "", headers, body)
        assert report.source_format == truth.table_layout
        got = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables.cells}
        assert got == truth_cells(truth), (truth.attachment_url, truth.table_layout)
        assert report.tables.template == truth.generation
        if truth.table_layout == "xlsx":  # tables only: the text is the page's
            assert not report.is_report
            report = extract_report(truth.url, *answer(world, truth.url))
        assert report.is_report
        lines = report.text.split("\n")
        assert [line for line in truth_lines(truth) if line not in lines] == [], truth.url
        assert report.title == truth.title and report.agency == truth.agency
        cells[truth.table_layout] += len(got)
    # every format measured, each with hundreds of cells
    assert set(cells) == {"pdf", "docx", "xlsx"} and min(cells.values()) > 500, cells


def test_file_type_is_read_from_the_bytes_behind_download_scripts(world: World) -> None:
    scripts = [r for r in attachment_reports(world) if "downfile.jsp" in (r.attachment_url or "")]
    assert scripts and len(scripts) < len(attachment_reports(world))  # both kinds of URL
    for truth in scripts:
        headers, body = answer(world, truth.attachment_url or "")
        assert headers["content-type"] == "application/octet-stream"
        assert attachment_kind(headers, body) == truth.table_layout


def test_the_page_is_no_report_but_names_its_attachment_and_metadata(world: World) -> None:
    for truth in attachment_reports(world):
        headers, body = answer(world, truth.url)
        page = extract_report(truth.url, headers, body)
        # a page linking its tables as a workbook is the report; one linking the file is not
        assert page.is_report == (truth.table_layout == "xlsx")
        assert page.attachments == (truth.attachment_url,)
        assert (page.title, page.published, page.index_no) == (
            truth.title,
            truth.published,
            truth.index_no,
        )


def test_plain_pages_name_no_attachments(world: World) -> None:
    for truth in world.reports[:30]:
        if truth.attachment_url or truth.table_layout == "image":
            continue
        headers, body = answer(world, truth.url)
        assert extract_report(truth.url, headers, body).attachments == ()


def _encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt="secret")
    pdf.drawString(100, 700, "2021")
    pdf.save()
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", b"<" + b"a" * 150_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (_encrypted_pdf(), "encrypted PDF"),
        (b"%PDF-1.4\n" + b"\x00" * 5000, "unreadable PDF"),
        (_zip_bomb(), "zip bomb"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "unreadable DOC"),
    ],
    ids=["encrypted", "garbage", "zip-bomb", "legacy-doc"],
)
def test_hostile_files_are_one_clear_error(body: bytes, expected: str) -> None:
    with pytest.raises(ExtractError) as raised:
        extract_attachment("http://x.gov.cn/a", {"content-type": "application/pdf"}, body)
    assert raised.value.stage == "attachment" and expected in raised.value.message


def test_a_cut_off_pdf_is_an_error_not_a_crash(world: World) -> None:
    truth = next(r for r in attachment_reports(world) if r.table_layout == "pdf")
    headers, body = answer(world, truth.attachment_url or "")
    with pytest.raises(ExtractError, match="unreadable PDF"):
        extract_attachment(truth.attachment_url or "", headers, body[: len(body) // 2])


def _reports(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select id, url, title, published, index_no, source_format, page_url,"
            " page_capture_id from reports order by id"
        ).fetchall()


@pytest.mark.crawl
def test_crawl_stores_one_report_per_attachment_with_its_page(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the legacy file is converted by LibreOffice, in the output folder: never the system's
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):  # where tempfile would look, in its order
        monkeypatch.setenv(name, str(system_tmp))
    untouched = system_tmp.stat().st_mtime_ns  # a folder made and removed there changes it
    done = crawl_world(world, tmp_path / "out")
    assert system_tmp.stat().st_mtime_ns == untouched and list(system_tmp.iterdir()) == []
    assert not (tmp_path / "out" / ".tmp").exists()  # made for the conversion, removed
    db = tmp_path / "out" / "nianbao.db"
    truths = {r.attachment_url: r for r in attachment_reports(world) if r.table_layout != "xlsx"}
    with sqlite3.connect(db) as conn:
        _one_report_with_its_workbooks_cells(conn, world, db)
        rows = conn.execute(
            "select id, url, title, published, index_no, page_url, page_capture_id"
            " from reports where source_format != 'html'"
        ).fetchall()
        assert sorted(url for _, url, *_ in rows) == sorted(truths), done.stdout
        for rid, url, title, published, index_no, page_url, page_capture in rows:
            truth = truths[url]
            assert (title, published, index_no, page_url) == (
                truth.title,
                truth.published,
                truth.index_no,
                truth.url,
            )
            page = conn.execute("select url from captures where id = ?", [page_capture])
            assert page.fetchone() == (truth.url,)
            got = {
                (t, b, r, c): (v, raw)
                for t, b, r, c, v, raw in conn.execute(
                    "select table_no, block, row, [column], value, raw from stats"
                    " where report_id = ?",
                    [rid],
                )
            }
            assert got == truth_cells(truth), url
        # the pages themselves are no reports: one report per attachment page, not two
        pages = [truths[url].url for _, url, *_ in rows]
        marks = ",".join("?" for _ in pages)
        assert conn.execute(
            f"select count(*) from reports where url in ({marks})", pages
        ).fetchone() == (0,)
        # each hostile file is one errors row saying what it is; the reports above are whole
        errors = conn.execute(
            "select url, message from errors where stage = 'attachment'"
        ).fetchall()
        huge = conn.execute(
            "select message from errors where stage = 'fetch' and url like ?", [f"%/{HUGE[0]}"]
        ).fetchall()
    expected = {
        f"{HOSTILE_PAGE.rsplit('/', 1)[0]}/{name}": said for name, (_, said) in HOSTILE.items()
    }
    assert {url for url, _ in errors} == set(expected)
    for url, message in errors:
        assert expected[url] in message, (url, message)
    # the 200 MB file: one fetch error naming the limit and how to raise it, nothing archived
    assert len(huge) == 1 and "DOWNLOAD_MAXSIZE" in huge[0][0], huge
    # `nianbao reports` says what each was read from, and --json names the page
    listed = [
        json.loads(line)
        for line in run_cli("reports", "--db", str(db), "--json").stdout.split("\n")
        if line
    ]
    by_url = {r["url"]: r for r in listed}
    for url, truth in truths.items():
        assert (by_url[url]["source_format"], by_url[url]["page_url"]) == (
            truth.table_layout,
            truth.url,
        )
    shown = " ".join(run_cli("reports", "--db", str(db)).stdout.split())
    assert "pdf linked from this page" in shown and "docx linked from this page" in shown
    # `nianbao stats` counts them by format, and the workbooks' cells by source
    formats = Counter(t.table_layout for t in truths.values())
    said = " ".join(run_cli("stats", "--db", str(db)).stdout.split())
    assert f"pdf {formats['pdf']}" in said and f"docx {formats['docx']}" in said, said
    sheets = sum(len(r.tables) for r in attachment_reports(world) if r.table_layout == "xlsx")
    assert f"sheet {sheets:,}" in said, said
    warcs = sorted((tmp_path / "out" / "warc").glob("*.warc.gz"))
    reindex(warcs, tmp_path / "again.db", workers=0)
    assert _reports(tmp_path / "again.db") == _reports(db)


def _one_report_with_its_workbooks_cells(conn: sqlite3.Connection, world: World, db: Path) -> None:
    """A page printing the text and linking its tables as XLSX is one report, at the page's
    URL, holding the workbook's cells (source 'sheet') and missing none of its tables."""
    sheets = [r for r in attachment_reports(world) if r.table_layout == "xlsx"]
    assert sheets
    for truth in sheets:
        found = conn.execute(
            "select id from reports where url in (?, ?)", [truth.url, truth.attachment_url]
        ).fetchall()
        assert len(found) == 1, truth.url
        (rid,) = found[0]
        cells = conn.execute(
            "select table_no, block, row, [column], value, raw, source from stats"
            " where report_id = ?",
            [rid],
        ).fetchall()
        assert {(t, b, r, c): (v, raw) for t, b, r, c, v, raw, _ in cells} == truth_cells(truth)
        assert {source for *_, source in cells} == {"sheet"}
        missing = conn.execute("select table_no from missing_tables where report_id = ?", [rid])
        assert missing.fetchall() == []
        states = conn.execute("select state from checks where report_id = ?", [rid]).fetchall()
        assert states and ("unchecked",) not in states  # the identities ran on the cells
    shown = " ".join(run_cli("tables", rid, "--db", str(db)).stdout.split())
    assert "Table 3 (from the workbook the page links)" in shown and "missing" not in shown


def _ingested(tmp_path: Path, url: str, body: bytes, content_type: str) -> list[tuple]:
    with writer(tmp_path / "warc") as out:
        out.write_exchange(exchange(url, body, content_type=content_type))
    db = tmp_path / "db.sqlite"
    reindex(sorted((tmp_path / "warc").glob("*.warc.gz")), db, workers=0)
    with sqlite3.connect(db) as conn:
        return conn.execute("select url, stage, message from errors").fetchall()


def test_an_html_page_served_as_a_pdf_is_recorded(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><head><title>404</title></head><body>not found</body></html>"
    errors = _ingested(tmp_path, "http://x.gov.cn/a.pdf", page, "application/pdf")
    assert errors == [
        (
            "http://x.gov.cn/a.pdf",
            "attachment",
            "announced as a PDF file (application/pdf) but is an HTML page",
        )
    ]


def test_a_legacy_doc_is_recorded_unsupported_with_the_crawl_going_on(tmp_path: Path) -> None:
    # a bogus OLE2 file: LibreOffice cannot convert it, one errors row says so
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    errors = _ingested(tmp_path, "http://x.gov.cn/a.doc", ole2, "application/msword")
    assert errors == [
        (
            "http://x.gov.cn/a.doc",
            "attachment",
            "unreadable DOC (LibreOffice could not convert it)",
        )
    ]


def test_a_pdf_of_ten_thousand_pages_is_read_to_the_limit_and_says_so() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for page in range(10_000):
        pdf.drawString(100, 700, f"line {page}")
        pdf.showPage()
    pdf.save()
    document = read_pdf(buffer.getvalue())
    assert document.pages == 10_000
    assert document.notes == ("read the first 300 of 10000 PDF pages",)
    # short lines that reach no margin stay lines: none is run into the next
    assert document.blocks[:3] == ("line 0", "line 1", "line 2")
    assert len(document.blocks) == MAX_PAGES


def test_rows_run_together_by_a_missing_rule_are_split_at_their_labels() -> None:
    merged = Table(
        (
            (
                TableCell("（四）无法提供", rowspan=2),
                TableCell("1.本机关不掌握\n相关政府信息\n2.没有现成信息"),
                TableCell("4\n0"),
                TableCell("1\n2"),
            ),
            (TableCell("3.补正后仍不明确"), TableCell("5"), TableCell("6")),
        )
    )
    rows = [[(c.text, c.rowspan) for c in row] for row in split_merged_rows(merged).rows]
    assert rows == [
        [("（四）无法提供", 3), ("1.本机关不掌握相关政府信息", 1), ("4", 1), ("1", 1)],
        [("2.没有现成信息", 1), ("0", 1), ("2", 1)],
        [("3.补正后仍不明确", 1), ("5", 1), ("6", 1)],
    ]
    wrapped = Table(((TableCell("社会公益\n组织"), TableCell("0"), TableCell("3")),))
    assert split_merged_rows(wrapped) == wrapped  # a label on two lines is one row


def test_running_headers_and_footers_are_not_report_text() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setFont("Helvetica", 10)
    for page in range(3):
        pdf.drawString(72, 800, "RUNNING HEADER")
        pdf.drawString(72, 400, f"body {page}")
        pdf.drawString(290, 30, f"- {page + 1} -")
        pdf.showPage()
    pdf.save()
    assert read_pdf(buffer.getvalue()).blocks == ("body 0", "body 1", "body 2")


def test_a_scanned_pdf_is_recorded_as_needing_ocr_with_its_page_count(world: World) -> None:
    truth = next(r for r in world.reports if r.tables and r.source == "generated")
    scan = scanned_pdf(truth, 0)
    pages = len(pdfplumber.open(io.BytesIO(scan)).pages)
    with pytest.raises(ExtractError) as raised:
        extract_attachment(truth.url, {"content-type": "application/pdf"}, scan)
    assert raised.value.message == f"scanned PDF: {pages} pages without a text layer need OCR"

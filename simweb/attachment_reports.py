"""Reports published as an attachment: a short page that links a PDF or DOCX file, or a page
that prints the text and links its tables as an XLSX workbook.

Many agencies post the annual report as "附件：XX局2021年政府信息公开工作年度报告.pdf" under a
page that holds nothing but its title, date and that link; others print the report and put
tables 2-4 in a spreadsheet ("详见附件"). Half of the attachments here sit at a file URL
(``P0<date><n>.pdf``), half behind ``/module/download/downfile.jsp?...``, where only
``Content-Type`` and ``Content-Disposition`` say what the file is.
"""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
import zlib
from collections.abc import Callable
from html import escape as esc
from typing import TYPE_CHECKING
from urllib.parse import quote

from reportlab.pdfgen import canvas

from nianbao.simweb import agencies, attachments, chrome, table_images
from nianbao.simweb.agencies import DAXING, PORTAL_OF_HOST, WWW
from nianbao.simweb.layout import ReportStyle
from nianbao.simweb.truth import Page, TruthReport

if TYPE_CHECKING:  # the world renders these pages: importing it here would be circular
    from nianbao.simweb.world import World

FORMATS = ("pdf", "docx", "xlsx")
# with drawn tables (fonts, seconds a file): also scanned PDFs, pictures of pages and no text
SCAN = "scan"
EXTENSION = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", SCAN: "pdf"}
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    SCAN: "application/pdf",
}
RENDER = {
    "pdf": attachments.pdf_bytes,
    "docx": attachments.docx_bytes,
    "xlsx": attachments.xlsx_bytes,
    SCAN: table_images.scanned_pdf,
}
# What an XLSX report's page prints where each table would be.
SEE_ATTACHMENT = "（具体数据详见附件）"
GeneratedReport = Callable[..., tuple[TruthReport, tuple[str, ...]]]
AddReport = Callable[..., None]
UrlOf = Callable[[random.Random, str, int, str], str]


def add_attachment_reports(
    world: World,
    count: int,
    generated_report: GeneratedReport,
    add_report: AddReport,
    new_url: UrlOf,
) -> None:
    """``count`` template reports whose page only links their attachment (own random stream,
    so every other page of a world stays as it was without them)."""
    rng = random.Random(f"{world.seed}:attachments")
    taken = {(r.agency, r.year) for r in world.reports}
    slots = [
        (agency, year)
        for agency, year in agencies.choose_slots(rng, 20 * count + 20)
        if (agency.name, year) not in taken and year >= 2019 and agency.host != DAXING
    ]
    for n, (agency, year) in enumerate(slots[:count]):
        own = random.Random(rng.getrandbits(64))
        truth, _ = generated_report(
            own,
            agency,
            year,
            PORTAL_OF_HOST[agency.host],
            lambda published, a=agency, y=year, r=own: new_url(r, a.host, y, published),
        )
        if not truth.tables:  # the layout roll drew pictures: no cells to print
            continue
        forms = (*FORMATS, SCAN) if world.drawn_tables else FORMATS
        form = forms[n % len(forms)]
        extension = EXTENSION[form]
        directory = truth.url.rsplit("/", 1)[0]
        name = f"{truth.title}.{extension}"
        if own.random() < 0.5:
            stamp = truth.published.replace("-", "")
            link = f"{directory}/P0{stamp}{own.randrange(10**6):06d}.{extension}"
        else:
            file_id = f"{own.randrange(16**12):012x}.{extension}"
            link = (
                f"http://{agency.host}/module/download/downfile.jsp?classid=0&"
                f"filename={file_id}&showname={quote(name)}"
            )
        truth = dataclasses.replace(truth, table_layout=form, attachment_url=link)
        if form == "xlsx":  # the page is the report, its tables in the workbook
            add_report(truth, ReportStyle(own.getrandbits(32), None), ("report",))
        else:
            add_report(truth, None, ("attachment-page",))
        world.pages[link] = ("attachment", truth.url)


def attachment_block(truth: TruthReport) -> str:
    """The 附件 block linking the report's file."""
    link, name = truth.attachment_url or "", f"{truth.title}.{EXTENSION[truth.table_layout]}"
    return f'<p>附件：</p><p><a href="{esc(link)}" target="_blank">{esc(name)}</a></p>'


def attachment_page(world: World, url: str) -> str:
    """The page of an attachment report: title, date, the 附件 link, nothing of the report."""
    truth = world.by_url[url]
    meta = chrome.Meta(
        truth.index_no, truth.agency, truth.title, truth.doc_no, truth.published, truth.published
    )
    body = (
        chrome.meta_block(meta, zlib.crc32(url.encode()) % 2 == 0)
        + f'<h1 class="title">{esc(truth.title)}</h1>'
        + chrome.date_line(truth.published, truth.agency)
        + f'<div class="TRS_Editor">{attachment_block(truth)}</div>'
    )
    return chrome.page(chrome.SITES[truth.host], truth.title, body, meta=meta)


def attachment_answer(world: World, report_url: str) -> Page:
    """The attachment file itself, as its host serves it."""
    truth = world.by_url[report_url]
    form = truth.table_layout
    cache = world.attachment_cache
    if report_url not in cache:
        cache[report_url] = RENDER[form](truth, zlib.crc32(report_url.encode()))
    body = cache[report_url]
    link = truth.attachment_url or ""
    if "downfile.jsp" not in link:
        return Page(200, [("Content-Type", MIME[form])], body)
    name = quote(f"{truth.title}.{EXTENSION[form]}")
    return Page(
        200,
        [
            ("Content-Type", "application/octet-stream"),
            ("Content-Disposition", f"attachment; filename*=UTF-8''{name}"),
        ],
        body,
    )


# Files a crawl must survive: each is one errors row (stage "attachment"), nothing more.
# name -> (link text, what the errors row's message says)
HOSTILE = {
    "encrypted.pdf": ("加密文件.pdf", "encrypted PDF"),
    "error-page.pdf": ("错误页面.pdf", "but is an HTML page"),
    "cut.pdf": ("下载中断.pdf", "unreadable PDF"),
    "bomb.docx": ("压缩炸弹.docx", "zip bomb"),
    "bomb.xlsx": ("压缩炸弹.xlsx", "zip bomb"),
    "legacy.doc": ("旧版文档.doc", "unreadable DOC"),
}
HOSTILE_PAGE = f"http://{WWW}/hostile/fujian.html"
# A 200 MB PDF sent chunked: larger than the crawl's download limit, so it is one fetch error
# (stage "fetch"), never a file held in memory.
HUGE = ("huge.pdf", "超大文件.pdf", 200 * 1024 * 1024)


def add_hostile_files(world: World) -> None:
    """A notice on the city portal whose 附件 block links one file of each hostile kind."""
    named = [(name, text) for name, (text, _) in HOSTILE.items()] + [HUGE[:2]]
    links = "".join(f'<p><a href="/hostile/{name}">{esc(text)}</a></p>' for name, text in named)
    world.pages[HOSTILE_PAGE] = (
        "raw",
        "<html><head><meta charset='utf-8'><title>关于公布附件的通知</title></head><body>"
        f"<h1>关于公布附件的通知</h1><p>附件：</p>{links}</body></html>",
    )
    world.non_reports.add(HOSTILE_PAGE)
    world.home_links[WWW].append(("附件下载", HOSTILE_PAGE))
    for name, _ in named:
        world.pages[f"http://{WWW}/hostile/{name}"] = ("hostile", name)


def hostile_answer(world: World, name: str) -> Page:
    """The hostile file ``name`` (built once, kept in the world's cache)."""
    if name == HUGE[0]:
        block = b"%PDF-1.4\n%" + bytes(range(256)) * 4096  # about 1 MB, repeated
        return Page(200, [("Content-Type", "application/pdf")], block, streamed=HUGE[2])
    cache = world.attachment_cache
    if name not in cache:
        cache[name] = _hostile_body(world, name)
    extension = name.rsplit(".", 1)[1]
    mime = MIME.get(extension, "application/msword" if extension == "doc" else "")
    return Page(200, [("Content-Type", mime)], cache[name])


def _hostile_body(world: World, name: str) -> bytes:
    if name == "encrypted.pdf":
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, invariant=1, encrypt="nianbao")  # a user password
        pdf.drawString(72, 720, "2021")
        pdf.save()
        return buffer.getvalue()
    if name == "error-page.pdf":
        return b"<!DOCTYPE html><html><head><title>500</title></head><body>error</body></html>"
    if name == "cut.pdf":
        truth = next((r for r in world.reports if r.table_layout == "pdf"), None)
        whole = attachments.pdf_bytes(truth, 0) if truth is not None else b"%PDF-1.4\n"
        return whole[: len(whole) // 2]
    if name.startswith("bomb."):
        inner = "word/document.xml" if name.endswith(".docx") else "xl/worksheets/sheet1.xml"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
            bomb.writestr(inner, b"<" + b"a" * 150_000_000)
        return buffer.getvalue()
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)  # an OLE2 (legacy Office) file

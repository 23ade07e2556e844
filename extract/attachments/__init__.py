"""Reports published as attachments: PDF, DOCX and XLSX files, and the legacy Office/WPS
DOC, WPS, XLS and ET files (converted by LibreOffice, ``legacy``), read into the same Report.

from nianbao.extract.attachments import attachment_kind, extract_attachment
kind = attachment_kind(headers, body)       # "pdf", "docx", "xlsx", a legacy kind, or None
report = extract_attachment(url, headers, body)

The type comes from the bytes first (``%PDF-``, a zip holding ``word/`` or ``xl/``, an OLE2
file), then from Content-Type and the file name of Content-Disposition or the URL: portals
serve attachments from ``downfile.jsp?...`` as ``application/octet-stream``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from nianbao.extract.attachments.document import Document, document_html
from nianbao.extract.errors import ExtractError
from nianbao.extract.report import Report
from nianbao.extract.tables import parse_tables

__all__ = [
    "LEGACY_KINDS",
    "attachment_kind",
    "declared_kind",
    "document_report",
    "extract_attachment",
    "read_document",
]

# kind -> (module, function); imported when a file of that kind first comes: pdfplumber and
# openpyxl took 0.8 s to import, paid by every process that reads no attachment otherwise
READERS = {
    "pdf": ("nianbao.extract.attachments.pdf", "read_pdf"),
    "docx": ("nianbao.extract.attachments.word", "read_docx"),
    "xlsx": ("nianbao.extract.attachments.sheet", "read_xlsx"),
    # Kingsoft WPS saves .wps/.et in the Word/Excel 97-2003 formats: the same readers
    "doc": ("nianbao.extract.attachments.legacy", "read_doc"),
    "wps": ("nianbao.extract.attachments.legacy", "read_doc"),
    "xls": ("nianbao.extract.attachments.legacy", "read_xls"),
    "et": ("nianbao.extract.attachments.legacy", "read_xls"),
}
LEGACY_KINDS = frozenset({"doc", "wps", "xls", "et"})  # OLE2 files, converted by LibreOffice
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/kswps": "wps",
    "application/vnd.ms-works": "wps",
}
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8''|"?)([^";]+)""", re.I)
_EXTENSION = re.compile(r"\.(pdf|docx|xlsx|doc|wps|xls|et)$", re.I)


def attachment_kind(headers: Mapping[str, str], body: bytes) -> str | None:
    """The attachment format of a payload (headers with lower-case keys), or None."""
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        names = body[-65536:] + head  # the zip directory is at the end
        if b"word/" in names:
            return "docx"
        if b"xl/" in names:
            return "xlsx"
        return None
    declared = _declared(headers)
    if head.startswith(_OLE2):
        return declared if declared in LEGACY_KINDS else "doc"
    return None


def declared_kind(headers: Mapping[str, str], url: str) -> str | None:
    """The attachment kind the headers or the URL's file name announce, whatever the bytes."""
    return _declared(headers) or _extension(unquote(urlsplit(url).path))


def _extension(name: str) -> str | None:
    found = _EXTENSION.search(name)
    return found.group(1).lower() if found else None


def _declared(headers: Mapping[str, str]) -> str | None:
    """The kind the Content-Type or the file name announces."""
    mime = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if mime in _TYPES:
        return _TYPES[mime]
    found = _FILENAME.search(headers.get("content-disposition") or "")
    return _extension(unquote(found.group(1))) if found else None


def read_document(kind: str, body: bytes) -> Document:
    """The attachment's blocks; ExtractError for an unreadable or unsupported file."""
    where = READERS.get(kind)
    if where is None:
        raise ExtractError("attachment", f"unsupported format: {kind.upper()}")
    reader = getattr(importlib.import_module(where[0]), where[1])
    document: Document = reader(body)
    return document


def extract_attachment(
    url: str, headers: Mapping[str, str], body: bytes, kind: str | None = None
) -> Report:
    """The report an attachment holds, read as the HTML extractor reads a page; ``kind``:
    the format already sniffed (``attachment_kind``), else it is sniffed here."""
    kind = kind or attachment_kind(headers, body)
    if kind is None:
        raise ExtractError("attachment", "not a PDF, DOCX or XLSX file")
    document = read_document(kind, body)
    report = document_report(url, document, kind)
    if not report.is_report and kind in ("xlsx", "xls", "et"):
        # a workbook of tables 2-4 beside a page that prints the text: the page's report
        # takes these cells once both are stored (archive.ingest.attachment_pages)
        tables = parse_tables(document_html(document), "")
        if tables.cells:
            report = replace(report, tables=tables)
    return replace(report, notes=(*report.notes, f"read from a {kind.upper()} attachment"))


def document_report(url: str, document: Document, source_format: str) -> Report:
    """The report a document read from a file holds, read as the HTML extractor reads a
    page, with the reader's notes."""
    from nianbao.extract import extract_report  # the page extractor imports this package

    page = document_html(document).encode("utf-8")
    report = extract_report(url, {"content-type": "text/html; charset=utf-8"}, page)
    return replace(report, source_format=source_format, notes=(*report.notes, *document.notes))

"""The Report value: what extraction makes of one fetched page."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.extract.figures import Figure
from nianbao.extract.spam import SpamFinding
from nianbao.extract.tables.model import Check, TablesResult


@dataclass(frozen=True)
class Section:
    """One top-level section of a report (一、总体情况 …), numbered from 1."""

    number: int
    heading: str
    text: str


@dataclass(frozen=True)
class Report:
    """Everything extraction learns from one page; pure data, no I/O.

    ``is_report`` says whether the page is an annual open-government-information
    report at all; the other fields are filled as far as the page allows.
    """

    url: str
    is_report: bool
    title: str | None = None
    agency: str | None = None
    region: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    index_no: str | None = None  # 索引号
    doc_no: str | None = None  # 文号
    script: str = "Hans"  # "Hans" or "Hant"
    generation: str | None = None  # "prose" (2008–2018), "2019" or "2021" template
    charset: str = "utf-8"  # the encoding the body was decoded with
    text: str = ""  # clean main text: chrome and spam removed, holes marked □
    sections: tuple[Section, ...] = ()
    tables: TablesResult | None = None  # tables 2–4 cell by cell (template reports)
    checks: tuple[Check, ...] = ()  # the template's identities evaluated on those cells
    figures: tuple[Figure, ...] = ()  # key numbers stated in sentences (prose-era reports)
    notes: tuple[str, ...] = field(default=())  # non-fatal oddities met while extracting
    # text the parser's limits cost (an errors row of stage 'parse', report or not)
    losses: tuple[str, ...] = ()
    text_original: str = ""  # main text after chrome removal, before spam removal
    text_simplified: str = ""  # ``text`` converted to Simplified (OpenCC t2s)
    spam: tuple[SpamFinding, ...] = ()  # injected spam; offsets refer to text_original
    spam_score: float = 0.0  # 0.0 clean … 1.0 certainly spam
    title_original: str | None = None  # the title as printed, spam included
    agency_original: str | None = None  # the agency as read, before spam was cut from it
    agency_simplified: str | None = None  # ``agency`` in Simplified (t2s); None with a hole
    source_format: str = "html"  # what the report was read from: html, pdf, docx or xlsx
    # the files its 附件 block links (absolute URLs), on a page whose report may be one of them
    attachments: tuple[str, ...] = ()

"""nianbao extract: pure functions from one fetched page to a Report value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urljoin

from lxml import etree

from nianbao.extract import dates, metadata, titles
from nianbao.extract.attachments.links import attachment_links
from nianbao.extract.body import body_fields, read_body
from nianbao.extract.classify import classify, title_kind
from nianbao.extract.decode import DecodedPage, charset_differs, check_html, decode_page
from nianbao.extract.dom import page_lines, parse_page
from nianbao.extract.errors import ExtractError
from nianbao.extract.report import Report, Section
from nianbao.extract.spam import report_title
from nianbao.extract.spam_head import head_spam
from nianbao.extract.tables import TablesResult, check_identities, parse_tables
from nianbao.extract.text import clean_lines, extract_main_text

__all__ = ["ExtractError", "Report", "Section", "extract_report"]

# How far into the page a report title printed in the body is looked for.
_TITLE_SCAN_LINES = 60


def extract_report(url: str, headers: Mapping[str, str], body: bytes) -> Report:
    """Turn one fetched page (headers with lower-case keys, decoded payload) into a Report."""
    check_html(headers, body)
    page = decode_page(headers, body)
    notes: list[str] = []
    if charset_differs(page):
        notes.append(f"declared charset {page.declared} but decoded as {page.charset}")
    parsed = parse_page(page.text)
    if parsed.root is None:
        return Report(url, is_report=False, charset=page.charset, notes=("empty document",))
    losses = (parsed.loss,) if parsed.loss else ()
    report = _read_page(url, page, parsed.root, [*notes, *losses])
    return replace(report, losses=losses) if losses else report


def _read_page(url: str, page: DecodedPage, root: etree._Element, notes: list[str]) -> Report:
    """The Report of a decoded, parsed page; ``notes`` so far."""
    lines = page_lines(root)
    block = metadata.read_block(lines, root)
    candidates = titles.title_candidates(root, block)
    # A page that declares its title is what that title says: no line of its text (a
    # related link, 上一篇：…年度报告) may stand in for it.
    title_lines = [] if titles.declared_title(root, block) else lines[:_TITLE_SCAN_LINES]
    title = titles.pick_title(candidates, title_lines) or titles.page_name(root)
    # Pinyin (政(zhèng)府) or a swapped key word (政府信息买球网站工作年度报告) hides the
    # report phrase: take it out, put the word back.
    simple_title = report_title(title or "", lines)
    if title_kind(simple_title) != "report":
        # Cheap exit: no report title anywhere near the top of the page.
        return Report(url, is_report=False, title=title, charset=page.charset)

    raw_text = extract_main_text(root)
    text_lines, simple_lines = clean_lines(raw_text)
    if not text_lines:  # extractor found nothing; fall back to every visible line
        notes.append("main-text extraction empty; used all page lines")
        text_lines, simple_lines = clean_lines("\n".join(lines))
    text_original = "\n".join(text_lines)
    main = read_body(text_original, title, "\n".join(simple_lines))
    simple_text, guess_simple = main.simplified, main.guessed
    # Classify and segment the text as it was before the spam, so spam copies still count.
    verdict = classify(simple_title, guess_simple, guess_simple.split("\n"))
    if not verdict.is_report:
        return _not_a_report(url, root, block, title, page.charset, verdict.reason)

    head = head_spam(root, simple_text, title)  # the clean text: a stuffed line there is cut
    published = dates.published_date(root, block)
    index_no = metadata.clean_index_no(block.get("索引号"))
    doc_no = metadata.clean_doc_no(block.get("文号", "发文字号"))
    year = metadata.report_year(title, published, doc_no)
    agency_original = metadata.agency_of(block, title, lines[:_TITLE_SCAN_LINES])
    fields = body_fields(main, title, agency_original, year, head)
    sections = main.sections
    if not sections:
        notes.append("no numbered sections found")
    generation = metadata.generation(guess_simple, year)
    tables = None
    if generation != "prose":
        tables = parse_tables(
            page.text, main.scan.guessed_text, template_report=generation in ("2019", "2021")
        )
    if tables is not None and tables.template:
        generation = tables.template
    tables = absolute_image_urls(url, tables)
    return Report(
        url=url,
        is_report=True,
        title=fields.title,
        agency=fields.agency,
        region=fields.region,
        year=year,
        published=published,
        index_no=index_no,
        doc_no=doc_no,
        script=fields.script,
        generation=generation,
        charset=page.charset,
        text=main.text,
        text_original=text_original,
        text_simplified=simple_text,
        spam=fields.spam,
        spam_score=fields.spam_score,
        title_original=title,
        agency_original=agency_original,
        agency_simplified=fields.agency_simplified,
        sections=sections,
        tables=tables,
        checks=check_identities(tables.cells, tables.template) if tables else (),
        figures=fields.figures,
        notes=tuple(notes),
        attachments=attachment_links(root, url),
    )


def _not_a_report(
    url: str,
    root: etree._Element,
    block: metadata.BlockFields,
    title: str | None,
    charset: str,
    reason: str,
) -> Report:
    """A page titled as a report without one in its text: when it links attachments, its
    metadata goes with them (the report they hold takes its date and numbers from here)."""
    links = attachment_links(root, url)
    if not links:
        return Report(url, is_report=False, title=title, charset=charset, notes=(reason,))
    return Report(
        url,
        is_report=False,
        title=title,
        charset=charset,
        notes=(reason,),
        published=dates.published_date(root, block),
        index_no=metadata.clean_index_no(block.get("索引号")),
        doc_no=metadata.clean_doc_no(block.get("文号", "发文字号")),
        attachments=links,
    )


def absolute_image_urls(url: str, tables: TablesResult | None) -> TablesResult | None:
    """Image-only tables name their pictures by page-relative links; make them absolute."""
    if tables is None or not tables.missing:
        return tables
    missing = tuple(
        replace(m, image_urls=tuple(urljoin(url, src) for src in m.image_urls))
        for m in tables.missing
    )
    return replace(tables, missing=missing)

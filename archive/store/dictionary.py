"""The data dictionary: what every table and column of the database holds, for its readers.

Written from the schema's comments and from the code that fills each column (``rows.py``,
``archive/ingest``, ``archive/audit``, ``archive/ocr``, ``archive/restore``). Datasette's
metadata (``archive/browse``) and ``docs/data-dictionary.md`` (``dictionary_markdown``) are
both made from it, and
``tests/test_dictionary.py`` fails when a table or column of ``TABLES`` has no line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableDoc:
    """One table: a paragraph on what a row is and how it joins, and a line per column."""

    description: str
    columns: dict[str, str]


HOLE = "□"  # a word spam replaced that no copy could restore (extract.spam.HOLE)

DESCRIPTIONS: dict[str, TableDoc] = {
    "meta": TableDoc(
        "Facts about the database itself, as key/value pairs: the schema version, the nianbao "
        "that created it, and the version of each library that shapes the rows, as of the "
        "last write. No timestamps, so a crawl's database and its reindex stay equal.",
        {
            "key": "schema_version, created_by (nianbao/VERSION), or a distribution name "
            "(nianbao, trafilatura, lxml, opencc, scrapy, warcio, sqlite-utils, …).",
            "value": "The key's value: a schema number, nianbao/VERSION, or the installed "
            "version of the distribution.",
        },
    ),
    "crawls": TableDoc(
        "One row per crawl, made from the earliest warcinfo record of its WARC files. "
        "captures.crawl_id joins crawls.id.",
        {
            "id": "The warcinfo's crawl-id (or isPartOf); else the WARC writer prefix of the "
            "file name; else, for another tool's files, the warcinfo record's id.",
            "prefix": "The writer prefix of the WARC file names (`--prefix`); NULL for files "
            "not named by nianbao.",
            "started": "WARC-Date (ISO 8601, UTC) of the crawl's earliest warcinfo record.",
            "software": "The warcinfo's software field, e.g. nianbao/0.1.0; NULL if absent.",
            "fields": "Every warcinfo field as a JSON object (operator, robots, portals, "
            "user agent, …).",
            "warcinfo_id": "WARC-Record-ID of the warcinfo record this row was read from "
            "(captures.id).",
        },
    ),
    "captures": TableDoc(
        "One row per WARC record read: every request, response, revisit, metadata, resource, "
        "warcinfo and continuation record, failed fetches and refusals included. warc_file "
        "and offset locate the bytes; reports.capture_id, blocked.capture_id and "
        "errors.capture_id join captures.id.",
        {
            "id": "WARC-Record-ID, e.g. <urn:uuid:…>.",
            "crawl_id": "The crawl the record's file belongs to (crawls.id), from the file's "
            "warcinfo; NULL for a file without one.",
            "record_type": "WARC-Type: warcinfo | request | response | revisit | metadata | "
            "resource | continuation.",
            "url": "WARC-Target-URI, as archived; NULL for warcinfo records.",
            "host": "Lower-case host name of url; NULL without a url.",
            "date": "WARC-Date as archived (ISO 8601, UTC).",
            "status": "HTTP status code of a response or revisit; NULL for other records.",
            "mime": "Media type of the payload, lower case, without parameters (text/html); "
            "NULL when none is declared; a request's is always NULL.",
            "payload_digest": "WARC-Payload-Digest (sha1:BASE32 of the payload as sent, still "
            "content-encoded); NULL when the record has none.",
            "warc_file": "File name only, no folder, so merged or moved archives keep working.",
            "offset": "Byte offset of the record in warc_file (of its gzip member in a .warc.gz).",
            "length": "Bytes the record takes in warc_file as stored (compressed in a .warc.gz).",
            "concurrent_to": "WARC-Concurrent-To: the response a request (or metadata record) "
            "belongs to; NULL if none.",
            "segment_origin_id": "Of a record split over several (WARC 1.1 §5.8): the first "
            "segment's id; NULL for whole records.",
            "segment_number": "Of a segmented record: this segment's number, from 1; NULL for "
            "whole records.",
            "segment_total_length": "On the last segment only: the whole block's length in "
            "bytes; NULL otherwise.",
            "etag": "The answer's ETag header, sent back by the next crawl (If-None-Match); "
            "NULL for requests and answers without one.",
            "last_modified": "The answer's Last-Modified header (If-Modified-Since next time); "
            "NULL if none.",
            "profile": "A revisit's WARC-Profile URI (server-not-modified or "
            "identical-payload-digest); NULL for other records.",
            "refers_to": "A revisit's WARC-Refers-To: the id of the record holding its "
            "payload; NULL otherwise.",
        },
    ),
    "reports": TableDoc(
        "One row per annual report: a page, or a PDF/DOCX/XLSX attachment, read as an annual "
        "open-government-information report. Its id is stable (URL and payload digest), so "
        "the same bytes at the same URL are one report however often crawled; a changed page "
        "is a new report. Every child table joins on report_id = reports.id; the full-text "
        f"index reports_fts covers title, agency, text and text_simplified. Text in which "
        f"spam replaced a word that no clean copy could restore keeps a hole ({HOLE}).",
        {
            "id": 'First 16 hex digits of sha1(url + "\\n" + payload digest).',
            "capture_id": "The earliest capture (by date, then id) that yielded this report "
            "(captures.id): a response, resource, or a revisit read with its original.",
            "url": "The URL it was read from: the page, or the attachment file.",
            "host": "Lower-case host name of url.",
            "title": f"Printed title, spam cut out and the words it replaced put back "
            f"({HOLE} where none could be); NULL if the page prints none.",
            "agency": "The reporting body (responsibility field, else the title's body, else "
            "the 来源 line), restored like title; NULL when unknown.",
            "region": "Administrative prefix of the agency (北京市, 北京市大兴区); NULL when the "
            "agency is unknown.",
            "year": "The year reported on, from the title, else the publication date, else the "
            "文号; NULL when none says.",
            "published": "Publication date YYYY-MM-DD (公开日期/发布日期 first, 成文日期 last); "
            "NULL if the page prints none.",
            "index_no": "索引号 without inner spaces; NULL if none printed.",
            "doc_no": "文号 as printed; NULL if none or a placeholder (无, -).",
            "script": "Script of the printed text: Hans (Simplified) | Hant (Traditional).",
            "generation": "Report format: prose (free-form, 2008–2018) | 2019 | 2021 "
            "(national template, by table labels, else by year).",
            "charset": "The encoding the body was decoded with (utf-8, gbk, big5, …).",
            "text": f"Clean main text: site chrome and spam removed, unrestored words as {HOLE}.",
            "text_original": "Main text after chrome removal, before spam removal; "
            "spam_findings offsets (place 'text') index it.",
            "text_simplified": "text in Simplified script (OpenCC t2s); what search and the "
            "audit compare.",
            "title_original": "The title as printed, spam included; NULL if none.",
            "agency_original": "The agency as read from the page, spam included; NULL if none "
            "(or stored before the column: until `nianbao reindex`).",
            "agency_simplified": f"agency in Simplified, the key to group by; NULL when unknown "
            f"or holed ({HOLE}).",
            "spam_score": "0 clean … 1 certainly spam, from the spam findings (REAL).",
            "notes": "JSON list of non-fatal oddities met while reading (a declared charset "
            "that was wrong, a payload read otherwise than labelled); [] when none.",
            "template": "Table template read from tables 2–4: 2019 | 2021; NULL when no table "
            "was read (prose, or tables only as pictures).",
            "source_format": "What the report was read from: html | pdf | docx | xlsx (and "
            "legacy doc/xls/wps/et converted).",
            "page_url": "For a report read from an attachment: the page linking it, whose "
            "title, date, 索引号 and 文号 it takes; NULL for pages.",
            "page_capture_id": "That page's capture (captures.id); NULL for pages.",
            "extractor_version": "What extracted it (nianbao/0.1.0 trafilatura/2.3.1 …); NULL "
            "for rows stored before versions were kept.",
            "seen": "Captures of this URL with this payload: the first, then revisits and "
            "identical responses (≥ 1).",
            "last_seen": "WARC-Date of the latest of those captures.",
            "gone": "WARC-Date of the first 404/410 answer at url after last_seen; NULL while "
            "the page is still there.",
        },
    ),
    "sections": TableDoc(
        "The report's numbered top-level sections (一、总体情况 to 六、…), one row each, as "
        "cut from reports.text. Joins reports on report_id.",
        {
            "id": "report_id:number.",
            "report_id": "The report (reports.id).",
            "number": "Section number from 1 (一 is 1).",
            "heading": "The heading line as printed (一、总体情况).",
            "text": "The section's text after its heading, up to the next section.",
        },
    ),
    "stats": TableDoc(
        "One statistical cell of tables 2–4 of a template report, in long form: a row per "
        "cell, named by table, block, row and column labels (the template's canonical "
        "Simplified labels, matched by label, never by position). Joins reports on "
        "report_id; checks.blank_cells name these cells.",
        {
            "id": "report_id:table_no:block:row:column.",
            "report_id": "The report (reports.id).",
            "table_no": "Table number: 2 (proactive disclosure) | 3 (requests) | 4 (review "
            "and litigation).",
            "block": "Table 2: the article-20 item (第二十条第（一）项 …); table 3: the result "
            "group (（三）不予公开 …, '' outside groups); table 4: 行政复议 or a 行政诉讼 block.",
            "row": "Row label (规章, 一、本年新收政府信息公开申请数量, 1.属于国家秘密 …); '' in "
            "table 4.",
            "column": "Column label (本年新制作数量, 自然人, 商业企业, 总计, 结果维持 …).",
            "value": "The number as printed (INTEGER, or REAL for amounts); NULL for /, —, 无, "
            "an empty or an unreadable cell (never 0).",
            "raw": "The cell's text as printed.",
            "source": "NULL: read from the page or file; ocr: read from a picture of the "
            "table; sheet: from a spreadsheet the page links.",
            "confidence": "OCR only: Tesseract's confidence in the reading, 0–100; NULL "
            "otherwise (below 85 is shown as doubtful).",
        },
    ),
    "checks": TableDoc(
        "One arithmetic identity of the template (a column's parts add up to its total, "
        "table 3's balance, table 4's totals) evaluated on a report's cells. A blank cell is "
        "never summed as 0: such an identity is unchecked, not failed. Joins reports on "
        "report_id.",
        {
            "id": "report_id:identity.",
            "report_id": "The report (reports.id).",
            "identity": "t3.col.<column>.balance | t3.col.<column>.total | t3.row.<row>.total "
            "| t4.<block>.total.",
            "expected": "The sum of the parts (/, —, 无 count as 0); NULL when a part is blank.",
            "actual": "The printed total; NULL when blank.",
            "ok": "1 ok, 0 failed, NULL unchecked (mirrors state, for older readers).",
            "state": "ok | failed (always two numbers) | unchecked (an operand empty, "
            "unreadable or not printed) | reread (failed on OCR'd cells: look at the picture "
            "again; not a finding).",
            "blank_cells": 'JSON list of the blank operands as "table:block:row:column" (a '
            "stats id without its report); NULL when none.",
        },
    ),
    "missing_tables": TableDoc(
        "A table (2–4) a template report should print but printed as a picture or not at "
        "all; `nianbao ocr` reads the pictures and drops the row when it finds the table. "
        "Joins reports on report_id.",
        {
            "id": "report_id:table_no.",
            "report_id": "The report (reports.id).",
            "table_no": "The table missing: 2 | 3 | 4.",
            "reason": "image (printed as a picture) | not found (labelled, but unreadable) | "
            "absent (not printed).",
            "image_urls": "JSON list of the pictures' URLs (absolute); [] unless reason is image.",
        },
    ),
    "figures": TableDoc(
        "A key number stated in a sentence (主动公开信息63条, 收到申请17件), the way prose-era "
        "reports give their statistics. Joins reports on report_id.",
        {
            "id": "report_id:offset:key.",
            "report_id": "The report (reports.id).",
            "key": "proactive_items | requests_received | requests_answered | admin_review | "
            "admin_litigation | fees_yuan.",
            "value": "The number in the key's own unit (fees in 元 even when printed in 万元); "
            "0 for a phrase meaning none.",
            "unit": "The counting word as printed (条, 件, 起, 元, 万元); '' for a phrase "
            "meaning none.",
            "sentence": "The sentence as printed in reports.text (holes included).",
            "offset": "Where the number's phrase starts in reports.text (characters).",
            "sentence_offset": "Where the sentence starts in reports.text (characters); NULL "
            "for rows stored before the column, until `nianbao reindex`.",
        },
    ),
    "spam_findings": TableDoc(
        "Injected spam found in a report (gambling brands hijacking the agency's name, "
        "swapped key words, stuffed headers, pinyin runs), with the words it replaced where "
        "another copy of the report shows them. Joins reports on report_id.",
        {
            "id": "report_id:start:kind, with :place added outside the text.",
            "report_id": "The report (reports.id).",
            "kind": "entity_hijack | keyword_swap | stuffed_header | pinyin.",
            "start": "Start offset (characters) in reports.text_original, or in the head "
            "string named by place.",
            "end": "End offset, exclusive, in the same string.",
            "injected": "The spam as printed.",
            "restored": "The words it replaced, read from another copy; NULL if none was "
            "found or the kind leaves no hole.",
            "restored_from": "The report those words were read from (reports.id); NULL with "
            "restored.",
            "place": "text (offsets in text_original) | title | keywords | description (a "
            "stuffed header in the page's head); NULL in older rows: text.",
        },
    ),
    "audit_pairs": TableDoc(
        "One verified relation between two reports, written by `nianbao audit`: a copy, a "
        "script twin, a spam mirror, a near duplicate, last year's text reused, or another "
        "agency's text. Both report ids join reports.id.",
        {
            "id": "kind:a_report_id:b_report_id.",
            "kind": "exact | script_twin | spam_mirror | near_duplicate | reuse | cross_agency.",
            "a_report_id": "The copy, twin, mirror, later year or copier (reports.id).",
            "b_report_id": "The canonical, original, earlier year or source (reports.id).",
            "similarity": "Exact Jaccard of the masked shingle sets (Han 5-grams less the "
            "template's boilerplate), 0–1.",
            "a_share": "Share of a's text_simplified covered by the aligned passages, 0–1.",
            "b_share": "Share of b's text_simplified covered by them, 0–1.",
            "passages": "JSON [[a_start, a_end, b_start, b_end], …]: passages of 20+ "
            "characters both print, offsets into text_simplified.",
            "number_diffs": 'JSON list of cells both print with different values ({"table", '
            '"block", "row", "column", "a", "b"}), or differing figures ({"figure", "a", "b"}).',
        },
    ),
    "clusters": TableDoc(
        "Connected components of the audit pairs of one kind, with the member that stands "
        "for them; rebuilt on every audit. cluster_members.cluster_id joins clusters.id.",
        {
            "id": "kind:canonical_report_id.",
            "kind": "The relation kind of its pairs (as audit_pairs.kind).",
            "canonical_report_id": "The canonical member (reports.id): for copies the one on "
            "the agency's own host, earliest, least spam; for reuse and cross_agency the "
            "source.",
            "size": "Number of member reports (≥ 2).",
            "rule": "Why that member is canonical, in words.",
        },
    ),
    "cluster_members": TableDoc(
        "The reports of each cluster, the canonical one included. Joins clusters on "
        "cluster_id and reports on report_id.",
        {
            "id": "cluster_id:report_id.",
            "cluster_id": "The cluster (clusters.id).",
            "report_id": "The member report (reports.id).",
            "similarity": "Exact Jaccard to the canonical member, 0–1 (1 for the canonical).",
            "is_canonical": "1 for the canonical member, else 0.",
        },
    ),
    "audit_minhash": TableDoc(
        "The audit's persisted input, one row per report hashed: the next audit hashes only "
        "new or changed reports. report_id joins reports.id.",
        {
            "report_id": "The report (reports.id); the primary key.",
            "text_hash": "First 16 hex of sha1 of the normalised text_simplified (no "
            "whitespace or holes, punctuation width folded): equal hashes are exact copies.",
            "signature": "128 MinHash values, uint32 little-endian (BLOB of 512 bytes); empty "
            "when the masked text has no shingle.",
        },
    ),
    "audit_boilerplate": TableDoc(
        "The template boilerplate the audit masks before hashing, decided from the data: "
        "shingles printed by too many reports to tell them apart. One row; recounted (and "
        "every signature and pair dropped) when the archive grows or shrinks by a quarter.",
        {
            "id": "First 16 hex of sha1 of the vocabulary; a new id invalidates every signature.",
            "reports": "Reports in the archive when it was counted.",
            "sample": "Reports whose shingles were counted (the smallest ids, at most 5,000).",
            "min_df": "A shingle in more than this many sampled reports is boilerplate.",
            "shingles": "JSON object {shingle: document frequency in the sample}.",
        },
    ),
    "audit_runs": TableDoc(
        "One row per `nianbao audit` run: what it looked at and found.",
        {
            "id": "The run's start time (ISO 8601, UTC).",
            "started": "The same start time.",
            "reports": "Reports in the archive.",
            "new_reports": "Of them, reports new or changed since the last run (hashed anew).",
            "candidate_pairs": "Pairs proposed (LSH, equal hashes, same agency in adjacent "
            "years), each with a new report.",
            "verified_pairs": "Of those, pairs whose exact Jaccard confirmed a relation.",
            "seconds": "Wall-clock seconds the run took.",
        },
    ),
    "attachments": TableDoc(
        "A page titled as a report that links files in its 附件 block: one row per linked "
        "file, report or not. A report read from the file (reports.url = attachments.url) "
        "takes this page's metadata.",
        {
            "id": "First 16 hex of sha1 of page capture id and attachment URL.",
            "page_capture_id": "The linking page's capture (captures.id).",
            "page_url": "The linking page's URL.",
            "url": "The attachment's absolute URL.",
            "title": "The page's title; NULL if none.",
            "published": "The page's publication date, YYYY-MM-DD; NULL if none.",
            "index_no": "The page's 索引号; NULL if none.",
            "doc_no": "The page's 文号; NULL if none.",
        },
    ),
    "sheet_cells": TableDoc(
        "Cells of tables 2–4 in a spreadsheet attachment that holds no report text; the "
        "report of the page linking it takes them as stats with source 'sheet'. url joins "
        "attachments.url.",
        {
            "id": "capture_id:table_no:block:row:column.",
            "capture_id": "The spreadsheet's capture (captures.id); its latest one is used.",
            "url": "The spreadsheet's URL (attachments.url).",
            "table_no": "2 | 3 | 4, as stats.table_no.",
            "block": "Block label, as stats.block.",
            "row": "Row label, as stats.row.",
            "column": "Column label, as stats.column.",
            "value": "The number; NULL for /, —, 无, empty or unreadable, as stats.value.",
            "raw": "The cell as printed.",
        },
    ),
    "blocked": TableDoc(
        "A response that was a block page instead of content: a WAF challenge, a script "
        "shell, a JS cookie check, a login wall or an empty body. Kept in the WARCs, never "
        "extracted; a later or slower try may get through. capture_id joins captures.id.",
        {
            "id": "The capture id: one row per blocked response.",
            "capture_id": "The response (captures.id).",
            "url": "The URL requested.",
            "host": "Lower-case host name of url.",
            "reason": "waf-412 | script-only | js-cookie | login-wall | empty.",
        },
    ),
    "errors": TableDoc(
        "Something that could not be fetched, read or extracted, one row per distinct "
        "problem; the crawl and the database go on without it.",
        {
            "id": "First 16 hex of sha1 of (url, stage, capture_id, message): repeats collapse.",
            "url": "The URL concerned; NULL for a whole damaged file.",
            "capture_id": "The record concerned (captures.id); NULL when none.",
            "stage": "fetch | archive | revisit | segments | decode | type | size | parse "
            "(text the HTML parser's limits cost, and how it was read instead) | attachment "
            "| tables | ocr | extract-bug.",
            "message": "What went wrong, in words.",
        },
    ),
}

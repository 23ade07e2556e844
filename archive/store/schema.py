"""The SQLite schema: tables, columns, primary keys and indexes (sqlite-utils creates them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from nianbao.archive.errors import NewerDatabase
from nianbao.archive.search.index import ensure_search
from nianbao.extract.metadata import agency_key
from nianbao.extract.version import installed

# PRAGMA user_version of the databases this code writes. Raise it, with a step in MIGRATIONS,
# whenever a change needs more than new tables or columns (which ensure_schema adds itself).
# 0: databases from before the schema had a version. 1: checks without a state.
SCHEMA_VERSION = 2

TABLES: dict[str, dict[str, type | str]] = {  # a type, or "ANY" (SQLite's untyped column)
    "meta": {  # key -> value: schema_version, created_by, and a version per RECORDED
        "key": str,
        "value": str,
    },
    "crawls": {
        "id": str,  # crawl id from the warcinfo record (else the writer prefix)
        "prefix": str,
        "started": str,  # WARC-Date of the crawl's earliest warcinfo record
        "software": str,
        "fields": str,  # all warcinfo fields as JSON
        "warcinfo_id": str,  # the earliest warcinfo record, the one this row comes from
    },
    "captures": {
        "id": str,  # WARC-Record-ID
        "crawl_id": str,
        "record_type": str,
        "url": str,
        "host": str,
        "date": str,  # WARC-Date as archived
        "status": int,
        "mime": str,
        "payload_digest": str,
        "warc_file": str,  # file name only: merged archives keep working
        "offset": int,
        "length": int,
        "concurrent_to": str,
        # a record split over several (WARC 1.1 §5.8): the first segment's id, this one's
        # number, and on the last the whole block's length; NULL for whole records
        "segment_origin_id": str,
        "segment_number": int,
        "segment_total_length": int,
        "etag": str,  # the answer's validators, sent back by the next crawl of the URL
        "last_modified": str,
        "profile": str,  # a revisit's WARC-Profile (server-not-modified, identical-payload-digest)
        "refers_to": str,  # a revisit's WARC-Refers-To: the record that holds its payload
    },
    "reports": {
        "id": str,  # first 16 hex of sha1(url + "\n" + payload digest)
        "capture_id": str,  # the earliest capture by (date, capture id)
        "url": str,
        "host": str,
        "title": str,  # printed title, spam cut out and the words it replaced put back
        "agency": str,  # likewise; a word no copy could restore stays a hole (□)
        "region": str,  # administrative prefix of the agency (北京市大兴区)
        "year": int,
        "published": str,
        "index_no": str,
        "doc_no": str,
        "script": str,
        "generation": str,
        "charset": str,
        "text": str,  # clean text: chrome and spam removed, holes marked □
        "text_original": str,  # main text before spam removal (spam offsets refer to it)
        "text_simplified": str,  # the clean text in Simplified script (OpenCC t2s)
        "title_original": str,  # the title as printed, spam included
        "agency_original": str,  # the agency as read from the page, spam included
        "agency_simplified": str,  # agency in Simplified (t2s), for grouping; NULL if it has □
        "spam_score": float,  # 0 clean … 1 certainly spam
        "notes": str,  # JSON list of extraction notes
        "template": str,  # table template read from the tables: "2019" | "2021"
        "source_format": str,  # what the report was read from: html, pdf, docx, xlsx
        # a report read from an attachment: the page that links it (its metadata is theirs)
        "page_url": str,
        "page_capture_id": str,
        # what extracted it: "nianbao/0.1.0 trafilatura/2.3.1 …"; NULL: before versions were kept
        "extractor_version": str,
        # from the captures of this URL (sightings pass after every crawl and reindex):
        "seen": int,  # captures with this payload: the first, then revisits and identical ones
        "last_seen": str,  # WARC-Date of the latest of them
        "gone": str,  # WARC-Date of the first 404/410 answer after last_seen; NULL: still there
    },
    "sections": {
        "id": str,  # report_id:number
        "report_id": str,
        "number": int,
        "heading": str,
        "text": str,
    },
    "stats": {  # one statistical cell of tables 2–4, long form
        "id": str,  # report_id:table:block:row:column
        "report_id": str,
        "table_no": int,
        "block": str,
        "row": str,
        "column": str,
        "value": "ANY",  # int or float as printed; NULL for "/", "—", "无", "" or unreadable
        "raw": str,  # the cell as printed
        # NULL: read from the page or file; "ocr": read from a picture; "sheet": from a
        # spreadsheet the page links (sheet_cells)
        "source": str,
        "confidence": float,  # OCR only: the reading's confidence, 0-100 (Tesseract's)
    },
    "checks": {  # one template identity evaluated on a report's cells
        "id": str,  # report_id:identity
        "report_id": str,
        "identity": str,
        "expected": "ANY",  # the sum of the parts ("/", "—", "无" as 0); NULL if one is blank
        "actual": "ANY",  # the printed total, likewise; NULL if blank
        "ok": int,  # 1 ok, 0 failed, NULL unchecked (the same as state, for older readers)
        # "ok" | "failed" (always two numbers) | "unchecked" (an operand printed empty,
        # unreadable or not printed: never summed as 0) | "reread" (failed on cells read by
        # OCR: a hint to look at the picture again, not a finding)
        "state": str,
        "blank_cells": str,  # JSON list of "table:block:row:column" (stats ids after report:)
    },
    "missing_tables": {  # a table the report should have but printed as a picture or not at all
        "id": str,  # report_id:table
        "report_id": str,
        "table_no": int,
        "reason": str,  # "image" | "not found" (labelled, unreadable) | "absent" (none printed)
        "image_urls": str,  # JSON list
    },
    "figures": {  # a key number stated in a sentence (主动公开信息63条 …)
        "id": str,  # report_id:offset:key
        "report_id": str,
        "key": str,  # proactive_items, requests_received, requests_answered, admin_review, …
        "value": "ANY",
        "unit": str,  # as printed: 条, 件, 起, 元, 万元; "" for a phrase meaning none
        "sentence": str,  # as printed in reports.text (a spam copy's holes included)
        "offset": int,  # where the phrase starts in reports.text
        "sentence_offset": int,  # where the sentence starts in reports.text
    },
    "spam_findings": {  # injected spam found in a report's original text or its head
        "id": str,  # report_id:start:kind, and :place outside the text
        "report_id": str,
        "kind": str,  # entity_hijack | keyword_swap | stuffed_header | pinyin
        "start": int,  # offset in reports.text_original (or in the head string: place)
        "end": int,
        "injected": str,
        "restored": str,  # the words it replaced, read from another copy (NULL if none)
        "restored_from": str,  # the report those words were read from
        # "text" (offsets in text_original), or a stuffed header in the page's head:
        # "title", "keywords", "description" (offsets in that string); NULL: older rows, text
        "place": str,
    },
    "audit_pairs": {  # one verified relation between two reports (archive/audit)
        "id": str,  # kind:a_report_id:b_report_id
        "kind": str,  # exact | script_twin | spam_mirror | near_duplicate | reuse | cross_agency
        "a_report_id": str,  # the copy, twin, mirror, later year or copier (see audit docs)
        "b_report_id": str,  # the canonical, original, earlier year or source
        "similarity": float,  # exact Jaccard of the masked shingle sets
        "a_share": float,  # share of a's text_simplified covered by aligned passages
        "b_share": float,
        "passages": str,  # JSON [[a_start, a_end, b_start, b_end], ...] into text_simplified
        "number_diffs": str,  # JSON [{"table", "block", "row", "column", "a", "b"} | {"figure", …}]
    },
    "clusters": {  # connected components of one relation kind
        "id": str,  # kind:canonical_report_id
        "kind": str,
        "canonical_report_id": str,
        "size": int,
        "rule": str,  # why that member is canonical
    },
    "cluster_members": {
        "id": str,  # cluster_id:report_id
        "cluster_id": str,
        "report_id": str,
        "similarity": float,  # exact Jaccard to the canonical member
        "is_canonical": int,
    },
    "audit_minhash": {  # persisted LSH input: only new or changed reports are hashed again
        "report_id": str,
        "text_hash": str,  # sha1 of the normalised text (equal hashes: exact copies)
        "signature": bytes,  # MinHash values, uint32 little-endian; empty for no shingles
    },
    "audit_boilerplate": {  # the template shingles masked before hashing, decided from data
        "id": str,  # sha1 of the vocabulary (changes invalidate every signature)
        "reports": int,  # reports in the archive when it was computed
        "sample": int,  # reports whose shingles were counted
        "min_df": int,  # a shingle in more than this many sampled reports is boilerplate
        "shingles": str,  # JSON {shingle: document frequency in the sample}
    },
    "audit_runs": {
        "id": str,  # start time, ISO
        "started": str,
        "reports": int,
        "new_reports": int,
        "candidate_pairs": int,
        "verified_pairs": int,
        "seconds": float,
    },
    "attachments": {  # a page titled as a report that links files (its 附件 block)
        "id": str,  # page capture id + attachment URL, hashed
        "page_capture_id": str,
        "page_url": str,
        "url": str,  # the attachment's URL: a report read from it is reports.url
        # the page's metadata, which the attachment's report takes (completion)
        "title": str,
        "published": str,
        "index_no": str,
        "doc_no": str,
    },
    # tables 2-4 of a spreadsheet attachment that holds no report text: the report of the page
    # linking it takes them as stats with source 'sheet' (completion)
    "sheet_cells": {
        "id": str,  # capture_id:table:block:row:column
        "capture_id": str,
        "url": str,  # the spreadsheet's URL (attachments.url)
        "table_no": int,
        "block": str,
        "row": str,
        "column": str,
        "value": "ANY",
        "raw": str,
    },
    "blocked": {  # a response that was a WAF challenge, script shell, login wall or empty
        "id": str,  # the capture id: one row per blocked response
        "capture_id": str,
        "url": str,
        "host": str,
        "reason": str,  # waf-412 | script-only | js-cookie | login-wall | empty
    },
    "errors": {
        "id": str,  # stable hash of (url, stage, capture_id, message)
        "url": str,
        "capture_id": str,
        "stage": str,
        "message": str,
    },
}

# Tables whose rows belong to one report and are replaced with it.
CHILD_TABLES = ("sections", "stats", "checks", "missing_tables", "figures", "spam_findings")

# Tables keyed by something other than "id".
PRIMARY_KEYS = {"audit_minhash": "report_id", "meta": "key"}

FOREIGN_KEYS = {name: [("report_id", "reports", "id")] for name in CHILD_TABLES}

INDEXES: dict[str, list[list[str]]] = {
    "captures": [["url"], ["payload_digest"], ["crawl_id"], ["segment_origin_id"]],
    "reports": [["year"], ["agency"], ["agency_simplified"], ["host"], ["capture_id"]],
    "sections": [["report_id"]],
    "stats": [["report_id"], ["table_no", "block", "row", "column"]],
    "checks": [["report_id"], ["ok"], ["state"]],
    "missing_tables": [["report_id"]],
    "figures": [["report_id"], ["key"]],
    "spam_findings": [["report_id"], ["kind"]],
    "errors": [["stage"]],
    "blocked": [["host"], ["url"]],
    "attachments": [["url"], ["page_capture_id"], ["page_url"]],
    "sheet_cells": [["url"], ["capture_id"]],
    "audit_pairs": [["kind"], ["a_report_id"], ["b_report_id"]],
    "clusters": [["kind"]],
    "cluster_members": [["cluster_id"], ["report_id"]],
    "audit_minhash": [["text_hash"]],
}


def _fill_agency_simplified(db: Database) -> None:
    """0 -> 1: rows stored before the grouping key existed get it from their agency.

    Other columns added since stay NULL until `nianbao reindex` (agency_original,
    figures.sentence_offset, extractor_version): only the WARCs can tell their values.
    """
    rows = db.execute(
        "select id, agency from reports where agency is not null and agency_simplified is null"
    ).fetchall()
    for report, agency in rows:
        db.execute(
            "update reports set agency_simplified = ? where id = ?", [agency_key(agency), report]
        )


def _fill_check_state(db: Database) -> None:
    """1 -> 2: checks stored before the state column get one from ok, expected and actual.

    A step, not just the added column: every reader may rely on state, and on "a failed check
    has two numbers". Rows that failed on a blank total (actual NULL) become unchecked, with
    ok NULL. Which cells were blank, and failures computed from blanks summed as 0 (expected
    0 against a printed 805), only a reindex can tell: blank_cells stays NULL until then.
    """
    db.execute(
        "update checks set state = case"
        " when ok = 1 then 'ok'"
        " when expected is null or actual is null then 'unchecked'"
        " else 'failed' end where state is null"
    )
    db.execute("update checks set ok = null where state = 'unchecked'")


# Step n turns a database of schema n into one of schema n + 1, after the additive pass.
MIGRATIONS: dict[int, Callable[[Database], None]] = {
    0: _fill_agency_simplified,
    1: _fill_check_state,
}

# The distributions recorded in the meta table: the writer and what shapes the rows it writes.
RECORDED = (
    "nianbao",
    "trafilatura",
    "lxml",
    "opencc",
    "charset-normalizer",
    "scrapy",
    "warcio",
    "sqlite-utils",
    "datasketch",
)


def check_version(found: int, path: Path | str) -> None:
    """Refuse a database whose schema is newer than this code's (raises NewerDatabase)."""
    if found > SCHEMA_VERSION:
        raise NewerDatabase(
            f"{path} was written by a newer nianbao (schema {found}; this one knows up to "
            f"{SCHEMA_VERSION}): upgrade nianbao (pip install -U nianbao) to read or write it"
        )


def _record_versions(db: Database) -> None:
    """The meta table: the schema, which nianbao made the database, and who wrote it last.

    No timestamps: a crawl's database and the one reindex rebuilds from its WARCs stay equal.
    """
    meta = db.table("meta")
    if not db.execute("select 1 from meta where key = 'created_by'").fetchone():
        meta.upsert({"key": "created_by", "value": f"nianbao/{installed('nianbao')}"}, pk="key")
    rows = [{"key": "schema_version", "value": str(SCHEMA_VERSION)}]
    rows += [{"key": name, "value": installed(name)} for name in RECORDED]
    meta.upsert_all(rows, pk="key")


def ensure_schema(db: Database) -> None:
    """Bring the database to SCHEMA_VERSION and record who wrote it; data is left alone.

    Missing tables, columns and indexes are added, then each migration step from the
    database's version on runs once; a database of a newer schema is refused.
    """
    (found,) = db.execute("PRAGMA user_version").fetchone()
    check_version(found, db.conn.execute("PRAGMA database_list").fetchone()[2] or "database")
    _add_missing(db)
    with db.conn:  # the steps and the new version land together, or not at all
        for step in range(found, SCHEMA_VERSION):
            MIGRATIONS[step](db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _record_versions(db)
    ensure_search(db)


def _add_missing(db: Database) -> None:
    """Create missing tables, columns and indexes; existing data is left alone."""
    for name, columns in TABLES.items():
        table = db.table(name)
        if not table.exists():
            table.create(
                columns, pk=PRIMARY_KEYS.get(name, "id"), foreign_keys=FOREIGN_KEYS.get(name)
            )
            continue
        missing = {col: kind for col, kind in columns.items() if col not in table.columns_dict}
        for column, kind in missing.items():
            table.add_column(column, kind)
    for name, indexes in INDEXES.items():
        for index in indexes:
            db.table(name).create_index(index, if_not_exists=True)

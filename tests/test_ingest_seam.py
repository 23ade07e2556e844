"""The seam: records drained from the WARC writer, submitted while their file is still open."""

from __future__ import annotations

import sqlite3

import pytest

from nianbao.archive import Store, reindex
from nianbao.archive.ingest.seam import RecordIngest
from tests.test_archive_support import T0, counting_ids, exchange, fake_extract, html_page, writer

TABLES = ("crawls", "captures", "reports", "sections", "errors")


def rows(db_path) -> dict[str, list[tuple]]:
    with Store(db_path) as store:
        return {table: store.rows(table) for table in TABLES}


def test_submitted_records_give_the_database_reindex_builds(tmp_path):
    w = writer(tmp_path / "warc", "crawl", id_factory=counting_ids())
    page = html_page("北京市财政局2023年度报告", 2023, ["一、总体情况 本年度"])
    ingest = RecordIngest(Store(tmp_path / "crawl.sqlite"), extractor=fake_extract)
    w.write_exchange(exchange("http://czj.beijing.gov.cn/nb/2023.html", page))
    first = ingest.submit(w.drain())  # the file is still .open: read back as the crawl does
    w.write_exchange(exchange("http://www.beijing.gov.cn/missing.html", b"x", status=404))
    w.write_fetch_error("http://www.beijing.gov.cn/slow", "TimeoutError: 180 s", T0)
    second = ingest.submit(w.drain())
    assert [r.record_type for r in first] == ["warcinfo", "request", "response"]
    assert [r.record_type for r in second] == ["request", "response", "metadata"]
    assert [r.report_id is not None for r in first] == [False, False, True]
    assert ingest.finish() == 0  # nothing to restore in a clean report
    w.close()
    with pytest.raises(sqlite3.ProgrammingError):  # finish closed the store
        ingest.store.db.execute("select 1")
    reindex(w.paths, tmp_path / "reindex.sqlite", extractor=fake_extract)
    crawled = rows(tmp_path / "crawl.sqlite")
    assert all(crawled[table] for table in TABLES)
    assert crawled == rows(tmp_path / "reindex.sqlite")

"""The seam: records drained from the WARC writer, submitted while their file is still open."""

from __future__ import annotations

import sqlite3

import pytest

from nianbao.archive import Store, reindex
from nianbao.archive.ingest.seam import RecordIngest
from nianbao.archive.warc.reader import read_capture, warc_file_name
from tests.test_archive_support import T0, counting_ids, exchange, fake_extract, html_page, writer

TABLES = ("crawls", "captures", "reports", "sections", "errors")


def rows(db_path) -> dict[str, list[tuple]]:
    with Store(db_path) as store:
        return {table: store.rows(table) for table in TABLES}


@pytest.mark.parametrize("workers", [0, 2])
def test_submitted_records_give_the_database_reindex_builds(tmp_path, workers):
    w = writer(tmp_path / "warc", "crawl", id_factory=counting_ids())
    page = html_page("北京市财政局2023年度报告", 2023, ["一、总体情况 本年度"])
    results = []
    ingest = RecordIngest(
        Store(tmp_path / "crawl.sqlite", any_thread=True),
        extractor=fake_extract,
        workers=workers,
        on_result=results.append,
    )
    w.write_exchange(exchange("http://czj.beijing.gov.cn/nb/2023.html", page))
    ingest.submit(w.drain())  # the file is still .open: read back as the crawl does
    w.write_exchange(exchange("http://www.beijing.gov.cn/missing.html", b"x", status=404))
    w.write_fetch_error("http://www.beijing.gov.cn/slow", "TimeoutError: 180 s", T0)
    ingest.submit(w.drain())
    w.close()  # renamed while records may still wait to be read back: found under the new name
    assert ingest.finish() == 0  # nothing to restore in a clean report
    assert ingest.pending == 0
    assert [r.record_type for r in results] == [
        *("warcinfo", "request", "response"),
        *("request", "response", "metadata"),
    ]
    assert [r.report_id is not None for r in results[:3]] == [False, False, True]
    with pytest.raises(sqlite3.ProgrammingError):  # finish closed the store
        ingest.store.db.execute("select 1")
    reindex(w.paths, tmp_path / "reindex.sqlite", extractor=fake_extract)
    crawled = rows(tmp_path / "crawl.sqlite")
    assert all(crawled[table] for table in TABLES)
    assert crawled == rows(tmp_path / "reindex.sqlite")


def test_a_record_is_read_back_while_its_file_is_open_and_once_it_is_closed(tmp_path):
    w = writer(tmp_path / "warc", "crawl", id_factory=counting_ids())
    w.write_exchange(exchange("http://www.beijing.gov.cn/a.html", html_page("x", 2023, ["y"])))
    record = w.drain()[-1]  # named by the file's final name, which does not exist yet
    assert not record.path.exists()
    while_open = read_capture(record.path, record.ref.offset)
    w.close()
    assert record.path.exists()
    assert read_capture(record.path, record.ref.offset) == while_open
    assert while_open.url == "http://www.beijing.gov.cn/a.html"
    assert while_open.warc_file == warc_file_name(record.path)

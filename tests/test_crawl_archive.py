"""The crawl's WARC files: complete, faithful to what the server sent, and enough to rebuild."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive.warc.reader import parse_warc_fields
from tests.conftest import Crawled, run_cli

pytestmark = pytest.mark.crawl  # every test reads the session's crawl


def records(paths: list[Path]):
    for path in paths:
        with path.open("rb") as stream:
            yield from ArchiveIterator(stream)


def table_contents(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    names = [
        n
        for (n,) in conn.execute(
            "select name from sqlite_master where type = 'table' "
            "and name not like 'sqlite_%' and name not like '%_fts%'"
        )
    ]
    return {n: sorted(conn.execute(f"select * from [{n}]").fetchall(), key=repr) for n in names}


def test_every_warc_parses_and_starts_with_warcinfo(crawled: Crawled) -> None:
    assert crawled.warcs
    for path in crawled.warcs:
        with path.open("rb") as stream:
            types = [r.rec_type for r in ArchiveIterator(stream)]
        assert types[0] == "warcinfo"
        assert {"request", "response"} <= set(types)


def test_response_payloads_equal_what_the_server_served(crawled: Crawled) -> None:
    compared = gzipped = 0
    for record in records(crawled.warcs):
        if record.rec_type != "response":
            continue
        assert record.rec_headers.get_header("WARC-Type") == "response"
        url = record.rec_headers.get_header("WARC-Target-URI")
        page = crawled.world.lookup(url)
        raw = record.raw_stream.read()
        if page is None:
            continue
        headers = record.http_headers
        assert headers.get_statuscode() == str(page.status), url
        if (headers.get_header("Content-Encoding") or "").lower() == "gzip":
            assert gzip.decompress(raw) == page.body, url
            gzipped += 1
        else:
            assert raw == page.body, url
        compared += 1
    assert compared >= len(crawled.world.reports)
    assert gzipped > 0, "the simulated web gzips some pages; the archive must keep them so"


def test_requests_and_responses_are_linked(crawled: Crawled) -> None:
    requests, responses = {}, {}
    for record in records(crawled.warcs):
        rid = record.rec_headers.get_header("WARC-Record-ID")
        if record.rec_type == "request":
            requests[rid] = record.rec_headers.get_header("WARC-Concurrent-To")
        elif record.rec_type == "response":
            responses[rid] = record.rec_headers.get_header("WARC-Target-URI")
        assert record.rec_headers.protocol == "WARC/1.1"
    assert len(requests) == len(responses) > 0
    assert set(requests.values()) == set(responses)


def test_every_server_request_is_archived(crawled: Crawled) -> None:
    archived = {
        r.rec_headers.get_header("WARC-Target-URI")
        for r in records(crawled.warcs)
        if r.rec_type in ("response", "metadata")
    }
    served = {url for _, url in crawled.requests}
    # refused off-portal targets are archived as errors and were never sent (tests/test_scope.py)
    refused = set(crawled.world.offsite_traps.values())
    assert served == archived - refused


def test_a_refused_link_names_the_page_that_linked_it(crawled: Crawled) -> None:
    pages = {r.rec_headers.get_header("WARC-Target-URI") for r in records(crawled.warcs)}
    errors = [
        parse_warc_fields(r.content_stream().read())
        for r in records(crawled.warcs)
        if r.rec_type == "metadata"
    ]
    refused = [f for f in errors if f["error"].startswith("OffPortalRequest")]
    assert refused and all(f["via"] in pages and f["attempt"] == "1" for f in refused)


@pytest.mark.slow
def test_reindex_equals_crawl_database_and_is_idempotent(crawled: Crawled, tmp_path) -> None:
    db = tmp_path / "re.db"
    done = run_cli("reindex", str(crawled.out / "warc"), "--db", str(db), "--workers", "2")
    assert done.returncode == 0, done.stderr
    crawl_tables = table_contents(crawled.db)
    assert crawl_tables["reports"]
    assert table_contents(db) == crawl_tables
    again = run_cli("reindex", str(crawled.out / "warc"), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert table_contents(db) == crawl_tables

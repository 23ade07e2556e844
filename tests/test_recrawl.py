"""Re-crawls into an existing output folder: unchanged answers become revisit records."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive.warc.exchange import IDENTICAL, NOT_MODIFIED
from tests.conftest import Crawled, crawl_world, run_cli
from tests.test_crawl_archive import table_contents


def records(paths: list[Path]) -> list[dict[str, str]]:
    """Every record's WARC headers (and its HTTP status), read with warcio."""
    out = []
    for path in paths:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                fields = dict(record.rec_headers.headers)
                if record.http_headers is not None and record.rec_type == "request":
                    fields["method"] = record.http_headers.protocol  # the verb, in warcio
                elif record.http_headers is not None:
                    fields["status"] = record.http_headers.get_statuscode()
                out.append(fields)
    return out


@pytest.fixture(scope="module")
def twice(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawled, Crawled]:
    """The session's crawl copied, and a second crawl of the same world into that copy."""
    out = tmp_path_factory.mktemp("recrawl") / "out"
    shutil.copytree(crawled.out, out)
    first = Crawled(crawled.world, crawled.requests, out, crawled.registry, crawled.stdout)
    return first, crawl_world(crawled.world, out, prefix="again")


@pytest.mark.crawl
def test_unchanged_pages_are_archived_as_revisits_of_their_first_capture(twice) -> None:
    first, second = twice
    old = [p for p in second.warcs if p.name.startswith("test-")]
    new = [p for p in second.warcs if p.name.startswith("again-")]
    assert old and new
    before = {r["WARC-Record-ID"]: r for r in records(old) if r["WARC-Type"] == "response"}
    again = records(new)
    revisits = [r for r in again if r["WARC-Type"] == "revisit"]
    responses = [r for r in again if r["WARC-Type"] == "response"]
    ok_before = [r for r in before.values() if r["status"] == "200"]
    # the simulated web serves the same bytes again for all but pages drawn per request
    assert len(revisits) >= 0.9 * len(ok_before)
    for revisit in revisits:
        assert revisit["WARC-Profile"] in (IDENTICAL, NOT_MODIFIED)
        original = before[revisit["WARC-Refers-To"]]
        assert revisit["WARC-Refers-To-Target-URI"] == original["WARC-Target-URI"]
        assert revisit["WARC-Target-URI"] == original["WARC-Target-URI"]
        assert revisit["WARC-Refers-To-Date"] == original["WARC-Date"]
        assert revisit["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
        assert "WARC-Concurrent-To" in revisit
    # a 200 answer to a GET written whole again had a payload of its own (a POST's answer
    # is not the URL's: always whole)
    digests = {(r["WARC-Target-URI"], r.get("WARC-Payload-Digest")) for r in before.values()}
    method = {r["WARC-Concurrent-To"]: r["method"] for r in again if r["WARC-Type"] == "request"}
    for response in responses:
        if response["status"] == "200" and method[response["WARC-Record-ID"]] == "GET":
            assert (response["WARC-Target-URI"], response["WARC-Payload-Digest"]) not in digests
    new_bytes = sum(p.stat().st_size for p in new)
    old_bytes = sum(p.stat().st_size for p in old)
    # request + revisit heads only: on these small pages about half, on real ones far less
    assert new_bytes < 0.6 * old_bytes, (new_bytes, old_bytes)


@pytest.mark.crawl
def test_a_recrawl_marks_reports_seen_again_and_adds_none(twice, crawled: Crawled) -> None:
    first, second = twice
    before = table_contents(crawled.db)
    after = table_contents(second.db)
    conn = sqlite3.connect(second.db)
    columns = [row[1] for row in conn.execute("pragma table_info(reports)")]
    seen, last_seen = columns.index("seen"), columns.index("last_seen")

    def without_sightings(rows: list[tuple]) -> list[tuple]:
        return [tuple(v for i, v in enumerate(r) if i not in (seen, last_seen)) for r in rows]

    assert without_sightings(after["reports"]) == without_sightings(before["reports"])
    assert after["sections"] == before["sections"] and after["stats"] == before["stats"]
    assert {r[seen] for r in before["reports"]} == {1}
    assert {r[seen] for r in after["reports"]} == {2}
    second_crawl = conn.execute(
        "select max(date) from captures where warc_file like 'again-%'"
    ).fetchone()[0]
    assert all(r[last_seen] > before["reports"][0][last_seen] for r in after["reports"])
    assert all(r[last_seen] <= second_crawl for r in after["reports"])


@pytest.mark.crawl
def test_reindex_of_a_recrawled_folder_equals_its_database(twice, tmp_path) -> None:
    _, second = twice
    db = tmp_path / "re.db"
    done = run_cli("reindex", str(second.out / "warc"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert table_contents(db) == table_contents(second.db)

"""A re-crawl of a world that changed since the first crawl (simweb.changes, run 1): 304s
and identical answers become revisits per host, an edited report a new capture and report
row, a removed one gone (its captures kept), a new one a report, and reindex agrees."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive.store.history import url_history
from nianbao.archive.warc.exchange import IDENTICAL, NOT_MODIFIED
from nianbao.simweb import build_world
from nianbao.simweb.agencies import CHAOYANG, WWW
from nianbao.simweb.changes import ChangingWorld
from nianbao.simweb.conditional import HOST_VALIDATORS
from nianbao.simweb.truth import TruthReport
from tests.conftest import Crawled, crawl_world, run_cli
from tests.test_crawl_archive import table_contents


@dataclass(frozen=True)
class Record:
    """What these tests read of one WARC record."""

    kind: str
    url: str
    id: str
    concurrent_to: str | None
    profile: str | None
    digest: str | None
    status: str | None  # an answer's HTTP status
    asked: dict[str, str]  # a request's HTTP headers, names lower-cased


def read(paths: list[Path]) -> list[Record]:
    """The records of ``paths`` in order, read with warcio."""
    out = []
    for path in paths:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                head, http = record.rec_headers, record.http_headers
                request = record.rec_type == "request" and http is not None
                out.append(
                    Record(
                        kind=record.rec_type,
                        url=head.get_header("WARC-Target-URI") or "",
                        id=head.get_header("WARC-Record-ID"),
                        concurrent_to=head.get_header("WARC-Concurrent-To"),
                        profile=head.get_header("WARC-Profile"),
                        digest=head.get_header("WARC-Payload-Digest"),
                        status=http.get_statuscode() if http is not None and not request else None,
                        asked={k.lower(): v for k, v in http.headers} if request else {},
                    )
                )
    return out


@pytest.fixture(scope="module")
def changed(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    """The session's crawl copied, then a crawl of the same world one change step later."""
    out = tmp_path_factory.mktemp("changed") / "out"
    shutil.copytree(crawled.out, out)
    world = build_world(seed=7, reports=40, run=1)
    assert world.registry_toml() == crawled.world.registry_toml()
    return crawl_world(world, out, prefix="changed")


def second_run(changed: Crawled) -> list[Record]:
    return read([p for p in changed.warcs if p.name.startswith("changed-")])


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@pytest.mark.crawl
def test_each_host_is_revisited_as_its_validators_allow(changed: Crawled) -> None:
    again = second_run(changed)
    asked = {r.id: r.asked for r in again if r.kind == "request"}
    revisits = [r for r in again if r.kind == "revisit"]
    honouring = {h for h, v in HOST_VALIDATORS.items() if v.honours}
    by_profile = {
        profile: {host(r.url) for r in revisits if r.profile == profile}
        for profile in (NOT_MODIFIED, IDENTICAL)
    }
    # a 304 only where the host answers conditional requests, and from every such host
    assert by_profile[NOT_MODIFIED] == honouring
    for revisit in revisits:
        request = asked[revisit.concurrent_to or ""]
        if revisit.profile == NOT_MODIFIED:
            assert revisit.status == "304"
            policy = HOST_VALIDATORS[host(revisit.url)]
            if policy.etag:
                assert "if-none-match" in request
            if policy.last_modified:
                assert "if-modified-since" in request
    # the host that ignores them answered 200 in full: same bytes, so identical-payload
    chaoyang = [r for r in again if host(r.url) == CHAOYANG and r.kind != "request"]
    assert chaoyang and all(r.profile != NOT_MODIFIED for r in chaoyang)
    assert CHAOYANG in by_profile[IDENTICAL]
    conditional = [r for r in again if host(r.url) == CHAOYANG and "if-none-match" in r.asked]
    assert conditional, "the crawler still asks; the host does not listen"


@pytest.mark.crawl
def test_an_edited_report_gets_a_new_capture_and_report_the_old_one_kept(
    changed: Crawled, crawled: Crawled
) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld) and world.changes.edited
    first = {r.url: r.digest for r in read(crawled.warcs) if r.kind == "response"}
    again = second_run(changed)
    conn = sqlite3.connect(changed.db)
    for url in world.changes.edited:
        answers = [r for r in again if r.url == url and r.kind in ("response", "revisit")]
        assert [(r.kind, r.status) for r in answers] == [("response", "200")], url
        assert answers[0].digest != first[url]
        rows = conn.execute(
            "select r.seen, c.warc_file from reports r join captures c on c.id = r.capture_id"
            " where r.url = ? order by c.date",
            [url],
        ).fetchall()
        assert [(seen, name.split("-")[0]) for seen, name in rows] == [(1, "test"), (1, "changed")]


@pytest.mark.crawl
def test_a_removed_report_is_gone_and_its_captures_stay(changed: Crawled, crawled: Crawled) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld) and world.changes.removed
    again = second_run(changed)
    conn = sqlite3.connect(changed.db)
    for url, status in world.changes.removed:
        assert [r.status for r in again if r.url == url and r.kind == "response"] == [str(status)]
        (gone, seen), *more = conn.execute(
            "select gone, seen from reports where url = ?", [url]
        ).fetchall()
        assert not more and gone is not None and seen == 1, url
    # the first crawl's files are as they were, byte for byte
    for path in crawled.warcs:
        assert (changed.out / "warc" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.crawl
def test_new_reports_are_found_and_unchanged_ones_seen_twice(changed: Crawled) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld) and world.changes.added
    conn = sqlite3.connect(changed.db)
    rows = conn.execute("select url, seen, gone from reports").fetchall()
    seen = {url: n for url, n, _ in rows}
    assert set(world.changes.added) <= set(seen)
    assert all(seen[url] == 1 for url in world.changes.added)
    touched = set(world.changes.added) | set(world.changes.edited)
    touched |= {url for url, _ in world.changes.removed}
    unchanged = [n for url, n, gone in rows if url not in touched and gone is None]
    assert unchanged and set(unchanged) == {2}
    said = re.search(r"earlier reports: (\d+) seen again unchanged, (\d+) gone", changed.stdout)
    assert said, changed.stdout[-2000:]
    assert (int(said[1]), int(said[2])) == (len(unchanged), len(world.changes.removed))


@pytest.mark.crawl
def test_reindex_of_a_changed_folder_equals_its_database(changed: Crawled, tmp_path) -> None:
    db = tmp_path / "re.db"
    done = run_cli("reindex", str(changed.out / "warc"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert table_contents(db) == table_contents(changed.db)


def truth_cell_changes(before: TruthReport, after: TruthReport) -> set[tuple]:
    """The cells the change step edited, read from the two truths, as history shows them."""
    old = {(c.table, c.block, c.row, c.column): c.raw for c in before.tables}
    new = {(c.table, c.block, c.row, c.column): c.raw for c in after.tables}
    return {(*key, old.get(key), new.get(key)) for key in old | new if old.get(key) != new.get(key)}


@pytest.mark.crawl
def test_history_of_an_edited_report_shows_the_cells_the_edit_changed(
    changed: Crawled, crawled: Crawled
) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld)
    for url in world.changes.edited:
        history = url_history(changed.db, url)
        assert [(c.record_type, c.status) for c in history.captures] == [("response", 200)] * 2
        (change,) = history.changes
        assert [change.before, change.after] == [c.report_id for c in history.captures]
        cells = {(c.table_no, c.block, c.row, c.column, c.before, c.after) for c in change.cells}
        truth = truth_cell_changes(crawled.world.by_url[url], world.by_url[url])
        assert truth and cells == truth
        assert change.lines_changed >= 1 and history.gone is None


@pytest.mark.crawl
def test_history_of_unchanged_and_removed_pages(changed: Crawled) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld)
    url, status = world.changes.removed[0]
    history = url_history(changed.db, url)
    assert [c.status for c in history.captures] == [200, status]
    assert history.gone == history.captures[1].date and not history.changes
    conn = sqlite3.connect(changed.db)
    report_id, kept = conn.execute(
        "select id, url from reports where seen = 2 and host = ? limit 1", [WWW]
    ).fetchone()
    history = url_history(changed.db, report_id)  # a report id names its URL
    assert history.url == kept
    assert [(c.record_type, c.profile, c.report_id) for c in history.captures] == [
        ("response", None, report_id),
        ("revisit", NOT_MODIFIED, report_id),
    ]


@pytest.mark.crawl
def test_history_command_prints_and_answers_json(changed: Crawled) -> None:
    world = changed.world
    assert isinstance(world, ChangingWorld)
    url = world.changes.edited[0]
    shown = run_cli("history", url, "--db", str(changed.db))
    assert shown.returncode == 0, shown.stderr
    assert "2 captures, 2 reports, changed 1 time" in " ".join(shown.stdout.split())
    answered = run_cli("history", url, "--db", str(changed.db), "--json")
    data = json.loads(answered.stdout)
    assert data["url"] == url and len(data["changes"]) == 1 and data["changes"][0]["cells"]
    missing = run_cli("history", "http://nowhere.invalid/", "--db", str(changed.db))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "nianbao reports" in missing.stderr

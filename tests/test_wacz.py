"""WACZ export: valid to py-wacz, replayed by pywb as archived, only the chosen reports' records.

py-wacz (``wacz validate``) and pywb run from their own locked environment (tests/peers) as
child processes, pywb on loopback. pywb reads the WACZ as ``wb-manager add --unpack-wacz`` does:
its WARC with its own index, so a wrong offset in the index is a page that does not replay.
What each WACZ must hold is taken from the database with SQL of the test's own, or from what
the WARC writer returned, never from the exporter.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import zipfile
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.archive import read_capture, reindex
from nianbao.archive.errors import PlaceError
from nianbao.archive.export.wacz import (
    MissingWarc,
    NoReports,
    UnknownReports,
    UnreadableRecord,
    WaczError,
    WaczSummary,
    write_wacz,
)
from nianbao.archive.warc.exchange import IDENTICAL, Original, WrittenExchange
from tests.conftest import Crawled
from tests.test_archive_support import REPORT_TITLE, T0, exchange, fake_extract, html_page, writer
from tests.test_replay import (
    ACCEPTS_GZIP,
    PEERS_PYTHON,
    archived_record,
    loopback_env,
    peers_python,
    replay_differences,
    timestamp,
    wayback,
)

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": True}
MANIFESTS = {"datapackage.json", "datapackage-digest.json"}


def py_wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``wacz validate -f path``: the console script, whose exit status is the verdict
    (``python -m wacz`` drops it and always exits 0)."""
    peers_python()  # fails naming the fix when tests/peers/.venv is missing
    return subprocess.run(
        [str(PEERS_PYTHON.parent / "wacz"), "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=loopback_env(),
    )


def member_bytes(data: bytes) -> list[tuple[str, str, bytes]]:
    """(type, WARC-Record-ID, gzip member as stored) of every record, read by warcio."""
    iterator = ArchiveIterator(io.BytesIO(data))
    found = []
    for record in iterator:
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        iterator.read_to_end(record)
        start, length = iterator.get_record_offset(), iterator.get_record_length()
        found.append((record.rec_type, record_id, data[start : start + length]))
    return found


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    """Rows of ``sql`` on the database at ``db``, opened read-only."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def pages_of(wacz: Path) -> tuple[dict, list[dict]]:
    """The header and page lines of pages/pages.jsonl."""
    with zipfile.ZipFile(wacz) as zf:
        lines = zf.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def packaged_warc(wacz: Path) -> bytes:
    with zipfile.ZipFile(wacz) as zf:
        return zf.read("archive/data.warc.gz")


# -- a WACZ of a whole crawl, and of one year of it -------------------------------------------


@pytest.fixture(scope="module")
def whole(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> WaczSummary:
    """A WACZ of every report of the session's crawl, ids in URL order."""
    ids = [i for (i,) in query(crawled.db, "select id from reports order by url")]
    return write_wacz(
        crawled.db, crawled.out / "warc", ids, tmp_path_factory.mktemp("wacz") / "crawl.wacz"
    )


@pytest.mark.crawl
def test_a_wacz_of_every_report_validates_and_replays_each_page_as_archived(
    crawled: Crawled, whole: WaczSummary, tmp_path: Path
) -> None:
    wacz = whole.path
    done = py_wacz_validate(wacz)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Validation succeeded" in done.stdout, done.stdout

    _, pages = pages_of(wacz)
    assert len(pages) >= len(crawled.world.reports)  # each report's line: the next test
    files = {path.name: path for path in crawled.warcs}
    sql = "select r.id, c.warc_file, c.offset from reports r join captures c on c.id = r.capture_id"
    places = {report_id: (file, offset) for report_id, file, offset in query(crawled.db, sql)}
    differences = []
    with wayback(tmp_path / "pywb", [wacz]) as server:
        for page in pages:
            warc_file, offset = places[page["id"]]
            archived = archived_record(files[warc_file], offset)
            assert (archived.url, archived.date) == (page["url"], page["ts"]), page["id"]
            differences += replay_differences(server, archived)
    assert not differences, f"{len(differences)} replays differ:\n" + "\n".join(differences)


@pytest.mark.crawl
def test_pages_are_the_reports_rows_and_the_manifest_digests_every_file(
    crawled: Crawled, whole: WaczSummary
) -> None:
    wacz = whole.path
    header, pages = pages_of(wacz)
    assert header == PAGES_HEADER
    rows = query(
        crawled.db,
        "select r.id, r.url, c.date, r.title, r.text from reports r"
        " join captures c on c.id = r.capture_id order by r.url",
    )
    expected = [{"id": i, "url": u, "ts": ts, "title": t, "text": x} for i, u, ts, t, x in rows]
    assert all(row["title"] and row["text"] for row in expected)  # nothing left out as null
    assert pages == expected  # one line per report, in the order the ids were given

    with zipfile.ZipFile(wacz) as zf:
        manifest_bytes = zf.read("datapackage.json")
        manifest = json.loads(manifest_bytes)
        digest = json.loads(zf.read("datapackage-digest.json"))
        contents = {info.filename: zf.read(info) for info in zf.infolist()}
        stored = {info.filename for info in zf.infolist() if info.compress_type == 0}
    assert (manifest["profile"], manifest["wacz_version"]) == ("data-package", WACZ_VERSION)
    resources = {res["path"]: res for res in manifest["resources"]}
    assert set(resources) == set(contents) - MANIFESTS
    assert {"archive/data.warc.gz", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= set(resources)
    for path, resource in resources.items():
        data = contents[path]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), path
        assert resource["bytes"] == len(data), path
        assert resource["name"] == path.rsplit("/", 1)[1], path
    assert digest == {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(manifest_bytes).hexdigest(),
    }
    # WACZ 1.1.1: what is compressed already is stored, so readers can fetch by offset
    assert {"archive/data.warc.gz", "indexes/index.cdx.gz"} <= stored
    assert whole.bytes == wacz.stat().st_size
    assert whole.reports == len(rows)
    assert not list(wacz.parent.glob("*.partial"))


@pytest.mark.crawl
def test_a_wacz_of_one_year_holds_that_years_records_only(
    crawled: Crawled, whole: WaczSummary, tmp_path: Path
) -> None:
    ((year, count),) = query(
        crawled.db,
        "select year, count(*) from reports where year is not null"
        " group by year order by count(*) desc, year limit 1",
    )
    ids = [i for (i,) in query(crawled.db, "select id from reports where year = ?", year)]
    ((others,),) = query(crawled.db, "select count(*) from reports where year is not ?", year)
    assert count >= 5 and others >= 5  # other years' records exist, to be left out
    # each report's capture and the request of it, then the warcinfo of their files
    records = query(
        crawled.db,
        "select distinct c.id, c.warc_file, c.offset, c.length from reports r join captures c"
        " on c.id = r.capture_id or (c.record_type = 'request' and c.concurrent_to = r.capture_id)"
        " where r.year = ?",
        year,
    )
    files = sorted({warc_file for _, warc_file, _, _ in records})
    records += query(
        crawled.db,
        "select id, warc_file, offset, length from captures where record_type = 'warcinfo'"
        f" and warc_file in ({','.join('?' * len(files))})",
        *files,
    )

    summary = write_wacz(crawled.db, crawled.out / "warc", ids, tmp_path / f"{year}.wacz")

    packaged = member_bytes(packaged_warc(summary.path))
    kinds = Counter(kind for kind, _, _ in packaged)
    assert kinds == {"warcinfo": len(files), "response": count, "request": count}, kinds
    originals = {path.name: path.read_bytes() for path in crawled.warcs}
    expected = {
        record_id: originals[warc_file][offset : offset + length]
        for record_id, warc_file, offset, length in records
    }
    assert {record_id: member for _, record_id, member in packaged} == expected
    assert (summary.reports, summary.records) == (count, len(expected))
    _, pages = pages_of(summary.path)
    assert sorted(page["id"] for page in pages) == sorted(ids)
    # the extracted WARC is checked by warcio and FastWARC after the test (conftest)
    (tmp_path / "data.warc.gz").write_bytes(packaged_warc(summary.path))


# -- a small archive written here: an attachment's page, a revisit, a record left out --------

PAGE = "http://czj.beijing.gov.cn/nb/index.html"
REPORT = "http://czj.beijing.gov.cn/nb/2023.html"
OTHER = "http://mzj.beijing.gov.cn/nb/2022.html"
COPY = "http://www.beijing.gov.cn/copy/2023.html"
REPORT_BODY = html_page(REPORT_TITLE, 2023, ["一、总体情况 本年度", "二、主动公开 规章3件"])


@dataclass(frozen=True)
class Small:
    db: Path
    warcs: Path
    page: WrittenExchange
    report: WrittenExchange
    other: WrittenExchange
    copy: WrittenExchange | None
    ids: dict[str, str]  # report URL -> report id

    @property
    def warc(self) -> Path:
        return self.report.path


def small_archive(root: Path, *, revisit: bool = False) -> Small:
    """Three exchanges in one WARC, the database reindexed from it: REPORT and OTHER are
    reports, PAGE a page that links REPORT as if REPORT were read from its attachment; with
    ``revisit``, COPY too: a revisit of REPORT's payload at another URL, a report there."""
    warcs = root / "warc"
    copy = None
    with writer(warcs, "wacz") as w:
        page = w.write_exchange(exchange(PAGE, html_page("附件", 0, ["附件：2023年度报告"])))
        report = w.write_exchange(exchange(REPORT, REPORT_BODY, gzip_body=True))
        other_body = html_page("北京市民政局2022年度报告", 2022, ["一、总体情况 民政"])
        other = w.write_exchange(exchange(OTHER, other_body))
        if revisit:
            first = read_capture(report.path, report.response.offset)
            original = Original(report.response.record_id, REPORT, first.date, first.payload_digest)
            again = exchange(COPY, REPORT_BODY, gzip_body=True, when=T0 + timedelta(hours=1))
            copy = w.write_revisit(again, original, IDENTICAL)
    db = root / "nianbao.db"
    reindex([report.path], db, extractor=fake_extract)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "update reports set page_url = ?, page_capture_id = ? where url = ?",
            [PAGE, page.response.record_id, REPORT],
        )
        ids = dict(conn.execute("select url, id from reports").fetchall())
    conn.close()
    assert set(ids) == {REPORT, OTHER} | ({COPY} if revisit else set()), ids
    return Small(db, warcs, page, report, other, copy, ids)


def record_ids(wacz: Path) -> list[str]:
    return [record_id for _, record_id, _ in member_bytes(packaged_warc(wacz))]


def test_an_attachment_brings_the_page_that_links_it(tmp_path: Path) -> None:
    small = small_archive(tmp_path)
    warcinfo = small.page.warcinfo
    assert warcinfo is not None  # the file began with the first exchange
    summary = write_wacz(small.db, small.warcs, [small.ids[REPORT]], tmp_path / "a.wacz")
    # in file order, the crawl's warcinfo first; none of OTHER's records
    assert record_ids(summary.path) == [
        warcinfo.record_id,
        *(ref.record_id for w in (small.page, small.report) for ref in (w.request, w.response)),
    ]
    assert (summary.reports, summary.records) == (1, 5)
    _, pages = pages_of(summary.path)
    assert [(p["id"], p["url"]) for p in pages] == [(small.ids[REPORT], REPORT)]


# fastwarc check -p fails every identical-payload revisit WarcWriter writes (the crawler's too):
# it checks the original's WARC-Payload-Digest against the revisit's empty payload
@pytest.mark.broken_warc
def test_a_revisit_brings_the_record_holding_its_payload_and_replays_it(tmp_path: Path) -> None:
    small = small_archive(tmp_path, revisit=True)
    assert small.copy is not None and small.page.warcinfo is not None
    summary = write_wacz(small.db, small.warcs, [small.ids[COPY]], tmp_path / "r.wacz")
    exchanges = (small.report, small.copy)  # the revisited record, the revisit; requests too
    expected = {ref.record_id for w in exchanges for ref in (w.request, w.response)}
    assert set(record_ids(summary.path)) == {small.page.warcinfo.record_id, *expected}
    _, pages = pages_of(summary.path)
    assert [(p["id"], p["url"]) for p in pages] == [(small.ids[COPY], COPY)]

    with wayback(tmp_path / "pywb", [summary.path]) as server:
        copied = server.memento(timestamp(pages[0]["ts"]), COPY, ACCEPTS_GZIP)
        left_out = server.memento(timestamp(pages[0]["ts"]), OTHER, ACCEPTS_GZIP)
    archived = archived_record(small.warc, small.report.response.offset)
    assert (copied.status, copied.body) == (200, archived.sent), copied.body[:300]
    assert left_out.status == 404, left_out.status


def test_a_report_named_twice_is_one_page(tmp_path: Path) -> None:
    small = small_archive(tmp_path)
    ids = [small.ids[OTHER], small.ids[REPORT], small.ids[OTHER]]
    summary = write_wacz(small.db, small.warcs, ids, tmp_path / "twice.wacz", title="两份")
    _, pages = pages_of(summary.path)
    assert [page["url"] for page in pages] == [OTHER, REPORT]
    with zipfile.ZipFile(summary.path) as zf:
        assert json.loads(zf.read("datapackage.json"))["title"] == "两份"


# -- errors: one line naming the fix, and no WACZ (whole or half) under the name -------------


def no_wacz_written(out: Path) -> bool:
    return not out.exists() and not list(out.parent.glob("*.partial"))


def test_no_report_ids_or_unknown_ones_are_an_error(tmp_path: Path) -> None:
    out = tmp_path / "none.wacz"
    # checked before the database is even looked for
    with pytest.raises(NoReports, match="no report ids") as raised:
        write_wacz(tmp_path / "no.db", tmp_path / "no-warc", [], out)
    assert isinstance(raised.value, PlaceError)
    small = small_archive(tmp_path)
    with pytest.raises(UnknownReports, match="0000deadbeef0000"):
        write_wacz(small.db, small.warcs, [small.ids[REPORT], "0000deadbeef0000"], out)
    assert no_wacz_written(out)


def test_a_warc_file_missing_from_the_folder_is_named(tmp_path: Path) -> None:
    small = small_archive(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.replace(small.warc, elsewhere / small.warc.name)
    out = tmp_path / "missing.wacz"
    with pytest.raises(MissingWarc) as raised:
        write_wacz(small.db, small.warcs, [small.ids[REPORT]], out)
    assert isinstance(raised.value, PlaceError)
    assert raised.value.warc_file == small.warc.name
    assert small.warc.name in str(raised.value) and str(small.warcs) in str(raised.value)
    assert no_wacz_written(out)


@pytest.mark.broken_warc
@pytest.mark.parametrize("damage", ["flipped", "cut"])
def test_damaged_record_bytes_are_an_error_and_leave_the_previous_wacz(
    tmp_path: Path, damage: str
) -> None:
    small = small_archive(tmp_path)
    out = tmp_path / "report.wacz"
    write_wacz(small.db, small.warcs, [small.ids[REPORT]], out)
    before = out.read_bytes()
    ref = small.report.response
    data = bytearray(small.warc.read_bytes())
    if damage == "cut":  # the file ends one byte before the record does
        del data[ref.offset + ref.length - 1 :]
    else:  # eight bytes inside the record's gzip member flipped
        middle = ref.offset + ref.length // 2
        data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    small.warc.write_bytes(bytes(data))

    with pytest.raises(UnreadableRecord, match=f"{small.warc.name} at byte {ref.offset}") as raised:
        write_wacz(small.db, small.warcs, [small.ids[REPORT]], out)
    assert isinstance(raised.value, PlaceError)
    assert (raised.value.warc_file, raised.value.offset) == (small.warc.name, ref.offset)
    assert out.read_bytes() == before  # the earlier WACZ stays whole under its name
    assert not list(tmp_path.glob("*.partial"))


def test_a_record_the_database_places_wrongly_is_an_error(tmp_path: Path) -> None:
    small = small_archive(tmp_path)
    other = small.other.response
    with sqlite3.connect(small.db) as conn:  # the database of some other copy of the files
        conn.execute(
            "update captures set offset = ?, length = ? where id = ?",
            [other.offset, other.length, small.report.response.record_id],
        )
    conn.close()
    with pytest.raises(UnreadableRecord, match=f"the record there is {other.record_id}"):
        write_wacz(small.db, small.warcs, [small.ids[REPORT]], tmp_path / "wrong.wacz")


@pytest.mark.parametrize("name", ["reports.zip", "folder.wacz"])
def test_an_output_that_is_no_wacz_file_is_refused(tmp_path: Path, name: str) -> None:
    small = small_archive(tmp_path)
    out = tmp_path / name
    if name.startswith("folder"):
        out.mkdir()
    with pytest.raises(WaczError, match=str(out)):
        write_wacz(small.db, small.warcs, [small.ids[REPORT]], out)

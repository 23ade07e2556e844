"""Reading WARCs Debian's wget wrote (issue 12): wget fetches the simulated web's listing and
report pages through its loopback proxy, and `nianbao reindex` must read every record of its
files (WARC/1.0, wget's own digests, warcinfo, the manifest and log records) as they are.

Everything is held against what wget wrote (counted here with warcio) and against the
simulated web's truth, never against what nianbao produced.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.simweb import SimServer, World
from tests.conftest import run_cli

# serves the simulated web and runs a fetcher against it; each variant's wget run and reindex
# take 7 s alone, 16-20 s on two busy xdist workers (which may each build both variants)
pytestmark = [pytest.mark.crawl, pytest.mark.slow]

WGET = Path("/usr/bin/wget")
# what each variant adds to the plain command; --warc-cdx only adds the index file
VARIANTS = {"gzip": ("--warc-cdx",), "plain": ("--no-warc-compression", "--warc-cdx")}


@dataclass(frozen=True)
class Record:
    """One record of wget's WARC, as warcio reads it."""

    id: str
    type: str
    url: str | None
    offset: int
    length: int
    payload_digest: str | None
    status: int | None
    block: bytes  # the warcinfo's fields; empty for other records


@dataclass(frozen=True)
class Fetched:
    """One wget run over the URL list, and the database `nianbao reindex` built from it."""

    urls: tuple[str, ...]
    requests: tuple[tuple[str, str], ...]  # what the simulated web's server saw
    returncode: int
    log: str
    warc: Path
    cdx: Path
    db: Path
    records: tuple[Record, ...]

    def rows(self, sql: str) -> list[tuple]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


def wget_urls(world: World) -> list[str]:
    """Portal home pages, every listing page, every report page; one redirect chain hop by
    hop, a 404, a 500, and one report twice (two captures of one URL)."""
    listings = [
        f"http://{listing.host}{listing.page_path(index)}"
        for listing in world.listings.values()
        for index in range(listing.page_count)
    ]
    urls = [
        *world.redirect_chains[0],
        min(world.dead_links),
        min(world.error_urls),
        *(url for portal in world.portals for url in portal.start_urls),
        *listings,
        *sorted(url for urls in world.listing_urls.values() for url in urls),
        *(report.url for report in world.reports),
    ]
    return [*dict.fromkeys(urls), world.reports[0].url]


def sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warcinfo_fields(block: bytes) -> dict[str, str]:
    # a field's value is what follows the colon, less the whitespace around it (WARC 1.1 §4)
    lines = block.decode("utf-8").splitlines()
    return {name: value.strip() for name, value in (line.split(":", 1) for line in lines if line)}


def read_records(warc: Path) -> tuple[Record, ...]:
    records = []
    with warc.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            block = record.content_stream().read() if record.rec_type == "warcinfo" else b""
            headers = record.rec_headers
            http = record.http_headers if record.rec_type == "response" else None
            records.append(
                Record(
                    id=headers.get_header("WARC-Record-ID"),
                    type=record.rec_type,
                    url=headers.get_header("WARC-Target-URI"),
                    offset=iterator.get_record_offset(),
                    length=iterator.get_record_length(),
                    payload_digest=headers.get_header("WARC-Payload-Digest"),
                    status=int(http.get_statuscode()) if http else None,
                    block=block,
                )
            )
    return tuple(records)


def run_wget(folder: Path, proxy_url: str, options: tuple[str, ...]) -> subprocess.CompletedProcess:
    # An environment of its own: the loopback proxy for every URL, nothing exempt from it,
    # no inherited proxy settings or wgetrc; C locale for a log in English.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "LC_ALL": "C",
        "http_proxy": proxy_url,
        "https_proxy": proxy_url,
        "no_proxy": "",
    }
    command = [
        str(WGET),
        "--no-config",
        f"--warc-file={folder / 'wget'}",
        f"--warc-tempdir={folder}",
        "--no-verbose",
        "-e",
        "robots=off",
        f"--input-file={folder / 'urls.txt'}",
        "--tries=1",
        "--no-hsts",
        f"--directory-prefix={folder / 'files'}",
        # one connection a request: the simulated server sends head and body in two writes,
        # and kept-alive connections then wait out delayed ACKs (6 s instead of 0.3 s here)
        "--no-http-keep-alive",
        *options,
    ]
    return subprocess.run(
        command, env=env, cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def fetched(request, world: World, tmp_path_factory: pytest.TempPathFactory) -> Fetched:
    if not WGET.exists():
        pytest.fail(f"{WGET} is needed: run `sh tests/run` (it installs Debian's wget)")
    folder = tmp_path_factory.mktemp(f"wget-{request.param}")
    urls = wget_urls(world)
    (folder / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    with SimServer(world) as server:
        done = run_wget(folder, server.proxy_url, VARIANTS[request.param])
        requests = tuple(server.requests)
    warc = folder / ("wget.warc" if request.param == "plain" else "wget.warc.gz")
    assert warc.is_file(), done.stderr[-3000:]
    db = folder / "fresh" / "nianbao.db"
    reindexed = run_cli("reindex", str(warc), "--db", str(db))
    assert reindexed.returncode == 0, reindexed.stdout[-3000:] + reindexed.stderr[-3000:]
    return Fetched(
        tuple(urls),
        requests,
        done.returncode,
        done.stderr,
        warc,
        folder / "wget.cdx",
        db,
        read_records(warc),
    )


def test_wget_fetched_the_list_through_the_loopback_proxy_and_nothing_else(
    fetched: Fetched, world: World
) -> None:
    seen = {url for _, url in fetched.requests}
    assert sorted(seen - set(fetched.urls)) == [], "requests outside the list"
    assert sorted(set(fetched.urls) - seen) == [], "listed URLs wget never asked for"
    assert {method for method, _ in fetched.requests} == {"GET"}
    # the 404 and the 500 are the only failures (wget's exit status 8: an error response)
    failed = [line for line in fetched.log.splitlines() if " ERROR " in line]
    assert len(failed) == 2 and fetched.returncode == 8, fetched.log[-3000:]
    responses = [r for r in fetched.records if r.type == "response"]
    # one response a request, redirect hops included
    assert Counter(r.url for r in responses) == Counter(url for _, url in fetched.requests)


def test_every_record_wget_wrote_is_one_capture_in_its_place(
    fetched: Fetched, world: World
) -> None:
    records = fetched.records
    types = Counter(r.type for r in records)
    assert types["warcinfo"] == 1 and types["metadata"] == 1 and types["resource"] == 2
    assert types["response"] == types["request"] == len(fetched.requests)
    captures = {
        row[0]: row[1:]
        for row in fetched.rows(
            "select id, record_type, url, offset, length, status, payload_digest from captures"
        )
    }
    assert len(captures) == len(records)
    assert sorted(captures) == sorted(r.id for r in records)
    # records lie end to end: each capture's length reaches the next record, the last the end
    ends = [r.offset for r in records[1:]] + [fetched.warc.stat().st_size]
    for record, end in zip(records, ends, strict=True):
        got = captures[record.id]
        want = (record.type, record.url, record.offset, end - record.offset)
        assert got[:4] == want, record
        assert got[5] == record.payload_digest, record
    for record in records:
        if record.type != "response":
            continue
        page = world.lookup(record.url)
        assert page is not None
        # the status and payload the simulated web sent, by wget's digest and by nianbao's row
        assert captures[record.id][4] == record.status == page.status, record.url
        assert record.payload_digest == sha1_base32(page.body), record.url
    errors = fetched.rows("select stage, url, capture_id, message from errors")
    assert errors == [], "error rows for wget's records"


def test_every_report_wget_fetched_is_extracted_with_its_truth(
    fetched: Fetched, world: World
) -> None:
    reports = {
        url: (title, year, agency, capture)
        for url, title, year, agency, capture in fetched.rows(
            "select url, title, year, agency, capture_id from reports"
        )
    }
    fetched_reports = [r for r in world.reports if r.url in fetched.urls]
    assert len(fetched_reports) == len(world.reports) >= 40
    assert sorted(set(reports) - {r.url for r in world.reports}) == [], "not reports"
    responses = {(r.id, r.url) for r in fetched.records if r.type == "response"}
    for truth in fetched_reports:
        assert truth.url in reports, f"report not extracted: {truth.url}"
        title, year, agency, capture = reports[truth.url]
        assert (title, year, agency) == (truth.title, truth.year, truth.agency), truth.url
        assert (capture, truth.url) in responses, "a report's capture is a response at its URL"


def test_wget_cdx_index_agrees_with_the_captures(fetched: Fetched) -> None:
    header, *lines = fetched.cdx.read_text(encoding="utf-8").splitlines()
    assert header.split() == ["CDX", *"a b a m s k r M V g u".split()]
    captures = {
        row[0]: row[1:]
        for row in fetched.rows(
            "select id, url, status, payload_digest, offset, warc_file from captures"
        )
    }
    indexed = set()
    for line in lines:
        url, _, _, _, status, digest, _, _, offset, warc, record_id = line.split(" ")
        assert captures[record_id] == (
            url,
            int(status),
            f"sha1:{digest}",
            int(offset),
            Path(warc).name,
        ), line
        indexed.add(record_id)
    assert indexed == {r.id for r in fetched.records if r.type == "response"}


def test_wget_warcinfo_is_kept_as_the_crawl_its_records_belong_to(fetched: Fetched) -> None:
    # every record wget writes names its warcinfo (WARC-Warcinfo-ID): the file's one crawl
    (info,) = (r for r in fetched.records if r.type == "warcinfo")
    fields = warcinfo_fields(info.block)
    assert fields["software"].startswith("Wget/")
    crawls = fetched.rows("select id, software, warcinfo_id, fields from crawls")
    assert [(software, warcinfo) for _, software, warcinfo, _ in crawls] == [
        (fields["software"], info.id)
    ], "wget's warcinfo is no crawls row"
    ((crawl_id, _, _, stored),) = crawls
    assert json.loads(stored) == fields
    assert fetched.rows("select distinct crawl_id from captures") == [(crawl_id,)]

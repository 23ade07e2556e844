"""The store and the single ingest path: idempotent, order-independent, earliest capture wins."""

from __future__ import annotations

from nianbao.archive import Store, ingest_capture, iter_captures, read_capture
from nianbao.archive.store.rows import report_id
from tests.test_archive_support import REPORT_TITLE, build_archive, fake_extract

TABLES = ("crawls", "captures", "reports", "sections", "errors")


def snapshot(store: Store) -> dict[str, list[tuple]]:
    return {table: store.rows(table) for table in TABLES}


def all_captures(paths):
    return [capture for path in paths for capture in iter_captures(path)]


def test_ingest_writes_the_expected_rows(tmp_path):
    paths, _ = build_archive(tmp_path / "warc")
    with Store(tmp_path / "db.sqlite") as store:
        for capture in all_captures(paths):
            ingest_capture(store, capture, extractor=fake_extract)
        crawls = list(store.db.table("crawls").rows)
        assert [(c["id"], c["prefix"]) for c in crawls] == [("crawl-1", "crawl")]
        assert crawls[0]["started"] == "2024-01-02T03:04:05.000000Z"
        reports = {r["url"]: r for r in store.db.table("reports").rows}
        assert set(reports) == {
            "http://czj.beijing.gov.cn/nb/2023.html",
            "http://mzj.beijing.gov.cn/nb/2022.html",
            "http://www.beijing.gov.cn/vague",  # octet-stream, but sniffs as HTML
        }
        report = reports["http://czj.beijing.gov.cn/nb/2023.html"]
        assert report["title"] == REPORT_TITLE and report["year"] == 2023
        assert report["host"] == "czj.beijing.gov.cn"
        sections = list(
            store.db.query(
                "select number, heading, text from sections where report_id = ? order by number",
                [report["id"]],
            )
        )
        assert [s["text"] for s in sections] == ["一、总体情况 本年度", "二、主动公开 规章3件"]
        errors = {(e["url"], e["stage"]) for e in store.db.table("errors").rows}
        assert errors == {
            ("http://www.beijing.gov.cn/broken.html", "decode"),
            ("http://www.beijing.gov.cn/badgzip", "archive"),
            ("http://www.beijing.gov.cn/slow", "fetch"),
            ("http://www.beijing.gov.cn/a.pdf", "attachment"),  # "%PDF-1.4 ..." and no more
        }
        responses = store.db.execute(
            "select count(*) from captures where record_type = 'response'"
        ).fetchone()[0]
        assert responses == 9  # nine exchanges written


def test_same_report_points_at_the_earliest_capture(tmp_path):
    paths, _ = build_archive(tmp_path / "warc")
    captures = all_captures(paths)
    fetches = [
        c
        for c in captures
        if c.record_type == "response" and c.url == "http://czj.beijing.gov.cn/nb/2023.html"
    ]
    assert len(fetches) == 2
    # the gzip and the plain fetch differ in payload, so they are two report ids
    early = min(fetches, key=lambda c: c.date)
    for order in (captures, list(reversed(captures))):
        db = tmp_path / f"db-{len(list(tmp_path.iterdir()))}.sqlite"
        with Store(db) as store:
            for capture in order:
                ingest_capture(store, capture, extractor=fake_extract)
            ids = {
                r["capture_id"]
                for r in store.db.table("reports").rows
                if r["id"] == report_id(early.url, early.payload_digest)
            }
            assert ids == {early.record_id}


def test_identical_payload_twice_keeps_earliest_whatever_the_order(tmp_path):
    from dataclasses import replace

    paths, _ = build_archive(tmp_path / "warc")
    page = next(
        c
        for c in all_captures(paths)
        if c.record_type == "response" and c.url == "http://mzj.beijing.gov.cn/nb/2022.html"
    )
    earlier = replace(page, record_id="<urn:uuid:early>", date="2023-12-31T23:00:00Z")
    later = replace(page, record_id="<urn:uuid:late>", date="2024-06-01T00:00:00.5Z")
    tie = replace(page, record_id="<urn:uuid:aaa-same-time>", date="2023-12-31T23:00:00.000000Z")
    results = []
    for order in (
        [page, earlier, later, tie],
        [later, tie, page, earlier],
        [tie, earlier, later, page],
    ):
        with Store(tmp_path / f"{len(results)}.sqlite") as store:
            for capture in order:
                ingest_capture(store, capture, extractor=fake_extract)
            rows = list(store.db.table("reports").rows)
            assert len(rows) == 1
            results.append(snapshot(store))
            # same instant as "early": the smaller capture id wins the tie
            assert rows[0]["capture_id"] == "<urn:uuid:aaa-same-time>"
    assert results[0] == results[1] == results[2]


def test_ingesting_twice_changes_nothing(tmp_path):
    paths, _ = build_archive(tmp_path / "warc")
    captures = all_captures(paths)
    with Store(tmp_path / "db.sqlite") as store:
        for capture in captures:
            ingest_capture(store, capture, extractor=fake_extract)
        first = snapshot(store)
        for capture in captures:
            ingest_capture(store, capture, extractor=fake_extract)
        assert snapshot(store) == first
        assert all(first[table] for table in TABLES)


def test_reverse_order_gives_identical_tables(tmp_path):
    paths, _ = build_archive(tmp_path / "warc", max_bytes=3000)
    assert len(paths) > 2  # rotation: several warcinfo records for one crawl
    captures = all_captures(paths)
    snaps = []
    for name, order in (("fwd", captures), ("rev", list(reversed(captures)))):
        with Store(tmp_path / f"{name}.sqlite") as store:
            for capture in order:
                ingest_capture(store, capture, extractor=fake_extract)
            snaps.append(snapshot(store))
    assert snaps[0] == snaps[1]


def test_inline_ingest_by_read_capture_matches_file_iteration(tmp_path):
    paths, written = build_archive(tmp_path / "warc")
    with Store(tmp_path / "a.sqlite") as inline, Store(tmp_path / "b.sqlite") as scanned:
        for path, ref in written:
            ingest_capture(inline, read_capture(path, ref.offset), extractor=fake_extract)
        for capture in all_captures(paths):
            ingest_capture(scanned, capture, extractor=fake_extract)
        assert snapshot(inline) == snapshot(scanned)


def test_extractor_bug_is_recorded_not_raised(tmp_path):
    paths, _ = build_archive(tmp_path / "warc")

    def buggy(url, headers, body):
        raise IndexError("list index out of range")

    with Store(tmp_path / "db.sqlite") as store:
        for capture in all_captures(paths):
            ingest_capture(store, capture, extractor=buggy)
        stages = {e["stage"] for e in store.db.table("errors").rows}
        assert "extract-bug" in stages
        assert store.count("reports") == 0


def test_schema_has_the_query_indexes(tmp_path):
    with Store(tmp_path / "db.sqlite") as store:
        indexed = {
            (table, tuple(index.columns))
            for table in ("reports", "captures")
            for index in store.db.table(table).indexes
        }
        assert {("reports", ("year",)), ("reports", ("agency",)), ("captures", ("url",))} <= indexed
        assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"

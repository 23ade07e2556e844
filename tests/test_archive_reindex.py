"""Reindex: the database rebuilt from WARC files equals the one built inline, in any order."""

from __future__ import annotations

import shutil

from nianbao.archive import Store, ingest_capture, read_capture, reindex, summarize
from nianbao.archive.ingest.completion import complete
from tests.test_archive_support import build_archive, counting_ids, exchange, fake_extract, writer

TABLES = ("crawls", "captures", "reports", "sections", "errors")


def snapshot(db_path) -> dict[str, list[tuple]]:
    with Store(db_path) as store:
        return {table: store.rows(table) for table in TABLES}


def inline_db(tmp_path, written):
    """Ingest as the crawl does: each record read back right after it was written, then
    what runs once all are stored."""
    db = tmp_path / "inline.sqlite"
    files = {path.name: path for path, _ in written}
    with Store(db) as store:
        for path, ref in written:
            ingest_capture(store, read_capture(path, ref.offset), extractor=fake_extract)
        complete(store, files.get, fake_extract)
    return db


def test_reindex_equals_inline_ingest_with_one_and_two_workers(tmp_path):
    paths, written = build_archive(tmp_path / "warc", max_bytes=3000)
    assert len(paths) >= 3
    expected = snapshot(inline_db(tmp_path, written))
    assert all(expected[table] for table in TABLES)
    for workers in (1, 2, 3):
        db = tmp_path / f"reindex-{workers}.sqlite"
        calls = []
        summary = reindex(
            paths,
            db,
            workers=workers,
            extractor=fake_extract,
            progress=lambda *args, calls=calls: calls.append(args),
        )
        assert snapshot(db) == expected
        assert summary.files == len(paths)
        assert summary.records == len(expected["captures"])
        assert summary.reports == len(expected["reports"])
        assert summary.errors == len(expected["errors"])
        assert [c[0] for c in calls] == list(range(1, len(paths) + 1))
        assert calls[-1] == (len(paths), len(paths), summary.records)


def test_reindex_replaces_stale_rows(tmp_path):
    paths, written = build_archive(tmp_path / "warc")
    db = tmp_path / "db.sqlite"
    reindex(paths, db, extractor=fake_extract)
    first = snapshot(db)
    with Store(db) as store:  # a row no WARC supports (say, from an older extractor)
        store.db.table("errors").insert({"id": "stale", "url": "x", "stage": "old", "message": "m"})
    reindex(paths, db, extractor=fake_extract)
    assert snapshot(db) == first


def test_corrupt_file_among_good_ones(tmp_path):
    good_paths, _ = build_archive(tmp_path / "good")
    w = writer(
        tmp_path / "bad", "other", warcinfo={"crawl-id": "crawl-2"}, id_factory=counting_ids(5000)
    )
    refs = [
        w.write_exchange(exchange(f"http://x.gov.cn/{i}", b"<html>%d</html>" % i)) for i in range(3)
    ]
    w.close()
    bad = w.paths[0]
    bad.write_bytes(bad.read_bytes()[: refs[-1].request.offset + 25])  # cut in a header
    garbage = tmp_path / "bad" / "junk-20240101000000-00000.warc.gz"
    garbage.write_bytes(b"not a warc file at all")
    clean = tmp_path / "clean.sqlite"
    reindex(good_paths, clean, extractor=fake_extract)
    mixed = tmp_path / "mixed.sqlite"
    for workers in (1, 2):
        summary = reindex(
            [bad, garbage, *good_paths], mixed, workers=workers, extractor=fake_extract
        )
        assert summary.files == len(good_paths) + 2
        expected, got = snapshot(clean), snapshot(mixed)
        # every good file is fully indexed
        for table in ("reports", "sections"):
            assert got[table] == expected[table]
        assert set(expected["crawls"]) < set(got["crawls"])
        assert set(expected["captures"]) <= set(got["captures"])
        assert set(expected["errors"]) <= set(got["errors"])
        with Store(mixed) as store:
            archive_errors = [
                e["message"]
                for e in store.db.table("errors").rows
                if e["stage"] == "archive" and e["capture_id"] is None
            ]
            # the readable part of the damaged file is in too
            urls = {
                r["url"]
                for r in store.db.table("captures").rows
                if r["warc_file"] == bad.name and r["record_type"] == "response"
            }
        assert sorted(m.split(" ")[0] for m in archive_errors) == sorted([bad.name, garbage.name])
        assert urls == {"http://x.gov.cn/0", "http://x.gov.cn/1"}


def test_merged_archives_reindex_the_same(tmp_path):
    # two workers with their own prefixes; merging is copying files into one folder
    a_paths, a_written = build_archive(tmp_path / "a", prefix="worker-a")
    b_paths, b_written = build_archive(tmp_path / "b", prefix="worker-b", first_id=1000)
    merged = tmp_path / "merged"
    merged.mkdir()
    for path in a_paths + b_paths:
        shutil.copy(path, merged / path.name)
    expected = snapshot(inline_db(tmp_path, a_written + b_written))
    db = tmp_path / "merged.sqlite"
    reindex(sorted(merged.iterdir()), db, workers=2, extractor=fake_extract)
    assert snapshot(db) == expected


def test_summary_counts(tmp_path):
    paths, _ = build_archive(tmp_path / "warc")
    db = tmp_path / "db.sqlite"
    reindex(paths, db, extractor=fake_extract)
    summary = summarize(db)
    assert summary.pages_fetched == 9
    assert summary.warc_bytes == sum(p.stat().st_size for p in paths)
    assert summary.reports == 4  # 2023 plain + 2023 gzip payload + 2022 twice (two urls)
    assert dict(summary.reports_by_year) == {2022: 2, 2023: 2}
    # the attachment: a.pdf is "%PDF-1.4 ..." and no more
    assert dict(summary.errors_by_stage) == {
        "archive": 1,
        "attachment": 1,
        "decode": 1,
        "fetch": 1,
    }

"""A database says what made it: schema version, migrations, versions, and what reindex changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from importlib.metadata import version

import pytest

from nianbao.archive import Store, reindex
from nianbao.archive.errors import NewerDatabase
from nianbao.archive.ingest.changes import compare
from nianbao.archive.store.schema import SCHEMA_VERSION
from nianbao.extract.version import extractor_version
from tests.seeds import seed_text
from tests.test_archive_support import build_archive, exchange, fake_extract, writer


@pytest.fixture
def built(tmp_path):
    """A database reindexed from a small archive, and the archive's files."""
    paths, _ = build_archive(tmp_path / "warc")
    db = tmp_path / "nianbao.db"
    reindex(paths, db, extractor=fake_extract)
    return db, paths


def meta(db) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("select key, value from meta"))


def test_a_new_database_records_its_schema_and_the_versions_that_wrote_it(built):
    db, _ = built
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    found = meta(db)
    assert found["schema_version"] == str(SCHEMA_VERSION)
    assert found["nianbao"] == version("nianbao")
    assert found["trafilatura"] == version("trafilatura")
    assert found["opencc"] == version("opencc")
    assert found["created_by"] == f"nianbao/{version('nianbao')}"
    stamps = {v for (v,) in conn.execute("select distinct extractor_version from reports")}
    assert stamps == {extractor_version()}
    assert extractor_version().split()[:2] == [
        f"nianbao/{version('nianbao')}",
        f"trafilatura/{version('trafilatura')}",
    ]


def downgrade_to_schema_0(db) -> None:
    """What a database written before versioning looks like: no meta, no extractor column."""
    conn = sqlite3.connect(db)
    conn.execute("drop table meta")
    conn.execute("alter table reports drop column extractor_version")
    conn.execute("update reports set agency_simplified = null")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


def test_an_older_database_is_migrated_when_opened_for_writing(built):
    db, _ = built
    conn = sqlite3.connect(db)
    conn.execute("update reports set agency = '北京市財政局'")  # Traditional, as printed
    conn.commit()
    downgrade_to_schema_0(db)
    Store(db).close()
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert meta(db)["schema_version"] == str(SCHEMA_VERSION)
    # the migration step filled the grouping key from the agency; extraction versions are
    # unknown for rows made before, and stay NULL until a reindex
    keys = {key for (key,) in conn.execute("select agency_simplified from reports")}
    assert keys == {"北京市财政局"}
    assert conn.execute("select count(extractor_version) from reports").fetchone() == (0,)


def test_a_database_of_a_newer_schema_is_refused_in_one_line(built, tmp_path):
    db, _ = built
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(NewerDatabase, match="upgrade nianbao"):
        Store(db)
    for command in (["stats"], ["reports"]):
        done = subprocess.run(
            [sys.executable, "-m", "nianbao.crawler.cli", *command, "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1
        assert "newer nianbao" in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_reindex_into_the_same_database_changes_nothing(built):
    db, paths = built
    summary = reindex(paths, db, extractor=fake_extract)
    changes = summary.changes
    assert changes is not None
    assert (changes.changed, changes.added, changes.removed, changes.what) == (0, 0, 0, ())
    assert changes.before == changes.after == ((extractor_version(), summary.reports),)
    assert not [p.name for p in db.parent.iterdir() if "reindexing" in p.name]  # no -wal/-shm


def test_reindex_after_an_upgrade_says_which_reports_changed_and_in_what(built, tmp_path):
    db, paths = built
    conn = sqlite3.connect(db)
    ids = [rid for (rid,) in conn.execute("select id from reports order by id")]
    assert len(ids) >= 3
    # as an older extractor might have left it: another title, a cell fewer, a report missed
    conn.execute("update reports set title = 'old title', extractor_version = 'nianbao/0.0.1'")
    conn.execute("delete from sections where report_id = ?", [ids[1]])
    conn.execute("delete from reports where id = ?", [ids[2]])
    conn.commit()
    conn.close()
    changes = reindex(paths, db, extractor=fake_extract).changes
    assert changes is not None
    assert changes.before == (("nianbao/0.0.1", len(ids) - 1),)
    assert changes.after == ((extractor_version(), len(ids)),)
    assert (changes.changed, changes.added, changes.removed) == (len(ids) - 1, 1, 0)
    assert dict(changes.what) == {"title": len(ids) - 1, "sections": 1}


def test_comparing_with_a_database_of_schema_0_counts_its_rows_as_unrecorded(built, tmp_path):
    db, paths = built
    old = tmp_path / "old.db"
    old.write_bytes(db.read_bytes())
    downgrade_to_schema_0(old)
    changes = compare(old, db)
    reports = sqlite3.connect(db).execute("select count(*) from reports").fetchone()[0]
    assert changes.before == (("unrecorded", reports),)
    assert (changes.changed, changes.what) == (0, ())  # a missing column is not a change


def test_the_reindex_command_prints_what_changed(tmp_path):
    text = seed_text("000")  # a real report, read by the real extractor
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    page = f"<html><head><title>年度报告</title></head><body>{paragraphs}</body></html>"
    w = writer(tmp_path / "warc", "crawl")
    w.write_exchange(exchange("http://www.beijing.gov.cn/nb/2023.html", page.encode()))
    w.close()
    command = [sys.executable, "-m", "nianbao.crawler.cli", "reindex", *map(str, w.paths)]
    command += ["--db", str(tmp_path / "nianbao.db")]
    wide = {**os.environ, "COLUMNS": "400"}  # one line each, however long the versions
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, env=wide)
    assert first.returncode == 0, first.stderr
    assert "extracted before by" not in first.stdout  # there was nothing to compare with
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, env=wide)
    assert again.returncode == 0, again.stderr
    assert f"extracted before by: {extractor_version()} (1)" in again.stdout
    assert f"extracted now by: {extractor_version()} (1)" in again.stdout
    assert "0 reports changed, 0 new, 0 gone" in again.stdout


def test_created_by_is_kept_and_the_last_writer_recorded(built):
    db, _ = built
    conn = sqlite3.connect(db)
    conn.execute("update meta set value = 'nianbao/0.0.1' where key = 'created_by'")
    conn.execute("update meta set value = '0.0.1' where key in ('nianbao', 'trafilatura')")
    conn.commit()
    Store(db).close()
    found = meta(db)
    assert found["created_by"] == "nianbao/0.0.1"
    assert (found["nianbao"], found["trafilatura"]) == (version("nianbao"), version("trafilatura"))


def test_unreadable_input_never_replaces_an_existing_database(built, tmp_path):
    db, paths = built
    before = sqlite3.connect(db).execute("select count(*) from reports").fetchone()
    assert before[0] > 0
    not_warc = tmp_path / "notes.txt"
    not_warc.write_text("not a WARC file\n")
    summary = reindex([*paths, not_warc], db, extractor=fake_extract)
    assert summary.unreadable and not summary.replaced
    assert sqlite3.connect(db).execute("select count(*) from reports").fetchone() == before
    assert not [p.name for p in db.parent.iterdir() if "reindexing" in p.name]
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.crawler.cli", "reindex", str(not_warc), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "was left as it was" in done.stderr
    assert sqlite3.connect(db).execute("select count(*) from reports").fetchone() == before

"""Restored words go back into titles and agencies; agencies group by their Simplified form.

The truth of a report's title and agency is the simulated web's, never the extractor's. The
demo's world (seed 0) is stored page by page, WARC-free, so these tests need no crawl.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from nianbao.archive.audit.relations import Relation, ReportInfo, classify
from nianbao.archive.audit.run import run_audit
from nianbao.archive.export.audit_data import load_audit
from nianbao.archive.export.audit_views import agency_rows
from nianbao.archive.restore.words import restore_all, restore_fields
from nianbao.archive.store.database import Store
from nianbao.archive.store.summary import summarize
from nianbao.extract.script import to_simplified
from nianbao.extract.spam import HOLE, fill_field
from nianbao.simweb import World, build_world
from nianbao.simweb.truth import relation_key
from tests.conftest import Crawled, store_page


@pytest.fixture(scope="module")
def demo_world() -> World:
    return build_world(seed=0, reports=60)  # the demo's world: its spam mirrors show the bugs


def store_reports(world: World, db: Path, urls: list[str]) -> None:
    """Extract and store the report pages at ``urls`` in this order, then restore."""
    with Store(db) as store:
        for url in urls:
            page = world.lookup(url)
            assert page is not None
            headers = {name.lower(): value for name, value in page.headers}
            capture = hashlib.sha1(url.encode()).hexdigest()[:16]
            store_page(store, url, headers, page.body, capture, "2026-01-01T00:00:00Z")
        with store.transaction():
            restore_all(store.db)


@pytest.fixture(scope="module")
def demo_db(demo_world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("restore") / "demo.db"
    store_reports(demo_world, db, [r.url for r in demo_world.reports])
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_titles_and_agencies_are_the_truth_once_restored(demo_world: World, demo_db) -> None:
    truth = {r.url: r for r in demo_world.reports}
    restored = 0
    for url, title, original, agency, key in rows(
        demo_db, "select url, title, title_original, agency, agency_simplified from reports"
    ):
        assert title == truth[url].title, url
        assert key == to_simplified(truth[url].agency), url
        assert to_simplified(agency) == key and HOLE not in agency, url
        restored += title != original
    assert restored >= 8  # the demo's spam mirrors: 北京市□商务局, □商务局政府信息公开工作总结 …


def test_a_hole_no_copy_can_fill_stays_and_groups_nothing(demo_world: World, tmp_path) -> None:
    # the mirror with 滚球体育app_188… alone: no clean copy to read 门头沟区 from
    mirror = next(r for r in demo_world.reports if r.spam and "门头沟区" in r.agency)
    db = tmp_path / "alone.db"
    store_reports(demo_world, db, [mirror.url])
    [(title, agency, key)] = rows(db, "select title, agency, agency_simplified from reports")
    assert HOLE in agency and HOLE in title and key is None
    assert dict(summarize(db).reports_by_agency) == {None: 1}


def test_stats_count_reports_by_agency_in_either_script(demo_world: World, demo_db) -> None:
    truth = {r.url: r for r in demo_world.reports}
    urls = [url for (url,) in rows(demo_db, "select url from reports")]
    expected = Counter(to_simplified(truth[url].agency) for url in urls)
    assert any(truth[url].script == "Hant" for url in urls)  # both spellings are counted
    assert dict(summarize(demo_db).reports_by_agency) == expected


def test_restoration_is_the_same_in_any_order_and_when_run_again(
    demo_world: World, demo_db, tmp_path
) -> None:
    db = tmp_path / "reversed.db"
    store_reports(demo_world, db, [r.url for r in reversed(demo_world.reports)])
    with Store(db) as store:
        assert restore_fields(store.db) == 0  # already derived: nothing left to change
        again = store.rows("reports")
    with Store(demo_db) as store:
        assert store.rows("reports") == again


def test_fill_field_puts_words_in_the_holes_clean_field_leaves() -> None:
    brand = "滚球体育app_188篮球比分-直播|官网:"
    words = {brand: "门头沟区", "电竞下注": "公开", "网投": None}
    assert fill_field(f"北京市{brand}商务局", words) == "北京市门头沟区商务局"
    # the title loses the brand's trailing separator; pinyin goes; an unknown word is a hole
    assert fill_field(f"{brand[:-1]}商务局(jú)政府信息电竞下注网投", words) == (
        f"门头沟区商务局政府信息公开{HOLE}"
    )
    # a word put back is never taken for a needle (公开 is not replaced again)
    assert fill_field("电竞下注", {"电竞下注": "公开", "公开": "x"}) == "公开"


def test_no_false_cross_agency_pair_between_mirrors(demo_world: World, demo_db, tmp_path) -> None:
    db = tmp_path / "audit.db"
    shutil.copy(demo_db, db)
    run_audit(db)
    url = dict(rows(db, "select id, url from reports"))
    truth = {relation_key(r.kind, r.a_url, r.b_url) for r in demo_world.relations}
    cross = [
        (kind, url[a], url[b])
        for kind, a, b in rows(
            db, "select kind, a_report_id, b_report_id from audit_pairs where kind = 'cross_agency'"
        )
    ]
    assert cross  # the world has true cross-agency copies
    assert [pair for pair in cross if relation_key(*pair) not in truth] == []
    # the per-agency view: Simplified names, one row per agency, none with a hole
    names = [row.agency for row in agency_rows(load_audit(db))]
    assert names and len(names) == len(set(names))
    assert all(HOLE not in name and to_simplified(name) == name for name in names)


def test_a_holed_agency_makes_no_cross_agency_pair() -> None:
    def mirror(rid: str, agency: str) -> ReportInfo:
        return ReportInfo(
            rid,
            f"http://www.gqty188.com/{rid}.html",
            "www.gqty188.com",
            agency,
            2014,
            "2015-01-06",
            "Hant",
            0.9,
            True,
            "2026-01-01",
            rid,
        )

    one, holed = mirror("a", "北京市财政局"), mirror("b", f"北京市{HOLE}")
    assert classify(one, holed, 0.9) == Relation("near_duplicate", "b", "a")
    assert classify(one, mirror("c", "北京市审计局"), 0.9).kind == "cross_agency"


def test_template_reports_without_tables_record_them_absent(demo_world: World, demo_db) -> None:
    truth = {r.url: r for r in demo_world.reports}
    missing: dict[str, dict[int, str]] = {}
    for url, table, reason in rows(
        demo_db,
        "select r.url, m.table_no, m.reason from"
        " missing_tables m join reports r on r.id = m.report_id",
    ):
        missing.setdefault(url, {})[table] = reason
    with_cells = {
        url
        for (url,) in rows(
            demo_db, "select distinct r.url from stats s join reports r on r.id = s.report_id"
        )
    }
    absent = 0
    for url, report in truth.items():
        if report.generation == "prose":
            assert url not in missing, url
        elif report.table_layout == "none":  # a mirror that dropped its tables
            assert missing.get(url) == {2: "absent", 3: "absent", 4: "absent"}, url
            absent += 1
        else:
            assert "absent" not in missing.get(url, {}).values(), url
            assert url in with_cells or set(missing.get(url, {}).values()) == {"image"}, url
    assert absent >= 6


def test_an_older_database_gets_the_grouping_column_filled(tmp_path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("create table reports (id text primary key, agency text)")
    conn.executemany(
        "insert into reports values (?, ?)",
        [("a", "北京市商務局"), ("b", f"北京市{HOLE}"), ("c", None)],
    )
    conn.commit()
    conn.close()
    with Store(db):
        pass
    assert sorted(rows(db, "select id, agency_simplified from reports")) == [
        ("a", "北京市商务局"),
        ("b", None),
        ("c", None),
    ]


@pytest.mark.crawl
def test_crawled_agencies_and_titles_are_the_truth(crawled: Crawled) -> None:
    truth = {r.url: r for r in crawled.world.reports}
    spam = 0
    for url, title, key, restorable in rows(
        crawled.db,
        (
            "select r.url, r.title, r.agency_simplified, (select count(*) from spam_findings f"
            " where f.report_id = r.id and f.kind in ('entity_hijack', 'keyword_swap'))"
            " from reports r"
        ),
    ):
        assert title == truth[url].title, url
        assert key == to_simplified(truth[url].agency), url
        spam += restorable > 0
    assert spam > 0

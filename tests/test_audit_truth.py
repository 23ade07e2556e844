"""Audit of a crawled simulated web: every true relation found, no template-alike pair joined."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from nianbao.simweb.truth import KINDS, copy_components, relation_key
from tests.conftest import Crawled, run_cli

pytestmark = pytest.mark.crawl  # every test reads the session's crawl


@dataclass(frozen=True)
class Audited:
    db: Path
    out: Path
    pairs: set[tuple[str, str, str]]  # (kind, a url, b url)
    clusters: int


@pytest.fixture(scope="module")
def audited(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> Audited:
    out = tmp_path_factory.mktemp("audit")
    db = out / "nianbao.db"
    shutil.copy(crawled.db, db)  # the crawl's own database stays as the crawl left it
    done = run_cli("audit", "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    conn = sqlite3.connect(db)
    url = dict(conn.execute("select id, url from reports"))
    pairs = {
        (k, url[a], url[b])
        for k, a, b in conn.execute("select kind, a_report_id, b_report_id from audit_pairs")
    }
    clusters = conn.execute("select count(*) from clusters").fetchone()[0]
    return Audited(db, out, pairs, clusters)


def test_every_true_relation_is_found_with_its_kind(crawled: Crawled, audited: Audited) -> None:
    truth = {relation_key(r.kind, r.a_url, r.b_url) for r in crawled.world.relations}
    assert {key[0] for key in truth} == set(KINDS)
    found = {relation_key(*pair) for pair in audited.pairs}
    missing = sorted(map(repr, truth - found))
    assert missing == [], f"{len(missing)} of {len(truth)} true relations not found"


def test_no_pair_joins_reports_that_are_not_copies(crawled: Crawled, audited: Audited) -> None:
    component = copy_components(crawled.world.relations)
    for kind, a, b in audited.pairs:
        # a pair the truth does not list must still join copies of one report
        assert a in component and component.get(a) == component.get(b), (kind, a, b)
    distinct = {frozenset(p) for p in crawled.world.distinct_pairs}
    assert len(distinct) >= 10
    assert not [p for p in audited.pairs if frozenset(p[1:]) in distinct]


@pytest.mark.browser
def test_audit_report_opens_in_chromium_with_the_cluster_count(browser, audited) -> None:
    from selenium.webdriver.common.by import By

    browser.get((audited.out / "audit" / "index.html").resolve().as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert browser.find_element(By.ID, "cluster-count").text == str(audited.clusters)
    assert audited.clusters > 0


def test_a_second_audit_changes_nothing(audited: Audited) -> None:
    def tables() -> dict[str, list]:
        conn = sqlite3.connect(audited.db)
        return {
            t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr)
            for t in ("audit_pairs", "clusters", "cluster_members")
        }

    before = tables()
    done = run_cli("audit", "--db", str(audited.db))
    assert done.returncode == 0, done.stderr[-2000:]
    assert tables() == before

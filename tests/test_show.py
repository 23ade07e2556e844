"""`nianbao show`: a report card holds what the database and the simulated web's truth say of
the report, and its HTML page charts table 3 across the agency's years, escaping all text."""

from __future__ import annotations

import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.archive.audit import run_audit
from nianbao.archive.export.card_html import card_html
from nianbao.archive.store.card import SERIES, report_card
from nianbao.archive.store.database import Store
from nianbao.crawler.cli import main
from nianbao.extract.tables.template import T3_TOTAL_COLUMN
from tests.conftest import Crawled


@pytest.fixture(scope="module")
def audited(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("show") / "nianbao.db"
    shutil.copy(crawled.db, db)
    run_audit(db)
    return db


def _one(db: Path, sql: str) -> tuple:
    with sqlite3.connect(db) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None, sql
    return row


@pytest.mark.crawl
def test_a_card_shows_sections_failed_checks_and_spam(audited: Path) -> None:
    (rid,) = _one(audited, "select report_id from checks where state = 'failed' limit 1")
    card = report_card(audited, rid)
    with sqlite3.connect(audited) as conn:
        headings = [
            h for (h,) in conn.execute("select heading from sections where report_id = ?", [rid])
        ]
        failed = [
            i
            for (i,) in conn.execute(
                "select identity from checks where report_id = ? and state = 'failed'", [rid]
            )
        ]
    assert [s[1] for s in card.sections] == headings
    assert {c.identity for c in card.tables.failed} == set(failed)
    html = card_html(card)
    for identity in failed:
        assert identity in html
    # spam with the words it replaced, from another copy
    spam_id, restored = _one(
        audited, "select report_id, restored from spam_findings where restored is not null limit 1"
    )
    spam_card = report_card(audited, spam_id)
    assert restored in {line.restored for line in spam_card.spam}


@pytest.mark.crawl
def test_a_card_links_the_reports_clusters(audited: Path) -> None:
    rid, cluster, size = _one(
        audited,
        "select m.report_id, c.id, c.size from cluster_members m join clusters c"
        " on c.id = m.cluster_id where c.size > 1 limit 1",
    )
    card = report_card(audited, rid)
    link = next(link for link in card.clusters if link.cluster_id == cluster)
    assert link.size == size and rid not in {other[0] for other in link.others}
    assert len(link.others) == min(size - 1, 10)


@pytest.mark.crawl
def test_the_agency_years_are_the_truths_table_3(crawled: Crawled) -> None:
    """An agency of several years: the card's series equal the generator's cells."""
    truth = {}
    for report in crawled.world.reports:
        if report.table_layout == "html" and not report.broken and not report.spam:
            cells = {
                (c.block, c.row): c.value
                for c in report.tables
                if c.table == 3 and c.column == T3_TOTAL_COLUMN
            }
            truth[(report.agency, report.year)] = (report.url, cells)
    agencies = {}
    for agency, year in truth:
        agencies.setdefault(agency, []).append(year)
    agency = next(a for a, years in sorted(agencies.items()) if len(years) >= 2)
    url = truth[(agency, max(agencies[agency]))][0]
    card = report_card(crawled.db, url)
    points = {p.year: p.values for p in card.agency_years}
    checked = 0
    for year in agencies[agency]:
        cells = truth[(agency, year)][1]
        for row, value in zip(SERIES, points[year], strict=True):
            if ("", row) in cells:
                assert value == cells[("", row)], (agency, year, row)
                checked += 1
    assert checked >= 4


@pytest.mark.crawl
def test_the_html_page_charts_the_years(crawled: Crawled, tmp_path: Path) -> None:
    with sqlite3.connect(crawled.db) as conn:
        (rid,) = conn.execute(
            "select r.id from reports r where (select count(distinct year) from reports o"
            " where o.agency_simplified = r.agency_simplified) >= 2 and r.template is not null"
            " limit 1"
        ).fetchone()
    page = tmp_path / "card.html"
    result = CliRunner().invoke(main, ["show", rid, "--db", str(crawled.db), "--html", str(page)])
    assert result.exit_code == 0, result.output
    card = report_card(crawled.db, rid)
    counted = _Tags()
    counted.feed(page.read_text(encoding="utf-8"))
    assert counted.tags["svg"] == 1
    dots = sum(v is not None for p in card.agency_years for v in p.values)
    assert counted.tags["circle"] == dots and dots >= 2
    assert not list(tmp_path.glob(".*partial"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1


def test_the_html_page_escapes_report_text(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    hostile = "<script>alert(1)</script>"
    with Store(db) as store:
        store.put_capture(
            {
                "id": "c",
                "url": "http://x.gov.cn/r",
                "date": "2022-01-01T00:00:00Z",
                "record_type": "response",
            }
        )
        store.put_report(
            {
                "id": "r",
                "url": "http://x.gov.cn/r",
                "title": hostile,
                "agency": hostile,
                "text": hostile,
                "text_simplified": hostile,
                "capture_id": "c",
                "year": 2021,
            },
            {
                "sections": [
                    {
                        "id": "r:1",
                        "report_id": "r",
                        "number": 1,
                        "heading": hostile,
                        "text": hostile,
                    }
                ],
                "spam_findings": [
                    {
                        "id": "r:0:entity_hijack",
                        "report_id": "r",
                        "kind": "entity_hijack",
                        "start": 0,
                        "end": 5,
                        "injected": hostile,
                        "restored": hostile,
                    }
                ],
            },
            "2022-01-01T00:00:00Z",
        )
    page = card_html(report_card(db, "r"))
    parsed = _Tags()
    parsed.feed(page)
    assert "script" not in parsed.tags and hostile not in page


@pytest.mark.parametrize("args", [["nope"], ["nope", "--html", "x.html"]])
def test_an_unknown_report_is_one_line(crawled_db_or_tmp: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["show", *args, "--db", str(crawled_db_or_tmp)])
    assert result.exit_code == 1 and "no report nope" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert not Path("x.html").exists()


@pytest.fixture
def crawled_db_or_tmp(tmp_path: Path) -> Path:
    db = tmp_path / "x.db"
    with Store(db):
        pass
    return db

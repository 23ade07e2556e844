"""Tables 2–4 cell by cell and the identity checks, held against the simulated web's truth."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from nianbao.extract import extract_report
from nianbao.extract.report import Report
from nianbao.simweb import TruthReport, World, build_world
from tests.conftest import Crawled


def truth_cells(report: TruthReport) -> dict[tuple, tuple]:
    return {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables}


def extracted(world: World, report: TruthReport):
    page = world.lookup(report.url)
    return extract_report(report.url, {k.lower(): v for k, v in page.headers}, page.body)


@pytest.fixture(scope="module")
def big_world() -> World:
    return build_world(seed=11, reports=400)


@pytest.fixture(scope="module")
def big_world_tables(big_world: World) -> list[tuple[TruthReport, Report]]:
    """Every report of the big world that has tables, extracted once for the tests below."""
    return [(truth, extracted(big_world, truth)) for truth in big_world.reports if truth.tables]


@pytest.mark.slow
def test_every_cell_of_every_report_equals_truth(
    big_world_tables: list[tuple[TruthReport, Report]],
) -> None:
    per_layout: Counter[str] = Counter()
    for truth, report in big_world_tables:
        got = {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables.cells}
        assert got == truth_cells(truth), (truth.url, truth.table_layout)
        assert report.tables.template == truth.generation, truth.url
        per_layout[truth.table_layout] += len(got)
    # every layout the simulated web renders is measured, with thousands of cells each
    assert set(per_layout) == {"html", "pipe", "cells"}
    assert min(per_layout.values()) > 1000, per_layout


@pytest.mark.slow
def test_broken_identities_found_and_no_correct_one_flagged(
    big_world_tables: list[tuple[TruthReport, Report]],
) -> None:
    broken_reports = checked = 0
    for truth, report in big_world_tables:
        failed = {c.identity for c in report.checks if c.failed}
        assert failed == set(truth.broken), truth.url
        checked += len(report.checks)
        broken_reports += bool(truth.broken)
    assert broken_reports >= 5 and checked > 10_000


@pytest.mark.crawl
def test_crawled_database_holds_truth_cells_and_checks(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    ids = dict(conn.execute("select url, id from reports"))
    compared = 0
    for truth in crawled.world.reports:
        rows = conn.execute(
            "select table_no, block, row, [column], value, raw from stats where report_id = ?",
            (ids[truth.url],),
        ).fetchall()
        got = {(t, b, r, c): (v, raw) for t, b, r, c, v, raw in rows}
        assert got == truth_cells(truth), truth.url
        failed = {
            i
            for (i,) in conn.execute(
                "select identity from checks where report_id = ? and ok = 0", (ids[truth.url],)
            )
        }
        assert failed == set(truth.broken), truth.url
        compared += len(got)
    assert compared > 5000


@pytest.mark.crawl
def test_image_only_tables_are_missing_with_their_pictures_archived(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    image_reports = [r for r in crawled.world.reports if r.table_layout == "image"]
    assert any(r.source == "seed:000" for r in image_reports)
    assert any(r.source == "seed:002" for r in image_reports)
    archived = set()
    for path in crawled.warcs:
        with path.open("rb") as stream:
            archived |= {
                rec.rec_headers.get_header("WARC-Target-URI")
                for rec in ArchiveIterator(stream)
                if rec.rec_type == "response" and rec.http_headers.get_statuscode() == "200"
            }
    for truth in image_reports:
        rows = conn.execute(
            "select m.table_no, m.reason, m.image_urls from missing_tables m "
            "join reports r on r.id = m.report_id where r.url = ?",
            (truth.url,),
        ).fetchall()
        assert sorted(t for t, _, _ in rows) == [2, 3, 4], truth.url
        assert {reason for _, reason, _ in rows} == {"image"}
        for _, _, urls in rows:
            images = json.loads(urls)
            assert images and set(images) <= archived, truth.url


@pytest.mark.crawl
def test_crawled_database_holds_prose_figures(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    compared = 0
    for truth in crawled.world.reports:
        if truth.generation != "prose":
            continue
        got = Counter(
            conn.execute(
                "select f.key, f.value from figures f join reports r on r.id = f.report_id "
                "where r.url = ?",
                (truth.url,),
            ).fetchall()
        )
        assert got == Counter((f.key, f.value) for f in truth.figures), truth.url
        compared += sum(got.values())
    assert compared > 20

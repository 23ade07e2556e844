"""Spam another copy in the archive proves (archive/restore/copies.py).

The brands are ones the page alone does not find: glued to the real office name with
nothing after it, or with no site-name shape at all, built from words no lexicon lists
(tests/test_spam_structure.py checks them). With the clean original in the same database,
restore_all finds every occurrence, puts the name back, and rewrites the copy's text,
sections and fields to match.
"""

from __future__ import annotations

import pytest

from nianbao.archive.restore import restore_all
from nianbao.archive.store.database import Store
from nianbao.archive.store.schema import TABLES
from tests.conftest import store_page
from tests.test_extract import fetch, page, paragraphs
from tests.test_spam_copies import CLEAN, GLUED, PLAIN_BRAND

PATH = "/zwgk/zfxxgknb/202201/t20220120_1.html"
ORIGINAL, MIRROR = f"http://www.bjdx.gov.cn{PATH}", f"http://www.muchen-mirror.net{PATH}"
NAME = "大兴区"


def clean_page() -> str:
    title, *lines = CLEAN.split("\n")
    info = '<div class="info">发布日期：2022-01-20</div>'
    return page(f"<h1>{title}</h1>{info}" + paragraphs(lines), title=title)


def archive(tmp_path, brand: str, *, with_original: bool = True) -> Store:
    clean = clean_page()
    store = Store(tmp_path / "nianbao.db")
    if with_original:
        store_page(store, ORIGINAL, *fetch(clean), "<urn:uuid:original>", "2022-02-01T00:00:00Z")
    spam = clean.replace(NAME, brand)
    store_page(store, MIRROR, *fetch(spam), "<urn:uuid:mirror>", "2010-01-01T00:00:00Z")
    with store.transaction():
        restore_all(store.db)
    return store


def report(store: Store, url: str) -> dict:
    rows = store.db.execute("select * from reports where url = ?", [url])
    names = [d[0] for d in rows.description]
    return dict(zip(names, rows.fetchone(), strict=True))


@pytest.mark.parametrize("brand", [GLUED, PLAIN_BRAND])
def test_every_occurrence_is_found_and_its_name_restored(tmp_path, brand: str) -> None:
    store = archive(tmp_path, brand)
    spam, original = report(store, MIRROR), report(store, ORIGINAL)
    findings = store.db.execute(
        "select kind, injected, restored, restored_from from spam_findings where report_id = ?",
        [spam["id"]],
    ).fetchall()
    # twice in the text (the title is read apart from it)
    assert findings == [("entity_hijack", brand, NAME, original["id"])] * 2
    assert store.db.execute(
        "select count(*) from spam_findings where report_id = ?", [original["id"]]
    ).fetchone() == (0,)
    assert spam["title"] == original["title"] == CLEAN.split("\n")[0]
    assert spam["agency"] == original["agency"]
    assert brand not in spam["text"] and brand not in spam["text_simplified"]
    sections = store.db.execute(
        "select heading, text from sections where report_id = ? order by number", [spam["id"]]
    ).fetchall()
    assert len(sections) == 3 and not any(brand in h + t for h, t in sections)
    assert spam["spam_score"] > 0.5


def test_restoring_again_changes_no_row(tmp_path) -> None:
    store = archive(tmp_path, GLUED)
    before = {table: store.rows(table) for table in TABLES}
    with store.transaction():
        restore_all(store.db)
    assert {table: store.rows(table) for table in TABLES} == before


@pytest.mark.parametrize("brand", [GLUED, PLAIN_BRAND])
def test_without_the_original_the_page_alone_keeps_the_brand(tmp_path, brand: str) -> None:
    # what the page alone cannot tell: where a glued brand ends, a CJK run from a name
    spam = report(archive(tmp_path, brand, with_original=False), MIRROR)
    assert spam["title"] == CLEAN.split("\n")[0].replace(NAME, brand)


def test_a_stuffed_head_survives_the_second_reading(tmp_path) -> None:
    keywords = "沐晨庄首充有礼,青禾线路测速,云岫每日打卡,songtao备用通途,碧潭天天送"
    head = f'<head><meta name="keywords" content="{keywords}">'
    clean = clean_page()
    store = Store(tmp_path / "nianbao.db")
    store_page(store, ORIGINAL, *fetch(clean), "<urn:uuid:original>", "2022-02-01T00:00:00Z")
    spam = clean.replace(NAME, GLUED).replace("<head>", head, 1)
    store_page(store, MIRROR, *fetch(spam), "<urn:uuid:mirror>", "2022-03-01T00:00:00Z")
    with store.transaction():
        restore_all(store.db)
    rid = report(store, MIRROR)["id"]
    rows = store.db.execute(
        "select kind, place, injected, restored from spam_findings where report_id = ?"
        " order by place, start",
        [rid],
    ).fetchall()
    assert (
        rows
        == [("stuffed_header", "keywords", keywords, None)]
        + [("entity_hijack", "text", GLUED, NAME)] * 2
    )

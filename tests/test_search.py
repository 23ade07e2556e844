"""Full-text search: the trigram index and the short-word scan agree with a plain substring
search of the stored text, Traditional and Simplified find each other, filters narrow, every
write keeps the index current, and an older database gets its index built."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.archive.search.index import _INSERT, ENDS_TABLE, FTS_TABLE, TRIGGERS
from nianbao.archive.search.query import (
    INDEXED,
    SCAN,
    EmptyQuery,
    SearchQuery,
    needs_index,
    search,
)
from nianbao.archive.store.database import Store
from nianbao.archive.store.selection import Selection
from nianbao.crawler.cli import main
from nianbao.extract.script import converter, to_simplified, to_traditional
from tests.conftest import Crawled

EVERYTHING = 100_000  # a limit no test database reaches: every hit is returned


def _reports(db_path: Path) -> list[tuple[str, str, str, str, int, str]]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "select url, coalesce(title, ''), coalesce(text, ''), coalesce(text_simplified, ''),"
            " year, coalesce(agency, '') || ' ' || coalesce(agency_simplified, '') from reports"
        ).fetchall()
    return rows


def _holds(row: tuple, word: str) -> bool:
    """The documented meaning of a match, in plain Python: the word as typed or in
    Traditional in the title or the text, or its Simplified form in the Simplified text or
    the title."""
    _url, title, text, simplified, _year, _agency = row
    forms = (word, to_traditional(word))
    return (
        any(form in title or form in text for form in forms)
        or to_simplified(word) in simplified
        or to_simplified(word) in title
    )


def _found(db: Path, text: str, selection: Selection | None = None) -> set[str]:
    result = search(
        db, SearchQuery(text, selection or Selection(), limit=EVERYTHING, candidates=EVERYTHING)
    )
    assert result.matches == len(result.hits)
    return {hit.url for hit in result.hits}


def _phrases(rows: list[tuple], length: int, count: int, rng: random.Random) -> list[str]:
    """Substrings of stored texts, of CJK characters only (no spaces: one word each)."""
    phrases: list[str] = []
    while len(phrases) < count:
        text = rng.choice(rows)[2]
        if len(text) <= length:
            continue
        at = rng.randrange(len(text) - length)
        phrase = text[at : at + length]
        if all("\u4e00" <= ch <= "\u9fff" for ch in phrase):
            phrases.append(phrase)
    return phrases


@pytest.mark.crawl
def test_search_finds_exactly_the_reports_that_hold_the_words(crawled: Crawled) -> None:
    rows = _reports(crawled.db)
    rng = random.Random(15)
    tried = {length: _phrases(rows, length, 12, rng) for length in (2, 3, 6)}
    for length, phrases in tried.items():
        for phrase in phrases:
            expected = {row[0] for row in rows if _holds(row, phrase)}
            assert _found(crawled.db, phrase) == expected, (length, phrase)
    # two words: both must be held, whatever their lengths (a short one is an instr filter)
    long_word, short_word = tried[6][0], tried[2][1]
    both = {row[0] for row in rows if _holds(row, long_word) and _holds(row, short_word)}
    assert _found(crawled.db, f"{long_word} {short_word}") == both
    # and a phrase no report holds finds nothing, in both modes
    assert _found(crawled.db, "龘龘龘龘") == set() and _found(crawled.db, "龘") == set()


@pytest.mark.crawl
def test_short_words_are_scanned_and_long_ones_indexed(crawled: Crawled) -> None:
    short = search(crawled.db, SearchQuery("公"))  # one character: no trigram begins it alone
    indexed = search(crawled.db, SearchQuery("依申请公开"))
    assert short.mode == SCAN and short.matches > 0 and short.hits
    assert indexed.mode == INDEXED and indexed.matches > 0 and indexed.hits
    # more matches than candidates: the newest `candidates` are ranked, and the scan and the
    # index both say they stopped counting there
    capped = search(crawled.db, SearchQuery("公", candidates=5, limit=3))
    assert capped.ranked == 5 and not capped.counted_all and len(capped.hits) == 3
    few = search(crawled.db, SearchQuery("依申请公开", candidates=5))
    assert few.ranked == few.matches == 5 and not few.counted_all
    assert indexed.counted_all and indexed.matches > 5  # under 2,000: every match counted
    # the ranked ones are the 5 most recently stored of the matches
    with sqlite3.connect(crawled.db) as db:
        newest = db.execute(
            "select r.id from reports_fts f join reports r on r.rowid = f.rowid"
            " where reports_fts match '\"依申请公开\"' order by f.rowid desc limit 5"
        ).fetchall()
    assert {hit.report_id for hit in few.hits} == {rid for (rid,) in newest}


@pytest.mark.crawl
def test_traditional_and_simplified_find_each_other(crawled: Crawled) -> None:
    to_traditional = converter("s2t").convert
    gateways = [r for r in crawled.world.reports if r.source.startswith("gateway:")]
    assert gateways, "the test world has Traditional gateway copies"
    rows = _reports(crawled.db)
    stored = {row[0]: row for row in rows}
    checked = 0
    for copy in gateways:
        original = copy.source.removeprefix("gateway:")
        if copy.url not in stored or original not in stored:
            continue
        text = stored[original][3]
        phrase = next(
            text[at : at + 6]
            for at in range(len(text) - 6)
            if to_traditional(text[at : at + 6]) != text[at : at + 6]
            and all("\u4e00" <= ch <= "\u9fff" for ch in text[at : at + 6])
        )
        simplified_hits = _found(crawled.db, phrase)
        traditional_hits = _found(crawled.db, to_traditional(phrase))
        assert {original, copy.url} <= simplified_hits, phrase
        assert {original, copy.url} <= traditional_hits, to_traditional(phrase)
        checked += 1
    assert checked >= 2


@pytest.mark.crawl
def test_hits_show_the_words_in_a_snippet(crawled: Crawled) -> None:
    result = search(crawled.db, SearchQuery("行政复议", limit=10))
    assert result.hits
    for hit in result.hits:
        start, end = hit.highlight
        assert to_simplified(hit.snippet[start:end]) == "行政复议", hit.snippet
        assert "\n" not in hit.snippet and len(hit.snippet) <= 4 + 2 * 30
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.crawl
def test_filters_narrow_to_the_selection(crawled: Crawled) -> None:
    rows = _reports(crawled.db)
    year = rows[0][4]
    # the agency as printed or in Simplified (the documented meaning of --agency)
    agency = max(
        {row[5].split()[0] for row in rows}, key=lambda a: sum(a in row[5] for row in rows)
    )
    for word in ("公开", "政府信息"):
        by_year = {row[0] for row in rows if row[4] == year and _holds(row, word)}
        by_agency = {row[0] for row in rows if agency in row[5] and _holds(row, word)}
        assert _found(crawled.db, word, Selection(years=(year,))) == by_year
        assert _found(crawled.db, word, Selection(agency=agency)) == by_agency


def _report(rid: str, text: str, capture: str) -> dict[str, object]:
    return {
        "id": rid,
        "url": f"http://x.gov.cn/{rid}",
        "title": "某局报告",
        "agency": "某局",
        "text": text,
        "text_simplified": text,
        "capture_id": capture,
        "year": 2021,
    }


def test_a_two_character_word_is_found_through_the_index_even_at_a_columns_end(
    tmp_path: Path,
) -> None:
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.put_capture({"id": "c1", "url": "u", "date": "2022-01-01T00:00:00Z"})
        texts = (("b", "甲乙两项工作完成于甲乙"), ("c", "没有"), ("a", "全年共收到申请甲乙"))
        for rid, text in texts:
            store.put_report(_report(rid, text, "c1"), {}, "2022-01-01T00:00:00Z")
        # "a" holds 甲乙 only as its text's last two characters: no trigram begins with it
        result = search(db, SearchQuery("甲乙"))
        assert result.mode == INDEXED and result.counted_all
        assert {hit.url for hit in result.hits} == {"http://x.gov.cn/a", "http://x.gov.cn/b"}
        assert _found(db, "甲乙 工作") == {"http://x.gov.cn/b"}  # every word must be held
        # "a" has the last rowid: a report stored after it goes takes that rowid again, and
        # must not inherit its ending
        store.drop_report("a")
        store.put_report(_report("d", "无关的内容", "c1"), {}, "2022-01-01T00:00:00Z")
        assert _found(db, "甲乙") == {"http://x.gov.cn/b"}
        store.db.execute("update reports set text = '无', text_simplified = '无' where id = 'b'")
        store.db.conn.commit()
        assert _found(db, "甲乙") == set()  # the text changed: its trigrams left the index


def test_every_write_keeps_the_index_current(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.put_capture({"id": "c2", "url": "u", "date": "2022-01-02T00:00:00Z"})
        store.put_capture({"id": "c1", "url": "u", "date": "2022-01-01T00:00:00Z"})
        store.put_report(_report("a", "旧的文字内容在这里", "c2"), {}, "2022-01-02T00:00:00Z")
        store.put_report(_report("b", "另一份报告的文字", "c2"), {}, "2022-01-02T00:00:00Z")
        assert _found(db, "旧的文字") == {"http://x.gov.cn/a"}
        # an earlier capture replaces the row (INSERT OR REPLACE): the old text leaves the index
        store.put_report(_report("a", "新的文字内容在这里", "c1"), {}, "2022-01-01T00:00:00Z")
        assert _found(db, "旧的文字") == set()
        assert _found(db, "新的文字") == {"http://x.gov.cn/a"}
        # not only hidden by the join: the index itself no longer holds the old text, and
        # holds one entry per report (a stale entry would match whatever row takes its rowid)
        stale = f"select count(*) from {FTS_TABLE} where {FTS_TABLE} match '\"旧的文字\"'"
        assert store.db.execute(stale).fetchone() == (0,)
        indexed = store.db.execute(f"select count(*) from {FTS_TABLE}_docsize").fetchone()
        assert indexed == (store.count("reports"),)
        # an update of the text (copy restoration) and of another column (sightings)
        fixed = "修复后的文字"
        store.db.execute(
            "update reports set text = ?, text_simplified = ? where id = 'b'", [fixed, fixed]
        )
        store.db.execute("update reports set seen = 2")
        store.db.conn.commit()
        assert _found(db, "另一份报告") == set() and _found(db, "修复后") == {"http://x.gov.cn/b"}
        store.drop_report("a")
        assert _found(db, "新的文字") == set()
        # the index agrees with its content table, entry for entry
        store.db.execute(
            f"insert into {FTS_TABLE}({FTS_TABLE}, rank) values ('integrity-check', 1)"
        )


@pytest.mark.crawl
def test_an_older_database_gets_its_index(crawled: Crawled, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(crawled.db, db)
    with sqlite3.connect(db) as conn:
        for name in TRIGGERS:
            conn.execute(f"drop trigger {name}")
        conn.execute(f"drop table {FTS_TABLE}")
    assert needs_index(db)
    result = CliRunner().invoke(main, ["search", "政府信息公开", "--db", str(db), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert not needs_index(db)
    assert _found(db, "政府信息公开") == _found(crawled.db, "政府信息公开")


@pytest.mark.crawl
def test_the_command_prints_hits_and_json(crawled: Crawled) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["search", "依申请公开", "--db", str(crawled.db), "--limit", "2"])
    assert shown.exit_code == 0, shown.output
    result = search(crawled.db, SearchQuery("依申请公开", limit=2))
    assert f"{result.matches} reports match '依申请公开'" in shown.output
    assert all(hit.url in shown.output for hit in result.hits)
    as_json = runner.invoke(
        main, ["search", "公开", "--db", str(crawled.db), "--year", "2020", "--json"]
    )
    data = json.loads(as_json.output)
    assert data["mode"] == INDEXED and data["hits"]  # two characters: through the index
    assert {hit["year"] for hit in data["hits"]} == {2020}
    start, end = data["hits"][0]["highlight"]
    assert data["hits"][0]["snippet"][start:end] in ("公开", "公開")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "the query has no words"),
        (["x", "--db", "nowhere.db"], "no database at nowhere.db"),
    ],
)
def test_a_wrong_query_or_database_is_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["search", *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1


@pytest.mark.crawl
def test_an_empty_query_is_refused_by_the_library(crawled: Crawled) -> None:
    with pytest.raises(EmptyQuery):
        search(crawled.db, SearchQuery(" \t "))


def test_an_index_made_before_the_endings_were_kept_gets_them(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.put_capture({"id": "c1", "url": "u", "date": "2022-01-01T00:00:00Z"})
        store.put_report(_report("a", "全年共收到申请甲乙", "c1"), {}, "2022-01-01T00:00:00Z")
        # as the index of 2026-12-07 was: no endings table, triggers that do not fill it
        store.db.execute(f"drop table {ENDS_TABLE}")
        store.db.execute("drop trigger reports_ai")
        store.db.execute(f"create trigger reports_ai after insert on reports begin {_INSERT} end")
        store.db.conn.commit()
    with Store(db) as store:  # opening the store brings the index up to date
        assert _found(db, "甲乙") == {"http://x.gov.cn/a"}
        store.put_report(_report("b", "又一份甲乙", "c1"), {}, "2022-01-01T00:00:00Z")
        assert _found(db, "甲乙") == {"http://x.gov.cn/a", "http://x.gov.cn/b"}


def test_a_simplified_query_finds_a_traditional_title_agency_and_region(tmp_path: Path) -> None:
    # a Traditional report whose text lost the words (spam holes): only the printed title,
    # agency and region hold them, in Traditional, and only the text is indexed in Simplified
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.put_capture({"id": "c1", "url": "u", "date": "2022-01-01T00:00:00Z"})
        row = {
            **_report("a", "□□□□□□□□□□", "c1"),
            "title": "北京市大興區財政局2020年政府資訊公開報告",
            "agency": "北京市大興區財政局",
            "region": "北京市大興區",
        }
        store.put_report(row, {}, "2022-01-01T00:00:00Z")
        for words in ("财政局", "財政局", "财政", "大兴区财政局 财政"):
            assert _found(db, words) == {"http://x.gov.cn/a"}, words
        assert _found(db, "财政局", Selection(region="大兴区")) == {"http://x.gov.cn/a"}
        assert _found(db, "财政局", Selection(agency="大兴区财政局")) == {"http://x.gov.cn/a"}

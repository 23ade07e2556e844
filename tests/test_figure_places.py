"""A figure's sentence and offsets point into reports.text, spam copies included."""

from __future__ import annotations

import re
import sqlite3

import pytest

from nianbao.extract import extract_report
from nianbao.extract.figures import figures_in
from nianbao.extract.script import to_simplified
from nianbao.simweb import build_world
from tests.conftest import Crawled


def test_every_figure_sentence_is_where_it_says_in_the_clean_text() -> None:
    world = build_world(seed=0, reports=60)  # the demo's world: Traditional spam copies
    spam_figures = hant_spam = 0
    for truth in world.reports:
        page = world.lookup(truth.url)
        assert page is not None
        headers = {name.lower(): value for name, value in page.headers}
        report = extract_report(truth.url, headers, page.body)
        for figure in report.figures:
            start, sentence = figure.sentence_offset, figure.sentence
            assert report.text[start : start + len(sentence)] == sentence, (truth.url, figure)
            assert start <= figure.offset < start + len(sentence), (truth.url, figure)
            # the phrase at ``offset`` prints the number (when printed in digits)
            tail = report.text[figure.offset : start + len(sentence)].replace(",", "")
            if figure.unit and figure.unit != "万元" and re.search(r"\d", tail):
                assert str(figure.value) in tail, (truth.url, figure)
            if report.spam:
                spam_figures += 1
                hant_spam += report.script == "Hant"
    assert spam_figures > 0 and hant_spam > 0


def test_figures_read_with_guessed_words_are_located_at_the_holes() -> None:
    read = "全年主动公开信息63条。收到公开申请5件。"
    text = "全年主动□信息63条。收到公开申请5件。"
    # "公开" (read 4..6) is a hole in the text (4..5)
    figures = figures_in(text, read, [(4, 5, 4, 6)])
    assert [(f.key, f.value) for f in figures] == [
        ("proactive_items", 63),
        ("requests_received", 5),
    ]
    first, second = figures
    assert first.sentence == "全年主动□信息63条" and first.sentence_offset == 0
    assert text[first.offset :].startswith("主动□信息63条")
    assert second.sentence == "收到公开申请5件" and text[second.sentence_offset :].startswith(
        "收到"
    )
    assert text[second.offset : second.offset + 2] == "收到"


@pytest.mark.crawl
def test_figures_in_the_database_point_into_reports_text(crawled: Crawled) -> None:
    conn = sqlite3.connect(crawled.db)
    rows = conn.execute(
        "select r.text, r.script, s.spam, f.sentence, f.offset, f.sentence_offset from figures f"
        " join reports r on r.id = f.report_id left join (select report_id, count(*) as spam"
        " from spam_findings group by report_id) s on s.report_id = r.id"
    ).fetchall()
    assert rows and any(spam for _, _, spam, *_ in rows)
    for text, script, _, sentence, offset, start in rows:
        assert text[start : start + len(sentence)] == sentence
        assert start <= offset < start + len(sentence)
        if script == "Hant":  # no Simplified guessed word inside a Traditional sentence
            assert to_simplified(sentence) != sentence or sentence.isascii()

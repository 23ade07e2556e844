"""extract_report on spam copies of the seed pages: found, cleaned, still recognised as reports.

Spam is injected into the pages of tests/test_extract.py by the test itself, so the truth is
known by construction: every hole stands for the word the test replaced.
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from nianbao.extract.spam import HOLE
from tests.test_extract import fetch, page, paragraphs, seed_004_page, seed_lines

SEED_BRAND = "滚球体育app_188篮球比分-直播|官网:"


@pytest.fixture(scope="module")
def report_004():
    headers, body = fetch(seed_004_page())
    return extract_report("http://www.bjmtg.gov.cn/zwgk/d.html", headers, body)


def test_004_brand_found_in_main_text(report_004):
    assert report_004.is_report
    # The main text holds the site line (北京市…商务局) and seven document names in the
    # body (six in (二), one in (四)); the block and the <h1> are not main text.
    assert len(report_004.spam) == 8
    for finding in report_004.spam:
        assert finding.kind == "entity_hijack"
        assert finding.injected == SEED_BRAND
        assert report_004.text_original[finding.start : finding.end] == SEED_BRAND
    assert report_004.spam_score > 0.9


def test_004_clean_text_has_holes_not_the_brand(report_004):
    assert "滚球" not in report_004.text and "188篮球" not in report_004.text
    assert report_004.text.count(HOLE) == 8
    assert report_004.text.startswith("北京市□商务局\n")
    assert "《□商务局政府信息清理工作办法》" in report_004.text
    assert SEED_BRAND in report_004.text_original
    assert report_004.text_simplified == report_004.text  # Simplified already


def test_004_title_and_agency_cleaned(report_004):
    assert report_004.title == "□商务局政府信息公开工作总结"
    assert report_004.title_original == SEED_BRAND + "商务局政府信息公开工作总结"
    assert report_004.agency == "北京市□商务局"  # the page heading names the city too
    assert report_004.year == 2008
    assert [s.heading for s in report_004.sections] == [
        "一、高度重视、规范管理",
        "二、加强研究,高效开展工作",
        "三、积极推进工作深入开展",
    ]


# ---------------------------------------------------------------- seed 003 with 公开 swapped


def seed_003_body(lines: list[str]) -> str:
    return f'<div class="title"><p>{lines[0]}</p><p>{lines[1]}</p></div>\n' + paragraphs(lines[2:])


@pytest.fixture(scope="module")
def swap_pair():
    lines = seed_lines("003")
    title = "北京市大兴区商务局2020年政府信息公开工作年度报告"
    clean = page(seed_003_body(lines), title=title)
    spammed = page(
        seed_003_body([line.replace("公开", "买球网站") for line in lines]),
        title=title.replace("公开", "买球网站"),
    )
    return tuple(
        extract_report("http://spam.example.com/003.html", *fetch(markup))
        for markup in (clean, spammed)
    )


def test_swap_copy_is_still_a_report(swap_pair):
    clean, spam = swap_pair
    assert spam.is_report
    assert spam.title_original == "北京市大兴区商务局2020年政府信息买球网站工作年度报告"
    assert spam.title == "北京市大兴区商务局2020年政府信息□工作年度报告"
    assert spam.year == 2020
    assert len(spam.sections) == 6
    assert spam.sections[1].heading == "二、主动□政府信息情况"


def test_swap_every_occurrence_found_and_holed(swap_pair):
    clean, spam = swap_pair
    assert {f.kind for f in spam.spam} == {"keyword_swap"}
    assert {f.injected for f in spam.spam} == {"买球网站"}
    assert len(spam.spam) == spam.text_original.count("买球网站")
    assert "买球网站" not in spam.text
    # Each hole stood for 公开: filled back, the copy reads as the clean page does.
    assert spam.text.replace(HOLE, "公开") == clean.text
    assert clean.spam == ()


# ---------------------------------------------------------------- seed 000 with pinyin


@pytest.fixture(scope="module")
def pinyin_pair():
    lines = seed_lines("000")
    title, rest = lines[0], lines[1:]
    reports = []
    for marked in (False, True):
        body_lines = [line.replace("條例", "條(tiáo)例") if marked else line for line in rest]
        body = f'<h1 class="title">{html.escape(title)}</h1>\n' + paragraphs(body_lines)
        markup = page(body, title=f"{title}_北京市商務局", traditional=True)
        reports.append(extract_report("http://mirror.example.com/000.html", *fetch(markup)))
    return tuple(reports)


def test_pinyin_removed_silently(pinyin_pair):
    clean, spam = pinyin_pair
    assert spam.is_report and spam.script == "Hant"
    assert {(f.kind, f.injected) for f in spam.spam} == {("pinyin", "(tiáo)")}
    assert len(spam.spam) == spam.text_original.count("條(tiáo)例")
    assert spam.text == clean.text
    assert "(tiáo)" not in spam.text_simplified
    assert spam.text_simplified.startswith("依据《中华人民共和国政府信息公开条例》")


# ---------------------------------------------------------------- seed 001 with a stuffed header


def test_stuffed_header_page():
    header = "澳门威尼斯人_真人百家乐_体育投注官网|成人视频,足球比分直播"
    lines = seed_lines("002")
    body = f"<p>{html.escape(header)}</p>\n<h1>{html.escape(lines[0])}</h1>\n" + paragraphs(
        lines[1:]
    )
    markup = page(body, title=lines[0], traditional=True)
    report = extract_report("http://spam.example.com/002.html", *fetch(markup))
    assert report.is_report
    assert [(f.kind, f.injected) for f in report.spam] == [("stuffed_header", header)]
    assert header not in report.text
    assert report.text.startswith("依據《中華人民共和國政府信息公開條例》")
    assert report.title == "北京市城市管理委員會2020年政府信息公開工作年度報告"


def test_gongkai_and_zhengfu_both_swapped_to_one_term():
    # REPORT_FORMAT.md: "公开 and 政府 both became 买球网站".
    lines = [
        line.replace("公开", "买球网站").replace("政府", "买球网站") for line in seed_lines("003")
    ]
    title = "北京市大兴区商务局2020年买球网站信息买球网站工作年度报告"
    report = extract_report(
        "http://spam.example.com/003b.html", *fetch(page(seed_003_body(lines), title=title))
    )
    assert report.is_report
    assert report.title == "北京市大兴区商务局2020年□信息□工作年度报告"
    assert len(report.spam) == report.text_original.count("买球网站")
    assert "买球网站" not in report.text
    assert [s.heading for s in report.sections][1:4] == [
        "二、主动□□信息情况",
        "三、收到和处理□信息□申请情况",
        "四、□信息□行政复议、行政诉讼情况",
    ]

"""Page chrome in both scripts: seeds 000 and 002 inside a portal page full of furniture.

The chrome strings below are the ones REPORT_FORMAT.md lists, typed in by hand; the seeds
carry their own (date/source line, 分享, 字號, exit notice, 已歸檔).
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from nianbao.extract.chrome import is_chrome
from nianbao.extract.metadata import is_block_line
from nianbao.extract.script import to_simplified
from tests.test_extract import fetch, seed_lines

TRADITIONAL_BLOCK = (
    "<table class='xxgk'>"
    "<tr><td>索 引 號:</td><td>000014348/2020-00021</td>"
    "<td>公開責任部門:</td><td>{agency}</td></tr>"
    "<tr><td>信息名稱:</td><td>{title}</td><td>文 號:</td><td>無</td></tr>"
    "<tr><td>信息有效性:</td><td>有效</td><td>生成日期:</td><td>2020-01-20</td></tr>"
    "<tr><td>發布日期:</td><td>2020-01-22</td><td>內容概述:</td><td>依據條例編制本報告。</td></tr>"
    "</table>"
)
TRAILING_CHROME = (
    "【字體：大 中 小】【列印本頁】【關閉視窗】",
    "[ 打印本頁 ] [ 關閉窗口 ]",
    "點擊量：1024",
    "瀏覽次數:55",
)
# Every piece of chrome that must be gone from the text, as a person would search for it.
CHROME_STRINGS = (
    "日期:",
    "來源:",
    "分享",
    "字號",
    "字體",
    "大 中 小",
    "打印本頁",
    "列印",
    "關閉",
    "點擊量",
    "瀏覽次數",
    "您訪問的連結",
    "是否繼續",
    "已歸檔",
    "當前位置",
    "首頁 >",
    "索 引 號",
    "公開責任部門",
    "信息名稱",
    "文 號",
    "信息有效性",
    "生成日期",
    "發布日期",
    "內容概述",
    "000014348",
)


def chrome_page(prefix: str, agency: str) -> str:
    """A Traditional gateway page: breadcrumb, block, title, the seed's own chrome, toolbar."""
    lines = seed_lines(prefix)
    title, rest = lines[0], lines[1:]
    article = "\n".join(
        [
            "<div class='crumb'>當前位置：<a href='/'>首頁</a> &gt; <a href='/zwgk/'>政務公開</a>"
            " &gt; 年度報告</div>",
            TRADITIONAL_BLOCK.format(agency=agency, title=html.escape(title)),
            f"<h1>{html.escape(title)}</h1>",
            *(f"<p>{html.escape(line)}</p>" for line in rest),
            *(f"<div class='tools'>{html.escape(line)}</div>" for line in TRAILING_CHROME),
        ]
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{html.escape(title)}_{agency}</title></head><body>
<div class="nav"><a href="/">首頁</a> <a href="/zwgk/">政務公開</a></div>
<div class="article">{article}</div>
<div class="footer">主辦單位:北京市人民政府辦公廳 版權所有</div></body></html>"""


@pytest.fixture(scope="module")
def report_000():
    headers, body = fetch(chrome_page("000", "北京市商務局"))
    return extract_report(
        "http://www.beijing.gov.cn/gate/big5/sw.beijing.gov.cn/c0.html", headers, body
    )


@pytest.fixture(scope="module")
def report_002():
    headers, body = fetch(chrome_page("002", "北京市城市管理委員會"))
    return extract_report(
        "http://www.beijing.gov.cn/gate/big5/csglw.beijing.gov.cn/c2.html", headers, body
    )


def _starts_at_title_or_basis(text: str, title: str) -> bool:
    return text.startswith(title) or text.startswith("依據")


def test_000_clean_text_starts_at_title_or_basis(report_000):
    assert report_000.is_report
    assert _starts_at_title_or_basis(report_000.text, "北京市商務局2019年政府信息公開工作年度報告")
    assert report_000.text.endswith("如需了解更多政府資訊,請登錄查詢。")


def test_000_no_chrome_left(report_000):
    for chrome in CHROME_STRINGS:
        assert chrome not in report_000.text, chrome
        assert chrome not in report_000.text_original, chrome


def test_000_block_mined_before_it_is_stripped(report_000):
    assert report_000.index_no == "000014348/2020-00021"
    assert report_000.agency == "北京市商務局"
    assert report_000.published == "2020-01-22"
    assert report_000.doc_no is None  # 無


def test_002_clean_text_starts_at_title_or_basis(report_002):
    assert report_002.is_report
    assert _starts_at_title_or_basis(
        report_002.text, "北京市城市管理委員會2020年政府信息公開工作年度報告"
    )
    assert report_002.text.endswith("如需了解更多政府資訊,請登錄查詢。")


def test_002_no_chrome_left(report_002):
    for chrome in CHROME_STRINGS:
        assert chrome not in report_002.text, chrome
    assert report_002.agency == "北京市城市管理委員會"
    assert report_002.year == 2020


def test_text_simplified_is_the_t2s_form(report_002):
    # Read off seed 002's first body line and converted by hand.
    assert report_002.text.startswith("依據《中華人民共和國政府信息公開條例》(以下簡稱")
    assert report_002.text_simplified.startswith("依据《中华人民共和国政府信息公开条例》(以下简称")
    assert report_002.spam == ()
    assert report_002.spam_score == 0.0


@pytest.mark.parametrize(
    "line",
    [
        "【字体：大 中 小】【打印】【关闭】",
        "【列印本頁】【關閉視窗】",
        "分享到: 打印 关闭",
        "發佈時間：2020-01-22 10:00 來源：北京市商務局 瀏覽次數：12",
        "字號：[大] [中] [小]",
        "您現在的位置：首頁>政務公開>年度報告",
        "首页 / 政务公开 / 年度报告",
        "已归档",
        "您访问的链接即将离开“首都之窗”门户网站 是否继续？",
    ],
)
def test_widget_lines_are_chrome(line):
    simple = to_simplified(line)
    assert is_chrome(simple) or is_block_line(simple)


@pytest.mark.parametrize(
    "line",
    [
        "大",
        "| 大 | 中 | 小 |",
        "关闭了3家违规经营网点。",
        "打印机采购2台。",
        "分享经验，交流做法。",
        "二、主動公開政府資訊情況",
    ],
)
def test_report_lines_are_not_chrome(line):
    simple = to_simplified(line)
    assert not is_chrome(simple)

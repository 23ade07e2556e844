"""Main text: inline elements keep their characters, chrome lines go, metadata block is mined."""

from __future__ import annotations

from nianbao.extract import extract_report
from nianbao.extract.chrome import is_chrome
from nianbao.extract.dom import parse_html
from nianbao.extract.script import to_simplified
from nianbao.extract.text import clean_lines, extract_main_text

FILLER = "<p>商务局高度重视政府信息公开工作，在区政府信息公开机构的统一领导下，依法公开。</p>" * 3


def main_text(article: str) -> str:
    markup = (
        f"<html><body><div id='nav'><a href='/'>首页</a><a href='/b'>机构</a></div>"
        f"<div class='article'>{article}{FILLER}</div></body></html>"
    )
    text, _ = clean_lines(extract_main_text(parse_html(markup)))
    return "\n".join(text)


def test_characters_inside_span_and_font_survive():
    text = main_text(
        '<p>于今年5<span style="font-family:宋体">月</span>1日起正式施行，'
        "自2007<font>年</font>12月起开始学习。</p>"
    )
    assert "今年5月1日" in text
    assert "2007年12月" in text


def test_inline_elements_directly_in_a_div_stay_on_one_line():
    # A short page sends trafilatura to its fallback extractors, which split text at <span>.
    article = (
        '<div>《条例》于今年5<span style="font-family:宋体">月</span>1日起正式施行。'
        "自2007<font>年</font>12月起开始学习,区商务局政府信息公开工作已渐入轨道。</div>"
    )
    markup = (
        '<html><body><div id="nav"><a href="/">首页</a></div>'
        f'<div class="article">{article}</div></body></html>'
    )
    text, _ = clean_lines(extract_main_text(parse_html(markup)))
    assert "于今年5月1日起正式施行。自2007年12月起开始学习" in "\n".join(text)


def test_word_office_markup_survives():
    text = main_text(
        '<p class="MsoNormal"><span lang="EN-US">截止2008</span><span>年</span>'
        '<span lang="EN-US">2</span>月<b>28</b>日前共清理各类信息453条<o:p></o:p></p>'
    )
    assert "截止2008年2月28日前共清理各类信息453条" in text


def test_line_breaks_inside_a_paragraph_keep_headings_apart():
    text = main_text("<p>一、总体情况<br>全年主动公开信息424条。<br>二、主动公开政府信息情况</p>")
    lines = text.split("\n")
    assert "一、总体情况" in lines
    assert "二、主动公开政府信息情况" in lines


def test_chrome_lines_in_both_scripts():
    for line in (
        "日期:2020-01-22 10:00    來源:北京市商務局",
        "分享:",
        "字號:",
        "字号：大 中 小",
        "【打印本页】【关闭窗口】",
        "打印本頁",
        "点击量：1024",
        "瀏覽次數:55",
        "您訪問的連結即將離開“首都之窗”門戶網站 是否繼續?",
        "已歸檔",
        "已归档",
        "首页 > 政务公开 > 年度报告",
        "当前位置：首页 > 政务公开",
    ):
        assert is_chrome(to_simplified(line)), line
    for line in (
        "一、總體情況",
        "主動公開政府資訊情況",
        "分享经验，交流做法，推动政务公开工作。",
        "2019年,北京市商務局以習近平新時代中國特色社會主義思想為指引",
    ):
        assert not is_chrome(to_simplified(line)), line


def test_metadata_block_mined_and_stripped():
    block = (
        "<table><tr><td>索 引 号:</td><td>000014348/2019-00012</td>"
        "<td>发布机构:</td><td>北京市商务局</td></tr>"
        "<tr><td>文   号:</td><td>京商字〔2020〕3号</td>"
        "<td>发布日期:</td><td>2020年1月21日</td></tr></table>"
    )
    body = "".join(
        f"<p>{x}</p>"
        for x in (
            "一、总体情况",
            "2019年，本局认真落实《中华人民共和国政府信息公开条例》，主动公开。" * 8,
            "二、主动公开政府信息情况",
            "全年主动公开信息424条。",
            "三、收到和处理政府信息公开申请情况",
            "全年收到依申请公开5件。",
        )
    )
    title = "北京市商务局2019年政府信息公开工作年度报告"
    markup = (
        f"<html><head><title>{title}_北京市商务局</title></head><body>"
        f"<div class='c'>{block}<h1>{title}</h1>{body}</div></body></html>"
    )
    report = extract_report(
        "http://sw.beijing.gov.cn/a", {"content-type": "text/html"}, markup.encode("utf-8")
    )
    assert report.is_report
    assert report.index_no == "000014348/2019-00012"
    assert report.doc_no == "京商字〔2020〕3号"
    assert report.published == "2020-01-21"
    assert report.agency == "北京市商务局"
    assert report.title == "北京市商务局2019年政府信息公开工作年度报告"
    for chrome in ("索 引 号", "000014348", "发布机构", "京商字", "发布日期"):
        assert chrome not in report.text


def test_metadata_table_leaves_no_markdown_rule_in_the_text():
    # trafilatura renders the 索引号 table as "| 索引号: | … |" rows with a "|---|---|" rule
    # under the first; the rows are metadata, and the rule alone carried nothing either.
    block = (
        "<table><tr><td>索引号:</td><td>000014348/2019-00012</td></tr>"
        "<tr><td>发布机构:</td><td>北京市商务局</td></tr></table>"
    )
    title = "北京市商务局2019年政府信息公开工作年度报告"
    body = "".join(
        f"<p>{x}</p>"
        for x in (
            "一、总体情况",
            "2019年，本局认真落实《中华人民共和国政府信息公开条例》，主动公开。" * 8,
            "二、主动公开政府信息情况",
            "全年主动公开信息424条。",
        )
    )
    markup = (
        f"<html><head><title>{title}</title></head><body>"
        f"<div class='c'>{block}<h1>{title}</h1>{body}</div></body></html>"
    )
    report = extract_report(
        "http://sw.beijing.gov.cn/a", {"content-type": "text/html"}, markup.encode("utf-8")
    )
    assert report.text.startswith("一、总体情况")
    assert "---" not in report.text_original
    # a table row holding a value is kept: only the rule goes
    lines, _ = clean_lines("| 项目 | 数量 |\n|---|---|\n| 主动公开 | 424 |\n| :---: | - |")
    assert lines == ["| 项目 | 数量 |", "| 主动公开 | 424 |", "| :---: | - |"]

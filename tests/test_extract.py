"""extract_report on pages built from the five seed reports, with realistic page chrome.

Expected values are what a person reads in shared/seeds/*.txt, written out by hand.
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from tests.seeds import seed_text


def seed_lines(prefix: str) -> list[str]:
    """Non-empty lines of a seed text, whitespace-trimmed."""
    return [line.strip() for line in seed_text(prefix).splitlines() if line.strip()]


def paragraphs(lines: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)


def page(body: str, *, title: str, head: str = "", traditional: bool = False) -> str:
    """Wrap article HTML in a portal page: header, nav, breadcrumb, share widgets, footer."""
    home, open_gov = ("首頁", "政務公開") if traditional else ("首页", "政务公开")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>{head}
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="header"><img src="/logo.png" alt="logo"><a href="/">{home}</a></div>
<ul class="nav"><li><a href="/">{home}</a></li><li><a href="/zwgk/">{open_gov}</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<div class="crumb">您现在的位置:<a href="/">{home}</a> &gt; <a href="/zwgk/">{open_gov}</a>
 &gt; <a href="/zwgk/ndbg/">年度报告</a></div>
<div class="article">
{body}
</div>
<div class="tools"><span>【打印本页】</span><span>【关闭窗口】</span></div>
<div class="footer"><p>主办单位:北京市人民政府办公厅 版权所有</p>
<p>京ICP备05060933号 京公网安备11010502039149号</p></div>
</body></html>"""


def fetch(markup: str, charset: str = "utf-8") -> tuple[dict[str, str], bytes]:
    headers = {"content-type": f"text/html; charset={charset}"}
    return headers, markup.encode(charset)


# ---------------------------------------------------------------- seed 000 (Traditional)


def seed_000_page() -> str:
    lines = seed_lines("000")
    title, rest = lines[0], lines[1:]
    body = f'<h1 class="title">{title}</h1>\n' + paragraphs(rest)
    return page(body, title=f"{title}_北京市商務局", traditional=True)


@pytest.fixture(scope="module")
def report_000():
    headers, body = fetch(seed_000_page())
    return extract_report(
        "http://www.beijing.gov.cn/gate/big5/sw.beijing.gov.cn/a.html", headers, body
    )


def test_000_is_traditional_2019_report(report_000):
    assert report_000.is_report
    assert report_000.script == "Hant"
    assert report_000.year == 2019
    assert report_000.title == "北京市商務局2019年政府信息公開工作年度報告"
    assert report_000.published == "2020-01-22"
    assert report_000.agency == "北京市商務局"
    assert report_000.region == "北京市"
    assert report_000.generation == "2019"


def test_000_sections_as_printed(report_000):
    assert [s.heading for s in report_000.sections] == [
        "一、總體情況",
        "二、主動公開政府資訊情況",
        "三、收到和處理政府信息公開申請情況",
        "四、政府信息公開行政復議、行政訴訟情況",
        "五、政府信息公開工作中存在的主要問題及改進情況",
        "六、其他需要報告的事項",
    ]
    assert [s.number for s in report_000.sections] == [1, 2, 3, 4, 5, 6]
    # Section 二 only repeats the caption of a table published as an image.
    assert report_000.sections[1].text == "主動公開政府資訊情況"
    assert report_000.sections[0].text.startswith("2019年,北京市商務局以習近平")
    assert "(一)圍繞商務中心工作,全面主動公開" in report_000.sections[0].text
    assert report_000.sections[5].text.startswith("北京市商務局網站網址為")


def test_000_chrome_removed(report_000):
    for chrome in (
        "日期:2020-01-22",
        "分享",
        "字號",
        "您訪問的連結即將離開",
        "已歸檔",
        "打印本页",
        "关闭窗口",
        "版权所有",
        "您现在的位置",
        "统计代码",
        "京ICP备",
    ):
        assert chrome not in report_000.text
    assert "依據《中華人民共和國政府信息公開條例》第五十條之規定,製作本報告。" in report_000.text


# ---------------------------------------------------------------- seed 001 (pipe table)


def pipe_table(rows: list[str]) -> str:
    """Render seed 001's flattened "a | b |" rows as the HTML table they came from."""
    out = ["<table border='1'>"]
    for row in rows:
        cells = [c.strip() for c in row.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def seed_001_page() -> str:
    lines = seed_lines("001")
    parts: list[str] = []
    rows: list[str] = []
    for line in lines:
        if "|" in line:
            rows.append(line)
            continue
        if rows:
            parts.append(pipe_table(rows))
            rows = []
        parts.append(f"<p>{html.escape(line)}</p>")
    title = "朝阳市商务局2019年政府信息公开工作年度报告"
    meta = (
        f'<meta name="ArticleTitle" content="{title}">'
        '<meta name="PubDate" content="2020-01-20 09:30">'
    )
    return page(f"<h2>{title}</h2>\n" + "\n".join(parts), title=f"{title}_朝阳市商务局", head=meta)


@pytest.fixture(scope="module")
def report_001():
    headers, body = fetch(seed_001_page())
    return extract_report("http://swj.zhaoyang.gov.cn/2020/0120/1.html", headers, body)


def test_001_metadata(report_001):
    assert report_001.is_report
    assert report_001.title == "朝阳市商务局2019年政府信息公开工作年度报告"
    assert report_001.year == 2019
    assert report_001.agency == "朝阳市商务局"
    assert report_001.region == "朝阳市"
    assert report_001.script == "Hans"
    assert report_001.generation == "2019"
    assert report_001.published == "2020-01-20"


def test_001_sections_ignore_table_row_labels(report_001):
    assert [s.heading for s in report_001.sections] == [
        "一、总体工作情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在问题及下一步工作打算",
        "六、其他需要报告的事项",
    ]
    third = report_001.sections[2].text
    assert "本年新收政府信息公开申请数量" in third
    assert "结转下年度继续办理" in third
    last = "本年度报告所列数据的统计期限自2019年1月1日起至12月31日止。"
    assert report_001.sections[5].text == last
    # The paragraph before 一、 is not in any section but is in the text.
    assert "在上级业务主管部门的指导下" in report_001.text


# ---------------------------------------------------------------- seed 002 (Traditional 2020)


@pytest.fixture(scope="module")
def report_002():
    lines = seed_lines("002")
    body = f"<h1>{lines[0]}</h1>\n" + paragraphs(lines[1:])
    markup = page(body, title=f"{lines[0]}_北京市城市管理委員會", traditional=True)
    headers, data = fetch(markup)
    return extract_report(
        "http://www.beijing.gov.cn/gate/big5/csglw.beijing.gov.cn/b.html", headers, data
    )


def test_002_traditional_2020(report_002):
    assert report_002.is_report
    assert report_002.script == "Hant"
    assert report_002.year == 2020
    assert report_002.published == "2021-01-29"
    assert report_002.agency == "北京市城市管理委員會"
    assert report_002.region == "北京市"
    assert [s.heading for s in report_002.sections] == [
        "一、總體情況",
        "二、主動公開政府資訊情況",
        "三、收到和處理政府信息公開申請情況",
        "四、政府信息公開行政復議、行政訴訟情況",
        "五、存在的主要問題及改進情況",
        "六、其他需要報告的事項",
    ]


# ---------------------------------------------------------------- seed 003 (cells per line, GBK)


def seed_003_page() -> str:
    lines = seed_lines("003")
    body = f'<div class="title"><p>{lines[0]}</p><p>{lines[1]}</p></div>\n' + paragraphs(lines[2:])
    return page(body, title="北京市大兴区人民政府网站").replace('charset="utf-8"', 'charset="gbk"')


@pytest.fixture(scope="module")
def report_003():
    # District sites serve GBK; this one says so only in its <meta>.
    body = seed_003_page().encode("gbk")
    return extract_report("http://www.bjdx.gov.cn/zwgk/c.html", {"content-type": "text/html"}, body)


def test_003_district_report(report_003):
    assert report_003.is_report
    assert report_003.charset == "gbk"
    assert report_003.title == "北京市大兴区商务局2020年政府信息公开工作年度报告"
    assert report_003.agency == "北京市大兴区商务局"
    assert report_003.region == "北京市大兴区"
    assert report_003.year == 2020
    assert report_003.generation == "2019"
    assert report_003.script == "Hans"


def test_003_six_sections_despite_one_cell_per_line(report_003):
    assert [s.heading for s in report_003.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "（三）组织领导情况" in report_003.sections[0].text
    assert report_003.sections[5].text.startswith("2020年9月25日，我局开展")


# ---------------------------------------------------------------- seed 004 (prose, block, spans)


def seed_004_page() -> str:
    lines = seed_lines("004")
    site = lines[0]
    block = lines[1:9]  # 索 引 号 … 内容概述
    title = lines[9]
    rest = lines[10:]
    cells = []
    for pair in (block[0:2], block[2:4], block[4:6], block[6:8]):
        row = ""
        for item in pair:
            label, value = item.split(":", 1)
            row += f"<td class='label'>{html.escape(label)}:</td><td>{html.escape(value)}</td>"
        cells.append(f"<tr>{row}</tr>")
    table = "<table class='xxgk'>" + "".join(cells) + "</table>"
    # Restore the characters the crawled text lost, inside inline elements as on the page.
    first = html.escape(rest[0])
    first = first.replace("今年51日", '今年5<span style="font-family:宋体">月</span>1日')
    first = first.replace("200712月", "2007<font>年</font>12月")
    assert "<span" in first and "<font>" in first
    body = f"{table}\n<h1>{html.escape(title)}</h1>\n<p>{first}</p>\n" + paragraphs(rest[1:])
    return page(f'<div class="site">{html.escape(site)}</div>' + body, title=title)


@pytest.fixture(scope="module")
def report_004():
    headers, body = fetch(seed_004_page())
    return extract_report("http://www.bjmtg.gov.cn/zwgk/d.html", headers, body)


def test_004_prose_metadata(report_004):
    assert report_004.is_report
    assert report_004.generation == "prose"
    assert report_004.year == 2008
    assert report_004.index_no == "11J025/ZK-2008-000368"
    assert report_004.doc_no == "门商字〔2008〕71号"
    assert report_004.published == "2008-12-26"
    assert report_004.script == "Hans"


def test_004_three_prose_sections(report_004):
    assert [s.heading for s in report_004.sections] == [
        "一、高度重视、规范管理",
        "二、加强研究,高效开展工作",
        "三、积极推进工作深入开展",
    ]
    assert "(一)认真编制政府信息公开目录和公开指南" in report_004.sections[1].text


def test_004_inline_elements_keep_their_characters(report_004):
    assert "内容概述" not in report_004.text  # the block's summary repeats the sentence
    assert "于今年5月1日起正式施行" in report_004.text
    assert "自2007年12月起开始学习" in report_004.text


def test_004_metadata_block_stripped(report_004):
    for label in ("索 引 号", "索引号", "文   号", "公开责任部门", "信息有效性", "发布日期"):
        assert label not in report_004.text

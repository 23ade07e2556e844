"""Metadata and classification on small pages shaped like a real TRS portal's detail pages.

The shapes imitate the 平潭综合实验区 pages in ``../shared/real/`` (``bench/real.py`` checks
those; these tests must not need them): meta tags naming the site and the column, a
``<title>`` of document, column and site joined by "_", a breadcrumb ending in the column's
name, then ``来源：…`` and ``时间：…`` lines above the body. Names, dates and texts here are
invented; every expected value is read off the page written in the test.
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from nianbao.extract.titles import split_title

SITE = "海滨综合实验区党工委管委会"
COLUMN = "政府信息公开年报"
# A short report in the pre-2019 narrative shape: numbered headings, figures in sentences.
NARRATIVE = (
    "根据《中华人民共和国政府信息公开条例》规定，现公布本年度政府信息公开工作情况。",
    "一、概述",
    "我局高度重视政府信息公开工作，明确办公室负责政府信息公开的日常工作。",
    "二、主动公开政府信息情况",
    "全年新增主动公开政府信息45条，其中政策法规类32条、规划计划类13条。",
    "三、依申请公开政府信息情况",
    "本年度未收到政府信息公开申请，未收取任何费用。",
    "四、申请行政复议、提起行政诉讼的情况",
    "本年度没有发生有关政府信息公开的行政复议和行政诉讼。",
)


def portal_page(
    body_lines: tuple[str, ...] | list[str],
    *,
    title: str,
    source: str | None = None,
    date_line: str | None = "时间：2014-02-25 00:00",
    column_meta: bool = True,
    head: str = "",
    above: str = "",
    block: str = "",
    below: str = "",
    column: str = COLUMN,
) -> bytes:
    """A detail page of the imitated portal, as bytes."""
    metas = f'<meta name="SiteName" content="{SITE}"/>'
    if column_meta:
        metas += f'<meta name="ColumnName" content="{column}"/>'
    metas += f'<meta name="ArticleTitle" content="{html.escape(title)}"/>'
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body_lines)
    info = "".join(
        f"<span>{html.escape(text)}</span>"
        for text in (f"来源：{source}" if source else None, date_line)
        if text
    )
    markup = f"""<!DOCTYPE html><html><head><meta charset="utf-8"/>{metas}{head}
<title>{html.escape(title)}_{column}_{SITE}</title></head><body>
{above}
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a>
<a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
 &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a>
 &gt; <a href="/zwgk/zfxxgk/zfxxgknb/">{column}</a></div>
<div class="detail"><div class="title">{html.escape(title)}</div>{block}
<div class="info">{info}</div>
<div class="TRS_Editor">{paragraphs}</div></div>
<div class="footer"><p>主办：{SITE} 版权所有</p>{below}</div>
</body></html>"""
    return markup.encode("utf-8")


def extract(url_tail: str, body: bytes):
    headers = {"content-type": "text/html; charset=utf-8"}
    return extract_report(f"https://www.haibin.gov.cn/zwgk/{url_tail}", headers, body)


# ------------------------------------------------------------------------ published date


@pytest.mark.parametrize(
    "banner",
    [
        # A re-host (an archive's copy of the portal page) prints when it fetched the page.
        "抓取时间：2026-09-10T12:40:19.460Z",
        "采集时间：2026年9月10日",
        # Printed copies carry the day they were printed.
        "打印时间：2026-09-11 08:00",
    ],
)
def test_published_is_the_pages_date_line_not_a_capture_or_print_time(banner):
    # Found on a re-hosted copy of a real portal page: the capture time above the page was
    # read as its 时间 and stored as the published date.
    body = portal_page(
        NARRATIVE,
        title="海滨综合实验区地方税务局2013年信息公开年度报告",
        above=f"<div class='archive'>{banner}</div>",
    )
    report = extract("t20140225_1.htm", body)
    assert report.is_report
    assert report.published == "2014-02-25"


def test_published_prefers_the_blocks_public_date_over_the_cms_meta_and_written_date():
    # 公开日期 is the day the body made the report public; the CMS's PubDate moves when a
    # page is re-posted, and 成文日期 is when it was written, before it was published.
    block = "<ul class='meta'><li>成文日期：2020-01-10</li><li>公开日期：2020-01-15</li></ul>"
    body = portal_page(
        NARRATIVE,
        title="海滨综合实验区地方税务局2019年信息公开年度报告",
        head='<meta name="PubDate" content="2021-06-30 09:00"/>',
        date_line=None,
        block=block,
    )
    assert extract("t20200115_2.htm", body).published == "2020-01-15"


def test_a_footer_update_date_is_not_the_published_date():
    # With no 公开日期 and no date line, the written date is the page's own; the footer's
    # 更新日期 is when the site changed, not when the report was published.
    body = portal_page(
        NARRATIVE,
        title="海滨综合实验区地方税务局2013年信息公开年度报告",
        date_line=None,
        block="<div class='meta'>成文日期：2014-02-20</div>",
        below="<p>更新日期：2026-01-01</p>",
    )
    assert extract("t20140225_3.htm", body).published == "2014-02-20"


# ------------------------------------------------------------------------------ agency


def test_a_source_line_naming_another_body_is_not_the_agency():
    # 来源 is the CMS's publisher field: the real 2019 and 2013 reports of 平潭综合实验区 say
    # 来源：平潭县人民政府 while their titles name the 实验区 and its 地方税务局.
    body = portal_page(
        NARRATIVE,
        title="海滨综合实验区地方税务局2013年信息公开年度报告",
        source="海滨县人民政府",
    )
    report = extract("t20140225_4.htm", body)
    assert report.is_report
    assert report.agency == "海滨综合实验区地方税务局"
    assert report.region == "海滨综合实验区"
    assert report.year == 2013


def test_a_source_line_naming_the_titled_bodys_office_is_kept():
    body = portal_page(
        NARRATIVE,
        title="海滨综合实验区2013年度政府信息公开工作年度报告",
        source="海滨综合实验区管委会办公室",
    )
    report = extract("t20140225_5.htm", body)
    assert report.agency == "海滨综合实验区管委会办公室"
    assert report.region == "海滨综合实验区"


def test_agency_and_region_from_the_title_when_no_field_names_one():
    # Without any field, the title's body stands; "…关于2013年…" leaves 关于 out of it.
    body = portal_page(NARRATIVE, title="海滨市商务局关于2013年政府信息公开工作年度报告")
    report = extract("t20140225_6.htm", body)
    assert report.agency == "海滨市商务局"
    assert report.region == "海滨市"


# ------------------------------------------------------------------------------ titles


@pytest.mark.parametrize(
    "printed",
    [
        "海滨市商务局2019年政府信息公开工作年度报告-海滨市人民政府",
        "海滨市商务局2019年政府信息公开工作年度报告 - 海滨市人民政府",
        "海滨市人民政府-海滨市商务局2019年政府信息公开工作年度报告",
        "海滨市商务局2019年政府信息公开工作年度报告|海滨市人民政府",
        "海滨市商务局2019年政府信息公开工作年度报告_海滨市人民政府",
        "海滨市商务局2019年政府信息公开工作年度报告—海滨市人民政府",
    ],
)
def test_site_name_is_cut_from_the_title_whatever_the_separator(printed):
    # A page with nothing but <title> to name it (no ArticleTitle, no heading).
    paragraphs = "".join(f"<p>{line}</p>" for line in NARRATIVE)
    markup = f'<html><head><meta charset="utf-8"><title>{printed}</title></head><body>{paragraphs}'
    report = extract("t20200120_7.htm", (markup + "</body></html>").encode("utf-8"))
    assert report.is_report
    assert report.title == "海滨市商务局2019年政府信息公开工作年度报告"
    assert report.agency == "海滨市商务局"


def test_a_dash_between_digits_stays_in_the_title():
    assert split_title("海滨市2019-2020年度政府信息公开工作年度报告_海滨市人民政府") == [
        "海滨市2019-2020年度政府信息公开工作年度报告",
        "海滨市人民政府",
    ]


# ---------------------------------------------------------------------- classification

LETTER = (
    "省政府办公厅：",
    "根据《省人民政府办公厅关于做好2014年政府信息公开工作要点落实情况督查及政府信息公开"
    "工作年度报告有关事项的通知》要求，现将我区2014年政府信息公开工作要点落实情况报告如下：",
    "一、2014年政府信息公开工作情况",
    "（一）全面深化政府信息公开工作。扎实推进政府信息主动公开工作，主动公开政府信息5300余条。",
    "（二）推进行政权力运行信息公开。依申请公开工作规范有序，行政复议、行政诉讼情况按要求公开。",
    "二、存在问题及下一步工作计划",
    "部分单位信息公开属性界定不准，下一步将加强政府信息公开条例的培训。",
    "海滨综合实验区管委会办公室",
    "2014年12月10日",
)


@pytest.mark.parametrize(
    ("column", "column_meta"),
    [
        (COLUMN, True),
        # Without the ColumnName meta the bare phrase alone must not stand for the title.
        (COLUMN, False),
        # A column named more than the bare phrase is known by its meta tag.
        ("政府信息公开工作年度报告专栏", True),
    ],
)
def test_a_letter_filed_in_the_report_column_is_not_a_report(column, column_meta):
    # The real column 政府信息公开年报 holds a letter (…要点落实情况的函) whose <title> and
    # breadcrumb carry the column's name and whose body mentions 年度报告: it was stored as
    # a report titled 政府信息公开年报.
    title = "关于2014年政府信息公开工作要点落实情况的函"
    body = portal_page(
        LETTER,
        title=title,
        source="海滨县人民政府",
        date_line="时间：2014-12-10 00:00",
        column_meta=column_meta,
        column=column,
    )
    report = extract("t20141210_8.htm", body)
    assert not report.is_report
    assert report.title == title


def test_a_department_report_titled_without_government_or_work_is_a_report():
    # "…2013年信息公开年度报告": no 政府, no 工作, no tables; still the body's annual report.
    body = portal_page(NARRATIVE, title="海滨综合实验区地方税务局2013年信息公开年度报告")
    report = extract("t20140225_9.htm", body)
    assert report.is_report
    assert report.generation == "prose"
    assert report.title == "海滨综合实验区地方税务局2013年信息公开年度报告"


def test_the_report_columns_listing_is_named_after_the_column_and_is_no_report():
    # As on the real listing, site navigation comes first, so no item is near the top.
    nav = "".join(f"<li><a href='/n{i}/'>栏目{i}</a></li>" for i in range(20))
    items = "".join(
        f'<dl><dt><a href="./20{y + 1}03/t20{y + 1}0310_{y}.htm">'
        f"海滨综合实验区20{y}年度政府信息公开工作年度报告</a></dt><dd>20{y + 1}-03-10</dd></dl>"
        for y in range(16, 26)
    )
    markup = (
        f'<html><head><meta charset="utf-8"/><meta name="SiteName" content="{SITE}"/>'
        f'<meta name="ColumnName" content="{COLUMN}"/>'
        f"<title>{COLUMN}_政府信息公开_{SITE}</title></head><body><ul>{nav}</ul>"
        f"<div class='crumb'>当前位置：首页 &gt; 政府信息公开 &gt; {COLUMN}</div>"
        f"<dl><dt>标题</dt><dd>发布日期</dd></dl>{items}</body></html>"
    )
    report = extract("zfxxgk/zfxxgknb/", markup.encode("utf-8"))
    assert not report.is_report
    assert report.title == COLUMN


@pytest.mark.parametrize(
    "crumb",
    [
        f"<div class='crumb'>当前位置：首页 &gt; 政府信息公开 &gt; {COLUMN}</div>",
        # The real portal's shape: one <li> per step, no separator, so the column's name
        # is a line of its own.
        "<div class='crumb'><span>当前位置：</span><ul><li><a href='/'>首页</a></li>"
        f"<li><a href='../../'>政府信息公开</a></li><li><a href='../'>{COLUMN}</a></li></ul></div>",
    ],
)
def test_the_breadcrumbs_column_name_is_not_the_title_of_a_page_named_in_a_heading(crumb):
    # No ArticleTitle: the page names itself in <h1> only and its <title> is the column's
    # name, as on the real portal's 公示公告 pages. Near the top, the breadcrumb ends in
    # the report column's name.
    title = "关于2014年政府信息公开工作要点落实情况的函"
    paragraphs = "".join(f"<p>{line}</p>" for line in LETTER)
    markup = (
        f'<html><head><meta charset="utf-8"/><title>{COLUMN}_{SITE}</title></head><body>'
        f"{crumb}<h1>{title}</h1><p>时间：2014-12-10 00:00</p>{paragraphs}</body></html>"
    )
    report = extract("t20141210_11.htm", markup.encode("utf-8"))
    assert not report.is_report
    assert report.title == title


def test_a_line_naming_a_report_does_not_replace_the_pages_declared_title():
    # TRS pages link the neighbouring documents of the column (上一篇/下一篇): near the top
    # of a short page such a line names a report, but the page declares its own title.
    body = portal_page(
        LETTER,
        title="关于2014年政府信息公开工作要点落实情况的函",
        above="<div class='prev'>上一篇：海滨综合实验区2013年度政府信息公开工作年度报告</div>",
    )
    assert not extract("t20141210_10.htm", body).is_report

"""Which pages are annual OGI reports: judged by title and body, not by URL."""

from __future__ import annotations

import pytest

from nianbao.extract import extract_report
from nianbao.extract.classify import title_kind

REPORT_BODY = "".join(
    f"<p>{line}</p>"
    for line in (
        "依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。",
        "一、总体情况",
        "2020年，本局持续深入贯彻落实《中华人民共和国政府信息公开条例》，按照政务公开要点"
        "及相关政务公开制度文件要求，持续做好政务公开各项工作，促进中心工作的更好开展。" * 3,
        "二、主动公开政府信息情况",
        "全年通过网站、政务新媒体公开各类政务信息491条，涉及疫情防控、生活必需品供应。",
        "三、收到和处理政府信息公开申请情况",
        "全年未收到依申请公开件。",
        "四、政府信息公开行政复议、行政诉讼情况",
        "全年未涉诉。",
        "五、存在的主要问题及改进情况",
        "一是公开意识仍有待提升。改进情况：开展政务公开系列培训，提高全局政府信息公开意识。",
        "六、其他需要报告的事项",
        "无。",
    )
)


def page(title: str, body: str = REPORT_BODY) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><div class='nav'>"
        f"<a href='/'>首页</a><a href='/a'>新闻</a></div><div class='content'>"
        f"<h1>{title}</h1>{body}</div></body></html>"
    ).encode()


def extract(title: str, body: str = REPORT_BODY, url: str = "http://x.gov.cn/ndbg/1.html"):
    return extract_report(url, {"content-type": "text/html; charset=utf-8"}, page(title, body))


@pytest.mark.parametrize(
    "title",
    [
        "北京市大兴区商务局2020年政府信息公开工作年度报告",
        "北京市商务局2019年政府信息公开年度报告",
        "门头沟区商务局2008年政府信息公开工作总结",
        "北京市商務局2019年政府信息公開工作年度報告",
        "臺北市政府2019年政府資訊公開工作年度報告",
        "某某县2012年信息公开年报",
    ],
)
def test_report_titles(title):
    from nianbao.extract.script import to_simplified

    assert title_kind(to_simplified(title)) == "report"


@pytest.mark.parametrize(
    "title",
    [
        "关于做好2020年政府信息公开工作年度报告编制工作的通知",
        "关于报送2019年度政府信息公开工作年度报告的通知",
        "图解：北京市商务局2019年政府信息公开工作年度报告",
        "北京市商务局2019年政府信息公开工作年度报告解读",
        "关于2019年政府信息公开工作年度报告有关问题的函",
        "關於做好2020年政府信息公開工作年度報告編制工作的通知",
    ],
)
def test_titles_about_reports_are_not_reports(title):
    report = extract(title)
    assert report.is_report is False
    assert report.title == title


def test_report_page_is_a_report():
    report = extract("北京市大兴区商务局2020年政府信息公开工作年度报告")
    assert report.is_report
    assert report.year == 2020
    assert len(report.sections) == 6


def test_report_judged_by_content_not_url():
    report = extract(
        "北京市大兴区商务局2020年政府信息公开工作年度报告",
        url="http://x.gov.cn/news/2021/0128/content_123.html",
    )
    assert report.is_report


def test_housing_fund_annual_report_is_not_a_report():
    body = "".join(
        f"<p>{line}</p>"
        for line in (
            "根据国务院《住房公积金管理条例》和住房城乡建设部、财政部、人民银行的规定，"
            "经住房公积金管理委员会审议通过，现将北京住房公积金2019年年度报告公布如下：",
            "一、机构概况",
            "（一）住房公积金管理委员会。住房公积金管理委员会有29名委员。" * 5,
            "二、业务运行情况",
            "（一）缴存。2019年，新开户单位31069家，实缴单位190421家。" * 5,
        )
    )
    report = extract("北京住房公积金2019年年度报告", body)
    assert report.is_report is False


def test_news_page_is_not_a_report():
    news = "12月20日，区商务局召开全体干部会议，传达学习市委全会精神，部署下一阶段工作。"
    body = f"<p>{news * 10}</p><p>会议要求，要认真做好政府信息公开工作。</p>"
    report = extract("区商务局召开全体干部会议", body)
    assert report.is_report is False
    assert report.title == "区商务局召开全体干部会议"


def test_notice_about_reports_with_report_like_body_is_not_a_report():
    # Notices quote the template's section names; the title still gives them away.
    report = extract("关于做好2020年政府信息公开工作年度报告编制工作的通知")
    assert report.is_report is False


def test_listing_page_is_not_a_report():
    items = "".join(
        f"<li><a href='/ndbg/{i}.html'>北京市{name}2019年政府信息公开工作年度报告</a>"
        f"<span>2020-01-2{i}</span></li>"
        for i, name in enumerate(("商务局", "财政局", "教育委员会", "民政局", "公安局"))
    )
    report = extract("政府信息公开年度报告", f"<ul>{items}</ul>")
    assert report.is_report is False


def test_title_with_report_phrase_but_no_body_is_not_a_report():
    report = extract("北京市商务局2019年政府信息公开工作年度报告", "<p>详见附件。</p>")
    assert report.is_report is False

"""The trsapi pager on column pages shaped like the real Fujian one (平潭's 政府信息公开年报).

The pages here are written by hand after ``../shared/real/pages/pingtan_zfxxgknb_listing.html``
(static page 1, avalon template, ``require(["list2.trsapi"])`` + ``listModel({...})``), but the
tests never read ../shared: everything they need is typed below.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from nianbao.crawler.pagers import MAX_PAGES, Follow, follow_all, trsapi
from nianbao.crawler.registry import Portal
from nianbao.crawler.spiders.portals import PortalSpider

HOST = "www.example-fj.gov.cn"
COLUMN = f"http://{HOST}/zwgk/zfxxgk/zfxxgknb/"
API = f"http://{HOST}/fjdzapp/search"
PAGER = trsapi.PAGER


def column_page(
    record_count: str = "'25'",
    prepage: int = 10,
    static_index: int | None = 1,
    channelid: str = "SiteInfo.searchId",
    classsql: str = '"" || "chnlid=1813"',
) -> str:
    """A column page in the real page's shape (markers, script layout, quoting)."""
    static = "" if static_index is None else f"maxStaticIndex: {static_index},\n"
    return f"""<!DOCTYPE html>
<html ms-controller="windowRoot"><head><meta charset="utf-8" />
<meta name="ChnlId" content="1813"><title>政府信息公开年报_政府信息公开_示例市</title></head>
<body><div class="tabs info_tabs" ms-controller="list">
<div class="tabs_header"><ul><li class="on">
<a class="cur_def" href="javascript:;">政府信息公开年报</a></li></ul></div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">
    <dl>
        <dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">
            <a href="./202603/t20260313_105587.htm" target="_blank"
               title="示例市2025年度政府信息公开工作年度报告">示例市2025年度政府信息公开工作年度报告</a>
        </dd>
        <dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">2026-03-10</dd>
    </dl>
    <dl>
        <dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">
            <a href="./202503/t20250310_97791.htm" target="_blank"
               title="示例市2024年度政府信息公开工作年度报告">示例市2024年度政府信息公开工作年度报告</a>
        </dd>
        <dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">2025-03-10</dd>
    </dl>
</div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" style="display: none">
    <dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10">
        <dd><a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle"
               ms-text="el.doctitle|html" target="_blank"></a></dd>
        <dd ms-text="el.docreltime|date('yyyy-MM-dd')"></dd>
    </dl>
</div>
<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp"
     ms-if="pageCount>0"></div>
</div>
<script>
var SiteInfo = {{
    itpSiteId: 21,    //互动站点ID
    searchId: 200210, //默认的文档检索频道的ID
    defaultPgTemp: "pgBar_pt.html"
}};
</script>
<script src="/images/model.min.js"></script>
<script>
    require(["list2.trsapi", "tools"], function(listModel, tools) {{
        listModel({{
            quickMode: "动静结合",
            {static}listArgs: {{
                channelid: {channelid},
                classsql: {classsql},
                sortfield: "-docorderpri,-docreltime"
            }},
            pagebar: {{
                prepage: {prepage},
                recordCount: {record_count},
                pgTemp: "pgBar_xxgk.html",
                pgCountMode: "recordCount",
                displayNum: 2
            }}
        }});
    }});
</script></body></html>"""


def api_url(page: int, prepage: int = 10, channelid: str = "200210") -> str:
    return (
        f"{API}?channelid={channelid}&classsql=chnlid%3D1813"
        f"&sortfield=-docorderpri%2C-docreltime&page={page}&prepage={prepage}"
    )


def answer(urls: list[str], page_count: int | None = 3, key: str = "chnldocurl") -> str:
    """An API answer: ``data[]`` documents as Fujian portals' search servlet returns them."""
    docs = [
        {"doctitle": f"文档{n}", key: u, "docreltime": "2020-01-20"} for n, u in enumerate(urls)
    ]
    body: dict[str, object] = {"data": docs}
    if page_count is not None:
        body["pageCount"] = page_count
    return json.dumps(body, ensure_ascii=False)


def listings(follows: list[Follow]) -> list[str]:
    return [f.url for f in follows if f.kind == "listing"]


def items(follows: list[Follow]) -> list[str]:
    return [f.url for f in follows if f.kind == "page"]


def test_fingerprint_needs_the_list2_trsapi_module() -> None:
    assert PAGER.fingerprint(COLUMN, column_page())
    assert PAGER.fingerprint(api_url(2), answer([]))
    # The TRS static pager's page and a page that only mentions the module are not this family.
    assert not PAGER.fingerprint(COLUMN, 'createPageHTML(3, 0, "index", "html");')
    assert not PAGER.fingerprint(COLUMN, "<p>list2.trsapi</p>")


def test_page_one_gives_its_static_items_and_the_api_pages_it_declares() -> None:
    found = PAGER.follow(COLUMN, column_page())
    assert items(found) == [
        COLUMN + "202603/t20260313_105587.htm",
        COLUMN + "202503/t20250310_97791.htm",
    ]
    # recordCount '25' at 10 a page: pages 2 and 3 come from the API, page 1 is static.
    assert listings(found) == [api_url(2), api_url(3)]


def test_api_request_is_the_scripts_form_post_on_the_pages_own_host() -> None:
    (request,) = [f for f in PAGER.follow(COLUMN, column_page("'11'")) if f.kind == "listing"]
    assert request.method == "POST"
    assert dict(request.headers)["Content-Type"].startswith("application/x-www-form-urlencoded")
    form = dict(parse_qsl(request.body.decode()))
    assert form == {
        "channelid": "200210",  # SiteInfo.searchId, resolved from the page
        "classsql": "chnlid=1813",  # "" || "chnlid=1813": the first non-empty value
        "sortfield": "-docorderpri,-docreltime",
        "page": "2",
        "prepage": "10",
    }
    assert dict(parse_qsl(urlsplit(request.url).query)) == form
    assert urlsplit(request.url).netloc == HOST


def test_literal_channelid_and_meta_chnlid_fallback() -> None:
    page = column_page(channelid="'229105'", classsql="classSql")
    first = listings(PAGER.follow(COLUMN, page))[0]
    form = dict(parse_qsl(urlsplit(first).query))
    assert form["channelid"] == "229105"
    assert form["classsql"] == "chnlid=1813"  # a variable the page does not define: <meta ChnlId>


def test_static_pages_and_counts_bound_the_api_pages() -> None:
    assert listings(PAGER.follow(COLUMN, column_page("'10'"))) == []  # all on the static page
    assert listings(PAGER.follow(COLUMN, column_page("'41'", static_index=3))) == [
        api_url(4),
        api_url(5),
    ]
    # No maxStaticIndex: page 1 is the static one.
    assert listings(PAGER.follow(COLUMN, column_page("'21'", static_index=None))) == [
        api_url(2),
        api_url(3),
    ]
    # No recordCount: the first API page is asked; its pageCount tells the rest.
    assert listings(PAGER.follow(COLUMN, column_page("''"))) == [api_url(2)]
    huge = PAGER.follow(COLUMN, column_page("'999999999'", prepage=1))
    assert len(listings(huge)) == MAX_PAGES - 1


def test_no_listargs_no_follows() -> None:
    page = column_page().replace("listArgs", "listOptions")
    assert PAGER.follow(COLUMN, page) == []


def test_answer_gives_its_documents_and_asks_nothing_page_one_asked() -> None:
    docs = [COLUMN + "201901/t20190110_80529.htm", COLUMN + "201801/t20180123_80506.htm"]
    seen = {api_url(2), api_url(3)}
    found = PAGER.follow(api_url(2), answer(docs), seen)
    assert items(found) == docs and listings(found) == []


def test_answer_longer_than_page_one_said_asks_the_rest_once() -> None:
    docs = [COLUMN + "201701/t20170118_80485.htm"]
    # Page 1 declared 3 pages; the API now has 5: page 3's answer asks 4 and 5, page 4 nothing.
    found = PAGER.follow(api_url(3), answer(docs, page_count=5), {api_url(2), api_url(3)})
    assert listings(found) == [api_url(4), api_url(5)]
    seen = {api_url(k) for k in range(2, 6)}
    assert listings(PAGER.follow(api_url(4), answer([COLUMN + "x.htm"], 5), seen)) == []


def test_answer_without_count_reads_record_count_or_stops() -> None:
    docs = [COLUMN + "201601/t20160101_1.htm"]
    body = json.dumps({"data": [{"chnldocurl": docs[0]}], "recordCount": "30"})
    assert listings(PAGER.follow(api_url(2), body, {api_url(2)})) == [api_url(3)]
    assert listings(PAGER.follow(api_url(2), answer(docs, page_count=None), {api_url(2)})) == []


def test_empty_or_repeated_answers_end_the_list() -> None:
    assert PAGER.follow(api_url(9), answer([], page_count=12), {api_url(9)}) == []
    known = [COLUMN + "201901/t20190110_80529.htm"]
    found = PAGER.follow(api_url(9), answer(known, page_count=12), {api_url(9), *known})
    assert listings(found) == []


def test_answer_variants_docpuburl_was5_docs_and_junk() -> None:
    doc = COLUMN + "202001/t20200120_80576.htm"
    assert items(PAGER.follow(api_url(2), answer([doc], key="docpuburl"))) == [doc]
    was5 = json.dumps({"count": "2", "docs": [{"title": "t", "url": doc}]})
    assert items(PAGER.follow(api_url(2), was5)) == [doc]
    assert PAGER.follow(api_url(2), "<html>系统繁忙</html>") == []
    assert PAGER.follow(api_url(2), '{"code": 500, "msg": "error"}') == []
    assert PAGER.missing(api_url(2)) == []


def test_follow_all_picks_the_trsapi_pager_on_the_column() -> None:
    names = {name for name, _ in follow_all(COLUMN, column_page())}
    assert "trsapi" in names and "trs" not in names


# --- the spider: POSTs the API, hands its JSON back, keeps to the portal's hosts ------------


def spider() -> PortalSpider:
    crawler = get_crawler(PortalSpider, {})
    portal = Portal("p", (COLUMN,), (HOST,))
    made = PortalSpider.from_crawler(crawler, portals=[portal])
    crawler.spider = made
    return made


def respond(url: str, body: str, ctype: str, **meta: str) -> TextResponse:
    cls = HtmlResponse if "html" in ctype else TextResponse
    request = Request(url, meta={"portal": "p", **meta})
    return cls(
        url, body=body.encode(), request=request, encoding="utf-8", headers={"Content-Type": ctype}
    )


def test_spider_posts_the_api_and_follows_its_documents_on_the_portal_only() -> None:
    s = spider()
    asked = list(s.parse(respond(COLUMN, column_page("'15'"), "text/html; charset=utf-8")))
    (api,) = [r for r in asked if r.meta.get("pager") == "trsapi"]
    assert (api.method, api.url) == ("POST", api_url(2))
    assert b"page=2" in api.body
    docs = [COLUMN + "201901/t20190110_80529.htm", "http://www.fujian.gov.cn/zwgk/t1.htm"]
    got = list(s.parse(respond(api_url(2), answer(docs, 2), "application/json", pager="trsapi")))
    # The document reposted from another site is in the answer, but not on this portal.
    assert [r.url for r in got] == [docs[0]]
    # The same JSON not asked for by the pager leads nowhere.
    assert list(spider().parse(respond(api_url(2), answer(docs, 2), "application/json"))) == []

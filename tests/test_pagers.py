"""Each CMS family's pager on listing pages shaped like PORTALS.md §1 describes them."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from nianbao.crawler.pagers import (
    FAMILIES,
    MAX_PAGES,
    PAGERS,
    Follow,
    follow_all,
    generic,
    gkmlpt,
    hanweb,
    iframe,
    onclick,
    select,
    trs,
)
from nianbao.crawler.registry import Portal
from nianbao.crawler.spiders.portals import PortalSpider

COLUMN = "http://www.example.gov.cn/zwgk/zfxxgknb/"


def urls(follows: list[Follow], kind: str | None = None) -> list[str]:
    return [f.url for f in follows if kind is None or f.kind == kind]


def trs_page(count: int, current: int, ext: str = "html") -> str:
    return (
        f'<html><body><ul><li><a href="./202401/t20240129_1.{ext}">报告</a></li></ul>'
        f'<script type="text/javascript">var countPage = {count};//共多少页\n'
        f"var currentPage = {current};\n"
        f'createPageHTML(countPage, currentPage, "index", "{ext}");</script></body></html>'
    )


# --- TRS WCM -------------------------------------------------------------------------------


def test_trs_fingerprint() -> None:
    assert trs.PAGER.fingerprint(COLUMN, trs_page(3, 0))
    assert not trs.PAGER.fingerprint(COLUMN, "<html><a href='index_1.html'>下一页</a></html>")


def test_trs_page_one_names_every_page_suffix_one_less_than_page() -> None:
    found = trs.PAGER.follow(COLUMN + "index.html", trs_page(4, 0))
    assert urls(found) == [
        COLUMN + "index.html",
        COLUMN + "index_1.html",
        COLUMN + "index_2.html",
        COLUMN + "index_3.html",
    ]
    assert {f.kind for f in found} == {"listing"}


def test_trs_literal_arguments_and_shtml() -> None:
    text = 'createPageHTML(3, 0, "index", "shtml");'
    assert urls(trs.PAGER.follow(COLUMN, text)) == [
        COLUMN + "index.shtml",
        COLUMN + "index_1.shtml",
        COLUMN + "index_2.shtml",
    ]


def test_trs_single_page_and_absurd_counts() -> None:
    assert trs.PAGER.follow(COLUMN, trs_page(1, 0)) == []
    assert len(trs.PAGER.follow(COLUMN, trs_page(10**9, 0))) == MAX_PAGES


def test_trs_offset_site_detected_on_index_2() -> None:
    # Offset site: page 2 is index_2.html and says currentPage = 1 (0-based), so the last of
    # 4 pages is index_4.html, which a "_1 is page 2" walk never asks for.
    found = trs.PAGER.follow(COLUMN + "index_2.html", trs_page(4, 1))
    assert urls(found) == [
        COLUMN + "index.html",
        COLUMN + "index_2.html",
        COLUMN + "index_3.html",
        COLUMN + "index_4.html",
    ]
    # Later pages only point back to page 1, which names them all.
    assert urls(trs.PAGER.follow(COLUMN + "index_2.html", trs_page(4, 2))) == [
        COLUMN + "index.html"
    ]
    assert urls(trs.PAGER.follow(COLUMN + "index_3.html", trs_page(4, 2))) == [
        COLUMN + "index.html"
    ]


def test_trs_404_on_index_1_tries_index_2() -> None:
    assert urls(trs.PAGER.missing(COLUMN + "index_1.html")) == [COLUMN + "index_2.html"]
    assert urls(trs.PAGER.missing(COLUMN + "index_1.shtml")) == [COLUMN + "index_2.shtml"]
    assert trs.PAGER.missing(COLUMN + "index_3.html") == []
    assert trs.PAGER.missing(COLUMN + "index.html") == []


# --- Hanweb JCMS ---------------------------------------------------------------------------

HANWEB = "http://www.jiangsu.gov.cn"
PROXY = (
    "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=76705"
    "&unitid=330543&webname=%E6%B1%9F%E8%8B%8F&permissiontype=0"
)


def datastore(records: list[str], totalpage: int | None, nextgroup: bool = True) -> str:
    rows = "".join(f"<record><![CDATA[\n{r}\n]]></record>\n" for r in records)
    total = f"<totalpage>{totalpage}</totalpage>" if totalpage is not None else ""
    group = (
        f'<nextgroup><![CDATA[<a href="{PROXY.replace("&", "&amp;")}"></a>]]></nextgroup>'
        if nextgroup
        else ""
    )
    return (
        f"<datastore>{group}<totalrecord>{len(records)}</totalrecord>{total}"
        f"<recordset>{rows}</recordset></datastore>"
    )


RECORDS = [
    '<li><a href="/art/2024/1/20/art_76705_1.html" title="2023年报告">2023年..</a>'
    "<span>2024-01-20</span></li>",
    "<li><a title='2022年报告' href='/art/2023/1/18/art_76705_2.html'>2022年</a></li>",
    '<li><a target="_blank" href="/module/download/downfile.jsp?classid=0&amp;'
    'filename=0123456789abcdef0123456789abcdef.pdf">附件</a></li>',
]


def hanweb_column(totalpage: int | None) -> str:
    return (
        f'<html><body><div id="76705"><script type="text/xml">{datastore(RECORDS, totalpage)}'
        "</script><script>$('#76705').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',"
        "perPage:19});</script></div></body></html>"
    )


def test_hanweb_fingerprint() -> None:
    col = HANWEB + "/col/col76705/index.html"
    assert hanweb.PAGER.fingerprint(col, hanweb_column(3))
    assert hanweb.PAGER.fingerprint(HANWEB + PROXY, "<datastore></datastore>")
    assert not hanweb.PAGER.fingerprint(col, trs_page(3, 0))


def test_hanweb_page_one_records_and_declared_pages() -> None:
    found = hanweb.PAGER.follow(HANWEB + "/col/col76705/index.html", hanweb_column(3))
    assert urls(found, "page") == [
        HANWEB + "/art/2024/1/20/art_76705_1.html",
        HANWEB + "/art/2023/1/18/art_76705_2.html",
        HANWEB + "/module/download/downfile.jsp?classid=0&filename="
        "0123456789abcdef0123456789abcdef.pdf",
    ]
    assert urls(found, "listing") == [HANWEB + PROXY.replace("page=1", f"page={k}") for k in (2, 3)]


def test_hanweb_later_pages_with_declared_total_ask_nothing_more() -> None:
    page3 = HANWEB + PROXY.replace("page=1", "page=3")
    answer = '<?xml version="1.0" encoding="utf-8"?>' + datastore(
        ['<a href="/art/2020/1/1/art_76705_9.html">x</a>'], 3
    )
    found = hanweb.PAGER.follow(page3, answer)
    assert urls(found) == [HANWEB + "/art/2020/1/1/art_76705_9.html"]


def test_hanweb_undeclared_total_chains_until_a_page_repeats() -> None:
    page2 = HANWEB + PROXY.replace("page=1", "page=2")
    fresh = datastore(['<a href="/art/2021/1/1/art_76705_5.html">x</a>'], None)
    assert urls(hanweb.PAGER.follow(page2, fresh), "listing") == [
        HANWEB + PROXY.replace("page=1", "page=3")
    ]
    # Out-of-range pages answer page 1 again: every record already seen ends the chain.
    seen = {
        HANWEB + "/art/2024/1/20/art_76705_1.html",
        HANWEB + "/art/2023/1/18/art_76705_2.html",
        HANWEB + "/module/download/downfile.jsp?classid=0&filename="
        "0123456789abcdef0123456789abcdef.pdf",
    }
    repeat = datastore(RECORDS, None)
    assert urls(hanweb.PAGER.follow(page2, repeat, seen), "listing") == []
    assert hanweb.PAGER.follow(page2, datastore([], None), seen) == []


# --- Guangdong gkmlpt ----------------------------------------------------------------------

GD = "http://www.gz.gov.cn"
SHELL = GD + "/gzsrmzfbgt/gkmlpt/index"


def gk_shell(tree: bool = True) -> str:
    tree_js = (
        (
            "TREE: [{id: 2431, name: '年度报告', parent_id: 0, jump: ''},"
            ' {"id": "2432", "name": "其他", "parent_id": 2431}],'
        )
        if tree
        else ""
    )
    return (
        "<html><head><script>window._CONFIG = {SID: 'gzsrmzfbgt', "
        f"{tree_js} PAGE: 'index'}};</script></head><body><div id='app'></div>"
        "<script src='/gkmlpt/static/js/app.js'></script></body></html>"
    )


def gk_answer(ids: range, post_count: int | None) -> str:
    articles = [
        {
            "id": i,
            "title": f"文{i}",
            "url": f"{GD}/gzsrmzfbgt/gkmlpt/content/9/{i}/post_{i}.html",
            "post_url": f"/gzsrmzfbgt/gkmlpt/content/9/{i}/mpost_{i}.html",
            "attachment": [{"name": "a.pdf", "url": f"/attachment/0/9/{i}/{i}.pdf"}],
        }
        for i in ids
    ]
    data: dict[str, object] = {"articles": articles}
    if post_count is not None:
        data["classify"] = {"id": 2431, "post_count": post_count}
    return json.dumps(data, ensure_ascii=False)


def api(cat: int, page: int) -> str:
    return f"{GD}/gkmlpt/api/all/{cat}?page={page}&sid=gzsrmzfbgt"


def test_gkmlpt_fingerprint() -> None:
    assert gkmlpt.PAGER.fingerprint(SHELL, gk_shell())
    assert gkmlpt.PAGER.fingerprint(api(1, 2), "{}")
    assert not gkmlpt.PAGER.fingerprint(SHELL, "<html><script>var x = 1;</script></html>")
    assert not gkmlpt.PAGER.fingerprint(COLUMN, trs_page(3, 0))


def test_gkmlpt_shell_asks_page_one_of_every_category() -> None:
    assert urls(gkmlpt.PAGER.follow(SHELL, gk_shell())) == [api(2431, 1), api(2432, 1)]
    # No TREE: the annualreport route's #hash names the category.
    route = GD + "/gzsrmzfbgt/gkmlpt/annualreport#2440"
    assert urls(gkmlpt.PAGER.follow(route, gk_shell(tree=False))) == [api(2440, 1)]


def test_gkmlpt_answer_lists_articles_and_declared_pages() -> None:
    found = gkmlpt.PAGER.follow(api(2431, 1), gk_answer(range(100), 250))
    pages = urls(found, "page")
    assert len(pages) == 300  # url, post_url and one attachment per article
    assert pages[:3] == [
        f"{GD}/gzsrmzfbgt/gkmlpt/content/9/0/post_0.html",
        f"{GD}/gzsrmzfbgt/gkmlpt/content/9/0/mpost_0.html",
        f"{GD}/attachment/0/9/0/0.pdf",
    ]
    assert urls(found, "listing") == [api(2431, 2), api(2431, 3)]
    # page * size >= post_count: one full page holds everything, nothing more to ask.
    assert urls(gkmlpt.PAGER.follow(api(2431, 1), gk_answer(range(40), 40)), "listing") == []
    assert urls(gkmlpt.PAGER.follow(api(2431, 3), gk_answer(range(200, 250), 250)), "listing") == []


def test_gkmlpt_undeclared_count_stops_on_empty_or_repeated_page() -> None:
    assert urls(gkmlpt.PAGER.follow(api(7, 2), gk_answer(range(5), None)), "listing") == [api(7, 3)]
    seen = set(urls(gkmlpt.PAGER.follow(api(7, 1), gk_answer(range(5), None))))
    assert urls(gkmlpt.PAGER.follow(api(7, 2), gk_answer(range(5), None), seen), "listing") == []
    assert gkmlpt.PAGER.follow(api(7, 2), gk_answer(range(0), None)) == []


def test_gkmlpt_percent_u_answer_is_decoded() -> None:
    text = gk_answer(range(1), 1)
    escaped = "".join(f"%u{ord(c):04X}" if ord(c) > 127 else c for c in text)
    assert "%u" in escaped
    assert gkmlpt.decode_answer(escaped) == json.loads(text)
    assert urls(gkmlpt.PAGER.follow(api(2431, 1), escaped), "page")[0].endswith("post_0.html")


# --- iframe, onclick, generic --------------------------------------------------------------


def test_iframe_same_host_sources_only() -> None:
    shell = (
        '<html><body><iframe src="/zfxxgknb/list.html"></iframe>'
        '<iframe src="http://map.other.cn/embed"></iframe>'
        '<iframe data-src="lazy/list2.html"></iframe><iframe id="f"></iframe>'
        "<script>document.getElementById('f').src = '/gk/list3.html';</script></body></html>"
    )
    assert iframe.PAGER.fingerprint(COLUMN, shell)
    assert not iframe.PAGER.fingerprint(COLUMN, trs_page(2, 0))
    assert urls(iframe.PAGER.follow(COLUMN, shell)) == [
        "http://www.example.gov.cn/zfxxgknb/list.html",
        COLUMN + "lazy/list2.html",
        "http://www.example.gov.cn/gk/list3.html",
    ]


def test_onclick_targets_resolved_against_the_page() -> None:
    page = (
        "<html><body><ul>"
        """<li onclick="jumpToDetail('./202601/t20260105_11.html')">2025年报告</li>"""
        """<li><a href="javascript:;" onclick='window.open("/art/2.html")'>b</a></li>"""
        """<li onclick="location.href='../c/3.html'">c</li>"""
        """<li onclick="window.location.href = 'https://www.example.gov.cn/d/4.html'">d</li>"""
        """<li onclick="jumpToDetail('12345')">id only</li>"""
        """<li onclick="alert('hi')">x</li></ul></body></html>"""
    )
    assert onclick.PAGER.fingerprint(COLUMN + "index.html", page)
    assert not onclick.PAGER.fingerprint(COLUMN, trs_page(2, 0))
    assert urls(onclick.PAGER.follow(COLUMN + "index.html", page), "page") == [
        COLUMN + "202601/t20260105_11.html",
        "http://www.example.gov.cn/art/2.html",
        "http://www.example.gov.cn/zwgk/c/3.html",
        "https://www.example.gov.cn/d/4.html",
    ]


def test_generic_numbered_next_links_only() -> None:
    page = (
        '<a href="index_3.html">下一页</a><a href="?page=4">下一页</a>'
        '<a href="javascript:next()">下一页</a><a href="index_9.html">尾页</a>'
        '<a href="/about.html">下一页</a>'
    )
    assert generic.PAGER.fingerprint(COLUMN, page)
    assert not generic.PAGER.fingerprint(COLUMN, '<a href="index_3.html">3</a>')
    assert urls(generic.PAGER.follow(COLUMN + "index_2.html", page)) == [
        COLUMN + "index_3.html",
        COLUMN + "index_2.html?page=4",
    ]


# --- registry and follow_all ---------------------------------------------------------------


def test_registry_names_and_selection() -> None:
    assert FAMILIES == ("trs", "hanweb", "gkmlpt", "iframe", "onclick", "trsapi", "generic")
    assert select(["gkmlpt", "trs"]) == (PAGERS[0], PAGERS[2])
    with pytest.raises(ValueError, match="nosuch"):
        select(["nosuch"])


def test_follow_all_runs_only_enabled_fingerprinted_pagers() -> None:
    col = HANWEB + "/col/col76705/index.html"
    everything = follow_all(col, hanweb_column(2))
    assert {name for name, _ in everything} == {"hanweb"}
    assert follow_all(col, hanweb_column(2), enabled=["trs", "gkmlpt"]) == []
    assert follow_all(col, hanweb_column(2), enabled=[]) == []


# --- the spider hands pager answers back to their pager --------------------------------------


def spider(**settings: object) -> PortalSpider:
    crawler = get_crawler(PortalSpider, settings)
    portal = Portal("p", ("http://www.jiangsu.gov.cn/",), ("www.jiangsu.gov.cn",))
    made = PortalSpider.from_crawler(crawler, portals=[portal])
    crawler.spider = made
    return made


def respond(
    cls: type[TextResponse],
    url: str,
    body: str,
    status: int = 200,
    ctype: str = "text/html; charset=utf-8",
    **meta: str,
) -> TextResponse:
    request = Request(url, meta={"portal": "p", **meta})
    return cls(
        url,
        status=status,
        body=body.encode(),
        request=request,
        encoding="utf-8",
        headers={"Content-Type": ctype},
    )


def asked(requests: list[Request]) -> dict[str, str | None]:
    return {r.url: r.meta.get("pager") for r in requests}


def test_spider_hands_xml_answers_to_the_pager_that_asked() -> None:
    col = HANWEB + "/col/col76705/index.html"
    s = spider()
    first = asked(list(s.parse(respond(HtmlResponse, col, hanweb_column(2)))))
    assert first[HANWEB + PROXY.replace("page=1", "page=2")] == "hanweb"
    assert first[HANWEB + "/art/2024/1/20/art_76705_1.html"] is None
    page2 = HANWEB + PROXY.replace("page=1", "page=2")
    answer = datastore(['<a href="/art/2019/1/1/art_76705_7.html">x</a>'], 2)
    got = asked(
        list(s.parse(respond(XmlResponse, page2, answer, ctype="text/xml", pager="hanweb")))
    )
    assert got == {HANWEB + "/art/2019/1/1/art_76705_7.html": None}
    # The same XML not asked for by a pager is not a page: nothing is followed from it.
    assert list(spider().parse(respond(XmlResponse, page2, answer, ctype="text/xml"))) == []


def test_spider_retries_index_2_when_index_1_is_missing() -> None:
    url = "http://www.jiangsu.gov.cn/zfxxgknb/index_1.html"
    got = asked(
        list(
            spider().parse(respond(HtmlResponse, url, "<html>404</html>", status=404, pager="trs"))
        )
    )
    assert got == {"http://www.jiangsu.gov.cn/zfxxgknb/index_2.html": "trs"}


def test_spider_with_pagers_off_follows_plain_links_only() -> None:
    col = "http://www.jiangsu.gov.cn/zfxxgknb/index.html"
    page = trs_page(3, 0).replace("./2024", "/zfxxgknb/2024")
    on = asked(list(spider().parse(respond(HtmlResponse, col, page))))
    off = asked(list(spider(NIANBAO_PAGERS=[]).parse(respond(HtmlResponse, col, page))))
    item = "http://www.jiangsu.gov.cn/zfxxgknb/202401/t20240129_1.html"
    assert off == {item: None}
    assert on[item] is None and on["http://www.jiangsu.gov.cn/zfxxgknb/index_2.html"] == "trs"
    only = spider(NIANBAO_PAGERS=["hanweb"])
    assert [p.name for p in only.pagers] == ["hanweb"]

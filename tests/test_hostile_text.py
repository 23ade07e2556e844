"""Text from strangers: no scan of a page may take worse than linear time.

Each case is a page or a line that an old pattern took quadratic (or exponential) time on:
20,000 ``<!--`` took 14 s in the block-page check, a 55-character toolbar line 70 s in the
chrome check. The bound is a guard, not a speed target: each case runs in well under a
second now and would run for minutes to hours before, so ``finishes`` (a forked child, killed
when late) fails it after ``LIMIT`` seconds instead of hanging the suite.
``bench/regex_scaling.py`` is the detector these cases came from.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

import pytest

from nianbao.crawler.pagers.gkmlpt import PAGER as GKMLPT
from nianbao.crawler.pagers.hanweb import PAGER as HANWEB
from nianbao.crawler.pagers.onclick import OnclickPager
from nianbao.crawler.pagers.trsapi import PAGER as TRSAPI
from nianbao.extract.attachments.pdf import _PAGE_NUMBER
from nianbao.extract.blocked import blocked_reason
from nianbao.extract.chrome import is_chrome
from nianbao.extract.scan import delimited, elements, without_comments, without_tags
from nianbao.extract.titles import split_title

LIMIT = 10.0  # seconds; every case takes under one here
HTML = {"content-type": "text/html; charset=utf-8"}
REPEATS = 200_000


def finishes(work: Callable[[], object], seconds: float = LIMIT) -> None:
    """Run ``work`` in a forked child; fail when it raises or takes over ``seconds``.

    A child, not a signal: the regex engine checks for signals only every 4,096 steps of
    one match attempt, and a quadratic search is many short attempts, so an alarm never
    interrupts it.
    """
    child = multiprocessing.get_context("fork").Process(target=work)
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"took over {seconds} s")
    assert child.exitcode == 0, f"raised (exit code {child.exitcode})"


# -- the block-page check, on every HTML response -----------------------------------------------

OPENINGS = [
    "<!--",
    "<title>",
    "<style>",
    "<script>",
    "<script",
    "<a ",
    "<a href",
    "<input ",
    "<meta ",
    "<body",
    "<head x",
    "<",
    "</script",
    "<!-- -->",
    "<title>x</title",
]


@pytest.mark.parametrize("opening", OPENINGS)
def test_block_check_is_linear_on_openings_never_closed(opening: str) -> None:
    body = ("<html><body>" + opening * REPEATS).encode()
    finishes(lambda: blocked_reason(200, HTML, body))


def test_block_check_still_finds_what_it_found() -> None:
    login = b"<html><body><form><input type='password'>\xe7\x99\xbb\xe5\xbd\x95</form></body>"
    assert blocked_reason(200, HTML, login) == "login-wall"
    meta = b"<html><head><meta content='x' r='m'></head><body></body></html>"
    assert blocked_reason(412, HTML, meta) == "waf-412"
    shell = b"<html><body><script>var a=1;</script></body></html>"
    assert blocked_reason(200, HTML, shell) == "script-only"
    linked = b"<html><body><script>var a=1;</script><a href='/x.html'>x</a></body></html>"
    assert blocked_reason(200, HTML, linked) is None  # a link is usable
    hidden = "<html><head><title>" + "标题" * 300 + "</title></head><body><script>x()</script>"
    assert blocked_reason(200, HTML, hidden.encode()) == "script-only"  # a title is not text


# -- the scans themselves -----------------------------------------------------------------------


def test_an_unclosed_comment_runs_to_the_end_as_in_a_browser() -> None:
    assert without_comments("a<!--b-->c<!--d") == "ac"
    assert without_comments("<!-->x") == ""  # "-->" must follow the opening


def test_an_element_never_closed_is_skipped_and_the_others_still_found() -> None:
    found = list(elements("<title>a<style>b</style><title>c", ("title", "style")))
    assert [(e.name, e.content) for e in found] == [("style", "b")]
    to_end = list(elements("x<script src=a>code", ("script",), to_end=True))
    assert [(e.attributes, e.content) for e in to_end] == [(" src=a", "code")]


def test_a_lone_less_than_sign_is_text_not_a_tag() -> None:
    assert without_tags("1 < 2 <b>bold</b>", "") == "1 < 2 bold"
    assert without_tags("a <<b>", "") == "a <"


def test_delimited_spans_do_not_overlap_and_stop_when_unclosed() -> None:
    import re

    spans = list(delimited("[a][b][c", re.compile(r"\["), re.compile(r"\]")))
    assert [(s.inner_start, s.inner_end) for s in spans] == [(1, 2), (4, 5)]


# -- pagers, on listing pages -------------------------------------------------------------------

PAGERS: list[tuple[str, Callable[[str], object]]] = [
    (
        "hanweb records",
        lambda n: HANWEB.follow(
            "http://a.gov.cn/col/1/index.html", "<datastore>" + "<record><![CDATA[x" * n
        ),
    ),
    (
        "hanweb nextgroup",
        lambda n: HANWEB.follow(
            "http://a.gov.cn/col/1/index.html", "<datastore>" + '<nextgroup>href="' * n
        ),
    ),
    (
        "gkmlpt tree",
        lambda n: GKMLPT.follow(
            "http://a.gov.cn/gkmlpt/index", "window._CONFIG={SID:'s'," + "TREE:[{id:1}" * n
        ),
    ),
    (
        "gkmlpt routes",
        lambda n: GKMLPT.follow("http://a.gov.cn/gkmlpt/index", "SID:'s' " + "/gkmlpt/index" * n),
    ),
    (
        "onclick names",
        lambda n: OnclickPager().follow(
            "http://a.gov.cn/", '<a onclick="jumpToDetail ' + "_" * (n * 10) + '">x</a>'
        ),
    ),
    ("trsapi module", lambda n: TRSAPI.follow("http://a.gov.cn/", "require([" * n)),
    (
        "trsapi keys",
        lambda n: TRSAPI.follow(
            "http://a.gov.cn/", "require(['list.trsapi']) listArgs: {" + "a" * (n * 10) + "}"
        ),
    ),
]


@pytest.mark.parametrize("case", PAGERS, ids=[name for name, _ in PAGERS])
def test_pagers_are_linear_on_hostile_listings(case: tuple[str, Callable[[int], object]]) -> None:
    _, follow = case
    finishes(lambda: follow(REPEATS // 4))


def test_hanweb_nextgroup_href_in_single_quotes() -> None:
    page = (
        "<datastore><totalpage>3</totalpage><nextgroup><![CDATA[<a href='/module/web/jpage/"
        "dataproxy.jsp?page=1&amp;col=1'>next</a>]]></nextgroup>"
        "<record><![CDATA[<a href='/art/1.html'>x</a>]]></record></datastore>"
    )
    urls = [f.url for f in HANWEB.follow("http://a.gov.cn/col/col1/index.html", page)]
    assert "http://a.gov.cn/art/1.html" in urls
    assert "http://a.gov.cn/module/web/jpage/dataproxy.jsp?page=3&col=1" in urls


# -- lines: chrome, titles, PDF page numbers ----------------------------------------------------

LINES = [
    "打印 ",
    "打印：",
    "打印/",
    "打印】【",
    "大  ",
    "＞ | ",
    "＞  ",
    "点击量> ",
    "来源:> ",
    "分享  ",
    "字号  ",
]


@pytest.mark.parametrize("unit", LINES)
def test_chrome_check_is_linear_on_toolbar_shaped_lines(unit: str) -> None:
    line = unit * (118 // len(unit)) + "x"  # under the 120-character cap chrome lines have
    finishes(lambda: is_chrome(line))


def test_chrome_check_still_knows_toolbars_and_trails() -> None:
    assert is_chrome("【打印】 【关闭】")
    assert is_chrome("首页 > > 通知公告")  # a step of spaces only
    assert is_chrome("【字体：大 中 小】【打印】【关闭】")
    assert is_chrome("分享到： 微信 微博")
    assert not is_chrome("大")  # a table cell, not a toolbar
    assert not is_chrome("本机关全年共收到政府信息公开申请120件")


def test_titles_split_in_linear_time_on_spaces() -> None:
    finishes(lambda: split_title("a" + " " * REPEATS + "b"))
    assert split_title("年度报告 _ 某某市人民政府") == ["年度报告", "某某市人民政府"]


def test_pdf_page_numbers_in_linear_time() -> None:
    finishes(lambda: _PAGE_NUMBER.fullmatch(" " * REPEATS + "x"))
    assert all(_PAGE_NUMBER.fullmatch(t) for t in ("— 3 —", "-3-", "第 3 页 共 12 页", "3/12"))


def test_stuffed_headers_trimmed_in_linear_time() -> None:
    from nianbao.extract.spam_head import _TRAIL

    finishes(lambda: _TRAIL.search(" " * REPEATS + "x"))
    assert _TRAIL.search("官网 | ").group() == " | "  # type: ignore[union-attr]

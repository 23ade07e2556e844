"""Blocked pages: each case on bytes written here, and clean pages that must never be blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.extract.blocked import REASONS, blocked_reason
from tests.seeds import seed_text

HTML = {"content-type": "text/html; charset=utf-8"}

# 瑞数 (Ruishu): 412, an inline $_ts script, an external challenge script, <meta r='m'>.
RUISHU = (
    b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html">'
    b'<meta id="9DhefwqGPrzGxEp9hPaoag" content="Zm9vYmFy" r=\'m\'>'
    b"<script type=\"text/javascript\">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=81274;"
    b'$_ts.cd="qAxcrrAlEaGqDOcJx";</script>'
    b'<script type="text/javascript" charset="utf-8"'
    b' src="/4QbVtADbnLVIc/c.FxJzG50F.a6d1b4c.js">'
    b'</script></head><body></body></html><script type="text/javascript">$_ts.lcd();</script>'
)
# 加速乐 / 创宇盾 block page: 4xx, a short notice, a __jsluid cookie.
JIASULE = (
    "<html><head><title>访问被拦截</title></head><body><h1>您的访问被拦截</h1>"
    "<p>当前访问疑似黑客攻击，已被创宇盾拦截。</p></body></html>"
).encode()
# A 200 shell: nothing but scripts that would render the page in a browser.
SCRIPT_SHELL = (
    b'<html><head><meta charset="utf-8"><title>\xe4\xba\xba\xe5\x8a\x9b\xe8\xb5\x84\xe6\xba\x90'
    b'</title><script src="/static/js/app.9f3c.js"></script></head><body><div id="app"></div>'
    b'<script>window.__INITIAL__={"route":"/xxgk/xxgknb"};boot(window.__INITIAL__);</script>'
    b"</body></html>"
)
# A JS cookie challenge: compute a cookie, set it, reload (jiasule 521 style, or 200).
JS_COOKIE = (
    b'<html><body><script>var x="cdn_sec_tc",y="1"+"a2b3";'
    b'document.cookie="__jsl_clearance="+y+";max-age=3600;path=/";'
    b"location.href=location.pathname+location.search;</script></body></html>"
)
# A login wall: a password form and 登录, little else.
LOGIN = (
    "<html><head><title>统一身份认证</title></head><body>"
    '<form action="/sso/login" method="post">'
    '<label>用户名</label><input name="username" type="text">'
    '<label>密码</label><input name="password" type="password">'
    '<button type="submit">登录</button></form></body></html>'
).encode()


def seed_page(charset: str = "utf-8") -> bytes:
    """A short real report page: the start of seed 000 (a real report) in plain markup."""
    text = seed_text("000")[:1200]
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return (
        f'<html><head><meta charset="{charset}"><title>年度报告</title></head>'
        f"<body>{paragraphs}</body></html>"
    ).encode(charset)


@pytest.mark.parametrize(
    ("status", "headers", "body", "reason"),
    [
        (412, HTML, RUISHU, "waf-412"),
        (202, HTML, RUISHU.replace(b"$_ts", b"$_xx"), "waf-412"),  # 202 + the r='m' meta
        (418, {**HTML, "set-cookie": "__jsluid_s=7d1c4e; path=/"}, JIASULE, "waf-412"),
        (403, HTML, JIASULE, "waf-412"),
        (200, HTML, SCRIPT_SHELL, "script-only"),
        (200, HTML, JS_COOKIE, "js-cookie"),
        (521, HTML, JS_COOKIE, "js-cookie"),
        (200, HTML, LOGIN, "login-wall"),
        (200, HTML, b"", "empty"),
        (200, HTML, b"  \r\n\t ", "empty"),
        (
            200,
            {"content-type": "text/html"},
            b"<html><head><title>x</title></head><body>\n  </body></html>",
            "empty",
        ),
    ],
)
def test_each_blocked_case_is_named(
    status: int, headers: dict[str, str], body: bytes, reason: str
) -> None:
    assert reason in REASONS
    assert blocked_reason(status, headers, body) == reason


def test_untyped_challenge_is_sniffed_as_html() -> None:
    assert blocked_reason(412, {}, RUISHU) == "waf-412"


@pytest.mark.parametrize("charset", ["utf-8", "gb18030"])
def test_a_real_report_page_is_never_blocked(charset: str) -> None:
    page = seed_page(charset)
    headers = {"content-type": f"text/html; charset={charset}"}
    assert blocked_reason(200, headers, page) is None
    # Real text wins over markers: a cookie script, a $_ts analytics stub, even a 412.
    marked = page.replace(b"</body>", JS_COOKIE[12:-14] + b"<script>$_ts={};</script></body>")
    assert blocked_reason(200, headers, marked) is None
    assert blocked_reason(412, {**headers, "set-cookie": "__jsluid_h=1"}, marked) is None


def test_a_404_page_with_text_is_not_blocked() -> None:
    page = (
        '<html><head><title>404</title><script src="/js/jquery.js"></script></head><body>'
        "<h1>404 页面不存在</h1><p>您访问的页面不存在或已被删除，请返回首页。</p>"
        '<a href="/">返回首页</a></body></html>'
    ).encode()
    assert blocked_reason(404, HTML, page) is None


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"content-type": "text/plain"}, b""),  # an empty robots.txt
        ({"content-type": "application/json"}, b'{"articles": []}'),  # an empty gkmlpt page
        ({"content-type": "application/pdf"}, b"%PDF-1.7\n"),
        ({}, b""),  # nothing says it is a page
    ],
)
def test_non_pages_are_never_blocked(headers: dict[str, str], body: bytes) -> None:
    assert blocked_reason(200, headers, body) is None


def test_redirects_are_not_blocked() -> None:
    assert blocked_reason(302, {**HTML, "location": "/x/"}, b"") is None


def test_shells_with_something_to_follow_are_not_blocked() -> None:
    iframe_shell = b'<html><body><iframe src="/col/list.html"></iframe></body></html>'
    assert blocked_reason(200, HTML, iframe_shell) is None
    linked = SCRIPT_SHELL.replace(b'<div id="app"></div>', b'<a href="/xxgk/">go</a>')
    assert blocked_reason(200, HTML, linked) is None


def test_gkmlpt_app_shell_is_a_listing_not_a_block() -> None:
    # PORTALS.md §1.4: a Vue app whose window._CONFIG names the SID; the list comes from its API.
    shell = (
        '<html><head><title>信息公开目录</title></head><body><div id="app"></div>'
        '<script>window._CONFIG = {SID: "175", TREE: [{"id": 2629}]};</script>'
        '<script src="/gkmlpt/static/js/app.js"></script></body></html>'
    ).encode()
    assert blocked_reason(200, HTML, shell) is None
    assert (
        blocked_reason(200, HTML, shell.replace(b"_CONFIG", b"_STATE").replace(b"gkmlpt", b"x"))
        == "script-only"
    )


def test_hanweb_data_block_is_content_not_script() -> None:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2024/1/{i}/art_1_{i}.html">'
        f"{2015 + i}年政府信息公开工作年度报告</a></li>]]></record>"
        for i in range(8)
    )
    page = (
        f'<html><body><div id="c"><script type="text/xml"><datastore>'
        f"<recordset>{records}</recordset></datastore></script></div>"
        f"<script>$('#c').jpage();</script></body></html>"
    ).encode()
    assert blocked_reason(200, HTML, page) is None


# -- the archive: the single ingest path records blocked pages and never extracts them ----------


REPORT_URL = "http://czj.beijing.gov.cn/nb/2023.html"


def never_extract(url: str, headers: object, body: bytes) -> object:
    raise AssertionError(f"a blocked page was handed to extraction: {url}")


def blocked_archive(directory: Path) -> list[Path]:
    """A WARC with one blocked page of each case (titles that would make reports) and one report."""
    from tests.test_archive_support import exchange, writer

    title = "北京市财政局2023年政府信息公开工作年度报告"
    login = LOGIN.replace("统一身份认证".encode(), title.encode())
    pages = [
        ("http://customs.gov.cn/nb/2023.html", 412, RUISHU),
        ("http://customs.gov.cn/nb/2022.html", 412, RUISHU),
        ("http://www.mohrss.gov.cn/nb/", 200, SCRIPT_SHELL),
        ("http://www.mps.gov.cn/nb/", 521, JS_COOKIE),
        ("http://sso.beijing.gov.cn/login", 200, login),
        ("http://czj.beijing.gov.cn/empty.html", 200, b""),
        (REPORT_URL, 200, seed_page()),
    ]
    warc = writer(directory)
    for url, status, body in pages:
        warc.write_exchange(exchange(url, body, status=status))
    warc.close()
    return sorted(directory.glob("*.warc.gz"))


def test_ingest_records_blocked_pages_and_makes_no_report_of_them(tmp_path: Path) -> None:
    from nianbao.archive import Store, ingest_capture, iter_captures
    from nianbao.archive.ingest.reindex import reindex
    from nianbao.archive.store.summary import blocked_by_host, summarize

    paths = blocked_archive(tmp_path / "warc")
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        results = [
            ingest_capture(store, c, extractor=never_extract)
            for path in paths
            for c in iter_captures(path)
            if c.url != REPORT_URL
        ]
        blocked = {r.blocked for r in results if r.blocked}
        assert blocked == {"waf-412", "script-only", "js-cookie", "login-wall", "empty"}
        rows = sorted((r["url"], r["reason"]) for r in store.db.table("blocked").rows)
        assert store.count("reports") == 0
    assert rows == [
        ("http://customs.gov.cn/nb/2022.html", "waf-412"),
        ("http://customs.gov.cn/nb/2023.html", "waf-412"),
        ("http://czj.beijing.gov.cn/empty.html", "empty"),
        ("http://sso.beijing.gov.cn/login", "login-wall"),
        ("http://www.mohrss.gov.cn/nb/", "script-only"),
        ("http://www.mps.gov.cn/nb/", "js-cookie"),
    ]
    rebuilt = tmp_path / "rebuilt.sqlite"
    reindex(paths, rebuilt)  # the real extractor: the seed page is a report, nothing else
    summary = summarize(rebuilt)
    assert summary.reports == 1
    assert summary.blocked_by_host == (
        ("customs.gov.cn", 2),
        ("czj.beijing.gov.cn", 1),
        ("sso.beijing.gov.cn", 1),
        ("www.mohrss.gov.cn", 1),
        ("www.mps.gov.cn", 1),
    )
    assert blocked_by_host(rebuilt, "crawl-1") == summary.blocked_by_host
    assert blocked_by_host(rebuilt, "another-crawl") == ()
    with Store(rebuilt) as store:
        assert sorted((r["url"], r["reason"]) for r in store.db.table("blocked").rows) == rows


def test_blocked_note_names_portals_and_what_may_help() -> None:
    from nianbao.crawler.console import blocked_note

    assert blocked_note(()) is None
    note = blocked_note((("customs", 2), ("mps", 1)))
    assert note is not None
    assert "3 URLs blocked" in note.plain and "customs 2" in note.plain
    assert "on 2 portals" in note.plain and "mps 1" in note.plain and "browser" in note.plain

"""Pages that answer blocked: a WAF challenge (412 + $_ts), a script-only 200, a JS cookie
challenge, a login wall and an empty body. Each is linked from a home page; none is a report.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from nianbao.simweb.agencies import CHAOYANG, CSGLW, MENTOUGOU, SW, WWW
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

CASES = ("waf-412", "script-only", "js-cookie", "login-wall", "empty")
# (case, host, path, link label on the host's home page)
PLACES = (
    ("waf-412", WWW, "/zwgk/zcjd/index.html", "政策解读"),
    ("script-only", SW, "/zwgk/tzgg/index.html", "通知公告"),
    ("js-cookie", CSGLW, "/zwgk/zcfg/index.html", "政策法规"),
    ("login-wall", MENTOUGOU, "/hdjl/wsxf/index.html", "网上信访"),
    ("empty", CHAOYANG, "/zfxxgk/zcwj/index.html", "政策文件"),
    # family hosts: the WAF guards the /art/ section only, as on some provincial sites
    ("waf-412", "www.fam-hanweb.gov.cn", "/art/2024/3/1/art_41876_20240301.html", "政务服务"),
    ("js-cookie", "www.fam-gkmlpt.gov.cn", "/zwfw/index.html", "办事服务"),
    ("login-wall", "www.fam-onclick.gov.cn", "/hdjl/index.html", "互动交流"),
)
HTML = "text/html; charset=utf-8"


def add_blocked(world: World, families: bool) -> None:
    """Register the blocked pages in ``world.blocked`` and link each from its host's home."""
    for case, host, path, label in PLACES:
        if host.startswith("www.fam-") and not families:
            continue
        url = f"http://{host}{path}"
        world.blocked[url] = case
        world.pages[url] = ("blocked", case)
        world.home_links.setdefault(host, []).append((label, url))
        if case == "waf-412":
            world.pages[_challenge_js(url)] = ("blocked-js",)


def _noise(url: str, size: int) -> str:
    """Deterministic challenge-looking characters for ``url``."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
    digest = b""
    while len(digest) < size:
        digest += hashlib.sha256(f"{url}:{len(digest)}".encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:size])


def _challenge_js(url: str) -> str:
    host = url.split("/", 3)[2]
    return f"http://{host}/{_noise(url, 12)}/c.{_noise(url + 'f', 8)}.js"


def page(url: str, case: str) -> Page:
    """The answer of a blocked URL for its case."""
    if case == "waf-412":
        script = (
            f"$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={{}};$_ts.nsd="
            f"{int(hashlib.md5(url.encode()).hexdigest()[:5], 16)};"  # noqa: S324
            f'$_ts.cd="{_noise(url + "cd", 400)}";'
        )
        js = _challenge_js(url).split("/", 3)[3]
        body = (
            '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=utf-8"><meta http-equiv="Pragma" content="no-cache">'
            f'<meta id="{_noise(url + "id", 10)}" content="{_noise(url + "m", 120)}" r=\'m\'>'
            f"<script type=\"text/javascript\" r='m'>{script}</script>"
            f'<script type="text/javascript" charset="utf-8" src="/{js}" r=\'m\'></script>'
            "</head><body></body></html>"
        )
        return Page(412, [("Content-Type", HTML)], body.encode())
    if case == "script-only":
        code = (
            f'var _0x{_noise(url, 4)}=["{_noise(url + "a", 900)}"];(function(){{'
            "var s=document.createElement('script');s.src='/.well-known/sgcheck.js?'+"
            "Math.random();document.documentElement.appendChild(s);})();"
        )
        return Page(
            200,
            [("Content-Type", HTML)],
            f'<script type="text/javascript">{code}</script>'.encode(),
        )
    if case == "js-cookie":
        sluid = hashlib.sha1(url.encode()).hexdigest()[:32]  # noqa: S324 - not security
        code = (
            f"document.cookie=('__jsl_clearance_s=')+'{_noise(url + 'c', 40)}'+"
            "(';max-age=3600;path=/');location.href=location.pathname+location.search;"
        )
        return Page(
            200,
            [
                ("Content-Type", HTML),
                ("Set-Cookie", f"__jsluid_s={sluid}; max-age=31536000; path=/; HttpOnly"),
            ],
            f"<html><body><script>{code}</script></body></html>".encode(),
        )
    if case == "login-wall":
        body = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>用户登录</title></head>'
            '<body><div class="login"><h2>用户登录</h2><p>请登录后查看此页面。</p>'
            '<form action="/sso/login" method="post"><label>用户名 <input name="username">'
            '</label><label>密码 <input type="password" name="password"></label>'
            '<button type="submit">登录</button></form></div></body></html>'
        )
        return Page(200, [("Content-Type", HTML)], body.encode("utf-8"))
    if case == "empty":
        return Page(200, [("Content-Type", HTML)], b"")
    raise ValueError(f"unknown blocked case {case!r}")


def challenge_script() -> Page:
    """The external challenge JS the 412 page loads (served so the page is complete)."""
    return Page(
        200,
        [("Content-Type", "application/javascript")],
        b"(function(){var t=window['$_ts'];if(!t)return;/* challenge */})();",
    )

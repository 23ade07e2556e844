"""Blocked pages: WAF challenges, script shells, cookie challenges, login walls, empty bodies.

A blocked page is not "a page without reports": the content is there for a browser (or a
later try) but not for us. Success is judged positively: a page with real visible text is
never blocked, whatever challenge marker it happens to carry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from nianbao.extract.decode import codec_name, declared_charset, sniffed_charsets
from nianbao.extract.scan import (
    elements,
    removed,
    replaced,
    tag_named,
    tags,
    without_comments,
    without_tags,
)

# Case names (shared with simweb's world.blocked and the archive's blocked table).
WAF = "waf-412"
SCRIPT_ONLY = "script-only"
JS_COOKIE = "js-cookie"
LOGIN_WALL = "login-wall"
EMPTY = "empty"
REASONS = (WAF, SCRIPT_ONLY, JS_COOKIE, LOGIN_WALL, EMPTY)

# Visible characters (CJK or letters/digits) that make a page real content, not a block page.
REAL_TEXT = 200
# At most this much visible text and a script: a script shell.
SHELL_TEXT = 20

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Types that are never a page (an empty robots.txt or JSON answer is not "blocked").
_VAGUE_TYPES = ("", "application/octet-stream", "binary/octet-stream")
_HTML_MARK = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|script|title)\b", re.I)

_SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?\s*([\w/+.-]*)""", re.I)
_JS_TYPES = frozenset(
    {
        "",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "module",
        "text/jscript",
    }
)
_HIDDEN = ("style", "noscript", "template", "head", "title")
_MEANINGFUL = re.compile(r"[\w\u3400-\u9fff]", re.U)
# Elements a crawler can still use on a page without text: links, frames, embedded objects.
_USABLE = ("iframe", "frame", "frameset", "object", "embed", "img")
_HREF = re.compile(r"\bhref\b", re.I)

# Challenge markers: 瑞数 ($_ts script, <meta ... r='m'>), 加速乐 / 知道创宇 创宇盾 (__jsluid).
_CHALLENGE_BODY = re.compile(r"\$_ts\s*[=.\[]|__jsluid|加速乐|创宇盾|知道创宇|访问被拦截", re.I)
_CHALLENGE_META = re.compile(r"\br\s*=\s*['\"]m['\"]", re.I)  # in a <meta> tag
_CHALLENGE_COOKIE = re.compile(r"__jsluid", re.I)
_SETS_COOKIE = re.compile(r"document\.cookie\s*=", re.I)
_RELOADS = re.compile(
    r"location\.reload\s*\(|location\.replace\s*\(|location(?:\.href)?\s*=(?!=)"
    r"|history\.go\s*\(\s*0?\s*\)",
    re.I,
)
# Single-page apps whose data nianbao's pagers read (PORTALS.md §4): gkmlpt's window._CONFIG,
# Hanweb's <datastore>, jpaas. Their shells are listings, not gates.
_APP_DATA = re.compile(r"window\._CONFIG\s*=|/gkmlpt/|<datastore>|jpaas-publish-server", re.I)
_PASSWORD = re.compile(r"\btype\s*=\s*['\"]?password", re.I)  # in an <input> tag
_LOGIN_WORDS = re.compile(r"登录|登陆|用户登录|sign\s*in|log\s*in", re.I)


def blocked_reason(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """Why this response is a blocked page ("waf-412", "script-only", …), or None if it is not.

    ``headers`` have lower-case keys; ``body`` has content- and transfer-encoding undone.
    Redirects and non-HTML answers (JSON, PDF, an empty robots.txt) are never blocked.
    """
    if status < 200 or 300 <= status < 400 or not _is_html(headers, body, status):
        return None
    text = _decode(headers, body)
    scripts = [el for el in elements(text, ("script",), to_end=True) if _is_js(el.attributes)]
    page = _without_scripts(without_comments(text))
    body_markup = _body_of(page)
    visible = html.unescape(without_tags(body_markup))
    amount = _meaningful(visible, REAL_TEXT)
    if amount >= REAL_TEXT:
        return None  # success, judged positively
    code = "\n".join(el.content for el in scripts)
    if status == 412 or ((status == 202 or 400 <= status < 500) and _challenged(text, headers)):
        return WAF
    if _SETS_COOKIE.search(code) and _RELOADS.search(code):
        return JS_COOKIE
    if not 200 <= status < 300:
        return None  # an error page, not a block: it is recorded as what it is
    if _tagged(text, "input", _PASSWORD) and _LOGIN_WORDS.search(text):
        return LOGIN_WALL
    if scripts and amount <= SHELL_TEXT and not _usable(body_markup) and not _APP_DATA.search(text):
        return SCRIPT_ONLY
    if not body_markup.strip() and not scripts:
        return EMPTY
    return None


def _is_html(headers: Mapping[str, str], body: bytes, status: int) -> bool:
    """HTML by type, or untyped and sniffed as HTML; an empty typed-HTML 2xx body counts."""
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.startswith(_HTML_TYPES):
        return True
    if ctype not in _VAGUE_TYPES:
        return False
    head = body[:2048].decode("latin-1")
    return bool(_HTML_MARK.search(head))


def _decode(headers: Mapping[str, str], body: bytes) -> str:
    """Text of the body in its declared charset, else UTF-8, else GB18030 (lenient)."""
    labels = [declared_charset(headers) or "", *sniffed_charsets(body)]
    for label in labels:
        codec = codec_name(label) if label else None
        if codec:
            try:
                return body.decode(codec, errors="replace")
            except (UnicodeError, LookupError):  # codecs that allow only strict errors (idna)
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def _is_js(attrs: str) -> bool:
    """Whether a <script> tag's attributes make it executable (not a data block)."""
    match = _SCRIPT_TYPE.search(attrs)
    return (match.group(1).lower() if match else "") in _JS_TYPES


def _without_scripts(text: str) -> str:
    """The markup with executable scripts and invisible elements removed.

    Data blocks (``<script type="text/xml">`` listings of Hanweb columns) stay: their text
    is content, not code.
    """
    found = elements(text, ("script",), to_end=True)
    kept = replaced(text, ((el.span, " " if _is_js(el.attributes) else el.content) for el in found))
    return removed(kept, (el.span for el in elements(kept, _HIDDEN)), " ")


def _body_of(markup: str) -> str:
    """The <body> content, or the whole markup when there is no body element."""
    body = next(elements(markup, ("body",), to_end=True), None)
    return body.content if body is not None else markup


def _meaningful(visible: str, enough: int) -> int:
    """How many visible characters are CJK, letters or digits, counted up to ``enough``."""
    count = 0
    for _ in _MEANINGFUL.finditer(visible):
        count += 1
        if count >= enough:
            break
    return count


def _tagged(markup: str, name: str, pattern: re.Pattern[str]) -> bool:
    """Whether a tag ``<name …>`` of the markup matches ``pattern``."""
    return any(tag_named(tag, name) and pattern.search(tag) for tag in tags(markup))


def _usable(markup: str) -> bool:
    """Whether the markup has a link, a frame or an embedded object a crawler can follow."""
    return any(
        (tag_named(tag, "a") and _HREF.search(tag)) or any(tag_named(tag, n) for n in _USABLE)
        for tag in tags(markup)
    )


def _challenged(text: str, headers: Mapping[str, str]) -> bool:
    """Whether the page or its cookies carry a WAF challenge marker."""
    return bool(
        _CHALLENGE_BODY.search(text)
        or _tagged(text, "meta", _CHALLENGE_META)
        or _CHALLENGE_COOKIE.search(headers.get("set-cookie", ""))
    )

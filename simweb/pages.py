"""Render any page spec of the world to HTML text (encoding is the world's job)."""

from __future__ import annotations

import random
import re
import struct
import zlib
from typing import TYPE_CHECKING

from nianbao.simweb import chrome, mirrors, seeds
from nianbao.simweb.agencies import DAXING, GATEWAY_PREFIX, GOV_CN, SPAM_HOST, WWW
from nianbao.simweb.articles import article_paragraphs
from nianbao.simweb.attachment_reports import SEE_ATTACHMENT, attachment_block
from nianbao.simweb.chrome import SITES, Meta, esc
from nianbao.simweb.columns import COLUMN_TITLES, WHO, YEAR_TRAIL
from nianbao.simweb.layout import Listing
from nianbao.simweb.tables import TableStyle, render_tables
from nianbao.simweb.template import TEMPLATE_INTRO

if TYPE_CHECKING:
    from nianbao.simweb.world import Spec, World

BODY_MARK = "@@SIMWEB-BODY@@"


def _png(width: int = 8, height: int = 8) -> bytes:
    """A small valid grey PNG: what an image-only table is served as."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\xc8" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG_BYTES = _png()


def robots_txt(host: str) -> str:
    """robots.txt of a simulated host."""
    rules = {WWW: ("/gongkai/internal/", "/search/"), DAXING: ("/zwgk/draft/", "/admin/")}
    if host in (GOV_CN, SPAM_HOST):
        return "User-agent: *\nAllow: /\n"
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in rules.get(host, ("/admin/",))]
    return "\n".join(lines) + "\n"


def not_found(host: str) -> str:
    """The 404 page of a host."""
    return (
        "<!DOCTYPE html><html><head><title>404 页面不存在</title></head><body>"
        f'<h1>404</h1><p>您访问的页面不存在或已被删除。</p><a href="http://{host}/">返回首页</a>'
        "</body></html>"
    )


def charset_meta(url: str, host: str) -> str | None:
    """Charset declaration of a page: GBK pages carry <meta charset>, http-equiv or none."""
    if host != DAXING:
        return "utf-8"
    return ("meta-charset", "http-equiv", None)[zlib.crc32(url.encode()) // 2 % 3]


def _hits(url: str) -> int:
    return zlib.crc32(url.encode()) % 20000 + 37


def _host_of(url: str) -> str:
    return url.split("/", 3)[2]


def render(world: World, url: str, spec: Spec, gateway: bool = False) -> str:
    """HTML for the page ``spec`` at ``url``; Traditional (gateway form) when ``gateway``."""
    kind = spec[0]
    if kind == "seed" and spec[1].startswith("004"):
        return mirrors.seed004_page(world, url)
    if kind == "seed":
        return _seed_page(world, url, spec[1], gateway)
    if kind == "mirror":
        return mirrors.mirror_page(world, url)
    renderers = {
        "report": lambda: _report_page(world, url, gateway),
        "listing": lambda: _listing_page(world, url, world.listings[spec[1]], spec[2]),
        "news": lambda: _news_page(world, url, spec[1]),
        "slow": lambda: _news_page(world, url, spec[1]),
        "home": lambda: _home_page(world, spec[1]),
        "years": lambda: _years_page(spec[1]),
        "gongkai": _gongkai_page,
        "plain": lambda: _simple(_host_of(url), spec[1], f"<p>{esc(spec[1])}</p>"),
        "raw": lambda: spec[1],  # a whole page as written (simweb/traps.py)
        "govcn": lambda: _simple(GOV_CN, "中国政府网", "<p>中华人民共和国中央人民政府门户网站</p>"),
    }
    text = renderers[kind]()
    return world.s2t.convert(text) if gateway else text


def _simple(host: str, title: str, body: str) -> str:
    site = SITES.get(host)
    if site is None:
        return (
            f"<!DOCTYPE html><html><head><title>{esc(title)}</title></head>"
            f"<body>{body}</body></html>"
        )
    return chrome.page(
        site,
        title,
        f"<h1>{esc(title)}</h1>{body}",
        charset_meta=charset_meta(f"http://{host}/{title}", host),
    )


def _items_html(
    items: tuple[tuple[str, str, str], ...], host: str, base: str, relative: bool = True
) -> str:
    rows = []
    for title, url, date in items:
        prefix = f"http://{host}{base}"
        href = "./" + url[len(prefix) :] if relative and url.startswith(prefix) else url
        rows.append(
            f'<li><a href="{esc(href)}" target="_blank" title="{esc(title)}">'
            f"{esc(title)}</a><span>{date}</span></li>"
        )
    return f'<ul class="list">{"".join(rows)}</ul>'


def _listing_page(world: World, url: str, listing: Listing, index: int) -> str:
    """A column page; TRS pagination only through the createPageHTML script call."""
    count = listing.page_count
    if listing.pager == "trs":
        pager = (
            '<div class="page"><script type="text/javascript">\n'
            f"var countPage = {count};//共多少页\nvar currentPage = {index};\n"
            f'createPageHTML({count}, {index}, "index", "html");\n</script></div>'
        )
    else:
        links = ['<a href="index.html">首页</a>']
        if index > 0:
            links.append(f'<a href="{listing.page_path(index - 1).rsplit("/", 1)[1]}">上一页</a>')
        if index + 1 < count:
            links.append(f'<a href="index_{index + 1}.html">下一页</a>')
        pager = f'<div class="page">{" ".join(links)} 共{count}页</div>'
    extra = "".join(
        f'<p><a href="{esc(href)}">{esc(label)}</a></p>' for label, href in listing.extra_links
    )
    body = (
        f'<div class="column-title">{esc(listing.title)}</div>{extra}'
        f"{_items_html(listing.page_items(index), listing.host, listing.base)}{pager}"
    )
    return chrome.page(
        SITES[listing.host],
        listing.title,
        body,
        charset_meta=charset_meta(url, listing.host),
        trail=listing.trail,
        scripts='<script src="/images/createPageHTML.js"></script>\n',
    )


def _news_page(world: World, url: str, index: int) -> str:
    item = world.news[index]
    rng = random.Random(f"{world.seed}:{url}")
    who = rng.choice(WHO[item.host])
    paragraphs = article_paragraphs(rng, item.kind, item.title, item.date, who)
    site = SITES[item.host]
    meta = Meta(None, site.owner, item.title, None, item.date, item.date)
    column = COLUMN_TITLES.get(item.column, "政府信息公开年报")
    trail = (
        YEAR_TRAIL
        if item.kind == "jiedu"
        else (("首页", "/"), (column, f"{item.column}index.html"))
    )
    body = chrome.meta_block(meta, rng.random() < 0.5) if item.kind != "news" else ""
    body += (
        f'<h1 class="title">{esc(item.title)}</h1>{chrome.date_line(item.date, site.owner)}'
        '<div class="TRS_Editor">'
        + "".join(f'<p style="text-indent:2em">{esc(p)}</p>' for p in paragraphs)
        + f"</div>{chrome.tools(_hits(url))}"
    )
    return chrome.page(
        site, item.title, body, charset_meta=charset_meta(url, item.host), meta=meta, trail=trail
    )


def _home_page(world: World, host: str) -> str:
    site = SITES[host]
    parts = []
    for key, listing in world.listings.items():
        if not key.startswith(host + "/"):
            continue
        link = listing.page_path(0)
        parts.append(
            f'<div class="block"><h2><a href="{link}">{esc(listing.title)}</a></h2>'
            f"{_items_html(listing.items[:6], host, listing.base, relative=False)}</div>"
        )
    if host == WWW:
        parts.append(
            '<div class="block"><h2><a href="/gongkai/zfxxgknb/index.html">'
            "政府信息公开工作年度报告</a></h2></div>"
        )
    links = "".join(
        f'<li><a href="{esc(u)}">{esc(label)}</a></li>'
        for label, u in world.home_links.get(host, [])
    )
    parts.append(f'<div class="block links"><h2>专题与链接</h2><ul>{links}</ul></div>')
    return chrome.page(
        site, site.name, "".join(parts), charset_meta=charset_meta(f"http://{host}/", host)
    )


def _years_page(years: tuple[int, ...]) -> str:
    links = "".join(
        f'<li><a href="/gongkai/zfxxgknb/{y}/index.html">{y}年度</a></li>'
        for y in sorted(years, reverse=True)
    )
    body = f'<div class="column-title">政府信息公开工作年度报告</div><ul class="years">{links}</ul>'
    return chrome.page(SITES[WWW], "政府信息公开年报", body, trail=YEAR_TRAIL)


def _gongkai_page() -> str:
    body = (
        '<ul><li><a href="/gongkai/zfxxgknb/index.html">政府信息公开工作年度报告</a></li>'
        '<li><a href="/gongkai/tzgg/index.html">通知公告</a></li>'
        '<li><a href="/gongkai/internal/nbgl.html">年报管理（内部）</a></li></ul>'
    )
    return chrome.page(SITES[WWW], "政务公开", body, trail=YEAR_TRAIL[:2])


def _report_trail(host: str) -> tuple[tuple[str, str], ...]:
    if host == WWW:
        return YEAR_TRAIL
    column = SITES[host].report_column
    return (("首页", "/"), ("政务公开", column), ("政府信息公开年报", column))


def _switch_link(world: World, url: str, gateway: bool) -> str:
    style = world.styles[url]
    if style.twin_url is None:
        return ""
    if gateway:
        return f'<div class="lang"><a href="{url}">简体</a></div>'
    return f'<div class="lang"><a href="{style.twin_url}">繁體</a></div>'


def _report_page(world: World, url: str, gateway: bool) -> str:
    """A generated report with chrome, metadata block, sections and tables in its layout."""
    truth = world.by_url[url]
    style = world.styles[url]
    rng = random.Random(style.style_seed)
    tables = TableStyle(
        truth.table_layout,
        rng.random() < 0.4,
        rng.random() < 0.3,
        rng.random() < 0.3,
        title_row=rng.random() < 0.25,
        split=rng.choice(("", "", "header", "tail")),
    )
    heading_tag = rng.choice(("strong", "h3", "b"))
    meta = Meta(
        truth.index_no, truth.agency, truth.title, truth.doc_no, truth.published, truth.published
    )
    out = [
        chrome.meta_block(meta, rng.random() < 0.6),
        f'<h1 class="title">{esc(truth.title)}</h1>',
        chrome.date_line(truth.published, truth.agency),
        '<div class="TRS_Editor">',
    ]
    if truth.generation != "prose":
        out.append(f'<p style="text-indent:2em">{TEMPLATE_INTRO}</p>')
    for section in truth.sections:
        heading = esc(section.heading)
        out.append(
            f"<h3>{heading}</h3>"
            if heading_tag == "h3"
            else f'<p style="text-indent:2em"><{heading_tag}>{heading}</{heading_tag}></p>'
        )
        lines = section.text.split("\n") if section.text else []
        for line in lines:
            align = (
                ' align="center"'
                if truth.table_layout == "image"
                and line in lines[-1:]
                and section.number in (2, 3, 4)
                else ' style="text-indent:2em"'
            )
            out.append(f"<p{align}>{esc(line)}</p>")
        if section.number in (2, 3, 4) and truth.generation != "prose":
            if truth.table_layout == "image":
                out.append(
                    f'<p align="center"><img src="{style.image_urls[section.number - 2]}" '
                    'border="0"></p>'
                )
            elif truth.table_layout == "xlsx":
                out.append(f'<p style="text-indent:2em">{SEE_ATTACHMENT}</p>')
            else:
                out.append(render_tables(section.number, truth.tables, truth.generation, tables))
    if truth.table_layout == "xlsx":
        out.append(attachment_block(truth))
    out.append("</div>")
    out.append(_switch_link(world, url, gateway))
    out.append(chrome.tools(_hits(url)))
    return chrome.page(
        SITES[truth.host],
        truth.title,
        "".join(out),
        charset_meta=charset_meta(url, truth.host),
        meta=meta,
        trail=_report_trail(truth.host),
    )


def _seed_page(world: World, url: str, seed_id: str, gateway: bool) -> str:
    """Pages built around a seed's own text (the body is never re-converted)."""
    text = seeds.seed_text(seed_id)
    truth = world.by_url[url]
    site = SITES[truth.host]
    published = truth.published
    if seed_id in ("000", "002"):
        style = world.styles[url]
        images = dict(zip((2, 3, 4), style.image_urls, strict=True))
        body_text = text if gateway else world.t2s.convert(text)
        headings = seeds.SEED_HEADINGS[seed_id]
        if not gateway:
            headings = tuple(world.t2s.convert(h) for h in headings)
        parsed = seeds.split_gateway_seed(body_text, headings)
        title, body = parsed.title, seeds.gateway_seed_html(parsed, images)
        body += _switch_link(world, url, gateway) + '<div class="archived">已归档</div>'
    elif seed_id == "001":
        title, body = truth.title, seeds.seed_lines_html(text, 0, pipe=True)
    else:
        title = truth.title
        body = seeds.seed_lines_html(text, 2, pipe=False)
    heading = (
        esc(title)
        if seed_id != "003"
        else esc(truth.agency) + "<br>" + esc(title[len(truth.agency) :])
    )
    article = (
        f'<h1 class="title">{heading}</h1>{chrome.date_line(published, truth.agency)}'
        f'<div class="TRS_Editor">{BODY_MARK}</div>{chrome.tools(_hits(url))}'
    )
    page = chrome.page(
        site,
        title,
        article,
        charset_meta=charset_meta(url, truth.host),
        trail=_report_trail(truth.host),
    )
    if gateway:
        page = world.s2t.convert(page)
    return page.replace(BODY_MARK, body)


_LINK = re.compile(r'(href|src)="([^"]+)"')


def absolutize_links(text: str, base_url: str) -> str:
    """Point every relative href/src at the original (Simplified) site, not the gateway."""
    from urllib.parse import urljoin

    def fix(match: re.Match[str]) -> str:
        value = match.group(2)
        if value.startswith(("http://", "https://", "javascript:", "#", "mailto:")):
            return match.group(0)
        return f'{match.group(1)}="{urljoin(base_url, value)}"'

    return _LINK.sub(fix, text)


def is_gateway(url: str) -> bool:
    """True for a /gate/big5/ URL."""
    return url.startswith(GATEWAY_PREFIX)

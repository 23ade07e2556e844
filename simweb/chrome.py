"""Portal chrome around every page: header, nav, breadcrumb, metadata block, widgets, footer."""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """A registry host's look: name, nav links, column path and footer owner."""

    host: str
    name: str
    nav: tuple[tuple[str, str], ...]  # (label, root-relative path)
    report_column: str
    owner: str
    icp: str
    charset: str = "utf-8"


# The CMS-family portals (simweb.families): one fictional city each.
FAMILY_SITES = {
    site.host: site
    for site in (
        Site(
            "www.fam-trs.gov.cn",
            "清源市人民政府门户网站",
            (
                ("首页", "/"),
                ("政府信息公开年报", "/zwgk/zfxxgknb/index.html"),
                ("部门年报", "/zwgk/bmnb/index.html"),
            ),
            "/zwgk/zfxxgknb/index.html",
            "清源市人民政府办公室",
            "豫ICP备12003417号",
        ),
        Site(
            "www.fam-hanweb.gov.cn",
            "云溪市人民政府",
            (("首页", "/"), ("政府信息公开年报", "/col/col41875/index.html")),
            "/col/col41875/index.html",
            "云溪市人民政府办公室",
            "苏ICP备11027763号",
        ),
        Site(
            "www.fam-gkmlpt.gov.cn",
            "南岭市人民政府门户网站",
            (("首页", "/"), ("政府信息公开", "/szf/gkmlpt/index")),
            "/gkmlpt/annualreport",
            "南岭市人民政府办公室",
            "粤ICP备05081920号",
        ),
        Site(
            "www.fam-iframe.gov.cn",
            "青湖市人民政府",
            (("首页", "/"), ("政府信息公开年报", "/xxgk/ndbg/index.html")),
            "/xxgk/ndbg/index.html",
            "青湖市人民政府办公室",
            "苏ICP备13040522号",
        ),
        Site(
            "www.fam-onclick.gov.cn",
            "澧阳市人民政府",
            (("首页", "/"), ("政府信息公开年报", "/zfxxgk/ndbg/index.html")),
            "/zfxxgk/ndbg/index.html",
            "澧阳市人民政府办公室",
            "湘ICP备09002316号",
        ),
        Site(
            "www.fam-trsapi.gov.cn",
            "东屿市人民政府",
            (("首页", "/"), ("政务公开", "/zwgk/"), ("政府信息公开年报", "/zwgk/zfxxgk/zfxxgknb/")),
            "/zwgk/zfxxgk/zfxxgknb/",
            "东屿市人民政府办公室",
            "闽ICP备10021937号",
        ),
    )
}
SITES = {
    **FAMILY_SITES,
    "www.beijing.gov.cn": Site(
        "www.beijing.gov.cn",
        "首都之窗 北京市人民政府门户网站",
        (
            ("首页", "/"),
            ("要闻动态", "/ywdt/yaowen/index.html"),
            ("通知公告", "/gongkai/tzgg/index.html"),
            ("政务公开", "/gongkai/index.html"),
            ("政府信息公开年报", "/gongkai/zfxxgknb/index.html"),
        ),
        "/gongkai/zfxxgknb/index.html",
        "北京市人民政府办公厅",
        "京ICP备05060933号",
    ),
    "sw.beijing.gov.cn": Site(
        "sw.beijing.gov.cn",
        "北京市商务局",
        (
            ("首页", "/"),
            ("新闻中心", "/xwzx/index.html"),
            ("政务公开", "/zwgk/zfxxgknb/index.html"),
        ),
        "/zwgk/zfxxgknb/index.html",
        "北京市商务局",
        "京ICP备05060942号",
    ),
    "csglw.beijing.gov.cn": Site(
        "csglw.beijing.gov.cn",
        "北京市城市管理委员会",
        (
            ("首页", "/"),
            ("新闻中心", "/xwzx/index.html"),
            ("政务公开", "/zwgk/zfxxgknb/index.html"),
        ),
        "/zwgk/zfxxgknb/index.html",
        "北京市城市管理委员会",
        "京ICP备10214420号",
    ),
    "www.bjdx.gov.cn": Site(
        "www.bjdx.gov.cn",
        "北京市大兴区人民政府",
        (
            ("首页", "/"),
            ("大兴要闻", "/xwzx/index.html"),
            ("政府信息公开年报", "/zwgk/zfxxgknb/index.html"),
        ),
        "/zwgk/zfxxgknb/index.html",
        "北京市大兴区人民政府办公室",
        "京ICP备05064212号",
        "gbk",
    ),
    "swj.chaoyang.gov.cn": Site(
        "swj.chaoyang.gov.cn",
        "辽宁朝阳商务之窗",
        (
            ("首页", "/"),
            ("商务动态", "/xwzx/index.html"),
            ("政府信息公开", "/zfxxgk/ndbg/index.html"),
        ),
        "/zfxxgk/ndbg/index.html",
        "朝阳市商务局",
        "辽ICP备05011735号",
    ),
    "www.bjmtg.gov.cn": Site(
        "www.bjmtg.gov.cn",
        "北京市门头沟区人民政府",
        (("首页", "/"), ("政府信息公开年报", "/xxgk/zfxxgknb/index.html")),
        "/xxgk/zfxxgknb/index.html",
        "北京市门头沟区人民政府办公室",
        "京ICP备05086257号",
    ),
    # the spam mirror: copies of reports under the original paths, its own banner and links
    "www.gqty188.com": Site(
        "www.gqty188.com",
        "资讯中心",
        (("首页", "/"), ("最新资讯", "/news/index.html")),
        "/news/index.html",
        "资讯中心",
        "ICP备案中",
    ),
}


@dataclass(frozen=True)
class Meta:
    """The metadata block of an article page (also what TRS puts in <meta> tags)."""

    index_no: str | None
    department: str
    title: str
    doc_no: str | None
    created: str
    published: str


def esc(text: str) -> str:
    """HTML-escape text for element content or attribute values."""
    return html.escape(text, quote=True)


def head(title: str, charset_meta: str | None, meta: Meta | None = None) -> str:
    """<head> with an optional charset declaration and TRS article meta tags."""
    parts = ["<!DOCTYPE html>\n<html>\n<head>"]
    if charset_meta == "meta-charset":
        parts.append('<meta charset="gb2312">')
    elif charset_meta == "http-equiv":
        parts.append('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    elif charset_meta == "utf-8":
        parts.append('<meta charset="utf-8">')
    parts.append(f"<title>{esc(title)}</title>")
    if meta is not None:
        parts.append(f'<meta name="ArticleTitle" content="{esc(meta.title)}">')
        parts.append(f'<meta name="PubDate" content="{meta.published} 10:00">')
        parts.append(f'<meta name="ContentSource" content="{esc(meta.department)}">')
    parts.append('<link rel="stylesheet" href="/images/common.css">')
    parts.append("</head>")
    return "\n".join(parts)


def header(site: Site) -> str:
    """Site banner and navigation bar."""
    nav = "".join(f'<li><a href="{p}">{esc(label)}</a></li>' for label, p in site.nav)
    return (
        f'<div class="header"><div class="logo"><a href="/">{esc(site.name)}</a></div>'
        '<div class="top-links"><a href="javascript:void(0)">无障碍</a> '
        '<a href="javascript:void(0)">长者模式</a></div>'
        f'<div class="search"><form action="/search/" method="get"><input name="q">'
        "<button>搜索</button></form></div></div>"
        f'<div class="nav"><ul>{nav}</ul></div>'
    )


def breadcrumb(trail: tuple[tuple[str, str], ...]) -> str:
    """'首页 > 政务公开 > …' trail of links."""
    links = " &gt; ".join(f'<a href="{p}">{esc(label)}</a>' for label, p in trail)
    return f'<div class="breadcrumb">当前位置：{links}</div>'


def meta_block(meta: Meta, as_table: bool) -> str:
    """The 索引号/发布机构/… block, as a <table> or a <ul>."""
    pairs = [
        ("索 引 号", meta.index_no or ""),
        ("公开责任部门" if as_table else "发布机构", meta.department),
        ("信息名称", meta.title),
        ("文　　号", meta.doc_no or ""),
        ("信息有效性", "有效"),
        ("生成日期", meta.created),
        ("发布日期", meta.published),
    ]
    if as_table:
        rows = "".join(f"<tr><th>{esc(k)}:</th><td>{esc(v)}</td></tr>" for k, v in pairs)
        return f'<table class="xxgk-meta">{rows}</table>'
    items = "".join(f"<li><span>{esc(k)}：</span>{esc(v)}</li>" for k, v in pairs)
    return f'<ul class="xxgk-meta">{items}</ul>'


def date_line(published: str, source: str) -> str:
    """Date/source line, share and font-size widgets above the article body."""
    return (
        f'<div class="article-info"><span>日期:{published} 10:00</span>&nbsp;&nbsp;&nbsp;&nbsp;'
        f"<span>来源:{esc(source)}</span></div>"
        '<div class="share">分享:<a href="javascript:void(0)" class="wx">微信</a>'
        '<a href="javascript:void(0)" class="wb">微博</a></div>'
        '<div class="fontsize">字号: <a href="javascript:doZoom(18)">大</a> '
        '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></div>'
    )


def tools(hits: int) -> str:
    """打印本页 / 关闭窗口 / 点击量 row under the article."""
    return (
        '<div class="article-tools"><a href="javascript:window.print()">打印本页</a> '
        '<a href="javascript:window.close()">关闭窗口</a> '
        f"<span>点击量：{hits}</span></div>"
    )


def footer(site: Site) -> str:
    """Footer with 主办, ICP number and the link to www.gov.cn."""
    return (
        '<div class="footer"><div class="links">'
        '<a href="http://www.gov.cn/" target="_blank">中国政府网</a></div>'
        f"<p>主办：{esc(site.owner)}　{esc(site.icp)}</p>"
        + (
            "<p>您访问的链接即将离开“首都之窗”门户网站 是否继续?</p>"
            if site.host.endswith("beijing.gov.cn")
            else ""
        )
        + "</div>"
    )


def page(
    site: Site,
    title: str,
    body: str,
    *,
    charset_meta: str | None = "utf-8",
    meta: Meta | None = None,
    trail: tuple[tuple[str, str], ...] = (),
    scripts: str = "",
) -> str:
    """A whole HTML document: head, header, breadcrumb, body, footer, trailing scripts."""
    crumbs = breadcrumb(trail) if trail else ""
    return (
        f"{head(title, charset_meta, meta)}\n<body>\n{header(site)}\n{crumbs}\n"
        f'<div class="main">{body}</div>\n{footer(site)}\n{scripts}</body>\n</html>\n'
    )

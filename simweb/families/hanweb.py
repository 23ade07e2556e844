"""Hanweb JCMS portal: page 1 in a <datastore> script block, later pages from dataproxy.jsp.

The proxy answers GET and POST alike and honours only ``page`` (not startrecord/endrecord);
a page out of range (or unparsable) answers page 1 again, as the real one does. The
``<nextgroup>`` of the last page still points one page further, so following it blindly
loops back to page 1.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from nianbao.simweb import pages
from nianbao.simweb.chrome import esc
from nianbao.simweb.families.common import Context, Item, frame, html, size_for, xml
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

COLUMN = 41875
WEBID, UNITID, WEBNAME = 3, 198765, "云溪市人民政府"
PROXY = "/module/web/jpage/dataproxy.jsp"
DOWNFILE = "/module/download/downfile.jsp"
TITLE = "政府信息公开年报"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Column:
    """The column's items newest first, ``size`` a page; an attachment on one report."""

    items: tuple[Item, ...]
    size: int
    attachment: tuple[str, str, str]  # (report URL, 32-hex file name, label)

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-len(self.items) // self.size))


def proxy_query(page: int) -> str:
    """The dataproxy query string for ``page``, as the page's <nextgroup> writes it."""
    return (
        f"page={page}&appid=1&webid={WEBID}&path=/&columnid={COLUMN}&unitid={UNITID}"
        f"&webname={quote(WEBNAME)}&permissiontype=0"
    )


def _url(host: str, date: str, ident: int) -> str:
    year, month, day = (int(x) for x in date.split("-"))
    return f"http://{host}/art/{year}/{month}/{day}/art_{COLUMN}_{ident}.html"


def build(ctx: Context) -> None:
    """One report column: the col page, proxy pages 2.., an attachment on the first report."""
    host = ctx.site.host
    items = ctx.items(lambda date, i: _url(host, date, i), lambda date, i: _url(host, date, i))
    report = next(i for i in items if i.is_report)
    name = hashlib.md5(report.url.encode()).hexdigest() + ".pdf"  # noqa: S324 - a file name
    column = Column(
        tuple(items), size_for(len(items)), (report.url, name, f"{report.title[:12]}（表格）.pdf")
    )
    ctx.world.family_data["hanweb"] = column
    ctx.page(report.url, ("report-attach",))
    ctx.page(f"http://{host}/attach/0/{name}", ("pdf",))
    first = f"http://{host}/col/col{COLUMN}/index.html"
    ctx.page(first, ("column",))
    ctx.listing(first)
    ctx.world.non_reports.add(first)
    for page in range(2, column.pages + 1):
        ctx.listing(f"http://{host}{PROXY}?{proxy_query(page)}")
    ctx.world.home_links[host].append((TITLE, f"/col/col{COLUMN}/index.html"))


def _datastore(column: Column, page: int) -> str:
    records = "".join(
        f'<record><![CDATA[\n<li><a href="/{item.url.split("/", 3)[3]}" '
        f'title="{esc(item.title)}" target="_blank">{esc(item.title)}</a>'
        f"<span>{item.date}</span></li>\n]]></record>\n"
        for item in column.items[(page - 1) * column.size : page * column.size]
    )
    return (
        f'<datastore>\n<nextgroup><![CDATA[<a href="{PROXY}?{proxy_query(page + 1)}">'
        f"</a>]]></nextgroup>\n<recordset>\n{records}</recordset>\n"
        f"<totalrecord>{len(column.items)}</totalrecord>\n"
        f"<totalpage>{column.pages}</totalpage>\n</datastore>"
    )


def route(world: World, host: str, path: str, params: dict[str, str]) -> Page | None:
    """The dataproxy and the attachment download; None for any other path."""
    column: Column = world.family_data["hanweb"]
    if path == PROXY:
        if params.get("columnid") != str(COLUMN):
            return xml(
                "<datastore><recordset></recordset><totalrecord>0</totalrecord>"
                "<totalpage>0</totalpage></datastore>"
            )
        raw = params.get("page", "1")
        page = int(raw) if raw.isdigit() else 1
        if not 1 <= page <= column.pages:
            page = 1  # the trap: out of range answers page 1 again
        return xml('<?xml version="1.0" encoding="UTF-8"?>\n' + _datastore(column, page))
    if path == DOWNFILE:
        if params.get("filename") != column.attachment[1]:
            return None
        return Page(
            302,
            [
                ("Location", f"http://{host}/attach/0/{column.attachment[1]}"),
                ("Content-Type", "text/html"),
            ],
            b"",
        )
    return None


def render(world: World, url: str, spec: tuple) -> Page:
    """The col page (records only inside the script block), the attached report, the PDF."""
    column: Column = world.family_data["hanweb"]
    kind = spec[2]
    if kind == "pdf":
        return Page(200, [("Content-Type", "application/pdf")], PDF)
    host = url.split("/", 3)[2]
    if kind == "report-attach":
        _, name, label = column.attachment
        link = (
            f'<div class="fj">附件：<a href="{DOWNFILE}?classid=0&amp;filename={name}">'
            f"{esc(label)}</a></div>"
        )
        text = pages.render(world, url, ("report",))
        tools = '<div class="article-tools">'
        return html(text.replace(tools, link + tools, 1))
    script = (
        '<script type="text/javascript">\n$(document).ready(function(){\n'
        f"  $('#div{COLUMN}').jpage({{dataStore: dataStore, perPage: {column.size}, "
        f"totalRecord: {len(column.items)}, proxyUrl: '{PROXY}', "
        f"webid: '{WEBID}', columnid: '{COLUMN}', unitid: '{UNITID}'}});\n}});\n</script>"
    )
    body = (
        f'<div class="bt-list"><div class="bt">{TITLE}</div><div id="div{COLUMN}">'
        f'<script type="text/xml">\n{_datastore(column, 1)}\n</script>{script}</div></div>'
    )
    return html(
        frame(
            host,
            TITLE,
            body,
            trail=(("首页", "/"), (TITLE, url.split(host, 1)[1])),
            scripts='<script src="/module/jslib/jquery/jpage/jpage.js"></script>\n',
        )
    )

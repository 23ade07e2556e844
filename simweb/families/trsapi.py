"""TRS "动静结合" portal (Fujian style): page 1 static, later pages from the list2.trsapi API.

The column page is drawn after a real one (平潭, ``../shared/real/pages/
pingtan_zfxxgknb_listing.html``): page 1's items sit in a static ``<div ms-visible=
"showStatic">`` block, an avalon ``ms-repeat="list"`` template waits for the script's list,
and an inline ``require(["list2.trsapi"], …)`` call hands ``listModel`` its ``quickMode:
"动静结合"``, ``maxStaticIndex``, ``listArgs`` (``channelid: SiteInfo.searchId``,
``classsql: "chnlid=N"``, ``sortfield``) and ``pagebar`` (``prepage``, ``recordCount`` as a
string, ``pgTemp``, ``pgCountMode``, ``displayNum``). No anchor leads to page 2: the script
fetches it.

The API, ``/fjdzapp/search``, is the one public crawlers of Fujian TRS portals call (the
pingtan archive's own crawler POSTs ``channelid=200210&page=N&prepage=500`` there; others add
``classsql=chnlid=N`` and ``sortfield``). What is known of its answer: JSON with ``data``, a list
of documents carrying ``doctitle``, ``chnldocurl`` / ``docpuburl`` and ``docreltime`` (the
fields the real page's avalon template reads), and ``pageCount``. The rest is this simulation's
design, not knowledge: ``page``, ``prepage`` and ``recordCount`` echoed back; GET and POST
answered alike (the form may sit in the query, in the body or both); a page past the end, or
an unknown ``chnlid``, answers an empty ``data`` list; a wrong ``channelid`` answers an error
object with no ``data``; a missing ``classsql`` answers the whole site (the archive crawler
enumerated the site that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from nianbao.simweb.chrome import esc
from nianbao.simweb.families.common import Context, Item, frame, html, json_page, size_for
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
API = "/fjdzapp/search"
SEARCH_ID = 300417  # SiteInfo.searchId: the site's document-search channel
CHNL_ID = 2417  # the column's channel id (classsql=chnlid=N, <meta name="ChnlId">)
SORT = "-docorderpri,-docreltime"
MAX_STATIC_INDEX = 1  # static pages in the HTML: page 1 only, as on the real page
MAX_PREPAGE = 500  # the largest page the API serves (the archive crawler asked for 500)
TITLE = "政府信息公开年报"


@dataclass(frozen=True)
class Column:
    """The column's items newest first, ``size`` (the pagebar's prepage) a page."""

    items: tuple[Item, ...]
    size: int

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-len(self.items) // self.size))


def api_query(page: int, prepage: int) -> str:
    """The API form for ``page``, in the order the script sends it: listArgs, then paging."""
    return urlencode(
        {
            "channelid": SEARCH_ID,
            "classsql": f"chnlid={CHNL_ID}",
            "sortfield": SORT,
            "page": page,
            "prepage": prepage,
        }
    )


def _url(host: str, date: str, ident: int) -> str:
    day = date.replace("-", "")
    return f"http://{host}{COLUMN}{day[:6]}/t{day}_{ident}.htm"


def build(ctx: Context) -> None:
    """One report column: the static page 1 and API pages 2.. (every one a listing)."""
    host = ctx.site.host
    items = ctx.items(lambda date, i: _url(host, date, i), lambda date, i: _url(host, date, i))
    column = Column(tuple(items), size_for(len(items)))
    ctx.world.family_data["trsapi"] = column
    first = f"http://{host}{COLUMN}"
    ctx.page(first, ("column",))
    ctx.listing(first)
    ctx.world.non_reports.add(first)
    for page in range(MAX_STATIC_INDEX + 1, column.pages + 1):
        ctx.listing(f"http://{host}{API}?{api_query(page, column.size)}")
    ctx.world.home_links[host].append((TITLE, COLUMN))


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw is not None and raw.isdigit() else default


def route(world: World, host: str, path: str, params: dict[str, str]) -> Page | None:
    """The search API (GET or POST, form in query or body); None for any other path."""
    if path != API:
        return None
    column: Column = world.family_data["trsapi"]
    if params.get("channelid") != str(SEARCH_ID):
        return json_page({"code": 500, "msg": "检索频道不存在"})
    classsql = params.get("classsql", "").replace(" ", "")
    chosen = column.items if classsql in ("", f"chnlid={CHNL_ID}") else ()
    prepage = min(max(1, _number(params.get("prepage"), 10)), MAX_PREPAGE)
    page = max(1, _number(params.get("page"), 1))
    batch = chosen[(page - 1) * prepage : page * prepage]
    return json_page(
        {
            "page": page,
            "prepage": prepage,
            "recordCount": len(chosen),
            "pageCount": -(-len(chosen) // prepage),
            "data": [_document(item) for item in batch],
        }
    )


def _document(item: Item) -> dict[str, object]:
    return {
        "docid": item.ident,
        "chnlid": CHNL_ID,
        "doctitle": item.title,
        "chnldocurl": item.url,
        "docpuburl": item.url,
        "docreltime": f"{item.date} 09:30:00",
        "pubdate": f"{item.date} 09:30:00",
    }


def _static_rows(column: Column) -> str:
    rows = []
    for item in column.items[: column.size * MAX_STATIC_INDEX]:
        href = "./" + item.url.split(COLUMN, 1)[1]
        rows.append(
            '\n<dl>\n<dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
            f'<a href="{esc(href)}" target="_blank" title="{esc(item.title)}">'
            f"{esc(item.title)}</a>\n</dd>\n"
            f'<dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
            f"{item.date}\n</dd>\n</dl>\n"
        )
    return "".join(rows)


def _scripts(column: Column) -> str:
    """SiteInfo (searchId) and the list2.trsapi call, laid out as the real page has them."""
    return (
        "<script>\nvar SiteInfo = {\n"
        "    itpSiteId: 17,    //互动站点ID\n"
        f"    searchId: {SEARCH_ID}, //默认的文档检索频道的ID\n"
        '    defaultPgTemp: "pgBar_xxgk.html",  //本站点默认的分页模板名\n'
        '    siteMsgType: "govSite"\n};\n</script>\n'
        '<script src="/images/model.min.js"></script>\n'
        '<script>\n    require(["list2.trsapi", "tools"], function(listModel, tools) {\n'
        "        listModel({\n"
        '            quickMode: "动静结合",\n'
        f"            maxStaticIndex: {MAX_STATIC_INDEX},\n"
        "            listArgs: {\n"
        "                channelid: SiteInfo.searchId,\n"
        f'                classsql: "" || "chnlid={CHNL_ID}",\n'
        f'                sortfield: "{SORT}"\n'
        "            },\n"
        "            pagebar: {\n"
        f"                prepage: {column.size},\n"
        f"                recordCount: '{len(column.items)}',\n"
        '                pgTemp: "pgBar_xxgk.html",\n'
        '                pgCountMode: "recordCount",\n'
        "                displayNum: 2\n"
        "            }\n        });\n    });\n</script>\n"
    )


def render(world: World, url: str, spec: tuple) -> Page:
    """The column page: static page 1, the hidden avalon template, the pagebar, the script."""
    column: Column = world.family_data["trsapi"]
    host = url.split("/", 3)[2]
    body = (
        '<div class="tabs info_tabs" ms-controller="list">'
        f'<div class="tabs_header"><ul><li class="on"><a class="cur_def" href="javascript:;">'
        f"{TITLE}</a></li></ul></div>\n"
        '<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">'
        f"{_static_rows(column)}</div>\n"
        '<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" '
        'style="display: none">\n<div ms-if="list.length==0">'
        '<div ms-if="!error" class="loading"></div>'
        '<div ms-if="error" ms-text="error|html"></div></div>\n'
        '<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10">\n'
        '<dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
        '<a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" '
        'ms-text="el.doctitle|html" target="_blank"></a>\n</dd>\n'
        '<dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left" '
        "ms-text=\"el.docreltime|date('yyyy-MM-dd')\">\n</dd>\n</dl>\n</div>\n"
        '<div class="page_base mar_t_base" ms-controller="list_pagebar" '
        'ms-include-src="pgTemp" ms-if="pageCount>0"></div>\n</div>'
    )
    return html(
        frame(
            host,
            TITLE,
            body,
            trail=(("首页", "/"), ("政务公开", "/zwgk/"), (TITLE, COLUMN)),
            scripts=_scripts(column),
        )
    )

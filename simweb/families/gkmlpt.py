"""Guangdong gkmlpt portal: Vue shells with window._CONFIG, a JSON API, server-rendered posts.

Shells: ``/szf/gkmlpt/index`` (the whole tree) and ``/gkmlpt/annualreport`` (annual reports
only) carry no article links. API: ``/gkmlpt/api/all/<catid>?page=N&sid=SID`` at the host root,
PAGE_SIZE articles a page (fewer in small worlds); page 0 and 1 give the same batch, a page
past the end gives an empty ``articles`` list, an unknown sid or category a 404.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nianbao.simweb.families.common import Context, Item, html, json_page, size_for
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

PAGE_SIZE = 10  # articles per API page in big worlds; small worlds use fewer to page at all
SID = "4413"
API = "/gkmlpt/api/all/"
SHELLS = {"/szf/gkmlpt/index": "index", "/gkmlpt/annualreport": "annualreport"}
REPORT_CAT, NOTICE_CAT = 2831, 2832
CATEGORY_NAMES = {REPORT_CAT: "政府信息公开年度报告", NOTICE_CAT: "通知公告"}


@dataclass(frozen=True)
class Category:
    """One category of the tree with its articles, newest first."""

    catid: int
    name: str
    items: tuple[Item, ...]
    size: int

    @property
    def pages(self) -> int:
        """Number of API pages (at least one)."""
        return max(1, -(-len(self.items) // self.size))


def _url(host: str, ident: int) -> str:
    return f"http://{host}/gkmlpt/content/{ident // 1_000_000}/{ident // 1000}/post_{ident}.html"


def api_url(host: str, catid: int, page: int) -> str:
    """The API URL of one page of a category, parameters in the order the SPA sends them."""
    return f"http://{host}{API}{catid}?page={page}&sid={SID}"


def build(ctx: Context) -> None:
    """Reports and 解读 in the annual-report category, other fillers under 通知公告."""
    host = ctx.site.host
    ctx.next_id = 3_400_000 + ctx.rng.randrange(100_000)
    items = ctx.items(lambda date, i: _url(host, i), lambda date, i: _url(host, i))
    in_reports = [i for i in items if i.is_report or i.title.endswith("解读")]
    others = [i for i in items if i not in in_reports]
    size = min(PAGE_SIZE, size_for(len(items)) // 2)
    cats = {
        REPORT_CAT: Category(REPORT_CAT, CATEGORY_NAMES[REPORT_CAT], tuple(in_reports), size),
        NOTICE_CAT: Category(NOTICE_CAT, CATEGORY_NAMES[NOTICE_CAT], tuple(others), size),
    }
    ctx.world.family_data["gkmlpt"] = cats
    for path, route in SHELLS.items():
        ctx.page(f"http://{host}{path}", ("shell", route))
        ctx.listing(f"http://{host}{path}")
        ctx.world.non_reports.add(f"http://{host}{path}")
    ctx.world.home_links[host] += [
        ("政府信息公开目录", "/szf/gkmlpt/index"),
        ("政府信息公开年报", "/gkmlpt/annualreport"),
    ]
    for cat in cats.values():
        for page in range(1, cat.pages + 1):
            ctx.listing(api_url(host, cat.catid, page))


def _article(world: World, item: Item) -> dict[str, object]:
    truth = world.by_url.get(item.url)
    stamp = int(datetime.datetime.fromisoformat(item.date + "T10:00:00+08:00").timestamp())
    return {
        "id": item.ident,
        "title": item.title,
        "url": item.url,
        "post_url": item.url,
        "date": stamp,
        "display_publish_time": stamp,
        "created_at": f"{item.date} 10:00:00",
        "identifier": truth.index_no or "" if truth else "",
        "document_number": truth.doc_no or "" if truth else "",
        "publisher": truth.agency if truth else "",
        "attachment": [],
        "abstract": "",
    }


def route(world: World, host: str, path: str, params: dict[str, str]) -> Page | None:
    """The JSON API; None for any other path."""
    if not path.startswith(API):
        return None
    cats: dict[int, Category] = world.family_data["gkmlpt"]
    catid = path[len(API) :]
    cat = cats.get(int(catid)) if catid.isdigit() else None
    if cat is None or params.get("sid") != SID:
        return json_page({"error": "not found"}, status=404)
    raw = params.get("page", "1")
    page = max(1, int(raw)) if raw.isdigit() else 1  # page 0 is page 1
    batch = cat.items[(page - 1) * cat.size : page * cat.size]
    return json_page(
        {
            "classify": {"id": cat.catid, "name": cat.name, "post_count": len(cat.items)},
            "articles": [_article(world, item) for item in batch],
        }
    )


def render(world: World, url: str, spec: tuple) -> Page:
    """A Vue shell: window._CONFIG with SID and TREE, no article or API links."""
    route_name = spec[3]
    cats: dict[int, Category] = world.family_data["gkmlpt"]
    shown = [REPORT_CAT] if route_name == "annualreport" else [REPORT_CAT, NOTICE_CAT]
    tree = [
        {"id": c, "name": cats[c].name, "parent": 0, "jump": "", "count": len(cats[c].items)}
        for c in shown
    ]
    config = (
        f'window._CONFIG = {{SID: "{SID}", ROUTE: "{route_name}", '
        f"TREE: {json.dumps(tree, ensure_ascii=False)}}};"
    )
    text = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        "<title>南岭市人民政府信息公开目录</title>\n"
        '<link rel="stylesheet" href="/gkmlpt/static/css/app.css">\n</head>\n<body>\n'
        '<noscript>请开启浏览器的JavaScript功能</noscript>\n<div id="app"></div>\n'
        f"<script>{config}</script>\n"
        '<script src="/gkmlpt/static/js/chunk-vendors.js"></script>\n'
        '<script src="/gkmlpt/static/js/app.js"></script>\n</body>\n</html>\n'
    )
    return html(text)

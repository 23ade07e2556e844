"""TRS WCM portal: static columns paged only by createPageHTML, one with the _2 offset trap."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from nianbao.simweb.chrome import esc
from nianbao.simweb.families.common import (
    Context,
    StaticColumn,
    frame,
    html,
    size_for,
    t_date_url,
)
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

REPORTS = "/zwgk/zfxxgknb/"  # index_1.html is page 2
OFFSET = "/zwgk/bmnb/"  # numbered pages start at index_2.html for page 2; index_1.html is 404
TITLES = {REPORTS: "政府信息公开年报", OFFSET: "部门政府信息公开年报"}


def build(ctx: Context) -> None:
    """Reports and fillers alternate between two columns; register every page."""
    host = ctx.site.host

    turn = itertools.cycle((REPORTS, OFFSET))  # alternate, so both columns get pages
    items = ctx.items(
        lambda date, i: t_date_url(host, next(turn), date, i),
        lambda date, i: t_date_url(host, next(turn), date, i),
    )
    size = max(2, size_for(len(items)) // 2)  # two columns share the items
    columns = {}
    for base, offset in ((REPORTS, 0), (OFFSET, 1)):
        mine = tuple(i for i in items if f"{host}{base}" in i.url)
        column = StaticColumn(base, mine, size, offset)
        columns[base] = column
        for index in range(column.pages):
            url = f"http://{host}{column.path(index)}"
            ctx.page(url, ("listing", base, index))
            ctx.listing(url)
            ctx.world.non_reports.add(url)
        ctx.world.home_links[host].append((TITLES[base], f"{base}index.html"))
    ctx.world.family_data["trs"] = columns


def render(world: World, url: str, spec: tuple) -> Page:
    """A column page: page-1 hrefs are relative, later pages only via createPageHTML."""
    _, _, kind, base, index = spec
    column: StaticColumn = world.family_data["trs"][base]
    rows = []
    for item in column.items[index * column.size : (index + 1) * column.size]:
        href = "./" + item.url.split(base, 1)[1]
        rows.append(
            f'<li><span class="date">{item.date}</span>'
            f'<a href="{esc(href)}" target="_blank" title="{esc(item.title)}">'
            f"{esc(item.title)}</a></li>"
        )
    pager = (
        '<div class="fy"><script language="JavaScript">\n'
        f"var countPage = {column.pages}\nvar currentPage = {index}\n"
        f'createPageHTML({column.pages}, {index}, "index", "html");\n</script></div>'
    )
    body = (
        f'<div class="lmy"><div class="lmy_title">{esc(TITLES[base])}</div>'
        f'<ul class="lmy_list">{"".join(rows)}</ul>{pager}</div>'
    )
    host = url.split("/", 3)[2]
    trail = (
        ("首页", "/"),
        ("政务公开", "/zwgk/zfxxgknb/index.html"),
        (TITLES[base], f"{base}index.html"),
    )
    return html(
        frame(
            host,
            TITLES[base],
            body,
            trail=trail,
            scripts='<script src="/common/js/createPageHTML.js"></script>\n',
        )
    )

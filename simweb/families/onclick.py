"""onclick portal: list items and pager links work only through script calls."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from nianbao.simweb.chrome import esc
from nianbao.simweb.families.common import (
    Context,
    Item,
    StaticColumn,
    frame,
    html,
    size_for,
    t_date_url,
)
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

JUMP = "/zfxxgk/ndbg/"  # <li onclick="jumpToDetail('./YYYYMM/t…html')">
OPEN = "/zfxxgk/bmndbg/"  # <a href="javascript:void(0)" onclick="window.open('/…')">
TITLES = {JUMP: "政府信息公开年报", OPEN: "部门政府信息公开年报"}
HELPER = "<script>\nfunction jumpToDetail(url) {\n  window.location.href = url;\n}\n</script>\n"


def build(ctx: Context) -> None:
    """Items alternate between the two columns; every page registered."""
    host = ctx.site.host

    turn = itertools.cycle((JUMP, OPEN))  # alternate, so both columns get pages
    items = ctx.items(
        lambda date, i: t_date_url(host, next(turn), date, i),
        lambda date, i: t_date_url(host, next(turn), date, i),
    )
    size = max(2, size_for(len(items)) // 2)  # two columns share the items
    columns = {}
    for base in (JUMP, OPEN):
        mine = tuple(i for i in items if f"{host}{base}" in i.url)
        column = columns[base] = StaticColumn(base, mine, size)
        for index in range(column.pages):
            url = f"http://{host}{column.path(index)}"
            ctx.page(url, ("listing", base, index))
            ctx.listing(url)
            ctx.world.non_reports.add(url)
        ctx.world.home_links[host].append((TITLES[base], f"{base}index.html"))
    ctx.world.family_data["onclick"] = columns


def _entry(base: str, item: Item) -> str:
    if base == JUMP:
        target = "./" + item.url.split(base, 1)[1]
        return (
            f'<li onclick="jumpToDetail(\'{esc(target)}\')" title="{esc(item.title)}">'
            f"{esc(item.title)}<span>{item.date}</span></li>"
        )
    target = base + item.url.split(base, 1)[1]
    return (
        f'<li><a href="javascript:void(0)" onclick="window.open(\'{esc(target)}\')">'
        f"{esc(item.title)}</a><span>{item.date}</span></li>"
    )


def _go(target: str, label: str) -> str:
    """A pager link that only a script follows (location.href)."""
    return f'<a href="javascript:;" onclick="location.href=\'{target}\'">{label}</a>'


def render(world: World, url: str, spec: tuple) -> Page:
    """A column page: script-only item links and 上一页/下一页 (location.href)."""
    _, _, _, base, index = spec
    column: StaticColumn = world.family_data["onclick"][base]
    entries = "".join(
        _entry(base, item) for item in column.items[index * column.size : (index + 1) * column.size]
    )
    links = [_go("index.html", "首页")]
    if index > 0:
        links.append(_go(column.path(index - 1).rsplit("/", 1)[1], "上一页"))
    if index + 1 < column.pages:
        links.append(_go(column.path(index + 1).rsplit("/", 1)[1], "下一页"))
    body = (
        f'<div class="list-box"><h2>{esc(TITLES[base])}</h2><ul class="list">{entries}</ul>'
        f'<div class="pages">{" ".join(links)}</div></div>'
    )
    host = url.split("/", 3)[2]
    return html(frame(host, TITLES[base], body, trail=(("首页", "/"),), scripts=HELPER))

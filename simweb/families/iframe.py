"""iframe shell portal: the column page only frames a same-host list that pages with links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nianbao.simweb.chrome import esc
from nianbao.simweb.families.common import Context, Item, frame, html, size_for
from nianbao.simweb.truth import Page

if TYPE_CHECKING:
    from nianbao.simweb.world import World

SHELL = "/xxgk/ndbg/index.html"
FRAME = "/col/list_frame"
TITLE = "政府信息公开年报"


@dataclass(frozen=True)
class Frame:
    """The framed list: items newest first, ``size`` a page."""

    items: tuple[Item, ...]
    size: int

    @property
    def pages(self) -> int:
        """Number of frame pages (at least one)."""
        return max(1, -(-len(self.items) // self.size))


def frame_path(index: int) -> str:
    """Path of 0-based frame page ``index``: list_frame.html, list_frame_2.html, …"""
    return f"{FRAME}.html" if index == 0 else f"{FRAME}_{index + 1}.html"


def _url(host: str, date: str, ident: int) -> str:
    return f"http://{host}/xxgk/ndbg/{date.replace('-', '')}/{ident}.html"


def build(ctx: Context) -> None:
    """The shell, the frame pages and their items."""
    host = ctx.site.host
    items = ctx.items(lambda date, i: _url(host, date, i), lambda date, i: _url(host, date, i))
    listed = Frame(tuple(items), size_for(len(items)))
    ctx.world.family_data["iframe"] = listed
    for url, spec in [(f"http://{host}{SHELL}", ("shell",))] + [
        (f"http://{host}{frame_path(i)}", ("frame", i)) for i in range(listed.pages)
    ]:
        ctx.page(url, spec)
        ctx.listing(url)
        ctx.world.non_reports.add(url)
    ctx.world.home_links[host].append((TITLE, SHELL))


def render(world: World, url: str, spec: tuple) -> Page:
    """The shell (an <iframe> and chrome only) or one bare frame page with 上一页/下一页."""
    listed: Frame = world.family_data["iframe"]
    host = url.split("/", 3)[2]
    if spec[2] == "shell":
        body = (
            f'<div class="column"><div class="column-name">{TITLE}</div>'
            f'<iframe id="listFrame" src="{FRAME}.html" width="100%" height="900" '
            'frameborder="0" scrolling="no"></iframe></div>'
        )
        return html(frame(host, TITLE, body, trail=(("首页", "/"), (TITLE, SHELL))))
    index = spec[3]
    rows = "".join(
        f'<tr><td><a href="{esc(item.url.split(host, 1)[1])}" target="_blank">'
        f"{esc(item.title)}</a></td><td>{item.date}</td></tr>"
        for item in listed.items[index * listed.size : (index + 1) * listed.size]
    )
    links = ['<a href="list_frame.html">首页</a>']
    if index > 0:
        links.append(f'<a href="{frame_path(index - 1).rsplit("/", 1)[1]}">上一页</a>')
    if index + 1 < listed.pages:
        links.append(f'<a href="{frame_path(index + 1).rsplit("/", 1)[1]}">下一页</a>')
    text = (
        '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>列表</title>'
        '<link rel="stylesheet" href="/css/frame.css"></head>\n<body>\n'
        f'<table class="list">{rows}</table>\n'
        f'<div class="pager">{" ".join(links)} 第{index + 1}页/共{listed.pages}页</div>\n'
        "</body>\n</html>\n"
    )
    return html(text)

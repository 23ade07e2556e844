"""Ways off a portal that plain link filtering misses: redirects, refreshes, disguised links.

A crawl must refuse every one of them (crawler/middlewares/scope.py, crawler/spiders/portals.py).
``world.offsite_traps`` maps each trap page (on the portal's own host, so a crawl fetches it)
to the URL it leads to as Scrapy would request it; none of those may reach the simulated
server, and each must be a recorded error. One redirect to the portal's other host is a chain
a crawl must still follow (``world.redirect_chains``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nianbao.simweb.agencies import DAXING, SW, WWW

if TYPE_CHECKING:
    from nianbao.simweb.world import World

# A host no portal names (.test is reserved, RFC 2606) and an address nothing listens on.
EVIL_HOST = "www.evil-trap.test"
LOOPBACK_TARGET = "http://127.0.0.1:9/trap/loopback.html"
BASE = f"http://{WWW}/trap"


def add_offsite_traps(world: World) -> None:
    """Off-portal redirects, a meta refresh and a disguised link, all linked from the city's
    home page, and one redirect chain to the city portal's other host that must be followed."""
    _add_redirects(world)
    _add_refresh(world)
    _add_disguised_link(world)
    _add_on_portal_chain(world)
    for url in world.offsite_traps:
        world.home_links[WWW].append(("专题链接", url))


def _add_redirects(world: World) -> None:
    # Python's urlsplit reads the disguised Location's host as the portal's; Scrapy (w3lib)
    # turns the backslash into "/" and asks evil-trap.test.
    disguised = f"http://{EVIL_HOST}\\@{WWW}/trap/disguised.html"
    redirects = {
        f"{BASE}/absolute.html": (f"http://{EVIL_HOST}/trap/absolute.html", None),
        f"{BASE}/protocol-relative.html": (
            f"//{EVIL_HOST}/trap/protocol-relative.html",
            f"http://{EVIL_HOST}/trap/protocol-relative.html",
        ),
        f"{BASE}/other-portal.html": (f"http://{DAXING}/trap/from-beijing.html", None),
        f"{BASE}/loopback.html": (LOOPBACK_TARGET, None),
        f"{BASE}/disguised-redirect.html": (
            disguised,
            f"http://{EVIL_HOST}/@{WWW}/trap/disguised.html",
        ),
    }
    for url, (location, requested) in redirects.items():
        world.pages[url] = ("redirect", 302, location)
        world.offsite_traps[url] = requested or location


def _add_refresh(world: World) -> None:
    refresh = f"{BASE}/refresh.html"
    target = f"http://{EVIL_HOST}/trap/refresh.html"
    head = f'<meta http-equiv="refresh" content="0;url={target}">'
    world.pages[refresh] = ("raw", _page("页面已迁移", head, "<p>页面已迁移</p>"))
    world.offsite_traps[refresh] = target
    world.non_reports.add(refresh)


def _add_disguised_link(world: World) -> None:
    # The same disguise in an <a href>: the spider must check the URL of the Request it builds.
    href = f"http://{EVIL_HOST}\\@{WWW}/trap/backslash.html"
    links = f"{BASE}/links.html"
    world.pages[links] = ("raw", _page("相关链接", "", f'<p><a href="{href}">相关链接</a></p>'))
    world.offsite_traps[links] = f"http://{EVIL_HOST}/@{WWW}/trap/backslash.html"
    world.non_reports.add(links)


def _add_on_portal_chain(world: World) -> None:
    # www -> www -> sw: another host, but the same portal's, so exact matching must allow it.
    start, hop = f"{BASE}/to-sw.html", f"{BASE}/to-sw-hop.html"
    final = f"http://{SW}/trap/moved-here.html"
    world.pages[start] = ("redirect", 301, hop)
    world.pages[hop] = ("redirect", 302, final)
    world.pages[final] = ("raw", _page("栏目已迁移", "", "<p>本栏目已迁移至此</p>"))
    world.non_reports.add(final)
    world.redirect_chains.append((start, hop, final))
    world.home_links[WWW].append(("栏目迁移", start))


def _page(title: str, head: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}<title>{title}</title>'
        f"</head><body>{body}</body></html>"
    )

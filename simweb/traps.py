"""Ways off a portal that are not plain links: redirects and refreshes to other hosts.

A crawl must refuse every one of them (crawler/middlewares/scope.py): each target is
recorded in ``world.offsite_traps`` (trap URL -> the URL it leads to), and none of the
targets may ever reach the simulated server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simweb.agencies import DAXING, WWW

if TYPE_CHECKING:
    from simweb.world import World

# A host no portal names (.test is reserved, RFC 2606) and an address nothing listens on.
EVIL_HOST = "www.evil-trap.test"
LOOPBACK_TARGET = "http://127.0.0.1:9/trap/loopback.html"


def add_offsite_traps(world: World) -> None:
    """Redirects (absolute, protocol-relative, to another portal's host, to 127.0.0.1), a
    meta refresh to another host and a backslash link, all linked from the city's home page."""
    base = f"http://{WWW}/trap"
    redirects = {
        f"{base}/absolute.html": f"http://{EVIL_HOST}/trap/absolute.html",
        f"{base}/protocol-relative.html": f"//{EVIL_HOST}/trap/protocol-relative.html",
        f"{base}/other-portal.html": f"http://{DAXING}/trap/from-beijing.html",
        f"{base}/loopback.html": LOOPBACK_TARGET,
    }
    for url, location in redirects.items():
        world.pages[url] = ("redirect", 302, location)
        world.offsite_traps[url] = ("http:" + location if location.startswith("//")
                                    else location)
    refresh = f"{base}/refresh.html"
    refresh_target = f"http://{EVIL_HOST}/trap/refresh.html"
    world.pages[refresh] = ("raw", (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"refresh\" content=\"0;url={refresh_target}\">"
        "<title>页面已迁移</title></head><body><p>页面已迁移</p></body></html>"))
    world.offsite_traps[refresh] = refresh_target
    world.non_reports.add(refresh)
    # Python's urlsplit reads this host as the portal's; Scrapy (w3lib) requests evil.test.
    backslash = f"http://{EVIL_HOST}\\@{WWW}/trap/backslash.html"
    links = f"{base}/links.html"
    world.pages[links] = ("raw", (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>相关链接</title></head>"
        f"<body><p><a href=\"{backslash}\">相关链接</a></p></body></html>"))
    world.offsite_traps[backslash] = f"http://{EVIL_HOST}/@{WWW}/trap/backslash.html"
    world.non_reports.add(links)
    for url in (*redirects, refresh, links):
        world.home_links[WWW].append(("专题链接", url))

"""CMS-family portals (TRS, Hanweb, gkmlpt, iframe shells, onclick links, TRS list2.trsapi)
and blocked pages.

Each family portal lives on its own host, lists generated annual reports among filler
articles, and makes them reachable only through that family's mechanism. Sizes: each portal
gets ``max(MIN_REPORTS, round(reports * FAMILY_SHARE))`` reports and enough filler articles
that it holds about ``family_pages`` articles (at least MIN_FILLERS fillers).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from nianbao.simweb.families import gkmlpt, hanweb, iframe, onclick, trs, trsapi
from nianbao.simweb.families.common import (
    FAMILY_SHARE,
    MIN_FILLERS,
    MIN_REPORTS,
    PORTALS,
    AddReport,
    Context,
    MakeReport,
    article_page,
    home_page,
)
from nianbao.simweb.truth import Page, PortalSpec

if TYPE_CHECKING:
    from nianbao.simweb.world import World

BUILDERS: dict[str, Callable[[Context], None]] = {
    "trs": trs.build,
    "hanweb": hanweb.build,
    "gkmlpt": gkmlpt.build,
    "iframe": iframe.build,
    "onclick": onclick.build,
    "trsapi": trsapi.build,
}
RENDERERS: dict[str, Callable[[World, str, tuple], Page]] = {
    "trs": trs.render,
    "hanweb": hanweb.render,
    "gkmlpt": gkmlpt.render,
    "iframe": iframe.render,
    "onclick": onclick.render,
    "trsapi": trsapi.render,
}
ROUTES = {"hanweb": hanweb.route, "gkmlpt": gkmlpt.route, "trsapi": trsapi.route}


def add_families(
    world: World, reports: int, family_pages: int, make_report: MakeReport, add_report: AddReport
) -> None:
    """Build every family portal into ``world`` (its own random stream per family)."""
    count = max(MIN_REPORTS, round(reports * FAMILY_SHARE))
    for site in PORTALS:
        rng = random.Random(f"{world.seed}:family:{site.family}")
        home = f"http://{site.host}/"
        world.family_hosts[site.host] = site.family
        world.home_links[site.host] = []
        world.pages[home] = ("fam", "home")
        world.non_reports.add(home)
        ctx = Context(
            world,
            rng,
            site,
            count,
            max(MIN_FILLERS, family_pages - count),
            make_report,
            add_report,
            next_id=1_000 + rng.randrange(50_000),
        )
        BUILDERS[site.family](ctx)
        world.portals.append(
            PortalSpec(site.portal, (home,), (site.host,), site.title, site.family)
        )


def route(world: World, host: str, path: str, params: dict[str, str]) -> Page | None:
    """A family host's dynamic answer (proxy, API, download) for ``path``; None if static."""
    handler = ROUTES.get(world.family_hosts[host])
    return handler(world, host, path, params) if handler is not None else None


def render(world: World, url: str, spec: tuple) -> Page:
    """A family page spec ("fam", family | "article" | "home", …) as an HTTP answer."""
    if spec[1] == "article":
        return article_page(world, url, *spec[2:])
    if spec[1] == "home":
        return home_page(world, url.split("/", 3)[2])
    return RENDERERS[spec[1]](world, url, spec)

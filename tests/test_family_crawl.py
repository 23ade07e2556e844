"""Crawl each CMS family's simulated portal: every report found, no listing fetched twice,
and without the family pagers the same crawl finds fewer reports."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from nianbao.crawler.registry import parse_registry
from nianbao.crawler.run import CrawlConfig, crawl
from nianbao.simweb import SimServer, World, build_world
from tests.conftest import crawl_world

pytestmark = pytest.mark.crawl  # every test reads the family portals' crawls

FAMILY_PORTALS = (
    "fam-trs",
    "fam-hanweb",
    "fam-gkmlpt",
    "fam-iframe",
    "fam-onclick",
    "fam-trsapi",
)


@dataclass(frozen=True)
class FamilyCrawl:
    """One crawl of the family portals: what the server was asked and the reports stored."""

    requests: tuple[tuple[str, str], ...]
    reports: frozenset[str]


def family_registry(world: World) -> str:
    """Registry TOML with only the family portals."""
    entries = []
    for portal in world.portals:
        if portal.name in FAMILY_PORTALS:
            starts = ", ".join(f'"{u}"' for u in portal.start_urls)
            hosts = ", ".join(f'"{h}"' for h in portal.allowed_hosts)
            entries.append(
                f'[[portal]]\nname = "{portal.name}"\nstart_urls = [{starts}]\n'
                f"allowed_hosts = [{hosts}]\n"
            )
    return "\n".join(entries)


def stored_reports(db: Path) -> frozenset[str]:
    conn = sqlite3.connect(db)
    try:
        return frozenset(url for (url,) in conn.execute("select url from reports"))
    finally:
        conn.close()


def _crawl_without_pagers(out: Path, registry: str, proxy: str) -> None:
    # Child process entry point: Twisted's reactor runs once per process.
    portals = tuple(parse_registry(registry))
    crawl(
        CrawlConfig(
            out=out,
            portals=portals,
            proxy=proxy,
            prefix="off",
            loopback=True,
            settings={"NIANBAO_PAGERS": []},
        )
    )


@pytest.fixture(scope="module")
def family_world() -> World:
    world = build_world(seed=11, reports=60)
    names = {p.name for p in world.portals}
    assert set(FAMILY_PORTALS) <= names, f"simweb lacks family portals: {sorted(names)}"
    return world


@pytest.fixture(scope="module")
def pagers_on(family_world: World, tmp_path_factory: pytest.TempPathFactory) -> FamilyCrawl:
    out = tmp_path_factory.mktemp("families-on")
    done = crawl_world(family_world, out, registry_toml=family_registry(family_world), prefix="on")
    return FamilyCrawl(done.requests, stored_reports(out / "nianbao.db"))


@pytest.fixture(scope="module")
def pagers_off(family_world: World, tmp_path_factory: pytest.TempPathFactory) -> FamilyCrawl:
    out = tmp_path_factory.mktemp("families-off")
    context = multiprocessing.get_context("spawn")
    with SimServer(family_world) as server:
        child = context.Process(
            target=_crawl_without_pagers,
            args=(out, family_registry(family_world), server.proxy_url),
        )
        child.start()
        child.join(600)
        requests = tuple(server.requests)
    assert child.exitcode == 0
    return FamilyCrawl(requests, stored_reports(out / "nianbao.db"))


def truth_of(world: World, portal: str) -> set[str]:
    return {r.url for r in world.reports if r.portal == portal}


@pytest.mark.parametrize("portal", FAMILY_PORTALS)
def test_every_report_of_the_family_portal_is_found(
    family_world: World, pagers_on: FamilyCrawl, portal: str
) -> None:
    truth = truth_of(family_world, portal)
    assert len(truth) >= 5
    assert sorted(truth - pagers_on.reports) == []


@pytest.mark.parametrize("portal", FAMILY_PORTALS)
def test_every_listing_page_is_fetched_exactly_once(
    family_world: World, pagers_on: FamilyCrawl, portal: str
) -> None:
    listings = family_world.listing_urls[portal]
    assert len(listings) >= 2, "each family portal should page its listing"
    counts = Counter(url for _, url in pagers_on.requests)
    assert {url: counts[url] for url in listings if counts[url] != 1} == {}


@pytest.mark.parametrize("portal", FAMILY_PORTALS)
def test_without_pagers_the_family_portal_loses_reports(
    family_world: World, pagers_on: FamilyCrawl, pagers_off: FamilyCrawl, portal: str
) -> None:
    truth = truth_of(family_world, portal)
    lost = (truth & pagers_on.reports) - pagers_off.reports
    assert lost, f"{portal}: switching the pagers off should cost reports"

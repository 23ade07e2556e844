"""The simulated web changing between crawl runs: seeded edits, removals and new reports.

Run 0 is the world build_world makes. Run N applies N change steps in order, step k with
its own random stream from (seed, k), so run N is run N-1 plus step N. A step works on
the plain generated reports (``changeable``: no seed page, CMS-family report, gateway
twin, copy, mirror original, bait or redirect target, so no other page or relation has
to follow):

- about ``EDIT_SHARE`` are edited: a table-4 cell and its row total (the identity still
  holds; the text never quotes table 4), else a prose key figure where it is printed once
  in plain digits, else a correction line without digits;
- about ``REMOVE_SHARE`` are removed, alternately answering 404 and 410, and dropped from
  their listings;
- ``ADD_MIN`` or more new reports of year (base world's newest year + k) join the listings
  a crawl from the start URLs walks (a new year column on the city portal).

The truth (``world.reports``, ``world.by_url``) is always the current state; what step N
changed is ``world.changes`` and all steps are ``world.change_log``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from nianbao.simweb import agencies, conditional, pages
from nianbao.simweb.agencies import PORTAL_OF_HOST, WWW, Agency
from nianbao.simweb.columns import REPORT_COLUMN, YEAR_TRAIL
from nianbao.simweb.columns import _newest_first as newest_first  # the listings' own order
from nianbao.simweb.layout import Listing, ReportStyle, adaptive_page_size
from nianbao.simweb.relations import distinct_pairs
from nianbao.simweb.truth import (
    T4_BLOCKS,
    T4_COLUMNS,
    Page,
    TruthFigure,
    TruthReport,
    identity_failures,
)
from nianbao.simweb.world import World

EDIT_SHARE = 0.05  # of changeable reports, per step
REMOVE_SHARE = 0.03
ADD_SHARE = 0.02
EDIT_MIN, REMOVE_MIN, ADD_MIN = 1, 2, 3  # so a small world still shows every kind
GONE = (404, 410)  # removed reports answer these, alternately
CHANGEABLE_FIGURES = ("proactive_items", "requests_received")
# no digits: a prose report's key figures must stay those its truth lists
CORRECTION = "注：本报告部分内容经核实已作更正。"
CAPTION_SECTIONS = (2, 3, 4)  # an image report's caption closes these; notes go elsewhere
YEARS_URL = f"http://{WWW}/gongkai/zfxxgknb/index.html"


@dataclass(frozen=True)
class Changes:
    """What one change step did: URLs edited, removed (with the status they now answer) and
    added; ``run`` is the step's number (0: the unchanged world, nothing listed)."""

    edited: tuple[str, ...] = ()
    removed: tuple[tuple[str, int], ...] = ()
    added: tuple[str, ...] = ()
    run: int = 0


class ReportMaker(Protocol):
    """What a step needs from simweb.building's builder to make new reports."""

    def generated_report(
        self,
        rng: random.Random,
        agency: Agency,
        year: int,
        portal: str,
        url_of: Callable[[str], str],
    ) -> tuple[TruthReport, tuple[str, ...]]: ...

    def new_url(self, rng: random.Random, host: str, year: int, published: str) -> str: ...


class ChangingWorld(World):
    """A World at change run ``run``: removed URLs answer 404/410 before anything else is
    looked up, and answers carry their host's validators (simweb.conditional)."""

    run: int
    removed: dict[str, int]  # URL -> 404 | 410
    changes: Changes  # what the last step changed (relative to run - 1)
    change_log: tuple[Changes, ...]  # every step, step 1 first
    changed_in: dict[str, int]  # URL -> the run in which its page last changed (absent: 0)

    @classmethod
    def adopt(cls, world: World) -> ChangingWorld:
        """This class over ``world``'s state, at run 0 (``world`` is not to be used after)."""
        changing = cls.__new__(cls)
        vars(changing).update(vars(world))
        changing.run, changing.removed, changing.changed_in = 0, {}, {}
        changing.changes, changing.change_log = Changes(), ()
        return changing

    def lookup(self, url: str, form: bytes = b"") -> Page | None:
        """As World.lookup, but removed pages are gone and validators are added."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        key = f"http://{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
        status = self.removed.get(key)
        if status is not None:
            return self._encode(host, key, gone_page(host, status), status=status)
        page = super().lookup(url, form)
        if page is None:
            return None
        changed = self.changed_in.get(key, self.changed_in.get(_alias(key), 0))
        return conditional.with_validators(page, host, self.seed, changed)


def _alias(url: str) -> str:
    """The other spelling of a directory page (…/ and …/index.html), as World.lookup has it."""
    if url.endswith("/"):
        return url + "index.html"
    return url.removesuffix("index.html") if url.endswith("/index.html") else url


def gone_page(host: str, status: int) -> str:
    """The page a removed report answers: the host's 404 page, or a 410 one."""
    if status == 404:
        return pages.not_found(host)
    return (
        "<!DOCTYPE html><html><head><title>410 页面已删除</title></head><body>"
        f'<h1>410</h1><p>该信息已被撤下，不再提供。</p><a href="http://{host}/">返回首页</a>'
        "</body></html>"
    )


def evolve(world: World, run: int, maker: ReportMaker) -> ChangingWorld:
    """``world`` after ``run`` change steps (run 0: unchanged, validators added)."""
    if run < 0:
        raise ValueError(f"run must be 0 or more, not {run}")
    changing = ChangingWorld.adopt(world)
    if run == 0:
        return changing
    newest = max(r.year for r in changing.reports)
    log = [_step(changing, k, newest + k, maker) for k in range(1, run + 1)]
    changing.run, changing.changes, changing.change_log = run, log[-1], tuple(log)
    # independent template-similar pairs follow the reports that exist now
    changing.distinct_pairs = distinct_pairs(changing, changing.relations)
    return changing


def changeable(world: World) -> list[TruthReport]:
    """Reports a step may edit or remove: plain generated pages nothing else depends on."""
    kept = {u for r in world.relations for u in (r.a_url, r.b_url)}  # copies keep their pair
    kept |= {final for *_, final in world.redirect_chains} | set(world.offsite_traps.values())
    return [
        r
        for r in world.reports
        if r.source == "generated"
        and r.script == "Hans"
        and not r.topics
        and world.pages.get(r.url) == ("report",)
        and r.host not in world.family_hosts
        and world.styles[r.url].twin_url is None
        and r.url not in kept
    ]


def _step(world: ChangingWorld, k: int, year: int, maker: ReportMaker) -> Changes:
    rng = random.Random(f"{world.seed}:change:{k}")
    before = _stamped_pages(world)
    pool = changeable(world)
    edits = max(EDIT_MIN, round(len(pool) * EDIT_SHARE))
    removals = max(REMOVE_MIN, round(len(pool) * REMOVE_SHARE))
    picked = rng.sample(pool, min(len(pool), edits + removals))
    edited = tuple(_edit(world, rng, truth) for truth in picked[:edits])
    removed = tuple((t.url, GONE[i % 2]) for i, t in enumerate(picked[edits:]))
    _remove(world, dict(removed))
    added = _add(world, rng, year, max(ADD_MIN, round(len(pool) * ADD_SHARE)), maker)
    for url in (*edited, *added):
        world.changed_in[url] = k
    # listings and home pages changed with them: their Last-Modified moves to this run
    after = _stamped_pages(world)
    for url, digest in after.items():
        if before.get(url) != digest:
            world.changed_in[url] = k
    return Changes(edited, removed, added, k)


def _stamped_pages(world: ChangingWorld) -> dict[str, str]:
    """Digests of the listing and home pages on hosts that send Last-Modified."""
    out = {}
    for url, spec in world.pages.items():
        host = url.split("/", 3)[2]
        if spec[0] in ("listing", "home", "years") and conditional.policy(host).last_modified:
            page = World.lookup(world, url)
            if page is not None:
                out[url] = hashlib.sha1(page.body).hexdigest()  # noqa: S324 - not security
    return out


def _replace(world: World, truth: TruthReport) -> None:
    position = next(i for i, r in enumerate(world.reports) if r.url == truth.url)
    world.reports[position] = truth
    world.by_url[truth.url] = truth


def _edit(world: World, rng: random.Random, truth: TruthReport) -> str:
    """Edit one report's truth (its page follows, being rendered from it); its URL."""
    edited = None
    if any(c.table == 4 for c in truth.tables):
        edited = _edit_table4(rng, truth)
    elif truth.generation == "prose":
        edited = _edit_figure(rng, truth)
    _replace(world, edited or _note(truth))
    return truth.url


def _edit_table4(rng: random.Random, truth: TruthReport) -> TruthReport:
    """One more case in a table-4 cell and in its row's 总计, so 总计 still adds up."""
    block, column = rng.choice(T4_BLOCKS), rng.choice(T4_COLUMNS[:-1])
    delta = rng.randint(1, 3)
    cells = tuple(
        dataclasses.replace(c, value=int(c.value or 0) + delta, raw=str(int(c.value or 0) + delta))
        if c.table == 4 and c.block == block and c.column in (column, "总计")
        else c
        for c in truth.tables
    )
    return dataclasses.replace(truth, tables=cells, broken=identity_failures(cells))


def _edit_figure(rng: random.Random, truth: TruthReport) -> TruthReport | None:
    """A prose key figure raised where its digits are printed once; None when none is."""
    candidates = []
    for i, section in enumerate(truth.sections):
        for j, figure in enumerate(section.figures):
            printed = re.compile(rf"(?<![\d,.]){figure.value}(?![\d,.])")
            if (
                figure.key in CHANGEABLE_FIGURES
                and isinstance(figure.value, int)
                and figure.value > 0
                and len(printed.findall(section.text)) == 1
            ):
                candidates.append((i, j, printed))
    if not candidates:
        return None
    i, j, printed = rng.choice(candidates)
    section = truth.sections[i]
    old = section.figures[j]
    new = int(old.value) + rng.randint(1, max(3, int(old.value) // 4))
    figures = list(section.figures)
    figures[j] = TruthFigure(old.key, new)
    changed = dataclasses.replace(
        section, text=printed.sub(str(new), section.text), figures=tuple(figures)
    )
    sections = truth.sections[:i] + (changed,) + truth.sections[i + 1 :]
    return dataclasses.replace(truth, sections=sections, figures=())  # figures recomputed


def _note(truth: TruthReport) -> TruthReport:
    """A correction line closing the last section an image caption does not close."""
    sections = list(truth.sections)
    i = max(
        (n for n, s in enumerate(sections) if s.number not in CAPTION_SECTIONS),
        default=len(sections) - 1,
    )
    text = sections[i].text
    sections[i] = dataclasses.replace(
        sections[i], text=f"{text}\n{CORRECTION}" if text else CORRECTION
    )
    return dataclasses.replace(truth, sections=tuple(sections), figures=())


def _remove(world: ChangingWorld, removed: dict[str, int]) -> None:
    """Take removed reports out of the truth, the page specs and their listings."""
    world.removed.update(removed)
    world.reports[:] = [r for r in world.reports if r.url not in removed]
    for url in removed:
        del world.by_url[url], world.pages[url]
        world.changed_in.pop(url, None)
    for key, listing in list(world.listings.items()):
        kept = tuple(item for item in listing.items if item[1] not in removed)
        if len(kept) != len(listing.items):
            _relist(world, key, dataclasses.replace(listing, items=kept))


def _relist(world: World, key: str, listing: Listing) -> None:
    """Store ``listing`` under ``key`` with page specs for exactly its pages."""
    old = world.listings.get(key)
    world.listings[key] = listing
    before = old.page_count if old else 0
    for index in range(listing.page_count, before):  # pages past the new end are gone
        url = f"http://{listing.host}{listing.page_path(index)}"
        world.pages.pop(url, None)
        world.non_reports.discard(url)
    for index in range(before, listing.page_count):
        url = f"http://{listing.host}{listing.page_path(index)}"
        world.pages[url] = ("listing", key, index)
        world.non_reports.add(url)


def _year_listing(year: int) -> Listing:
    """An empty report column for ``year`` on the city portal, as columns.add_listings has."""
    trail = (*YEAR_TRAIL, (f"{year}年", f"/gongkai/zfxxgknb/{year}/index.html"))
    title = f"{year}年政府信息公开工作年度报告"
    return Listing(WWW, f"/gongkai/zfxxgknb/{year}/", title, trail, (), 4, "trs")


def _new_agencies(rng: random.Random, count: int) -> list[Agency]:
    """``count`` distinct agencies drawn by their group's share of reports."""
    groups = agencies.agency_groups()
    chosen: dict[str, Agency] = {}
    while len(chosen) < count:
        _, pool = rng.choices(groups, [share for share, _ in groups])[0]
        agency = rng.choice(pool)
        chosen.setdefault(agency.name, agency)
    return list(chosen.values())


def _add(
    world: ChangingWorld, rng: random.Random, year: int, count: int, maker: ReportMaker
) -> tuple[str, ...]:
    """New reports of ``year``, each listed where a report of its host and year would be."""
    added: list[TruthReport] = []
    for agency in _new_agencies(rng, count):
        report_rng = random.Random(rng.getrandbits(64))

        def url_of(published: str, host: str = agency.host, rng_: random.Random = rng) -> str:
            return maker.new_url(rng_, host, year, published)

        truth, images = maker.generated_report(
            report_rng, agency, year, PORTAL_OF_HOST[agency.host], url_of
        )
        if truth.url in world.pages or truth.url in world.removed:
            raise ValueError(f"change step made an existing URL {truth.url}")
        world.reports.append(truth)
        world.by_url[truth.url] = truth
        world.styles[truth.url] = ReportStyle(report_rng.getrandbits(32), None, images)
        world.pages[truth.url] = ("report",)
        world.pages.update((image, ("image",)) for image in images)
        added.append(truth)
    for truth in added:
        item = (truth.title_printed or truth.title, truth.url, truth.published)
        keys = [f"{truth.host}{REPORT_COLUMN[truth.host]}"] if truth.host != WWW else []
        if truth.portal == "beijing":
            keys.append(f"{WWW}/gongkai/zfxxgknb/{truth.year}/")
        for key in keys:
            listing = world.listings.get(key) or _year_listing(truth.year)
            items = newest_first([*listing.items, item])
            if key not in world.listings:  # a new column is sized as add_listings sizes it
                listing = dataclasses.replace(listing, page_size=adaptive_page_size(len(items)))
            _relist(world, key, dataclasses.replace(listing, items=items))
    years = world.pages[YEARS_URL][1]
    new_years = {r.year for r in added if r.portal == "beijing"} - set(years)
    if new_years:
        world.pages[YEARS_URL] = ("years", tuple(sorted({*years, *new_years})))
    return tuple(t.url for t in added)

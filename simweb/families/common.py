"""What the CMS-family portals share: their cities, report and filler items, the page frame."""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nianbao.simweb import chrome
from nianbao.simweb.agencies import CITY_DEPARTMENTS, DISTRICT_DEPARTMENTS, YEAR_WEIGHTS, Agency
from nianbao.simweb.articles import article_paragraphs
from nianbao.simweb.chrome import FAMILY_SITES, esc
from nianbao.simweb.layout import ReportStyle
from nianbao.simweb.truth import Page, TruthReport

if TYPE_CHECKING:
    from nianbao.simweb.world import World

FAMILY_SHARE = 0.04  # reports per family portal, as a share of build_world's ``reports``
MIN_REPORTS = 6
MIN_FILLERS = 10
UrlOf = Callable[[str], str]  # published date -> report URL
MakeReport = Callable[[random.Random, Agency, int, str, UrlOf], tuple[TruthReport, tuple[str, ...]]]
AddReport = Callable[[TruthReport, ReportStyle | None, tuple], None]


@dataclass(frozen=True)
class FamilyPortal:
    """One family's simulated portal: registry name, family, host and the city it serves."""

    portal: str
    family: str
    host: str
    region: str
    abbr: str  # doc-number prefix
    districts: tuple[str, ...]

    @property
    def title(self) -> str:
        """Registry title."""
        return f"{FAMILY_SITES[self.host].name} ({self.family}, simulated)"


PORTALS = (
    FamilyPortal(
        "fam-trs", "trs", "www.fam-trs.gov.cn", "河南省清源市", "清", ("东城区", "河西区")
    ),
    FamilyPortal(
        "fam-hanweb", "hanweb", "www.fam-hanweb.gov.cn", "江苏省云溪市", "云", ("溪东区", "云山区")
    ),
    FamilyPortal(
        "fam-gkmlpt", "gkmlpt", "www.fam-gkmlpt.gov.cn", "广东省南岭市", "岭", ("北江区", "南岸区")
    ),
    FamilyPortal(
        "fam-iframe", "iframe", "www.fam-iframe.gov.cn", "江苏省青湖市", "湖", ("湖东区", "湖西区")
    ),
    FamilyPortal(
        "fam-onclick",
        "onclick",
        "www.fam-onclick.gov.cn",
        "湖南省澧阳市",
        "澧",
        ("武陵区", "澧南区"),
    ),
    # Appended last: each family draws from its own random stream, so the portals above
    # are generated exactly as they were before this one existed.
    FamilyPortal(
        "fam-trsapi",
        "trsapi",
        "www.fam-trsapi.gov.cn",
        "福建省东屿市",
        "屿",
        ("屿北区", "东澳区"),
    ),
)


@dataclass(frozen=True)
class Item:
    """One entry of a family listing: a report or a filler article."""

    title: str
    url: str
    date: str  # YYYY-MM-DD
    ident: int
    is_report: bool


@dataclass
class Context:
    """Everything a family builder needs: the world, its random stream and the report maker."""

    world: World
    rng: random.Random
    site: FamilyPortal
    reports: int
    fillers: int
    make_report: MakeReport
    add_report: AddReport
    next_id: int = field(default=0)

    def ident(self) -> int:
        """A fresh, increasing article id."""
        self.next_id += self.rng.randint(1, 30)
        return self.next_id

    def listing(self, url: str) -> None:
        """Record a listing or API URL a crawl must fetch exactly once; it is no report."""
        self.world.listing_urls.setdefault(self.site.portal, set()).add(url)

    def page(self, url: str, spec: tuple) -> None:
        """Register a family page spec ("fam", family, …)."""
        self.world.pages[url] = ("fam", self.site.family, *spec)

    def items(
        self, report_url: Callable[[str, int], str], article_url: Callable[[str, int], str]
    ) -> list[Item]:
        """Generate this portal's reports and filler articles; newest first.

        ``report_url(published, ident)`` and ``article_url(date, ident)`` give their URLs.
        """
        out: list[Item] = []
        for agency, year in choose_slots(self.rng, agencies_of(self.site), self.reports):
            rng = random.Random(self.rng.getrandbits(64))
            ident = self.ident()
            truth, images = self.make_report(
                rng, agency, year, self.site.portal, _bound(report_url, ident)
            )
            self.add_report(truth, ReportStyle(rng.getrandbits(32), None, images), ("report",))
            out.append(Item(truth.title, truth.url, truth.published, ident, True))
        for title, date, kind in fillers(self.rng, self.site, self.fillers, out):
            ident = self.ident()
            url = article_url(date, ident)
            self.world.pages[url] = ("fam", "article", title, date, kind)
            self.world.non_reports.add(url)
            out.append(Item(title, url, date, ident, False))
        return sorted(out, key=lambda item: (item.date, item.ident), reverse=True)


def agencies_of(site: FamilyPortal) -> list[Agency]:
    """City departments and two districts' departments of a family city."""
    city = site.region[3:]
    out = [
        Agency(f"{site.region}{d}", site.region, f"{site.abbr}{a}", site.host)
        for d, a in CITY_DEPARTMENTS
    ]
    for district in site.districts:
        region = f"{site.region}{district}"
        out += [
            Agency(f"{region}{d}", region, f"{city[0]}{district[0]}{a}", site.host)
            for d, a in DISTRICT_DEPARTMENTS
        ]
    return out


def choose_slots(rng: random.Random, pool: list[Agency], count: int) -> list[tuple[Agency, int]]:
    """``count`` distinct (agency, year) pairs weighted by year (at most every pair)."""
    keyed = [
        (rng.random() ** (1.0 / weight), serial, agency, year)
        for serial, (agency, (year, weight)) in enumerate(
            (a, yw) for a in pool for yw in YEAR_WEIGHTS.items()
        )
    ]
    return [(agency, year) for _, _, agency, year in heapq.nlargest(count, keyed)]


def fillers(
    rng: random.Random, site: FamilyPortal, count: int, reports: list[Item]
) -> list[tuple[str, str, str]]:
    """(title, date, kind) of non-report articles listed among the reports."""
    city = site.region[3:]
    out = []
    for n in range(count):
        year = rng.randint(2012, 2024)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        roll = n % 4
        report = reports[n // 4 % len(reports)] if reports else None
        if roll == 0 and report is not None and report.title.endswith("年度报告"):
            out.append((f"{report.title}解读", report.date, "jiedu"))
        elif roll == 1:
            out.append(
                (f"关于做好{year}年政府信息公开工作年度报告编制工作的通知", date, "nb-notice")
            )
        else:
            topic = rng.choice(("政务公开", "营商环境", "乡村振兴", "安全生产", "数字政府"))
            out.append((f"{city}召开{year}年{topic}工作推进会", date, "news"))
    return out


def frame(
    host: str, title: str, body: str, *, trail: tuple[tuple[str, str], ...] = (), scripts: str = ""
) -> str:
    """A whole family-site HTML page around ``body``."""
    return chrome.page(FAMILY_SITES[host], title, body, trail=trail, scripts=scripts)


def html(text: str, status: int = 200) -> Page:
    """A UTF-8 HTML answer."""
    return Page(status, [("Content-Type", "text/html; charset=utf-8")], text.encode("utf-8"))


def xml(text: str) -> Page:
    """A UTF-8 XML answer (Hanweb's dataproxy)."""
    return Page(200, [("Content-Type", "text/xml;charset=UTF-8")], text.encode("utf-8"))


def json_page(value: object, status: int = 200) -> Page:
    """A JSON answer (gkmlpt's API), Chinese left unescaped as those servers send it."""
    return Page(
        status,
        [("Content-Type", "application/json;charset=UTF-8")],
        json.dumps(value, ensure_ascii=False).encode("utf-8"),
    )


def article_page(world: World, url: str, title: str, date: str, kind: str) -> Page:
    """A filler article (news, notice or 解读) of a family portal."""
    host = url.split("/", 3)[2]
    rng = random.Random(f"{world.seed}:{url}")
    city = FAMILY_SITES[host].owner.removesuffix("人民政府办公室")
    paragraphs = article_paragraphs(rng, kind, title, date, city)
    body = (
        f'<div class="article"><h1>{esc(title)}</h1>'
        f'<div class="info">发布时间：{date}　来源：{esc(FAMILY_SITES[host].owner)}</div>'
        '<div class="content">' + "".join(f"<p>{esc(p)}</p>" for p in paragraphs) + "</div></div>"
    )
    return html(frame(host, title, body, trail=(("首页", "/"),)))


def size_for(count: int) -> int:
    """Listing page size: small pages in small worlds (so paging is exercised), 20 in big."""
    return max(3, min(20, count // 4))


def home_page(world: World, host: str) -> Page:
    """A family portal's home page: plain links to its entry points only."""
    links = "".join(
        f'<li><a href="{esc(u)}">{esc(label)}</a></li>'
        for label, u in world.home_links.get(host, [])
    )
    site = FAMILY_SITES[host]
    return html(frame(host, site.name, f'<div class="entry"><ul>{links}</ul></div>'))


@dataclass(frozen=True)
class StaticColumn:
    """A static column: items newest first, ``size`` a page; index.html, then index_N.html."""

    base: str
    items: tuple[Item, ...]
    size: int
    offset: int = 0  # suffix of page 2's file name minus 1: 0 (index_1) or 1 (index_2)

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-len(self.items) // self.size))

    def path(self, index: int) -> str:
        """Path of 0-based page ``index``."""
        if index == 0:
            return f"{self.base}index.html"
        return f"{self.base}index_{index + self.offset}.html"


def t_date_url(host: str, base: str, date: str, ident: int) -> str:
    """A TRS-style article URL under ``base``: ./YYYYMM/tYYYYMMDD_<id>.html."""
    day = date.replace("-", "")
    return f"http://{host}{base}{day[:6]}/t{day}_{ident}.html"


def _bound(report_url: Callable[[str, int], str], ident: int) -> Callable[[str], str]:
    """``report_url`` with the report's ident fixed: URL from the publication date alone."""
    return lambda published: report_url(published, ident)

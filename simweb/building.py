"""Building a World: seed and generated reports with their gateway twins, then every other
part of the simulated web in a fixed order (build_world).

build_world lives here, not in simweb.world: this module needs World itself, so world.py
cannot import it back."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from nianbao.simweb import agencies, bait, columns, mirrors, relations, seeds, traps
from nianbao.simweb.agencies import CHAOYANG, CSGLW, DAXING, GATEWAY_PREFIX, PORTAL_OF_HOST, SW, WWW
from nianbao.simweb.attachment_reports import add_attachment_reports, add_hostile_files
from nianbao.simweb.changes import ChangingWorld, evolve
from nianbao.simweb.families import add_families, blocked
from nianbao.simweb.layout import ReportStyle
from nianbao.simweb.narrative import template_sections
from nianbao.simweb.reports import generation_of, make_tables, make_title, prose_sections
from nianbao.simweb.spam import KNOWN
from nianbao.simweb.spam_vocab import HELDOUT, NOVEL
from nianbao.simweb.truth import TruthCell, TruthReport, TruthSection, identity_failures
from nianbao.simweb.world import GATEWAY_HOSTS, Spec, World

MIN_TWINS = 6  # gateway twins in any world, the two seed twins included
# how a generated report's tables are printed, with each layout's share of reports
LAYOUTS = (("html", 0.55), ("pipe", 0.17), ("cells", 0.18), ("image", 0.10))
# a report whose tables are images still prints their captions as text, in these sections
CAPTIONS = {
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
}


def _published(rng: random.Random, year: int) -> str:
    month = rng.choice((1, 1, 1, 2, 3))
    return f"{year + 1}-{month:02d}-{rng.randint(1, 28):02d}"


def article_path(host: str, year: int, published: str, ident: int) -> str:
    """TRS-style article path: <column>/<yyyymm>/t<yyyymmdd>_<id>.html."""
    day = published.replace("-", "")
    column = {
        WWW: f"/gongkai/zfxxgknb/{year}/",
        SW: "/zwgk/zfxxgknb/",
        CSGLW: "/zwgk/zfxxgknb/",
        DAXING: "/zwgk/zfxxgknb/",
        CHAOYANG: "/zfxxgk/ndbg/",
    }[host]
    return f"{column}{day[:6]}/t{day}_{ident}.html"


class _Builder:
    """Fills a World: seed reports, generated reports, news, listings and edge cases."""

    def __init__(self, seed: int) -> None:
        self.world = World(seed)
        self.rng = random.Random(seed)
        self.cache: dict = {}
        self.next_id = 1_100_000 + self.rng.randrange(100_000)

    def ident(self, rng: random.Random | None = None) -> int:
        self.next_id += (rng or self.rng).randint(1, 40)
        return self.next_id

    def new_url(self, rng: random.Random, host: str, year: int, published: str) -> str:
        """A fresh article URL on ``host`` (copies draw from their own random stream)."""
        return f"http://{host}" + article_path(host, year, published, self.ident(rng))

    def add_report(self, truth: TruthReport, style: ReportStyle | None, spec: Spec) -> None:
        world = self.world
        world.reports.append(truth)
        world.by_url[truth.url] = truth
        if style is not None:
            world.styles[truth.url] = style
        if spec:
            world.pages[truth.url] = spec
        for number, image in enumerate(style.image_urls if style else (), start=2):
            world.pages[image] = ("image", truth.url, number)

    def twin_of(self, truth: TruthReport, **overrides: object) -> TruthReport:
        """The gateway's Traditional twin of a report on a Beijing host."""
        conv = self.world.s2t.convert
        path = truth.url.split("://", 1)[1]
        fields = {
            "url": GATEWAY_PREFIX + path,
            "host": WWW,
            "title": conv(truth.title),
            "agency": conv(truth.agency),
            "region": conv(truth.region),
            "doc_no": conv(truth.doc_no) if truth.doc_no else None,
            "script": "Hant",
            "sections": tuple(
                TruthSection(s.number, conv(s.heading), conv(s.text)) for s in truth.sections
            ),
            # cells keep canonical Simplified labels, but raw text is what the twin prints
            "tables": tuple(dataclasses.replace(c, raw=conv(c.raw)) for c in truth.tables),
            "source": f"gateway:{truth.url}",
        }
        fields.update(overrides)
        return dataclasses.replace(truth, **fields)

    def add_seed_reports(self) -> None:
        world = self.world
        for seed_id, host, agency, year, ident in (
            ("000", SW, "北京市商务局", 2019, 1584361),
            ("002", CSGLW, "北京市城市管理委员会", 2020, 2096172),
        ):
            text = seeds.seed_text(seed_id)
            headings = seeds.SEED_HEADINGS[seed_id]
            hant = seeds.split_gateway_seed(text, headings)
            hans = seeds.split_gateway_seed(
                world.t2s.convert(text), tuple(world.t2s.convert(h) for h in headings)
            )
            url = f"http://{host}" + article_path(host, year, hans.published or "", ident)
            images = tuple(
                url.rsplit("/", 1)[0] + f"/W0{(hans.published or '').replace('-', '')}"
                f"{ident}{n}.png"
                for n in (2, 3, 4)
            )
            original = TruthReport(
                url=url,
                portal="beijing",
                host=host,
                title=hans.title,
                agency=agency,
                region="北京市",
                year=year,
                generation="2019",
                published=hans.published or "",
                index_no=None,
                doc_no=None,
                script="Hans",
                sections=seeds.truth_sections(hans),
                tables=(),
                table_layout="image",
                encoding="utf-8",
                source=f"seed:{seed_id}",
            )
            twin = self.twin_of(
                original,
                title=hant.title,
                sections=seeds.truth_sections(hant),
                agency=world.s2t.convert(agency),
            )
            style = ReportStyle(0, twin.url, images)
            self.add_report(original, style, ("seed", seed_id))
            self.add_report(twin, None, ())
            world.seed_pages[seed_id] = twin.url
        for seed_id, host, agency, region, published, ident, layout, tables, skip in (
            (
                "001",
                CHAOYANG,
                "朝阳市商务局",
                "朝阳市",
                "2020-01-20",
                2035,
                "pipe",
                seeds.seed001_tables(),
                0,
            ),
            (
                "003",
                DAXING,
                "北京市大兴区商务局",
                "北京市大兴区",
                "2021-01-28",
                4152,
                "cells",
                seeds.seed003_tables(),
                2,
            ),
        ):
            year = int(published[:4]) - 1
            url = f"http://{host}" + article_path(host, year, published, ident)
            body = seeds.plain_seed_body(
                seeds.seed_text(seed_id), skip, seeds.SEED_HEADINGS[seed_id]
            )
            truth = TruthReport(
                url=url,
                portal=PORTAL_OF_HOST[host],
                host=host,
                title=f"{agency}{year}年政府信息公开工作年度报告",
                agency=agency,
                region=region,
                year=year,
                generation="2019",
                published=published,
                index_no=None,
                doc_no=None,
                script="Hans",
                sections=seeds.truth_sections(body, frozenset({2, 3, 4})),
                tables=tables,
                table_layout=layout,
                encoding="gbk" if host == DAXING else "utf-8",
                source=f"seed:{seed_id}",
            )
            self.add_report(truth, ReportStyle(0, None), ("seed", seed_id))
            world.seed_pages[seed_id] = url
        mirrors.add_seed004(world, self.add_report)

    def add_generated(self, count: int) -> None:
        for agency, year in agencies.choose_slots(self.rng, count):
            rng = random.Random(self.rng.getrandbits(64))
            self.add_generated_one(rng, agency, year)
        self.ensure_twins(random.Random(f"{self.world.seed}:twins"))

    def ensure_twins(self, rng: random.Random) -> None:
        """Give a few more reports a gateway twin when chance gave a small world too few."""
        world = self.world
        have = sum(r.source.startswith("gateway:") for r in world.reports)
        plain = [
            r
            for r in world.reports
            if r.source == "generated"
            and r.generation != "prose"
            and r.host in GATEWAY_HOSTS
            and world.styles[r.url].twin_url is None
        ]
        for truth in rng.sample(plain, min(len(plain), max(0, MIN_TWINS - have))):
            twin = self.twin_of(truth)
            world.styles[truth.url] = dataclasses.replace(
                world.styles[truth.url], twin_url=twin.url
            )
            self.add_report(twin, None, ())

    def add_generated_one(self, rng: random.Random, agency: agencies.Agency, year: int) -> None:
        def url_of(published: str) -> str:
            return f"http://{agency.host}" + article_path(
                agency.host, year, published, self.ident()
            )

        truth, images = self.generated_report(
            rng, agency, year, PORTAL_OF_HOST[agency.host], url_of
        )
        twin = None
        if agency.host in GATEWAY_HOSTS and rng.random() < 0.12:
            twin = self.twin_of(truth)
        self.add_report(
            truth, ReportStyle(rng.getrandbits(32), twin.url if twin else None, images), ("report",)
        )
        if twin is not None:
            self.add_report(twin, None, ())

    def generated_report(
        self,
        rng: random.Random,
        agency: agencies.Agency,
        year: int,
        portal: str,
        url_of: Callable[[str], str],
    ) -> tuple[TruthReport, tuple[str, ...]]:
        """A generated report of ``agency`` on ``year`` (URL from its publication date), and
        the URLs of its table images when its tables are pictures."""
        generation = generation_of(year)
        title = make_title(rng, agency.name, year, generation)
        published = _published(rng, year)
        url = url_of(published)
        layout = "none"
        broken: tuple[str, ...] = ()
        cells: tuple[TruthCell, ...] = ()
        if generation != "prose":
            roll, layout = rng.random(), "html"
            for name, share in LAYOUTS:
                if roll < share:
                    layout = name
                    break
                roll -= share
            cells = make_tables(rng, generation, self.cache, broken=rng.random() < 1 / 15)
            broken = identity_failures(cells) if layout != "image" else ()
            sections = template_sections(rng, agency.name, year, f"http://{agency.host}/", cells)
        else:
            sections = prose_sections(rng, agency.name, year)
        images: tuple[str, ...] = ()
        drawn: tuple[TruthCell, ...] = ()
        if layout == "image":
            cells, drawn = (), cells
            directory = url.rsplit("/", 1)[0]
            stamp = published.replace("-", "")
            images = tuple(
                f"{directory}/W0{stamp}{rng.randrange(10**8):08d}{n}.png" for n in (2, 3, 4)
            )
            sections = tuple(
                TruthSection(s.number, s.heading, s.text + "\n" + CAPTIONS[s.number])
                if s.number in CAPTIONS
                else s
                for s in sections
            )
        code = agencies.org_code(agency.name)
        serial = rng.randrange(1, 999999)
        kind = rng.choice(("ZK", "ZK", "QT"))
        index_no = f"{code}/{kind}-{year + 1}-{serial:06d}" if rng.random() < 0.8 else None
        doc_number = f"{agency.abbr}〔{year + 1}〕{rng.randint(1, 60)}号"
        doc_no = doc_number if rng.random() < 0.1 else None
        truth = TruthReport(
            url=url,
            portal=portal,
            host=agency.host,
            title=title,
            agency=agency.name,
            region=agency.region,
            year=year,
            generation=generation,
            published=published,
            index_no=index_no,
            doc_no=doc_no,
            script="Hans",
            sections=sections,
            tables=cells,
            table_layout=layout,
            encoding="gbk" if agency.host == DAXING else "utf-8",
            source="generated",
            broken=broken,
            image_cells=drawn,
        )
        return truth, images


def build_world(
    seed: int = 0,
    reports: int = 60,
    spam: bool = True,
    families: bool = True,
    family_pages: int = 0,
    spam_vocabulary: str = "known",
    run: int = 0,
    attachments: int = 0,
    drawn_tables: bool = False,
) -> ChangingWorld:
    """A deterministic simulated web for ``seed`` with ``reports`` generated reports (+ seeds).

    ``spam=False`` leaves the mirror portal out: seed 004's mirror page is then an offsite
    page, not a report, and no generated report is copied. ``families`` adds one portal per
    CMS family (simweb.families), each with ``max(6, round(reports * 0.04))`` reports of its
    own and filler articles up to about ``family_pages`` articles per portal.
    ``spam_vocabulary`` names the mirrors' spam words (simweb.spam_vocab): "known" (the
    default; the detector may know them), "heldout" or "novel" (it must not).
    ``run`` is the crawl run the world is at: run 0 is the world as generated, run N has had
    N seeded change steps (edits, removals, new reports; simweb.changes), and every answer
    carries its host's validators (simweb.conditional). ``attachments`` adds that many
    template reports published only as a PDF or DOCX attachment, and a notice on the city portal
    linking one hostile file of each kind (simweb.attachment_reports). ``drawn_tables``: the
    pictures of "image"-layout reports print their tables (simweb.table_images; else they
    are 8x8 placeholders).
    """
    builder = _Builder(seed)
    builder.world.drawn_tables = drawn_tables
    builder.add_seed_reports()
    builder.add_generated(reports)
    bait.add_bait(builder.world, builder.rng)
    copies = relations.add_copies(
        builder.world,
        random.Random(f"{seed}:copies"),
        builder.new_url,
        builder.twin_of,
        builder.add_report,
    )
    if spam:
        vocab = {"known": KNOWN, "heldout": HELDOUT, "novel": NOVEL}[spam_vocabulary]
        mirrors.add_mirrors(builder.world, builder.rng, builder.add_report, vocab)
    else:
        mirrors.drop_mirror_portal(builder.world)
    if attachments:
        add_attachment_reports(
            builder.world,
            attachments,
            builder.generated_report,
            builder.add_report,
            builder.new_url,
        )
    columns.add_news(builder.world, builder.rng, builder.ident, max(40, 2 * reports))
    columns.add_listings(builder.world)
    columns.add_edge_cases(builder.world)
    traps.add_offsite_traps(builder.world)
    if attachments:
        add_hostile_files(builder.world)
    world = builder.world
    if families:
        add_families(world, reports, family_pages, builder.generated_report, builder.add_report)
    blocked.add_blocked(world, families)
    world.relations = relations.collect(world, copies)
    world.distinct_pairs = relations.distinct_pairs(world, world.relations)
    return evolve(world, run, builder)

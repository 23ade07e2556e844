"""Spam mirrors: copies of real reports on an unrelated domain, keeping the original's path.

Seed 004 is served on the mirror as found; its clean original lives on www.bjmtg.gov.cn.
Generated copies (about one report in six) carry one or more of the four spam kinds
(``simweb.spam``); their truth holds the clean values and what was injected.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nianbao.simweb import chrome, seeds
from nianbao.simweb.agencies import MENTOUGOU, SEED004_URL, SPAM_HOST, SPAM_URL
from nianbao.simweb.chrome import SITES, Meta, esc
from nianbao.simweb.spam import KNOWN, SpamPlan, choose_kinds, plan_spam
from nianbao.simweb.spam_vocab import Vocabulary
from nianbao.simweb.template import TEMPLATE_INTRO
from nianbao.simweb.truth import TruthFigure, TruthReport, TruthSpam

if TYPE_CHECKING:
    from nianbao.simweb.world import World

PORTAL = "mirrors"
SHARE = 1 / 6  # of eligible reports that get a mirror copy
MIN_COPIES = 8
TRADITIONAL_SHARE = 0.3  # of copies without pinyin that are still converted to Traditional
NEIGHBOURS = 4  # other copies linked from each mirror page
MIRROR_TRAIL = (("首页", "/"), ("最新资讯", "/news/index.html"))
AddReport = Callable[[TruthReport, None, tuple], None]


@dataclass(frozen=True)
class MirrorCopy:
    """How one mirror page is drawn: its spam and the copies it links to."""

    plan: SpamPlan
    intro: str  # the template's 依据… line as the copy prints it ("" for prose)
    neighbours: tuple[str, ...]


def name_part(truth: TruthReport) -> str:
    """The distinctive part of an agency name a hijack replaces: district, else department."""
    region = truth.region.removeprefix("北京市")
    if region and truth.agency.startswith(truth.region):
        return region
    return truth.agency.removeprefix(truth.region)


def clean_lines(truth: TruthReport, intro: str) -> list[str]:
    """The main text of a copy before spam: title, intro, then each heading and its lines."""
    lines = [truth.title] + ([intro] if intro else [])
    for section in truth.sections:
        lines.append(section.heading)
        lines += section.text.split("\n") if section.text else []
    return lines


def _converted(world: World, truth: TruthReport) -> TruthReport:
    """``truth`` in Traditional script (what a converted copy should restore to)."""
    conv = world.s2t.convert
    return dataclasses.replace(
        truth,
        title=conv(truth.title),
        agency=conv(truth.agency),
        region=conv(truth.region),
        doc_no=conv(truth.doc_no) if truth.doc_no else None,
        script="Hant",
        sections=tuple(
            dataclasses.replace(s, heading=conv(s.heading), text=conv(s.text))
            for s in truth.sections
        ),
    )


def add_mirrors(
    world: World, rng: random.Random, add_report: AddReport, vocab: Vocabulary = KNOWN
) -> None:
    """Copy about one generated report in six to the mirror host, each with spam from ``vocab``."""
    eligible = [r for r in world.reports if r.source == "generated" and r.script == "Hans"]
    count = min(len(eligible), max(MIN_COPIES, round(len(eligible) * SHARE)))
    chosen = sorted(rng.sample(range(len(eligible)), count))
    copies: list[tuple[TruthReport, SpamPlan, str]] = []
    for index, position in enumerate(chosen):
        original = eligible[position]
        kinds = choose_kinds(rng, index)
        traditional = "pinyin" in kinds or rng.random() < TRADITIONAL_SHARE
        twin = world.styles[original.url].twin_url
        copy_of = twin if traditional and twin else original.url
        clean = _converted(world, original) if traditional else original
        intro = "" if original.generation == "prose" else TEMPLATE_INTRO
        intro = world.s2t.convert(intro) if traditional else intro
        part = world.s2t.convert(name_part(original)) if traditional else name_part(original)
        lines = clean_lines(clean, intro)
        for _ in range(20):  # redraw the rare plan whose injections collide
            plan = plan_spam(rng, kinds, traditional, part, "\n".join(lines), vocab)
            spam = plan.truth(lines)
            if spam is not None:
                break
        else:  # never seen: a plan only collides by chance, and twenty times is a bug
            raise ValueError(f"no consistent spam plan for a copy of {original.url}")
        url = f"http://{SPAM_HOST}{urlsplit(original.url).path}"
        copy = dataclasses.replace(
            clean,
            url=url,
            portal=PORTAL,
            host=SPAM_HOST,
            tables=(),
            table_layout="none",
            encoding="utf-8",
            source=f"mirror:{copy_of}",
            broken=(),
            spam=spam,
            copy_of=copy_of,
            title_printed=plan.apply(clean.title),
        )
        copies.append((copy, plan, intro))
    urls = [c.url for c, _, _ in copies] + [SPAM_URL]
    for index, (copy, plan, intro) in enumerate(copies):
        neighbours = tuple(urls[(index + k) % len(urls)] for k in range(1, NEIGHBOURS + 1))
        world.mirrors[copy.url] = MirrorCopy(plan, intro, neighbours)
        add_report(copy, None, ("mirror",))


def add_seed004(world: World, add_report: AddReport) -> None:
    """Seed 004: its clean original on the 门头沟区 site and the spam copy found on the mirror."""
    clean_text = seeds.seed_text("004").replace(seeds.SPAM_BRAND, "门头沟区")
    parts = seeds.seed004_parts(clean_text)
    meta = dict(parts.meta_rows)
    # Read by hand: 在主动公开的366条信息中 and 我局未受理任何依申请工作 (both in section 二).
    sections = seeds.seed004_sections(parts)
    figures = (TruthFigure("proactive_items", 366), TruthFigure("requests_received", 0))
    sections = (sections[0], dataclasses.replace(sections[1], figures=figures), *sections[2:])
    clean = TruthReport(
        url=SEED004_URL,
        portal="mentougou",
        host=MENTOUGOU,
        title=parts.title,
        agency=parts.department,
        region="北京市门头沟区",
        year=2008,
        generation="prose",
        published=meta["发布日期"][:10],
        index_no=meta["索 引 号"],
        doc_no=meta["文 \xa0 号"],
        script="Hans",
        sections=sections,
        tables=(),
        table_layout="none",
        encoding="utf-8",
        source="seed:004",
    )
    spammed = seeds.seed004_parts(seeds.seed_text("004"))
    printed = [spammed.title, *spammed.paragraphs]
    count = sum(line.count(seeds.SPAM_BRAND) for line in printed)
    copy = dataclasses.replace(
        clean,
        url=SPAM_URL,
        portal=PORTAL,
        host=SPAM_HOST,
        source=f"mirror:{SEED004_URL}",
        spam=(TruthSpam("entity_hijack", seeds.SPAM_BRAND, "门头沟区", count),),
        copy_of=SEED004_URL,
        title_printed=spammed.title,
    )
    add_report(clean, None, ("seed", "004-clean"))
    add_report(copy, None, ("seed", "004"))
    world.seed_pages["004"] = SPAM_URL


def drop_mirror_portal(world: World) -> None:
    """Leave the mirror out of the registry: seed 004's copy becomes an offsite page."""
    world.portals = [p for p in world.portals if p.name != PORTAL]
    world.reports = [r for r in world.reports if r.portal != PORTAL]
    del world.by_url[SPAM_URL]
    world.offsite.add(SPAM_URL)


def seed004_page(world: World, url: str) -> str:
    """Seed 004's page: as found on the mirror, or its clean original on the district site."""
    text = seeds.seed_text("004")
    if url == SPAM_URL:
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
            f"{esc(text.splitlines()[0])}政府信息公开工作总结</title></head><body>"
            f"{seeds.spam_mirror_html(text)}{_links(world, url)}</body></html>"
        )
    truth = world.by_url[url]
    body = seeds.spam_mirror_html(text.replace(seeds.SPAM_BRAND, "门头沟区"))
    site = SITES[MENTOUGOU]
    trail = (("首页", "/"), ("政府信息公开年报", site.report_column))
    return chrome.page(site, truth.title, body + chrome.tools(37361), trail=trail)


def _links(world: World, url: str) -> str:
    """Links to other copies (mirrors link among themselves) and back to the mirror's home."""
    neighbours = (
        world.mirrors[url].neighbours
        if url in world.mirrors
        else tuple(list(world.mirrors)[:NEIGHBOURS])
    )
    items = "".join(f'<li><a href="{u}">{esc(_printed(world, u))}</a></li>' for u in neighbours)
    return (
        f'<div class="related"><h3>相关阅读</h3><ul>{items}</ul>'
        f'<a href="http://{SPAM_HOST}/">返回首页</a></div>'
    )


def _printed(world: World, url: str) -> str:
    truth = world.by_url[url]
    return truth.title_printed or truth.title


def mirror_page(world: World, url: str) -> str:
    """A generated mirror copy: spammed metadata block, stuffed line, title and text."""
    truth = world.by_url[url]
    copy = world.mirrors[url]
    plan = copy.plan
    agency = plan.apply(truth.agency)
    meta = Meta(
        truth.index_no,
        agency,
        truth.title_printed or truth.title,
        plan.apply(truth.doc_no) if truth.doc_no else None,
        truth.published,
        truth.published,
    )
    lines = plan.main_lines(clean_lines(truth, copy.intro))
    headings = {plan.apply(s.heading) for s in truth.sections}
    out = [
        chrome.meta_block(meta, as_table=_as_table(url)),
        chrome.date_line(truth.published, agency),
        '<div class="article">',
    ]
    if plan.stuffed:
        out.append(f'<p class="kw">{esc(lines.pop(0))}</p>')
    out.append(f'<h1 class="title">{esc(lines[0])}</h1><div class="TRS_Editor">')
    for line in lines[1:]:
        text = f"<strong>{esc(line)}</strong>" if line in headings else esc(line)
        out.append(f'<p style="text-indent:2em">{text}</p>')
    out.append(f"</div></div>{seeds.ARTICLE_END}")
    out.append(_links(world, url))
    return chrome.page(SITES[SPAM_HOST], meta.title, "".join(out), meta=meta, trail=MIRROR_TRAIL)


def _as_table(url: str) -> bool:
    """A stable per-URL coin: the metadata block as a table or as a list."""
    return sum(url.encode()) % 2 == 0

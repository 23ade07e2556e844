"""Copied reports with ground truth: reuse, cross-agency copies, exact and near duplicates.

Runs once the generated (and bait) reports exist. It rewrites some reports as copies of
others — each report takes part in at most one copy, bait reports in none — and adds exact
and near-duplicate copies at new URLs. ``collect`` then lists every relation, gateway twins
and spam mirrors included, and ``distinct_pairs`` names template-similar reports that were
written independently (no chain of relations joins them).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from nianbao.simweb.agencies import CSGLW, PORTAL_OF_HOST, SW, WWW
from nianbao.simweb.layout import ReportStyle
from nianbao.simweb.template import MONEY_COLUMNS, SIGNED_COLUMNS
from nianbao.simweb.truth import (
    T3_COLUMNS,
    T3_NEW,
    T3_TOTAL,
    T4_BLOCKS,
    T4_COLUMNS,
    TruthCell,
    TruthFigure,
    TruthRelation,
    TruthReport,
    TruthSection,
    identity_failures,
    is_result_row,
)

if TYPE_CHECKING:
    from nianbao.simweb.world import World

REUSE_SHARE = 1 / 8  # of agencies with two consecutive same-template years
CROSS_SHARE = EXACT_SHARE = NEAR_SHARE = 1 / 50  # of eligible reports
MIN_EACH = 2  # of reuse, cross_agency, exact and near_duplicate, when the world allows
CHANGEABLE_FIGURES = ("proactive_items", "requests_received")
YEAR = re.compile(r"((?:19|20)\d\d)年")
CONTACT = "如对本报告有疑问，请与{agency}办公室联系。"
CellKey = tuple[int, str, str, str]
NewUrl = Callable[[random.Random, str, int, str], str]  # (rng, host, year, published) -> URL
TwinOf = Callable[[TruthReport], TruthReport]
AddReport = Callable[[TruthReport, ReportStyle | None, tuple], None]


def _shape(report: TruthReport) -> tuple[str, bool]:
    """Reports of one shape can copy each other: same template, tables drawn or pictured."""
    return report.generation, report.table_layout == "image"


class Copier:
    """Makes the copies of one world, using its own random stream."""

    def __init__(
        self,
        world: World,
        rng: random.Random,
        new_url: NewUrl,
        twin_of: TwinOf,
        add_report: AddReport,
    ) -> None:
        self.world, self.rng, self.new_url = world, rng, new_url
        self.twin_of, self.add_report = twin_of, add_report
        self.used: set[str] = set()
        self.relations: list[TruthRelation] = []
        self.position = {r.url: i for i, r in enumerate(world.reports)}

    def eligible(self) -> list[TruthReport]:
        """Clean Simplified generated reports not yet part of any copy."""
        return [
            r
            for r in self.world.reports
            if r.source == "generated"
            and r.script == "Hans"
            and not r.topics
            and r.url not in self.used
        ]

    def quota(self, share: float) -> int:
        return max(MIN_EACH, round(len(self.eligible()) * share))

    def reuse(self) -> None:
        """Some agencies re-post last year's text, years updated and a few numbers changed."""
        years: dict[str, dict[int, TruthReport]] = defaultdict(dict)
        for report in self.eligible():
            years[report.agency][report.year] = report
        candidates = {
            agency: [
                (by[y - 1], by[y])
                for y in sorted(by)
                if y - 1 in by and _shape(by[y - 1]) == _shape(by[y])
            ]
            for agency, by in years.items()
        }
        agencies = [a for a, pairs in candidates.items() if pairs]
        chosen = [a for a in agencies if self.rng.random() < REUSE_SHARE]
        rest = [a for a in agencies if a not in chosen]
        chosen += self.rng.sample(rest, min(len(rest), max(0, MIN_EACH - len(chosen))))
        for agency in chosen:
            source, target = self.rng.choice(candidates[agency])
            self.rewrite("reuse", source, target, ())

    def cross_agency(self) -> None:
        """A few reports copy another agency's report of the same year, name replaced."""
        groups: dict[tuple, list[TruthReport]] = defaultdict(list)
        for report in self.eligible():
            groups[(report.year, *_shape(report))].append(report)
        keys = [k for k, g in groups.items() if len({r.agency for r in g}) > 1]
        for _ in range(self.quota(CROSS_SHARE)):
            if not keys:
                return
            group = [r for r in groups[self.rng.choice(keys)] if r.url not in self.used]
            pair = self.rng.sample(group, 2) if len(group) > 1 else []
            if not pair or pair[0].agency == pair[1].agency:
                continue
            if pair[0].published == pair[1].published:
                continue  # published the same day: nothing on the pages says who copied whom
            source, target = sorted(pair, key=lambda r: r.published)
            names = (
                (source.agency, target.agency),
                (f"http://{source.host}/", f"http://{target.host}/"),
            )
            self.rewrite("cross_agency", source, target, names)

    def rewrite(
        self,
        kind: str,
        source: TruthReport,
        target: TruthReport,
        names: tuple[tuple[str, str], ...],
    ) -> None:
        """Give ``target`` the text (and changed tables) of ``source``; record the relation."""
        if source.url in self.used or target.url in self.used:
            return
        sections = copy_sections(source.sections, target.year - source.year, names)
        if source.generation == "prose":
            sections = tuple(change_figures(self.rng, s) for s in sections)
        cells, changed = change_cells(self.rng, source.tables)
        copied = dataclasses.replace(
            target,
            sections=sections,
            tables=cells,
            figures=(),
            broken=identity_failures(cells) if cells else (),
        )
        self.replace(copied)
        twin = self.world.styles[target.url].twin_url
        if twin is not None:
            self.replace(self.twin_of(copied))
        self.used |= {source.url, target.url}
        self.relations.append(TruthRelation(kind, target.url, source.url, changed))

    def replace(self, report: TruthReport) -> None:
        self.world.reports[self.position[report.url]] = report
        self.world.by_url[report.url] = report

    def originals(self, share: float, prefer: Iterable[str] = ()) -> list[TruthReport]:
        """Reports to copy at new URLs, those on ``prefer`` hosts first."""
        pool = self.eligible()
        first = [r for r in pool if r.host in prefer]
        others = [r for r in pool if r.host not in prefer]
        picks = self.rng.sample(first, len(first)) + self.rng.sample(others, len(others))
        return picks[: self.quota(share)]

    def exact(self) -> None:
        """The same article at two URLs: a department's report also in the city collection."""
        for original in self.originals(EXACT_SHARE, prefer=(SW, CSGLW)):
            host = WWW if original.host in (SW, CSGLW) else original.host
            url = self.new_url(self.rng, host, original.year, original.published)
            copy = dataclasses.replace(original, url=url, host=host, portal=PORTAL_OF_HOST[host])
            self.add_copy("exact", original, copy)

    def near_duplicates(self) -> None:
        """A re-posted copy with a small edit: a paragraph dropped or added, a later date."""
        for original in self.originals(NEAR_SHARE):
            day = datetime.date.fromisoformat(original.published)
            published = (day + datetime.timedelta(days=self.rng.randint(3, 40))).isoformat()
            url = self.new_url(self.rng, original.host, original.year, published)
            sections = edit_paragraphs(self.rng, original)
            copy = dataclasses.replace(
                original, url=url, published=published, sections=sections, figures=()
            )
            self.add_copy("near_duplicate", original, copy)

    def add_copy(self, kind: str, original: TruthReport, copy: TruthReport) -> None:
        style = self.world.styles[original.url]
        self.add_report(copy, ReportStyle(style.style_seed, None, style.image_urls), ("report",))
        self.used |= {original.url, copy.url}
        self.relations.append(TruthRelation(kind, copy.url, original.url))


def add_copies(
    world: World, rng: random.Random, new_url: NewUrl, twin_of: TwinOf, add_report: AddReport
) -> list[TruthRelation]:
    """Make reuse, cross-agency, exact and near-duplicate copies; their relations."""
    copier = Copier(world, rng, new_url, twin_of, add_report)
    copier.reuse()
    copier.cross_agency()
    copier.exact()
    copier.near_duplicates()
    return copier.relations


def copy_sections(
    sections: tuple[TruthSection, ...], shift: int, names: tuple[tuple[str, str], ...]
) -> tuple[TruthSection, ...]:
    """Sections as a copier re-posts them: names replaced, every 'YYYY年' moved by ``shift``."""

    def fix(text: str) -> str:
        for old, new in names:
            text = text.replace(old, new)
        if shift:
            text = YEAR.sub(lambda m: f"{int(m.group(1)) + shift}年", text)
        return text

    return tuple(dataclasses.replace(s, heading=fix(s.heading), text=fix(s.text)) for s in sections)


def change_figures(rng: random.Random, section: TruthSection) -> TruthSection:
    """Raise some key numbers a prose section prints in plain digits (figures follow)."""
    text, figures = section.text, list(section.figures)
    for i, figure in enumerate(figures):
        value = figure.value
        if (
            figure.key not in CHANGEABLE_FIGURES
            or not isinstance(value, int)
            or value <= 0
            or sum(f.value == value for f in figures) > 1
            or rng.random() < 0.3
        ):
            continue
        printed = re.compile(rf"(?<![\d,.]){value}(?![\d,.])")
        if len(printed.findall(text)) != 1:
            continue  # printed in hanzi, full-width or with a comma: left as it was
        new = value + rng.randint(1, max(3, value // 4))
        text = printed.sub(str(new), text)
        figures[i] = TruthFigure(figure.key, new)
    return dataclasses.replace(section, text=text, figures=tuple(figures))


def change_cells(
    rng: random.Random, cells: tuple[TruthCell, ...]
) -> tuple[tuple[TruthCell, ...], tuple[CellKey, ...]]:
    """Copied tables with a few numbers changed, keeping every identity as it was."""
    if not cells:
        return (), ()
    key_of = {(c.table, c.block, c.row, c.column): c for c in cells}
    edits: dict[CellKey, int] = {}
    plain = [
        k
        for k, c in key_of.items()
        if k[0] == 2
        and isinstance(c.value, int)
        and c.raw == str(c.value)
        and k[3] not in MONEY_COLUMNS | SIGNED_COLUMNS
    ]
    for key in rng.sample(plain, min(len(plain), rng.randint(1, 3))):
        value = int(key_of[key].value or 0)
        edits[key] = value + rng.randint(1, max(2, value // 3)) * (
            -1 if value > 3 and rng.random() < 0.4 else 1
        )
    by_row = {(k[2], k[3]): k for k in key_of if k[0] == 3}
    results = sorted({(k[1], k[2]) for k in key_of if k[0] == 3 and is_result_row(k[2], k[1])})
    if results and rng.random() < 0.7:
        # one more answered request: new, one result row and （七）总计, in a column and 总计
        _, row = rng.choice(results)
        delta = rng.randint(1, 9)
        column = rng.choice(T3_COLUMNS[:-1])
        for r in (T3_NEW, row, T3_TOTAL):
            for col in (column, "总计"):
                key = by_row[(r, col)]
                edits[key] = int(key_of[key].value or 0) + delta
    if any(k[0] == 4 for k in key_of) and rng.random() < 0.5:
        block, column, delta = rng.choice(T4_BLOCKS), rng.choice(T4_COLUMNS[:-1]), 1
        for col in (column, "总计"):
            key = (4, block, "", col)
            edits[key] = int(key_of[key].value or 0) + delta
    out = tuple(
        dataclasses.replace(c, value=edits[k], raw=str(edits[k])) if k in edits else c
        for k, c in key_of.items()
    )
    return out, tuple(k for k in key_of if k in edits)


def edit_paragraphs(rng: random.Random, report: TruthReport) -> tuple[TruthSection, ...]:
    """One small edit: drop a paragraph of a long template section, else add a contact line."""
    sections = list(report.sections)
    droppable = [
        i
        for i, s in enumerate(sections)
        if report.generation != "prose" and s.number in (1, 5, 6) and s.text.count("\n") >= 1
    ]
    if droppable and rng.random() < 0.5:
        i = rng.choice(droppable)
        lines = sections[i].text.split("\n")
        del lines[rng.randrange(len(lines))]
        sections[i] = dataclasses.replace(sections[i], text="\n".join(lines))
    else:
        last = sections[-1]
        line = CONTACT.format(agency=report.agency)
        sections[-1] = dataclasses.replace(last, text=f"{last.text}\n{line}" if last.text else line)
    return tuple(sections)


def collect(world: World, copies: Iterable[TruthRelation]) -> tuple[TruthRelation, ...]:
    """Every relation whose two pages are reports of ``world``: copies, twins, mirrors."""
    urls = set(world.by_url) & {r.url for r in world.reports}
    found = list(copies)
    found += [
        TruthRelation("script_twin", r.url, r.source.removeprefix("gateway:"))
        for r in world.reports
        if r.source.startswith("gateway:")
    ]
    found += [
        TruthRelation("spam_mirror", r.url, r.copy_of)
        for r in world.reports
        if r.copy_of is not None
    ]
    return tuple(r for r in found if r.a_url in urls and r.b_url in urls)


def distinct_pairs(world: World, relations: Iterable[TruthRelation]) -> tuple[tuple[str, str], ...]:
    """Template reports written independently: same agency other year, or same year."""
    parent: dict[str, str] = {}

    def find(url: str) -> str:
        while parent.get(url, url) != url:
            parent[url] = parent.get(parent[url], parent[url])  # path halving
            url = parent[url]
        return url

    for relation in relations:
        parent[find(relation.a_url)] = find(relation.b_url)
    reports = [
        r
        for r in world.reports
        if r.source == "generated"
        and r.script == "Hans"
        and r.generation != "prose"
        and not r.topics
    ]
    by_agency: dict[tuple[str, str], list[TruthReport]] = defaultdict(list)
    by_year: dict[int, list[TruthReport]] = defaultdict(list)
    for report in reports:
        by_agency[(report.agency, report.generation)].append(report)
        by_year[report.year].append(report)
    pairs: dict[tuple[str, str], None] = {}
    for group in by_agency.values():
        group.sort(key=lambda r: r.year)
        pairs.update(((a.url, b.url), None) for a, b in zip(group, group[1:], strict=False))
    for group in by_year.values():
        pairs.update(
            ((a.url, b.url), None)
            for a, b in zip(group, group[1:], strict=False)
            if a.agency != b.agency
        )
    return tuple(p for p in pairs if find(p[0]) != find(p[1]))

"""Ground-truth relations between reports: copies share their text, independent reports do not."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nianbao.simweb import World, build_world
from nianbao.simweb.truth import KINDS, TruthReport

YEAR = re.compile(r"((?:19|20)\d\d)年")


@pytest.fixture(scope="module")
def world60() -> World:
    return build_world(seed=0, reports=60)


@pytest.fixture(scope="module")
def world_big() -> World:
    return build_world(seed=3, reports=1500)


def grams(report: TruthReport) -> set[str]:
    """Character 8-grams of a report's section text (headings and tables left out)."""
    text = "\n".join(s.text for s in report.sections)
    return {text[i : i + 8] for i in range(len(text) - 7)}


def jaccard(a: TruthReport, b: TruthReport) -> float:
    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def containment(a: TruthReport, b: TruthReport) -> float:
    """Share of the smaller text's 8-grams found in the other: the strictest overlap."""
    x, y = grams(a), grams(b)
    return len(x & y) / min(len(x), len(y))


def cells(report: TruthReport) -> dict[tuple, tuple]:
    return {(c.table, c.block, c.row, c.column): (c.value, c.raw) for c in report.tables}


def pairs_of(world: World, kind: str) -> list[tuple[TruthReport, TruthReport, tuple]]:
    return [
        (world.by_url[r.a_url], world.by_url[r.b_url], r.changed)
        for r in world.relations
        if r.kind == kind
    ]


def test_every_kind_is_present_at_sixty_reports(world60: World) -> None:
    counts = Counter(r.kind for r in world60.relations)
    assert set(counts) == set(KINDS), counts
    assert len(world60.distinct_pairs) >= 20


@pytest.mark.parametrize("name", ["world60", "world_big"])
def test_relation_pages_are_crawlable_truth_reports(name: str, request) -> None:
    world: World = request.getfixturevalue(name)
    reports = {r.url for r in world.reports}
    hosts = {h for p in world.portals for h in p.allowed_hosts}
    for relation in world.relations:
        assert relation.kind in KINDS
        assert relation.a_url != relation.b_url
        for url in (relation.a_url, relation.b_url):
            assert url in reports, (relation.kind, url)
            assert world.by_url[url].host in hosts
            page = world.lookup(url)
            assert page is not None and page.status == 200, url


def test_twins_and_mirrors_are_all_related(world60: World) -> None:
    related = {(r.kind, r.a_url, r.b_url) for r in world60.relations}
    twins = [r for r in world60.reports if r.source.startswith("gateway:")]
    mirrors = [r for r in world60.reports if r.copy_of]
    assert twins and mirrors
    for twin in twins:
        assert ("script_twin", twin.url, twin.source.removeprefix("gateway:")) in related
    for copy in mirrors:
        assert ("spam_mirror", copy.url, copy.copy_of) in related
    assert sum(k in ("script_twin", "spam_mirror") for k, _, _ in related) == len(twins) + len(
        mirrors
    )


def test_reuse_is_last_years_text_with_some_numbers_changed(world_big: World) -> None:
    reuse = pairs_of(world_big, "reuse")
    assert len(reuse) >= 5
    assert any(a.generation == "prose" for a, _, _ in reuse)
    changed_cells = 0
    for a, b, changed in reuse:
        assert a.agency == b.agency and a.year == b.year + 1 and a.url != b.url
        assert a.generation == b.generation
        back = [YEAR.sub(lambda m: f"{int(m.group(1)) - 1}年", s.text) for s in a.sections]
        if a.generation != "prose":
            # the copier only moved the years on: the prose is last year's, line for line
            assert back == [s.text for s in b.sections], a.url
        assert [s.heading for s in a.sections] == [s.heading for s in b.sections]
        old, new = cells(b), cells(a)
        assert set(old) == set(new)
        if old:
            assert changed, a.url
        assert len(set(changed)) == len(changed)
        for key in new:
            if key in changed:
                assert new[key][0] != old[key][0], (a.url, key)
            else:
                assert new[key] == old[key], (a.url, key)
        changed_cells += len(changed)
    assert changed_cells >= 10


def test_prose_reuse_changes_stated_figures_only_where_printed(world_big: World) -> None:
    prose = [(a, b) for a, b, _ in pairs_of(world_big, "reuse") if a.generation == "prose"]
    differing = 0
    for a, b in prose:
        for new, old in zip(a.sections, b.sections, strict=True):
            shifted = YEAR.sub(lambda m: f"{int(m.group(1)) - 1}年", new.text)
            changed = {
                f.key for f, g in zip(new.figures, old.figures, strict=True) if f.value != g.value
            }
            assert [f.key for f in new.figures] == [f.key for f in old.figures]
            if not changed:
                assert shifted == old.text, a.url
            for key in changed:
                value = next(f.value for f in new.figures if f.key == key)
                assert str(value) in new.text and str(value) not in old.text
            differing += len(changed)
    assert differing >= 1


def test_cross_agency_copies_are_same_year_other_agency(world_big: World) -> None:
    cross = pairs_of(world_big, "cross_agency")
    assert len(cross) >= 5
    # bench/crawl.py's world once held a same-day pair, whose direction no page can show
    cross += pairs_of(build_world(seed=0, reports=2000), "cross_agency")
    for a, b, changed in cross:
        assert a.agency != b.agency and a.year == b.year
        assert a.published > b.published  # the copier published later: the pages show it
        text = "\n".join(s.text for s in a.sections)
        source = "\n".join(s.text for s in b.sections)
        assert b.agency not in text or b.agency in a.agency
        if a.generation != "prose":
            restored = text.replace(a.agency, b.agency).replace(
                f"http://{a.host}/", f"http://{b.host}/"
            )
            assert restored == source, a.url
        old, new = cells(b), cells(a)
        assert {k for k in new if new[k] != old.get(k)} == set(changed)


def test_exact_copies_serve_the_same_article(world60: World, world_big: World) -> None:
    from nianbao.extract import extract_report

    exact = pairs_of(world_big, "exact")
    assert len(exact) >= 5
    # a department's report also in the city portal's collection
    assert any(b.host != a.host and a.host == "www.beijing.gov.cn" for a, b, _ in exact)
    for a, b, changed in pairs_of(world60, "exact") + exact[:10]:
        assert a.url != b.url and changed == ()
        assert (a.title, a.agency, a.year, a.published) == (b.title, b.agency, b.year, b.published)
        assert a.sections == b.sections and a.tables == b.tables
        texts = []
        for report in (a, b):
            page = (
                world60.lookup(report.url)
                if report.url in world60.by_url
                else world_big.lookup(report.url)
            )
            headers = {k.lower(): v for k, v in page.headers}
            texts.append(extract_report(report.url, headers, page.body).text)
        assert texts[0] == texts[1], a.url


def test_near_duplicates_differ_by_one_paragraph_and_the_date(world_big: World) -> None:
    near = pairs_of(world_big, "near_duplicate")
    assert len(near) >= 5
    for a, b, _ in near:
        assert a.url != b.url and a.published > b.published
        lines_a = [line for s in a.sections for line in s.text.split("\n")]
        lines_b = [line for s in b.sections for line in s.text.split("\n")]
        assert abs(len(lines_a) - len(lines_b)) == 1
        longer, shorter = sorted((lines_a, lines_b), key=len, reverse=True)
        assert any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
        assert jaccard(a, b) > 0.7


@pytest.mark.parametrize("name", ["world60", "world_big"])
def test_copies_share_most_text_and_independent_reports_little(name: str, request) -> None:
    world: World = request.getfixturevalue(name)
    for relation in world.relations:
        if relation.kind in ("reuse", "cross_agency", "exact", "near_duplicate"):
            a, b = world.by_url[relation.a_url], world.by_url[relation.b_url]
            assert jaccard(a, b) > 0.7, (relation.kind, a.url, round(jaccard(a, b), 3))
    for x, y in world.distinct_pairs:
        a, b = world.by_url[x], world.by_url[y]
        assert a.generation == b.generation != "prose"
        assert a.agency == b.agency or a.year == b.year
        assert containment(a, b) < 0.5, (x, y, round(containment(a, b), 3))


def test_distinct_pairs_are_joined_by_no_chain_of_relations(world_big: World) -> None:
    component: dict[str, set[str]] = {}
    for relation in world_big.relations:
        merged = component.get(relation.a_url, {relation.a_url}) | component.get(
            relation.b_url, {relation.b_url}
        )
        for url in merged:
            component[url] = merged
    assert len(world_big.distinct_pairs) >= 500
    assert len(set(world_big.distinct_pairs)) == len(world_big.distinct_pairs)
    for x, y in world_big.distinct_pairs:
        assert x != y and y not in component.get(x, {x})
        assert x in world_big.by_url and y in world_big.by_url


def test_relations_are_deterministic() -> None:
    one, two = build_world(seed=7, reports=40), build_world(seed=7, reports=40)
    assert one.relations == two.relations and one.distinct_pairs == two.distinct_pairs
    assert build_world(seed=8, reports=40).relations != one.relations

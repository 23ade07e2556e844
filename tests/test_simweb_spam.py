"""The simulated web's spam mirrors, clean seed 004 and false-positive bait, against its truth."""

from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import urlsplit

import opencc
import pytest

from nianbao.simweb import build_world
from tests.test_simweb import walk

KINDS = ("entity_hijack", "keyword_swap", "stuffed_header", "pinyin")
ARTICLE = re.compile(r'<div class="article">(.*?)<!-- /article -->', re.S)
SEED004_BRAND = "滚球体育app_188篮球比分-直播|官网:"  # read from seed 004 by hand


@pytest.fixture(scope="module")
def world():
    return build_world(seed=0, reports=60)


def mirrors(world):
    return [r for r in world.reports if r.portal == "mirrors"]


def page_text(world, url: str) -> str:
    """The whole page as text: tags dropped, entities undone."""
    body = world.lookup(url).body.decode("utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def article_text(world, url: str) -> str:
    """The main article of a page, read from its bytes: paragraphs on their own lines."""
    body = world.lookup(url).body.decode("utf-8")
    (article,) = ARTICLE.findall(body)
    article = re.sub(r"</(p|h1|div)>", "\n", article)
    return html.unescape(re.sub(r"<[^>]+>", "", article))


def test_every_injection_occurs_count_times_in_the_article(world):
    checked = 0
    for report in mirrors(world):
        assert report.spam, report.url
        text = article_text(world, report.url)
        for spam in report.spam:
            assert spam.kind in KINDS
            assert text.count(spam.injected) == spam.count > 0, (report.url, spam)
            if spam.kind in ("entity_hijack", "keyword_swap"):
                assert spam.original and spam.original not in text, (report.url, spam)
            checked += 1
    assert checked >= 20


def test_the_injection_reaches_title_and_department_field(world):
    hijacked = [r for r in mirrors(world) if any(s.kind == "entity_hijack" for s in r.spam)]
    for report in hijacked:
        brand = next(s.injected for s in report.spam if s.kind == "entity_hijack")
        body = world.lookup(report.url).body.decode("utf-8")
        assert brand in report.title_printed
        assert re.search(
            r"(公开责任部门|发布机构)[:：]</(th|span|td)>\s*(<td>)?[^<]*"
            + re.escape(html.escape(brand)),
            body,
        ), report.url


def test_every_kind_appears_at_least_three_times(world):
    kinds = Counter(kind for r in mirrors(world) for kind in {s.kind for s in r.spam})
    assert all(kinds[k] >= 3 for k in KINDS), kinds
    assert len(mirrors(world)) >= 8


def test_stuffed_lines_and_pinyin_have_their_shapes(world):
    for report in mirrors(world):
        for spam in report.spam:
            if spam.kind == "stuffed_header":
                assert re.search(r"[_|，]", spam.injected) and spam.original == ""
                assert article_text(world, report.url).startswith(spam.injected)
            if spam.kind == "pinyin":
                assert re.fullmatch(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", spam.injected)
                assert report.script == "Hant"


def brands(world) -> set[str]:
    return {
        s.injected
        for r in mirrors(world)
        for s in r.spam
        if s.kind in ("entity_hijack", "stuffed_header")
    } - {SEED004_BRAND}


def test_brands_are_generated_per_seed():
    one, two = brands(build_world(seed=0, reports=60)), brands(build_world(seed=1, reports=60))
    assert len(one) >= 4 and len(two) >= 4
    assert not one & two
    assert brands(build_world(seed=0, reports=60)) == one


def test_copies_keep_the_path_of_a_clean_registry_original(world):
    registry = {h for p in world.portals if p.name != "mirrors" for h in p.allowed_hosts}
    to_hant = opencc.OpenCC("s2t")
    for report in mirrors(world):
        original = world.by_url[report.copy_of]
        assert original.host in registry and original.portal != "mirrors"
        assert original.spam == () and report.source == f"mirror:{report.copy_of}"
        simplified = (
            original.source.removeprefix("gateway:")
            if original.source.startswith("gateway:")
            else original.url
        )
        assert urlsplit(report.url).path == urlsplit(simplified).path
        if report.script == original.script:
            assert report.title == original.title and report.agency == original.agency
        else:  # a Traditional copy of a Simplified page: truth is the converted clean title
            assert report.title == to_hant.convert(original.title)


def test_traditional_copies_have_their_simplified_original_reachable(world):
    traditional = [r for r in mirrors(world) if r.script == "Hant"]
    assert len(traditional) >= 3
    for report in traditional:
        original = world.by_url[report.copy_of]
        if original.source.startswith("gateway:"):
            original = world.by_url[original.source.removeprefix("gateway:")]
        assert original.script == "Hans" and world.lookup(original.url).status == 200


def test_enough_gateway_twins(world):
    assert sum(r.source.startswith("gateway:") for r in world.reports) >= 5


def test_seed_004_mirror_and_clean_original(world):
    mirror = world.by_url[world.seed_pages["004"]]
    # seed 004 prints the brand once in the title and seven times in the body (six document
    # names of the department and 《北京市…政府信息公开保密审查办法(试行)》)
    assert [(s.kind, s.injected, s.original, s.count) for s in mirror.spam] == [
        ("entity_hijack", SEED004_BRAND, "门头沟区", 8)
    ]
    clean = world.by_url[mirror.copy_of]
    assert clean.host == "www.bjmtg.gov.cn" and clean.portal == "mentougou"
    assert clean.agency == mirror.agency == "北京市门头沟区商务局"
    assert clean.title == "门头沟区商务局政府信息公开工作总结"
    assert clean.doc_no == "门商字〔2008〕71号" and clean.year == 2008
    text = page_text(world, clean.url)
    assert "滚球" not in text and "官网" not in text and SEED004_BRAND not in text
    assert "北京市门头沟区商务局" in text and "沟域经济" in text
    assert "《北京市门头沟区政府信息公开保密审查办法(试行)》" in text
    assert "今年5月1日" in text and "自2007年12月起" in text
    listing = page_text(world, "http://www.bjmtg.gov.cn/xxgk/zfxxgknb/index.html")
    assert "门头沟区商务局政府信息公开工作总结" in listing


def test_bait_reports_are_clean_and_speak_of_lotteries_sports_apps(world):
    bait = [r for r in world.reports if r.topics and r.portal != "mirrors"]
    assert len(bait) >= 5
    assert {r.generation == "prose" for r in bait} == {True, False}
    words = {
        "lottery": ("福利彩票", "体育彩票"),
        "sports": ("体育场馆", "全民健身"),
        "app": ("APP", "官网"),
    }
    for report in bait:
        assert report.spam == () and report.copy_of is None
        text = (
            page_text(world, report.url)
            if report.encoding == "utf-8"
            else html.unescape(re.sub(r"<[^>]+>", "", world.lookup(report.url).body.decode("gbk")))
        )
        for topic in report.topics:
            assert all(w in text for w in words[topic]), (report.url, topic)


def test_a_crawl_of_every_portal_reaches_the_mirrors():
    world = build_world(seed=2, reports=60)
    assert 'name = "mirrors"' in world.registry_toml()
    found: set[str] = set()
    offsite: set[str] = set()
    for portal in world.portals:
        reached, links = walk(world, portal)
        found |= reached
        if portal.name == "mirrors":
            offsite |= links
    copies = {r.url for r in mirrors(world)}
    assert len(copies) >= 8 and copies <= found
    family = {p.name for p in world.portals if p.family}  # reached by pagers only
    assert not [r.url for r in world.reports if r.url not in found and r.portal not in family]
    assert "http://www.gov.cn/" in offsite and "http://www.gov.cn/" in world.offsite


def test_a_world_without_spam_has_no_mirror_portal():
    world = build_world(seed=0, reports=60, spam=False)
    assert "mirrors" not in {p.name for p in world.portals}
    assert not [r for r in world.reports if r.spam or r.portal == "mirrors"]
    assert world.seed_pages["004"] in world.offsite
    assert "www.bjmtg.gov.cn" in {h for p in world.portals for h in p.allowed_hosts}

"""Spam proven by another copy of the same report (extract/copies.py), words no lexicon lists.

The brands, terms and lines here come from tests/test_spam_structure.py's fixture words,
checked there to share nothing with extract/spam_lexicon.py or simweb's held-out
vocabulary. Expected strings are typed by hand.
"""

from __future__ import annotations

import random

import pytest

from nianbao.extract.copies import site_shaped, spam_substitutions
from nianbao.extract.copy_diff import MAX_DIFF, undo
from nianbao.extract.script import converter
from nianbao.extract.spam import Substitution, detection_text, scan_spam
from tests.test_spam_structure import FIXTURE_WORDS

GOV, ORIGINAL_HOST, MIRROR = "www.bjdx.gov.cn", "www.bjdx.gov.cn", "www.muchen-mirror.net"
TITLE = "北京市大兴区科学技术和信息化局2021年政府信息公开工作年度报告"
CLEAN = "\n".join(
    (
        TITLE,
        "一、总体情况",
        "2021年，北京市大兴区科学技术和信息化局认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，全年主动公开政府信息120条。",
        "二、主动公开政府信息情况",
        "大兴区科学技术和信息化局通过政府网站、政务新媒体主动公开政府信息。",
        "三、收到和处理政府信息公开申请情况",
        "全年共收到政府信息公开申请5件，均按期答复。",
    )
)
# Glued to the real name with nothing after it: the page alone cannot tell where it ends.
GLUED = "沐晨庄z7|传送门"
# No Latin, digit, separator or bracket: on the page alone it reads as a name.
PLAIN_BRAND = "沐晨庄青禾云岫"
HEADER = "沐晨庄首充有礼_青禾线路测速_云岫每日打卡_songtao备用通途_碧潭天天送"


def test_fixtures_come_from_the_checked_words() -> None:
    for word in ("沐晨庄", "传送门", "青禾", "云岫", "碧潭", "songtao", "松涛里", "翠微楼"):
        assert word in FIXTURE_WORDS or word in HEADER


def subs(page: str, clean: str = CLEAN, host: str = MIRROR) -> tuple[Substitution, ...]:
    return spam_substitutions(detection_text(page)[0], detection_text(clean)[0], host, GOV)


def test_a_glued_brand_is_found_whole_where_the_copy_prints_the_name() -> None:
    page = CLEAN.replace("大兴区", GLUED)
    proven = subs(page)
    assert proven == (Substitution(GLUED, "大兴区", "entity_hijack"),)
    findings = scan_spam(page, page.split("\n")[0], proven).result.findings
    assert [(f.kind, f.injected) for f in findings] == [("entity_hijack", GLUED)] * 3
    assert [page[f.start : f.end] for f in findings] == [GLUED] * 3


def test_a_brand_without_a_site_shape_needs_the_copy_on_a_government_host() -> None:
    page = CLEAN.replace("大兴区", PLAIN_BRAND)
    assert subs(page) == (Substitution(PLAIN_BRAND, "大兴区", "entity_hijack"),)
    # both on government hosts: a name that differs may be a second agency, not spam
    assert subs(page, host="www.other.gov.cn") == ()


@pytest.mark.parametrize("host", [MIRROR, "www.bjchy.gov.cn"])
def test_two_reports_that_differ_by_a_name_are_no_spam(host: str) -> None:
    assert subs(CLEAN.replace("大兴区", "朝阳区"), host=host) == ()


def test_identical_and_traditional_copies_prove_nothing() -> None:
    assert subs(CLEAN) == ()
    assert subs(converter("s2t").convert(CLEAN)) == ()


def test_both_key_words_swapped_and_their_adjacent_pair_is_no_third() -> None:
    clean = CLEAN + "\n依申请公开政府信息的办理情况良好。"  # 公开政府: one difference, two swaps
    page = clean.replace("公开", "松涛里").replace("政府", "翠微楼")
    assert subs(page, clean) == (
        Substitution("松涛里", "公开", "keyword_swap"),
        Substitution("翠微楼", "政府", "keyword_swap"),
    )
    scan = scan_spam(page, page.split("\n")[0], subs(page, clean))
    assert {f.injected for f in scan.result.findings} == {"松涛里", "翠微楼"}
    assert len(scan.result.findings) == page.count("松涛里") + page.count("翠微楼")
    # the copy proves the word each term stood for: it is guessed back for reading
    assert scan.guessed_text == clean


def test_a_line_the_copy_lacks_above_the_title_is_a_stuffed_header() -> None:
    page = HEADER + "\n" + CLEAN
    assert subs(page) == (Substitution(HEADER, "", "stuffed_header"),)
    findings = scan_spam(page, TITLE, subs(page)).result.findings
    assert [(f.kind, f.injected) for f in findings] == [("stuffed_header", HEADER)]
    assert undo(page, subs(page)) == CLEAN


def test_a_breadcrumb_a_re_host_added_is_no_stuffed_header() -> None:
    page = "首页 | 政务公开 | 政府信息公开年度报告 | 大兴区科学技术和信息化局\n" + CLEAN
    assert subs(page) == ()


def test_a_hijacked_line_near_the_top_is_not_an_added_line() -> None:
    # the office's name alone under the title: hijacked, it is four separated phrases,
    # three foreign to the copy, that the copy does not print
    title, rest = CLEAN.split("\n", 1)
    clean = f"{title}\n大兴区科信局\n{rest}"
    page = clean.replace("大兴区", "沐晨庄_青禾_云岫_碧潭")
    assert [s.kind for s in subs(page, clean)] == ["entity_hijack"]


def test_a_brand_sharing_two_characters_with_the_name_is_found_whole() -> None:
    # 体育 of 体育局 is also the brand's: the difference is split around it
    clean = CLEAN.replace("大兴区科学技术和信息化局", "体育局")
    brand = "沐晨庄z7足球体育·云岫_正站:"
    page = clean.replace("体育局", brand)
    assert subs(page, clean) == (Substitution(brand, "体育局", "entity_hijack"),)


def test_a_long_brand_in_a_short_line_is_found() -> None:
    # the line is the same line spammed, though the brand halves its ratio
    clean = CLEAN + "\n北京市通州区采育镇人民政府"
    brand = "沐晨庄z7-青禾muchen传送门_正站"
    page = clean.replace("通州区", brand)
    assert subs(page, clean) == (Substitution(brand, "通州区", "entity_hijack"),)


def test_a_clause_where_the_other_report_says_gongkai_is_no_swap() -> None:
    # two reports of one template saying different things at one place
    clean = CLEAN + "\n依申请公开工作中，切实规范登记。"
    page = CLEAN + "\n依申请审核环节，围绕交通治理相关工作优化依工作中，切实规范登记。"
    assert subs(page, clean) == ()


# ---------------------------------------------------------------- clean pairs (review)


def test_two_units_of_one_template_that_differ_in_one_word_are_no_swap() -> None:
    # 政府网站 in one, 街道网站 in the other: the page still prints 政府 elsewhere
    clean = CLEAN.replace("大兴区科学技术和信息化局", "黄村镇")
    page = CLEAN.replace("大兴区科学技术和信息化局", "清源街道")
    page = page.replace("通过政府网站", "通过街道网站")
    assert subs(page, clean, host=GOV) == ()
    assert subs(page, clean) == ()


def test_a_corrected_version_on_another_government_site_is_no_swap() -> None:
    page = CLEAN.replace("通过政府网站", "通过官方网站")
    assert subs(page, host="www.beijing.gov.cn") == ()
    assert subs(page) == ()  # even on a mirror: one occurrence is an edit, not a swap


def test_an_abbreviation_between_government_copies_is_no_brand() -> None:
    clean = CLEAN.replace("大兴区科学技术和信息化局", "朝阳区商务中心区管委会")
    page = clean.replace("商务中心区", "CBD")
    assert subs(page, clean, host="www.bjchy.gov.cn") == ()
    # an IP address tells nothing of who runs the host
    assert subs(CLEAN.replace("大兴区", PLAIN_BRAND), host="219.232.1.10") == ()


def test_a_letter_spaced_name_is_no_brand() -> None:
    page = CLEAN.replace("信息化局", "信息化 局 ")
    assert subs(page) == ()


def test_a_share_line_under_the_title_is_no_stuffed_header() -> None:
    title, rest = CLEAN.split("\n", 1)
    page = f"{title}\n分享到：微信、微博、QQ空间、人人网\n{rest}"
    assert subs(page, host="www.beijing.gov.cn") == ()


# ---------------------------------------------------------------- boundaries (review)


@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("大兴区", "沐晨z7_青禾专区"),  # ends with the name's last character
        ("科学技术和信息化局", "沐晨k8_青禾局"),
    ],
)
def test_a_brand_ending_as_the_name_ends_is_found_whole(name: str, brand: str) -> None:
    page = CLEAN.replace(name, brand)
    assert subs(page) == (Substitution(brand, name, "entity_hijack"),)


def test_a_brand_starting_as_the_name_starts_gives_the_name_back() -> None:
    # 大兴沐晨|正站 for 大兴区: cut one short (the shared 大 is the text's), the word whole
    page = CLEAN.replace("大兴区", "大兴沐晨|正站")
    assert subs(page) == (Substitution("兴沐晨|正站", "兴区", "entity_hijack"),)
    assert undo(page, subs(page)) == CLEAN


def test_a_brand_always_glued_to_a_swapped_word_is_two_findings() -> None:
    clean = CLEAN + "\n大兴区政府门户网站和大兴区政府公报"
    page = clean.replace("大兴区", GLUED).replace("政府", "翠微楼")
    assert subs(page, clean) == (
        Substitution(GLUED, "大兴区", "entity_hijack"),
        Substitution("翠微楼", "政府", "keyword_swap"),
    )


def test_a_line_longer_than_the_diff_reads_gives_no_difference() -> None:
    long_line = "全年主动公开政府信息。" * 400  # 4,400 characters
    clean = CLEAN + "\n" + long_line + "大兴区"
    page = clean.replace(long_line + "大兴区", long_line + GLUED)
    assert len(long_line) > MAX_DIFF
    assert subs(page, clean) == subs(CLEAN, CLEAN) == ()


@pytest.mark.parametrize(
    ("word", "shaped"),
    [
        ("沐晨庄z7", True),
        ("沐晨庄_青禾", True),
        ("【沐晨庄青禾】", True),
        ("muchen77", True),
        ("12345热线", False),  # digits alone: governments number things too
        ("CBD", False),  # Latin alone: an abbreviation
        ("中关村CBD", False),
        ("沐晨庄青禾", False),
    ],
)
def test_a_sites_shape(word: str, shaped: bool) -> None:
    assert site_shaped(word) is shaped


def test_a_difference_across_lines_is_no_brand() -> None:
    # another report of that day prints a table where this one has a sentence: the block
    # differs as a whole, and its "|" is a table's, not a brand's
    clean = CLEAN + "\n复议诉讼本年度政府信息公开行政复议0件"
    page = CLEAN + "\n复议诉讼情况见下表：\n| 政府信息公开行政复议 | 0件"
    assert subs(page, clean, host="www.beijing.gov.cn") == ()


def test_a_long_block_with_a_header_on_top_is_paired_line_by_line() -> None:
    # every line branded and a line put on top: one changed block too long to diff whole
    words = random.Random(11).choices([chr(c) for c in range(0x4E00, 0x4E00 + 2000)], k=4000)
    halves = ["".join(words[n : n + 20]) for n in range(0, 4000, 20)]
    # lines that share nothing but the name
    body = [halves[2 * n] + "大兴区" + halves[2 * n + 1] for n in range(100)]
    clean = "\n".join([TITLE, *body])
    page = "\n".join([HEADER, *clean.replace("大兴区", GLUED).split("\n")])
    assert len(page) > MAX_DIFF
    assert subs(page, clean) == (
        Substitution(GLUED, "大兴区", "entity_hijack"),
        Substitution(HEADER, "", "stuffed_header"),
    )

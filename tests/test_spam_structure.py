"""Spam found by structure (extract/spam_structure.py), with words no lexicon lists.

Every brand, term and phrase here was written for this file and is checked to share no word
with extract/spam_lexicon.py (``test_fixture_words_are_not_in_the_lexicon``), so each test
passes only through the structural rules. Expected strings are typed by hand.
"""

from __future__ import annotations

import html

import pytest

from nianbao.extract import extract_report
from nianbao.extract.classify import title_kind
from nianbao.extract.spam import HOLE, find_spam, report_title
from nianbao.extract.spam_lexicon import LEGITIMATE, STRONG_TERMS, WEAK_TERMS, WEB_TERMS
from nianbao.extract.spam_structure import structural_brands
from nianbao.extract.spam_template import foreign_line, structural_swaps
from nianbao.simweb import spam_vocab
from tests.test_extract import fetch, seed_004_page

BRAND = "沐晨庄z7_muchen传送门|正站:"
SWAP = "松涛里"
HEADER = "沐晨庄首充有礼_青禾线路测速_云岫每日打卡_songtao备用通途_碧潭天天送"
SEED_BRAND = "滚球体育app_188篮球比分-直播|官网:"
FIXTURE_WORDS = (
    "沐晨庄",
    "muchen",
    "传送门",
    "正站",
    "松涛里",
    "青禾",
    "云岫",
    "碧潭",
    "songtao",
    "翠微楼",
    "qingshan",
    "云梯",
    "yunti",
)


def test_fixture_words_are_not_in_the_lexicon():
    lexicon = STRONG_TERMS | WEAK_TERMS | WEB_TERMS | set(LEGITIMATE)
    for word in FIXTURE_WORDS:
        assert not any(len(w) > 1 and w.lower() in word.lower() for w in lexicon), word


def test_fixture_words_are_not_held_out_words():
    # Rules tuned on the held-out words would make bench/spam.py's held-out figures a
    # measure of the tests, not of unseen spam: the fixtures draw from neither vocabulary.
    fixtures = " ".join((BRAND, SWAP, HEADER, *FIXTURE_WORDS)).lower()
    held_out = spam_vocab.heldout_words() | set(spam_vocab.HELDOUT_DIGITS)
    assert not [w for w in held_out if len(w) > 1 and w.lower() in fixtures]


# ---------------------------------------------------------------- brands


def test_unlisted_brand_where_the_agency_name_stands():
    text = (
        f"北京市{BRAND}商务局2019年度工作总结\n"
        f"{BRAND}商务局认真落实《条例》，制定了《{BRAND}商务局信息公开工作办法》。"
    )
    result = find_spam(text)
    assert [(f.kind, f.injected) for f in result.findings] == [("entity_hijack", BRAND)] * 3
    assert result.clean_text == (
        "北京市□商务局2019年度工作总结\n□商务局认真落实《条例》，制定了《□商务局信息公开工作办法》。"
    )


@pytest.mark.parametrize("before", ["北京市", "公开责任部门:"])
def test_brand_starts_after_a_place_name_or_a_field_label(before):
    # Every occurrence shares ``before``: the brand still starts after 市 or the label's colon.
    brand = "云岫88-songtao直达|通道"
    text = f"{before}{brand}财政局\n{before}{brand}财政局推进公开。\n{before}{brand}财政局办法"
    text += "\n来源:财政局"  # where the brand ends: the office printed whole without it
    assert {f.injected for f in find_spam(text).findings} == {brand}
    assert structural_brands(text, None)[0] == brand  # longest first


GLUED = "翠微楼5566_qingshan云梯"  # no word of the lexicon's nor of simweb's held-out list


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("商务局", "来源:商务局"),
        # three characters before the place ending: the old guess (two before it) cut
        # 云梯青|石岭镇, a miss and a false finding at once
        ("青石岭镇人民政府", "北京市青石岭镇人民政府主办"),
        # the name printed whole is the longest one: not cut before 人民政府
        ("青石岭镇人民政府", "青石岭镇人民政府 人民政府"),
    ],
)
def test_glued_brand_ends_where_the_page_prints_the_name_alone(name, clean):
    text = f"北京市{GLUED}{name}2020年报告\n{GLUED}{name}主动公开信息。\n{GLUED}{name}网站\n{clean}"
    assert {f.injected for f in find_spam(text).findings} == {GLUED}


@pytest.mark.parametrize(
    "clean",
    [
        "",
        # an office ending alone, or a name that starts with one, is no name's start:
        # two characters printed elsewhere once cut …青石岭镇人民|政府
        "政府信息公开工作",
        "区政府办公室",
        # the tail of another name (马石岭镇) is not printed whole: not 云梯青|石岭镇
        "马石岭镇",
    ],
)
def test_glued_brand_with_no_evidence_of_its_end_is_not_reported(clean):
    # Nothing on the page says where 云梯 ends and the name begins: no finding beats a
    # finding with a guessed edge (precision first).
    lines = [f"北京市{GLUED}青石岭镇人民政府{rest}" for rest in ("报告", "公开", "网站")]
    assert find_spam("\n".join([*lines, clean])).findings == ()


def test_a_cut_that_leaves_the_brand_ending_as_a_place_is_no_evidence():
    # 卫生院 is printed whole, but cutting there leaves …云梯青石岭镇: the name goes on before.
    lines = [f"北京市{GLUED}青石岭镇卫生院{rest}" for rest in ("报告", "公开", "网站")]
    assert find_spam("\n".join([*lines, "卫生院"])).findings == ()


@pytest.mark.parametrize(
    ("clean", "found"), [("", set()), ("北京市青石岭镇人民政府主办", {"翠微楼5566_yunti"})]
)
def test_a_name_glued_before_a_year_is_not_the_brands_word(clean, found):
    # …_yunti青石岭镇人民政府关于2018年: the run before the year holds a name's ending, so it
    # is no brand word (…_go采育镇人民政府关于 was a false finding); the page decides the cut.
    lines = [
        f"北京市翠微楼5566_yunti青石岭镇人民政府关于2018年{r}" for r in ("报告", "公开", "网站")
    ]
    assert {f.injected for f in find_spam("\n".join([*lines, clean])).findings} == found


def test_the_title_templates_guanyu_after_a_colon_is_text():
    # …:关于2018年政府信息公开…: 关于 is the title's own word, not the brand's last one.
    brand = "翠微楼5566_qingshan:"
    text = "\n".join(f"北京市{brand}关于2018年政府信息公开工作年度报告" for _ in range(3))
    assert {f.injected for f in find_spam(text).findings} == {brand}


def test_a_year_after_a_brand_belongs_to_the_text():
    # issue 11's harness on the real 2013 report: "…:hub" then "2013年信息公开年度报告".
    brand = "909songtaom88:hub"
    title = f"{brand}2013年信息公开年度报告"
    text = f"{title}\n{brand}2013年度本局主动公开信息。"
    assert {f.injected for f in find_spam(text, title).findings} == {brand}


@pytest.mark.parametrize(
    ("brand", "after"),
    [
        # Every occurrence shares 传送门 after the colon, then differs: no office name, so it
        # is the brand's own last word.
        ("316琥珀湾青禾:传送门", ("2019年度报告", "政府投资项目管理办法", "管委会办公室")),
        # 商务局 after the colon is an office: the brand ends at its colon (as seed 004's).
        ("沐晨庄k8_muchen:", ("商务局2019年度报告", "商务局办法", "商务局办公室")),
    ],
)
def test_a_colon_ends_the_brand_unless_its_own_word_follows(brand, after):
    text = "\n".join(f"北京市{brand}{rest}" for rest in after)
    assert {f.injected for f in find_spam(text).findings} == {brand}


def test_brand_printed_once_is_confirmed_by_the_title():
    text = f"{BRAND}商务局全年主动公开政府信息120条。"
    assert find_spam(text).findings == ()
    title = f"{BRAND}商务局2019年政府信息公开工作年度报告"
    assert [f.injected for f in find_spam(text, title).findings] == [BRAND]


@pytest.mark.parametrize(
    "text",
    [
        # dates, times and label: value pairs use the same separators
        "生成日期:2008-12-24 00:00\n发布日期:2008-12-26 00:00\n成文日期:2008-12-24",
        "体育彩票公益金-全民健身工程:12个。\n全民健身工程:12个已建成。\n工程:12个",
        # a line of the page's own words, printed three times with separators
        "市体育局_全民健身|体育场馆开放公告，详见市体育局网站。\n" * 3,
    ],
)
def test_repeated_separated_government_text_is_not_a_brand(text):
    assert find_spam(text).findings == ()


# ---------------------------------------------------------------- swapped key words

CLEAN = (
    "北京市商务局2020年政府信息公开工作年度报告\n"
    "本机关主动公开政府信息120条，依申请公开5件，不予公开1件。\n"
    "公开指南和公开目录已更新。政府信息公开工作有序开展。"
)


def test_unlisted_term_filling_the_slots_of_gongkai():
    text = CLEAN.replace("公开", SWAP)
    result = find_spam(text)
    assert {(f.kind, f.injected) for f in result.findings} == {("keyword_swap", SWAP)}
    assert len(result.findings) == text.count(SWAP)
    assert result.clean_text == CLEAN.replace("公开", HOLE)


def test_both_key_words_swapped_to_two_unlisted_terms():
    text = CLEAN.replace("公开", SWAP).replace("政府", "瑞祥苑")
    assert structural_swaps(text, []) == [(SWAP, "公开"), ("瑞祥苑", "政府")]


def test_a_word_printed_beside_the_key_word_is_no_swap():
    # 服务 follows 主动 and precedes 指南 and 工作, but 公开 is still printed: no swap.
    text = CLEAN + "\n主动服务群众，服务指南齐全，服务工作到位，主动服务企业。"
    assert structural_swaps(text, []) == []
    assert find_spam(text).findings == ()


def test_a_swapped_title_still_reads_as_a_report():
    lines = CLEAN.replace("公开", SWAP).split("\n")
    assert title_kind(lines[0]) == "other"
    assert report_title(lines[0], lines) == "北京市商务局2020年政府信息公开工作年度报告"


# ---------------------------------------------------------------- stuffed header


def test_line_of_foreign_phrases_above_the_title():
    text = f"{HEADER}\n{CLEAN}"
    result = find_spam(text, CLEAN.split("\n")[0])
    assert [(f.kind, f.injected) for f in result.findings] == [("stuffed_header", HEADER)]
    assert result.clean_text == CLEAN


def test_navigation_in_the_pages_own_words_is_not_stuffing():
    assert not foreign_line("首页 | 政务公开 | 信息公开 | 政府信息", CLEAN)
    assert foreign_line(HEADER, CLEAN)


# ---------------------------------------------------------------- seed 004's page, held-out spam


def _report(markup: str):
    return extract_report("http://mirror.example.net/zwgk/d.html", *fetch(markup))


def test_held_out_brand_in_seed_004s_page():
    report = _report(seed_004_page().replace(SEED_BRAND, BRAND))
    assert report.is_report
    assert {(f.kind, f.injected) for f in report.spam} == {("entity_hijack", BRAND)}
    assert len(report.spam) == 8  # as with seed 004's own brand (tests/test_spam_pages.py)
    assert report.title == "□商务局政府信息公开工作总结"
    assert BRAND not in report.text


def test_held_out_swap_in_seed_004s_page():
    clean = seed_004_page().replace(SEED_BRAND, "门头沟区")
    report = _report(clean.replace("公开", SWAP))
    assert report.is_report  # the title lost its 公开 and is still a report
    assert {(f.kind, f.injected) for f in report.spam} == {("keyword_swap", SWAP)}
    assert report.title == "门头沟区商务局政府信息□工作总结"
    assert SWAP not in report.text


def test_held_out_stuffed_header_in_seed_004s_page():
    clean = seed_004_page().replace(SEED_BRAND, "门头沟区")
    markup = clean.replace("<h1>", f"<p>{html.escape(HEADER)}</p>\n<h1>", 1)
    report = _report(markup)
    assert report.is_report
    assert [(f.kind, f.injected) for f in report.spam] == [("stuffed_header", HEADER)]
    assert HEADER not in report.text

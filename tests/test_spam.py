"""find_spam on hand-written texts: the four kinds, new brands, and clean government topics.

Every expected count and string here is typed by hand from the fixture text beside it.
"""

from __future__ import annotations

import math

import pytest

from nianbao.extract.spam import HOLE, SPAM_KINDS, WEIGHTS, find_spam
from tests.seeds import seed_text

SEED_BRAND = "滚球体育app_188篮球比分-直播|官网:"


# ---------------------------------------------------------------- entity hijack


def test_seed_004_every_brand_occurrence():
    text = seed_text("004")
    result = find_spam(text)
    # Counted by reading the seed: first line, 公开责任部门, 信息名称, the heading, six
    # document names in (二), one in (四).
    assert len(result.findings) == 11
    for finding in result.findings:
        assert finding.kind == "entity_hijack"
        assert finding.injected == SEED_BRAND
        assert text[finding.start : finding.end] == SEED_BRAND
        assert finding.restored is None
    assert "滚球" not in result.clean_text and "官网" not in result.clean_text
    assert result.clean_text.startswith("北京市□商务局\n")
    assert "公开责任部门:□商务局" in result.clean_text
    assert "《北京市□政府信息公开保密审查办法(试行)》" in result.clean_text
    assert result.clean_text.count(HOLE) == 11


def test_new_brand_never_seen_before():
    text = (
        "北京市足球比分直播_9393娱乐官网|商务局2019年度工作总结\n"
        "足球比分直播_9393娱乐官网|商务局认真落实《条例》，制定了"
        "《足球比分直播_9393娱乐官网|商务局信息公开工作办法》。"
    )
    result = find_spam(text)
    assert [f.injected for f in result.findings] == ["足球比分直播_9393娱乐官网|"] * 3
    assert {f.kind for f in result.findings} == {"entity_hijack"}
    assert result.clean_text == (
        "北京市□商务局2019年度工作总结\n"
        "□商务局认真落实《条例》，制定了《□商务局信息公开工作办法》。"
    )


def test_brand_once_in_text_is_confirmed_by_the_title():
    brand = "电竞竞猜APP-365体育官方网站:"
    text = "电竞竞猜APP-365体育官方网站:商务局全年主动公开政府信息120条。"
    title = "电竞竞猜APP-365体育官方网站:商务局2019年政府信息公开工作年度报告"
    confirmed = find_spam(text, title)
    assert [(f.kind, f.injected, f.start, f.end) for f in confirmed.findings] == [
        ("entity_hijack", brand, 0, 18)
    ]
    assert confirmed.clean_text == "□商务局全年主动公开政府信息120条。"
    # Once, with no title to confirm it, a name-shaped string is not enough.
    assert find_spam(text).findings == ()


def test_brand_in_traditional_text():
    brand = "滾球體育app_188籃球比分-直播|官網:"
    text = f"{brand}商務局政府信息公開工作總結\n制定了《{brand}商務局政府信息清理工作辦法》。"
    result = find_spam(text)
    assert [f.injected for f in result.findings] == [brand, brand]
    assert result.clean_text == (
        "□商務局政府信息公開工作總結\n制定了《□商務局政府信息清理工作辦法》。"
    )


def test_brand_before_a_year_stops_at_its_separator():
    brand = "直播7788·比分足球手机版_app:"
    text = f"北京市{brand}2019年政府信息公开工作年度报告\n{brand}商务局主动公开政府信息。"
    result = find_spam(text)
    assert [f.injected for f in result.findings] == [brand, brand]
    assert result.clean_text.startswith("北京市□2019年政府信息公开工作年度报告")


def test_brand_without_a_gambling_word_but_with_digits_and_a_site_word():
    text = "99赛事彩票_官网商务局。制定《99赛事彩票_官网商务局办法》，99赛事彩票_官网商务局负责。"
    result = find_spam(text)
    assert [f.injected for f in result.findings] == ["99赛事彩票_官网"] * 3


def test_office_after_a_latin_ended_brand_is_the_real_agency():
    # simweb at 10,000 reports: the district before 体育局 became "…真人|APP"; 体育局 is real.
    brand = "比分棋牌平台:166篮球电竞:真人|APP"
    text = (
        f"北京市{brand}体育局2024年政府信息公开工作年度报告\n"
        f"{brand}体育局认真贯彻《条例》。{brand}体育局政府信息公开工作领导小组负责。"
    )
    result = find_spam(text)
    assert [f.injected for f in result.findings] == [brand] * 3
    assert result.clean_text.count("□体育局") == 3


# ---------------------------------------------------------------- keyword swap


def test_keyword_swap_of_gongkai():
    text = (
        "朝阳市商务局2019年政府信息买球网站工作年度报告\n"
        "依据《中华人民共和国政府信息买球网站条例》，编制本报告。\n"
        "全年主动买球网站政府信息120条，依申请买球网站2件。"
    )
    result = find_spam(text)
    assert [f.kind for f in result.findings] == ["keyword_swap"] * 4
    assert {f.injected for f in result.findings} == {"买球网站"}
    assert result.clean_text == (
        "朝阳市商务局2019年政府信息□工作年度报告\n"
        "依据《中华人民共和国政府信息□条例》，编制本报告。\n"
        "全年主动□政府信息120条，依申请□2件。"
    )


def test_keyword_swap_of_zhengfu_with_a_new_term():
    text = "足球投注信息公开工作年度报告\n根据《足球投注信息公开条例》，区足球投注办公室负责。"
    result = find_spam(text)
    assert [(f.kind, f.injected) for f in result.findings] == [("keyword_swap", "足球投注")] * 3
    assert result.clean_text == "□信息公开工作年度报告\n根据《□信息公开条例》，区□办公室负责。"


def test_a_weak_swap_term_needs_three_slots():
    # 足球注册 has no gambling word: two fitting slots may be chance, three in two phrases
    # are a swap (extract/spam_shapes.py keeps this rule for precision)
    two = "足球注册信息公开工作年度报告\n根据《足球注册信息公开条例》，本机关编制本报告。"
    assert find_spam(two).findings == ()
    three = two + "区足球注册办公室负责。"
    assert [(f.kind, f.injected) for f in find_spam(three).findings] == [
        ("keyword_swap", "足球注册")
    ] * 3


def test_weak_swap_term_counts_once_the_other_slot_term_is_known():
    # 政府 → 足球注册 (no gambling word: it must fill two kinds of phrase) and 公开 → 买球下注;
    # 足球注册's phrases show only with 买球下注 known (simweb at 10,000 reports).
    text = (
        "北京市密云区城市管理委员会2009年足球注册信息买球下注工作年度报告\n"
        "一、主动买球下注足球注册信息的情况\n"
        "主动买球下注足球注册信息数量为1458条，足球注册信息买球下注目录已全部更新。\n"
        "三、足球注册信息买球下注的收费及减免情况\n"
        "依申请提供足球注册信息，未向申请人收取任何费用。"
    )
    result = find_spam(text)
    found = {(f.injected, text.count(f.injected)) for f in result.findings}
    assert found == {("足球注册", 6), ("买球下注", 5)}
    assert len(result.findings) == 11 and "足球" not in result.clean_text


def test_swap_split_by_pinyin_is_still_found():
    text = "政府信(xìn)息买球网站工作年度報告\n依據《政府信(xìn)息买球网站條例》。"
    result = find_spam(text)
    assert [(f.kind, f.injected) for f in result.findings] == [
        ("pinyin", "(xìn)"),
        ("keyword_swap", "买球网站"),
        ("pinyin", "(xìn)"),
        ("keyword_swap", "买球网站"),
    ]
    assert result.clean_text == "政府信息□工作年度報告\n依據《政府信息□條例》。"


def test_swap_term_without_a_gambling_word_needs_several_phrases():
    text = "政府信息体育网址工作年度报告\n主动体育网址政府信息，依申请体育网址3件。"
    result = find_spam(text)
    assert [f.injected for f in result.findings] == ["体育网址"] * 3
    # Twice in one phrase only: a sports bureau's real web address, not a swap.
    assert find_spam("体育网址信息公开。体育网址信息公开。").findings == ()


def test_a_single_gambling_term_in_a_slot_is_not_a_swap():
    text = "本局依法公开打击网络赌博平台信息，公开曝光赌博平台12个。"
    assert find_spam(text).findings == ()


# ---------------------------------------------------------------- stuffed header


def test_stuffed_header_line_above_the_title():
    header = "澳门新葡京_真人百家乐_皇冠体育投注|成人视频,足球比分直播"
    body = (
        "北京市商务局2019年政府信息公开工作年度报告\n依据《中华人民共和国政府信息公开条例》编制。"
    )
    result = find_spam(f"{header}\n{body}", "北京市商务局2019年政府信息公开工作年度报告")
    assert [(f.kind, f.injected, f.start, f.end) for f in result.findings] == [
        ("stuffed_header", header, 0, 30)
    ]
    assert result.clean_text == body


def test_porn_stuffed_header_with_commas():
    header = "午夜激情视频，无码高清在线，裸聊直播平台，成人网站大全"
    result = find_spam(f"{header}\n北京市商务局2019年政府信息公开工作年度报告\n正文一段。")
    assert [f.kind for f in result.findings] == ["stuffed_header"]
    assert result.clean_text == "北京市商务局2019年政府信息公开工作年度报告\n正文一段。"


def test_separated_navigation_above_the_title_is_not_stuffing():
    text = "首页_政务公开_年度报告|北京市商务局\n北京市商务局2019年政府信息公开工作年度报告\n正文。"
    assert find_spam(text).findings == ()


# ---------------------------------------------------------------- pinyin


def test_pinyin_groups_in_traditional_text():
    text = (
        "依據國務(wù)院辦公廳關於規(guī)範(fàn)政府信息公開的要求，"
        "編(bian1)制本報告（以下簡稱《報告》）(試行)。"
    )
    result = find_spam(text)
    assert [(f.kind, f.injected) for f in result.findings] == [
        ("pinyin", "(wù)"),
        ("pinyin", "(guī)"),
        ("pinyin", "(fàn)"),
        ("pinyin", "(bian1)"),
    ]
    assert result.clean_text == (
        "依據國務院辦公廳關於規範政府信息公開的要求，編制本報告（以下簡稱《報告》）(試行)。"
    )
    assert all(text[f.start : f.end] == f.injected for f in result.findings)


# ---------------------------------------------------------------- clean texts


CLEAN_TEXTS = (
    "本局加强福利彩票销售管理，公开福利彩票销售网点120个。",
    "体育彩票公益金使用情况已在门户网站主动公开，体育彩票公益金-全民健身工程:12个。",
    "市体育局推进体育场馆免费低收费开放，全民健身设施覆盖率达100%。",
    "依托政务服务APP和“北京通”APP办理依申请公开，群众可登录市政府官网查询。",
    "市体育局_全民健身|体育场馆开放公告，详见市体育局官网。",
    "开展文化娱乐场所专项检查，打击赌博违法行为，公开查处结果。",
    "足球、篮球等体育赛事直播信号保障工作顺利完成。",
)


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_real_government_topics_are_not_spam(text):
    result = find_spam(text)
    assert result.findings == ()
    assert result.score == 0.0
    assert result.clean_text == text


def test_clean_topics_repeated_under_a_sports_title_stay_clean():
    text = "\n".join(CLEAN_TEXTS * 3)
    result = find_spam(text, "北京市体育局2019年政府信息公开工作年度报告")
    assert result.findings == ()
    assert result.score == 0.0


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_clean_seeds_have_no_spam(prefix):
    text = seed_text(prefix)
    result = find_spam(text, text.splitlines()[0])
    assert result.findings == ()
    assert result.score == 0.0
    assert result.clean_text == text


# ---------------------------------------------------------------- score


def test_score_formula():
    assert find_spam("正文").score == 0.0
    header = (
        "澳门新葡京_真人百家乐_皇冠体育投注|成人视频,足球比分直播\n"
        "北京市商务局2019年政府信息公开工作年度报告"
    )
    assert find_spam(header).score == pytest.approx(1 - math.exp(-1.5), abs=1e-3)
    assert set(WEIGHTS) == set(SPAM_KINDS)
    assert find_spam(seed_text("004")).score > 0.99

"""Key numbers from prose: simulated reports (truth = the generator's values) and hand-read text.

Expected values in the hand-written cases are what a person reads in the sentence; the
simulated web's figures are the numbers its generator drew, never a parse of its output.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nianbao.extract import extract_report
from nianbao.extract.figures import PHRASINGS, Figure, figure_keys, find_figures
from nianbao.simweb import build_world
from tests.seeds import seed_text


def _pairs(figures: tuple[Figure, ...]) -> Counter[tuple[str, int | float]]:
    return Counter((f.key, f.value) for f in figures)


def _sentence_holds_offset(text: str, figure: Figure) -> bool:
    """The figure's sentence occurs in ``text`` around the figure's offset."""
    start = text.rfind(figure.sentence, 0, figure.offset + len(figure.sentence))
    return start >= 0 and start <= figure.offset < start + len(figure.sentence)


# -- the simulated web ----------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "reports", "want_hant"), [(7, 40, False), (0, 300, True)])
def test_prose_reports_yield_exactly_their_truth_figures(
    seed: int, reports: int, want_hant: bool
) -> None:
    world = build_world(seed=seed, reports=reports)
    prose = [r for r in world.reports if r.generation == "prose"]
    assert prose
    compared = hant = 0
    for truth in prose:
        page = world.lookup(truth.url)
        assert page is not None
        headers = {name.lower(): value for name, value in page.headers}
        report = extract_report(truth.url, headers, page.body)
        # Spam copies: figures are read with swapped words guessed back (report.figures).
        assert _pairs(report.figures) == Counter((f.key, f.value) for f in truth.figures), truth.url
        if truth.spam:
            continue
        text = report.text
        figures = find_figures(text)
        want = Counter((f.key, f.value) for f in truth.figures)  # the generator's, not ours
        assert _pairs(figures) == want, truth.url
        # Knowing the year changes nothing here: no generated figure names another year.
        assert _pairs(find_figures(text, year=truth.year)) == want, truth.url
        for figure in figures:
            assert _sentence_holds_offset(text, figure), (truth.url, figure)
        compared += len(truth.figures)
        hant += truth.script == "Hant"
    assert compared > 0
    assert (hant > 0) == want_hant  # seed 0 serves gateway twins: Traditional text is tested


def test_generator_uses_several_wordings_and_zero_phrases() -> None:
    world = build_world(seed=0, reports=300)
    prose = [r for r in world.reports if r.generation == "prose" and r.script == "Hans"]
    text = "\n".join(s.text for r in prose for s in r.sections)
    for wording in (
        "全年主动公开信息",
        "共公开各类信息",
        "在主动公开的",
        "主动公开政府信息数量为",
        "受理依申请公开",
        "收到政府信息公开申请",
        "共受理申请",
        "未收到政府信息公开申请",
        "未发生针对本机关",
        "行政复议",
        "计划主动公开",
    ):
        assert wording in text, wording
    values = Counter(f.key for r in prose for f in r.figures if f.value == 0)
    assert values["requests_received"] and values["admin_review"] and values["fees_yuan"]


# -- seed 004 (2008, prose), read by hand ---------------------------------------------------


def test_seed_004_figures_read_by_hand() -> None:
    text = seed_text("004")
    figures = find_figures(text)
    # A person reads: 366 items proactively disclosed (330 + 36 cleared ones, stated as a
    # total in 在主动公开的366条信息中) and no requests (未受理任何依申请工作). The 453 cleared,
    # the 330 "其中公开信息" part, the 200 leaflets and the 42 transferred files are not figures.
    assert _pairs(figures) == Counter({("proactive_items", 366): 1, ("requests_received", 0): 1})
    by_key = {f.key: f for f in figures}
    proactive = by_key["proactive_items"]
    assert proactive.unit == "条"
    assert text[proactive.offset :].startswith("主动公开的366条信息")
    assert proactive.sentence.startswith("在主动公开的366条信息中")
    requests = by_key["requests_received"]
    assert requests.sentence == "截止20081224,我局未受理任何依申请工作"
    assert text[requests.offset :].startswith("未受理任何依申请工作")


def test_template_era_seeds_read_by_hand() -> None:
    # Not required of template reports, but their prose states figures too:
    # 000 (Traditional): 在網站主動公開資訊1982條; 依申請提供政府資訊未收取任何費用.
    assert _pairs(find_figures(seed_text("000"))) == Counter(
        {("proactive_items", 1982): 1, ("fees_yuan", 0): 1}
    )
    # 001: 未收到公开申请,未发生行政复议及行政诉讼.
    assert _pairs(find_figures(seed_text("001"))) == Counter(
        {("requests_received", 0): 1, ("admin_review", 0): 1, ("admin_litigation", 0): 1}
    )
    # 003: 公开各类政务信息491条; 全年未收到依申请公开件 (its 未涉诉 is left unread).
    found = _pairs(find_figures(seed_text("003")))
    assert found[("proactive_items", 491)] == 1 and found[("requests_received", 0)] == 1
    assert (
        sum(n for (key, _), n in found.items() if key in ("proactive_items", "requests_received"))
        == 2
    )


# -- hand-written sentences -----------------------------------------------------------------

CASES = [
    ("全年主动公开信息63条，其中机构职能类13条。", {("proactive_items", 63)}),
    ("主动公开政府信息1,234条。", {("proactive_items", 1234)}),
    ("本年度共公开各类信息１２０条。", {("proactive_items", 120)}),
    ("主动公开政府信息数量为88条。", {("proactive_items", 88)}),
    ("全年受理依申请公开21件，其中同意公开3件，均按期答复。", {("requests_received", 21)}),
    (
        "全年共收到政府信息公开申请5件，已答复4件。",
        {("requests_received", 5), ("requests_answered", 4)},
    ),
    ("共受理申请两件，办结两件。", {("requests_received", 2), ("requests_answered", 2)}),
    ("收到公民、法人和其他组织提出的政府信息公开申请十二件。", {("requests_received", 12)}),
    ("本年度未收到公开申请。", {("requests_received", 0)}),
    ("依申请公开数量为零。", {("requests_received", 0)}),
    ("被申请行政复议1起，行政诉讼三起。", {("admin_review", 1), ("admin_litigation", 3)}),
    (
        "未发生行政复议，因政府信息公开被提起行政诉讼一起。",
        {("admin_review", 0), ("admin_litigation", 1)},
    ),
    (
        "本年度未发生针对本机关政府信息公开的行政复议和行政诉讼。",
        {("admin_review", 0), ("admin_litigation", 0)},
    ),
    (
        "没有因政府信息公开申请提起行政复议、行政诉讼的情况。",
        {("admin_review", 0), ("admin_litigation", 0)},
    ),
    ("收到行政复议申请1件。", {("admin_review", 1)}),
    ("本年度收取检索、复制等费用35.5元。", {("fees_yuan", 35.5)}),
    ("全年收费0.2万元。", {("fees_yuan", 2000)}),
    ("依申请提供政府信息，未向申请人收取任何费用。", {("fees_yuan", 0)}),
    ("本年度未收取信息处理费。", {("fees_yuan", 0)}),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_hand_written_sentences(sentence: str, expected: set[tuple[str, int | float]]) -> None:
    figures = find_figures(sentence)
    assert set(_pairs(figures)) == expected
    assert len(figures) == len(expected)


NOT_FIGURES = [
    "前期印制商务局宣传折页200余份及文字介绍材料百余份。",
    "2009年计划主动公开政府信息500条，进一步提高公开质量。",
    "下一步，将主动公开信息500条。",
    "共清理各类信息453条，其中公开信息330条，依申请1条。",
    "全年受理行政许可申请1200件。",
    "依申请公开政府信息5条。",
    "去年主动公开信息300条。",
    "全年组织业务培训3次，参训人员120人次。",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_unrelated_counts_are_not_figures(sentence: str) -> None:
    assert find_figures(sentence) == ()


def test_another_years_clause_is_skipped_when_the_year_is_known() -> None:
    sentence = "2007年主动公开信息300条。"
    assert find_figures(sentence, year=2008) == ()
    assert _pairs(find_figures(sentence, year=2007)) == Counter({("proactive_items", 300): 1})


def test_traditional_text_keeps_offsets_and_sentence() -> None:
    text = (
        "一、概述\n本局高度重視。全年主動公開信息12條，其中機構職能類3條。"
        "收到政府信息公開申請兩件，均已答覆。"
    )
    figures = find_figures(text)
    assert _pairs(figures) == Counter({("proactive_items", 12): 1, ("requests_received", 2): 1})
    proactive, requests = figures
    assert text[proactive.offset :].startswith("主動公開信息12條")
    assert proactive.sentence == "全年主動公開信息12條，其中機構職能類3條"
    assert text[requests.offset : requests.offset + 2] == "收到"
    assert requests.sentence == "收到政府信息公開申請兩件，均已答覆"
    assert requests.unit == "件"


def test_every_documented_example_reads_as_its_key() -> None:
    for phrasing in PHRASINGS:
        regex = re.compile(phrasing.pattern)
        for example in phrasing.example.split(" / "):
            assert regex.search(example), (phrasing.key, example)
            assert phrasing.key in {f.key for f in find_figures(example)}, example
    assert figure_keys() == (
        "proactive_items",
        "requests_received",
        "requests_answered",
        "admin_review",
        "admin_litigation",
        "fees_yuan",
    )

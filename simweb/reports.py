"""Generated report content: titles, sections and statistical tables with known values."""

from __future__ import annotations

import random

from nianbao.simweb.narrative import prose_closing, prose_overview
from nianbao.simweb.template import MONEY_COLUMNS, SIGNED_COLUMNS, TABLE2, table3_rows
from nianbao.simweb.truth import (
    T3_COLUMNS,
    T4_BLOCKS,
    T4_COLUMNS,
    TruthCell,
    TruthFigure,
    TruthSection,
)

FULLWIDTH = str.maketrans("0123456789+-.", "０１２３４５６７８９＋－．")
NOT_APPLICABLE = ("/", "—", "无")
CellCache = dict[tuple, TruthCell]


def generation_of(year: int) -> str:
    """The report format in use for reports ON ``year``."""
    return "prose" if year <= 2018 else ("2019" if year <= 2020 else "2021")


def make_title(rng: random.Random, agency: str, year: int, generation: str) -> str:
    """The report title as printed."""
    if generation == "prose":
        roll = rng.random()
        if roll < 0.3:
            return f"{agency}{year}年政府信息公开工作总结"
        if roll < 0.42:
            return f"{agency}关于{year}年政府信息公开工作年度报告"
    return f"{agency}{year}年政府信息公开工作年度报告"


def _cell(
    cache: CellCache,
    table: int,
    block: str,
    row: str,
    column: str,
    value: int | float | None,
    raw: str,
) -> TruthCell:
    """Intern identical cells: most are small repeated numbers, so 10k reports stay small."""
    key = (table, block, row, column, value, raw)
    cell = cache.get(key)
    if cell is None:
        cell = cache[key] = TruthCell(table, block, row, column, value, raw)
    return cell


def _raw_int(rng: random.Random, value: int) -> str:
    return str(value).translate(FULLWIDTH) if rng.random() < 0.04 else str(value)


def _table2(rng: random.Random, generation: str, cache: CellCache) -> list[TruthCell]:
    cells = []
    for spec in TABLE2[generation]:
        for row in spec.rows:
            for column in spec.columns:
                roll = rng.random()
                if roll < 0.06:
                    raw = rng.choice(NOT_APPLICABLE)
                    cells.append(_cell(cache, 2, spec.block, row, column, None, raw))
                    continue
                if column in MONEY_COLUMNS:
                    value: int | float = round(rng.choice((0, 0, rng.uniform(0.5, 900))), 4)
                    raw = "0" if value == 0 else f"{value:.4f}"
                elif column in SIGNED_COLUMNS:
                    value = rng.choice((0, 0, 1, 2, -1, rng.randint(-9, 20)))
                    raw = f"{value:+d}" if value else "0"
                    if value and rng.random() < 0.4:
                        raw = raw.translate(FULLWIDTH)
                elif row == "规章":  # few agencies make rules at all
                    value = rng.choice((0, 0, 0, rng.randint(0, 3)))
                    raw = _raw_int(rng, value)
                else:
                    value = rng.choice((0, rng.randint(0, 12), rng.randint(0, 400)))
                    raw = _raw_int(rng, value)
                cells.append(_cell(cache, 2, spec.block, row, column, value, raw))
    return cells


def _split(rng: random.Random, total: int, parts: int, weights: list[float]) -> list[int]:
    """Split ``total`` into ``parts`` non-negative ints by jittered weights."""
    jittered = [w * rng.random() for w in weights]
    norm = sum(jittered) or 1.0
    out = [int(total * w / norm) for w in jittered]
    out[rng.randrange(parts) if rng.random() < 0.3 else 0] += total - sum(out)
    return out


def _table3_values(rng: random.Random, generation: str) -> dict[tuple[str, str], int]:
    rows = table3_rows(generation)
    results = [r for b, r in rows if b or r.startswith("（") and r != "（七）总计"]
    weights = [6.0 if i == 0 else (2.0 if i in (1, 2 + 8) else 0.3) for i in range(len(results))]
    busy = rng.random() < 0.7
    values: dict[tuple[str, str], int] = {}
    for col in T3_COLUMNS[:-1]:
        scale = 1.0 if col in ("自然人", "商业企业") else 0.15
        new = int(rng.choice((0, rng.randint(0, 12), rng.randint(0, 300))) * scale) if busy else 0
        carried = rng.randint(0, 4) if new and rng.random() < 0.5 else 0
        out = rng.randint(0, min(5, new + carried)) if rng.random() < 0.4 else 0
        handled = new + carried - out
        for row, n in zip(results, _split(rng, handled, len(results), weights), strict=True):
            values[(row, col)] = n
        values[("一、本年新收政府信息公开申请数量", col)] = new
        values[("二、上年结转政府信息公开申请数量", col)] = carried
        values[("（七）总计", col)] = handled
        values[("四、结转下年度继续办理", col)] = out
    for _, row in rows:
        values[(row, "总计")] = sum(values[(row, c)] for c in T3_COLUMNS[:-1])
    return values


def _table4_values(rng: random.Random) -> dict[tuple[str, str], int]:
    values: dict[tuple[str, str], int] = {}
    for block in T4_BLOCKS:
        busy = rng.random() < 0.35
        parts = [rng.choice((0, 0, 0, 1, 2, rng.randint(0, 9))) if busy else 0 for _ in range(4)]
        for col, n in zip(T4_COLUMNS[:-1], parts, strict=True):
            values[(block, col)] = n
        values[(block, "总计")] = sum(parts)
    return values


BREAK_KINDS = ("t4", "t3.cell", "t3.rowtotal", "t3.carry")


def _break(rng: random.Random, t3: dict, t4: dict, generation: str) -> None:
    """Change one or two cells so that at least one identity fails (as real reports do)."""
    kind = rng.choice(BREAK_KINDS)
    delta = rng.choice((1, 2, 3, 10))
    if kind == "t4":
        t4[(rng.choice(T4_BLOCKS), "总计")] += delta
    elif kind == "t3.cell":
        row = rng.choice([r for _, r in table3_rows(generation)])
        t3[(row, rng.choice(T3_COLUMNS[:-1]))] += delta
    elif kind == "t3.rowtotal":
        t3[(rng.choice([r for _, r in table3_rows(generation)]), "总计")] += delta
    else:
        col = rng.choice(T3_COLUMNS[:-1])
        t3[("四、结转下年度继续办理", col)] += delta
        t3[("四、结转下年度继续办理", "总计")] += delta


def make_tables(
    rng: random.Random, generation: str, cache: CellCache, broken: bool = False
) -> tuple[TruthCell, ...]:
    """All table 2/3/4 cells of a template report, optionally with an identity broken."""
    cells = _table2(rng, generation, cache)
    t3, t4 = _table3_values(rng, generation), _table4_values(rng)
    if broken:
        _break(rng, t3, t4, generation)
    for block, row in table3_rows(generation):
        for col in T3_COLUMNS:
            value = t3[(row, col)]
            cells.append(_cell(cache, 3, block, row, col, value, _raw_int(rng, value)))
    for block in T4_BLOCKS:
        for col in T4_COLUMNS:
            value = t4[(block, col)]
            cells.append(_cell(cache, 4, block, "", col, value, str(value)))
    return tuple(cells)


_PROSE_HEADINGS = (
    ("一、概述", "一、基本情况", "一、高度重视，加强组织领导"),
    ("二、主动公开政府信息的情况", "二、主动公开情况", "二、加强研究，扎实推进主动公开"),
    ("三、依申请公开政府信息的情况", "三、依申请公开情况", "三、规范办理依申请公开"),
    ("四、政府信息公开的收费及减免情况", "四、收费及减免情况", "四、收费及减免情况"),
    (
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "五、行政复议和行政诉讼情况",
        "五、复议诉讼情况",
    ),
    ("六、存在的主要问题及改进措施", "六、存在问题和改进措施", "六、下一步工作打算"),
)
# Counts printed in the text but not key figures: a parser must not report them.
_PROSE_DISTRACTORS = (
    "前期印制宣传折页{leaflets}余份，发放政府信息公开指南{guides}册。",
    "全年组织业务培训{trainings}次，参训人员{trainees}人次。",
)
_PROSE_PLAN = "{next_year}年计划主动公开政府信息{target}条，进一步提高公开质量。"
# Several wordings per key, so a parser is tested on more than one phrasing.
_PROACTIVE = (
    "全年主动公开信息{published}条，其中机构职能类{org}条，法规文件类{laws}条，"
    "业务动态类{news}条，全文电子化率达100%。",
    "{year}年共主动公开政府信息{published}条，其中规划计划类{plan}条，均通过政府网站同步发布。",
    "本年度共公开各类信息{published}条，较上年增加{delta}条。",
    "在主动公开的{published}条信息中，业务动态类信息{news}条，占总体的比例为{share}%。",
    "主动公开政府信息数量为{published}条，政府信息公开目录已全部更新。",
)
_REQUESTS = (  # (template, whether it also states how many were answered)
    ("全年受理依申请公开{requests}件，其中同意公开{granted}件，均按期答复。", False),
    ("全年共收到政府信息公开申请{requests}件，已答复{answered}件。", True),
    ("本年度共受理申请{requests}件，办结{answered}件，无超期答复情况。", True),
    ("收到公民、法人和其他组织提出的政府信息公开申请{requests}件，均已按期答复。", False),
)
_NO_REQUESTS = (
    "本年度未收到政府信息公开申请。",
    "全年受理依申请公开{requests}件。",
    "本年度我局未受理任何依申请公开事项。",
)
_FEES = (
    "本年度收取检索、复制等费用{fee}元，未减免任何费用。",
    "全年收费{fee}元，均按规定标准收取。",
)
_NO_FEES = (
    "本年度未收取检索、复制、邮寄等费用，未减免任何费用。",
    "依申请提供政府信息，未向申请人收取任何费用。",
)
_NO_REVIEW = (
    "本年度未发生针对本机关政府信息公开的行政复议和行政诉讼。",
    "本年度没有因政府信息公开申请提起行政复议、行政诉讼的情况。",
)
_REVIEW_BOTH = "本年度发生政府信息公开行政复议{review}件，行政诉讼{litigation}件。"
_REVIEW_ONLY = "因政府信息公开被申请行政复议{review}起，未发生行政诉讼。"
_LITIGATION_ONLY = "未发生行政复议，因政府信息公开被提起行政诉讼{litigation}起。"

Figures = tuple[TruthFigure, ...]


def _count(rng: random.Random, n: int) -> str:
    """A count as printed: mostly ASCII, sometimes full-width or 1,234, small ones in hanzi."""
    if 1 <= n <= 10 and rng.random() < 0.3:
        return "两" if n == 2 and rng.random() < 0.5 else _CN_NUMS[n - 1]
    if rng.random() < 0.05:
        return str(n).translate(FULLWIDTH)
    if n >= 1000 and rng.random() < 0.5:
        return f"{n:,}"
    return str(n)


def _proactive(rng: random.Random, year: int) -> tuple[str, Figures]:
    published = rng.randint(50, 1500)
    news = rng.randint(20, published)
    text = rng.choice(_PROACTIVE).format(
        year=year,
        published=_count(rng, published),
        org=rng.randint(5, 30),
        laws=rng.randint(5, 40),
        news=news,
        plan=rng.randint(1, 20),
        delta=rng.randint(1, 60),
        share=f"{100 * news / published:.2f}",
    )
    return text, (TruthFigure("proactive_items", published),)


def _requests(rng: random.Random) -> tuple[str, Figures]:
    requests = rng.choice((0, rng.randint(1, 9), rng.randint(10, 120)))
    if requests == 0:
        return (
            rng.choice(_NO_REQUESTS).format(requests=_count(rng, 0)),
            (TruthFigure("requests_received", 0),),
        )
    template, answers = rng.choice(_REQUESTS)
    answered = requests if rng.random() < 0.6 else rng.randint(0, requests)
    text = template.format(
        requests=_count(rng, requests),
        granted=rng.randint(0, requests),
        answered=_count(rng, answered),
    )
    figures = [TruthFigure("requests_received", requests)]
    if answers:
        figures.append(TruthFigure("requests_answered", answered))
    return text, tuple(figures)


def _fees(rng: random.Random) -> tuple[str, Figures]:
    if rng.random() < 0.8:
        return rng.choice(_NO_FEES), (TruthFigure("fees_yuan", 0),)
    fee: int | float = rng.choice((rng.randint(5, 300), round(rng.uniform(1, 200), 1)))
    return rng.choice(_FEES).format(fee=fee), (TruthFigure("fees_yuan", fee),)


def _review(rng: random.Random) -> tuple[str, Figures]:
    busy = rng.random() < 0.3
    review = rng.choice((0, 1, 2, rng.randint(0, 6))) if busy else 0
    litigation = rng.choice((0, 1, rng.randint(0, 4))) if busy else 0
    if review == litigation == 0:
        text = rng.choice(_NO_REVIEW)
    elif litigation == 0 and rng.random() < 0.7:
        text = _REVIEW_ONLY.format(review=_count(rng, review))
    elif review == 0 and rng.random() < 0.7:
        text = _LITIGATION_ONLY.format(litigation=_count(rng, litigation))
    else:
        text = _REVIEW_BOTH.format(review=_count(rng, review), litigation=_count(rng, litigation))
    return text, (TruthFigure("admin_review", review), TruthFigure("admin_litigation", litigation))


def _with_distractor(rng: random.Random, text: str, year: int) -> str:
    """Sometimes add a sentence whose counts are not key figures (leaflets, plans)."""
    roll = rng.random()
    if roll < 0.25:
        extra = rng.choice(_PROSE_DISTRACTORS).format(
            leaflets=rng.randint(50, 900),
            guides=rng.randint(10, 500),
            trainings=rng.randint(1, 9),
            trainees=rng.randint(20, 300),
        )
        return text + extra
    if roll < 0.4:
        return text + _PROSE_PLAN.format(next_year=year + 1, target=rng.randint(100, 2000))
    return text


def prose_sections(rng: random.Random, agency: str, year: int) -> tuple[TruthSection, ...]:
    """Free-prose sections of a 2008–2018 report, key numbers written in sentences.

    Each section carries the figures its sentences state (``TruthSection.figures``), taken
    from the values drawn here, so ``TruthReport.figures`` is known without parsing.
    """
    bodies: list[tuple[str, Figures]] = [
        (prose_overview(rng, agency, year), ()),
        _proactive(rng, year),
        _requests(rng),
        _fees(rng),
        _review(rng),
        (prose_closing(rng), ()),
    ]
    text, figures = bodies[0]
    bodies[0] = (_with_distractor(rng, text, year), figures)
    text, figures = bodies[5]
    bodies[5] = (_with_distractor(rng, text, year), figures)
    count = rng.choice((4, 5, 6, 6))
    variant = rng.randrange(3)
    picks = list(range(6))[:count] if count == 6 else sorted(rng.sample(range(6), count))
    return tuple(
        TruthSection(n + 1, _renumber(_PROSE_HEADINGS[i][variant], n), *bodies[i])
        for n, i in enumerate(picks)
    )


_CN_NUMS = "一二三四五六七八九十"


def _renumber(heading: str, index: int) -> str:
    """Give a heading the ordinal of its position (prose reports skip sections)."""
    return _CN_NUMS[index] + heading[1:]

"""Key numbers written in the prose of 2008–2018 reports ("主动公开信息424条", "受理依申请公开5件").

Every recognised phrasing is a ``Phrasing`` in ``PHRASINGS`` (data, so the README can list
them). Matching runs on the Simplified form of the text; offsets and sentences refer to the
text as given (Traditional included), which works because the conversion keeps length.
A spam copy is read with its swapped words guessed back (主动□ → 主动公开) and its figures
are then located in its clean text, holes and all (``figures_in``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nianbao.extract.script import converter

# A count as printed: ASCII or full-width digits (thousands commas allowed), or a small
# Chinese numeral (一件, 两件, 十二条).
_DIGITS = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_HANZI = r"[零〇一二两三四五六七八九十百千]+"
NUM = rf"(?P<num>{_DIGITS}|{_HANZI})"
# Words that may stand between an anchor and its number.
_TOTAL = r"(?:共计|共|总计|合计|累计|总数为|数量为|为)?"
# One character inside a clause (no digits: a gap never skips over another number) ...
_SPAN = r"[^。；！？\n，,：:\d０-９]"
# ... and one that does not start 复议 or 诉讼 (a review request is not an OGI request).
_GAP = rf"(?:(?!复议|诉讼){_SPAN})"
_INFO = r"(?:政府信息|政务信息|信息|政府资讯|政务资讯|资讯|文件)"


@dataclass(frozen=True)
class Phrasing:
    """One recognised wording: its key, a regex (Simplified) and whether it states a total."""

    key: str
    pattern: str
    example: str
    total: bool = False  # a total is not read after 其中 ("其中公开信息330条" is a part)
    zero: bool = False  # the phrase itself means 0 (未收到申请), it holds no number


_RECEIVE = r"(?:受理|收到|接到|接收|接受|登记)"
# What makes an application an OGI request, not one for a licence (受理行政许可申请 is not).
_REQUEST = rf"(?:{_GAP}{{0,20}}?公开{_GAP}{{0,8}}?申请|{_GAP}{{0,12}}?(?:依申请|申请公开))"
_COUNT = r"(?:件|个|宗|份|条|项)"
_CASES = r"(?:件|起|宗|个|次)"

PHRASINGS: tuple[Phrasing, ...] = (
    Phrasing(
        "proactive_items",
        rf"主动公开(?:了|的)?(?:各类|各项)?{_INFO}{_TOTAL}{NUM}余?条",
        "全年主动公开信息63条 / 主动公开政府信息1,234条 / 主动公开的政府信息共计63条",
        total=True,
    ),
    Phrasing(
        "proactive_items",
        rf"(?<!申请)(?<!不予)(?<!部分)(?<!主动)(?<!予以)(?<!同意)(?<!不)"
        rf"公开(?:了)?(?:各类|各项)?{_INFO}{_TOTAL}{NUM}余?条",
        "公开各类信息120条 / 共公开政府信息88条",
        total=True,
    ),
    Phrasing(
        "proactive_items",
        rf"主动公开(?:的|了)?{NUM}条(?:各类)?{_INFO}",
        "在主动公开的366条信息中 / 主动公开了63条信息",
        total=True,
    ),
    Phrasing(
        "proactive_items",
        rf"主动公开{_GAP}{{0,6}}?(?:数量|总数|条数){_TOTAL}{NUM}条",
        "主动公开政府信息数量为63条",
        total=True,
    ),
    Phrasing(
        "requests_received",
        rf"{_RECEIVE}{_REQUEST}(?:政府信息|信息)?{_TOTAL}{NUM}{_COUNT}",
        "受理依申请公开21件 / 收到政府信息公开申请5件",
        total=True,
    ),
    Phrasing(
        "requests_received",
        rf"共{_RECEIVE}(?:各类)?申请{_TOTAL}{NUM}{_COUNT}",
        "共受理申请8件",
        total=True,
    ),
    Phrasing(
        "requests_received",
        rf"(?:依申请公开|政府信息公开申请|信息公开申请)(?:的)?(?:受理量|数量|总数|件数)"
        rf"{_TOTAL}{NUM}{_COUNT}?",
        "政府信息公开申请数量为12件 / 依申请公开数量为零",
        total=True,
    ),
    Phrasing(
        "requests_received",
        rf"(?:未|没有|并未|尚未){_RECEIVE}(?:过)?(?:任何)?{_REQUEST}",
        "未收到公开申请 / 未受理任何依申请工作",
        zero=True,
    ),
    Phrasing(
        "requests_answered",
        rf"(?:答复|答覆|办结|办理完毕|处理完毕){_TOTAL}(?:申请)?{_TOTAL}{NUM}{_COUNT}",
        "已答复20件 / 办结21件 / 按时答复申请15件",
    ),
    Phrasing(
        "admin_review",
        rf"行政复议(?:申请|案件)?{_TOTAL}{NUM}{_CASES}",
        "行政复议2件 / 被申请行政复议1起",
    ),
    Phrasing(
        "admin_review",
        rf"(?:(?:未|并未)(?:发生|出现|收到|接到|受理|有|被申请|被提起)|没有|无(?!法|论|正当))"
        rf"(?:过)?(?:任何)?{_GAP}{{0,30}}?行政复议",
        "未发生行政复议 / 没有因政府信息公开申请提起行政复议",
        zero=True,
    ),
    Phrasing(
        "admin_litigation",
        rf"行政诉讼(?:案件)?{_TOTAL}{NUM}{_CASES}",
        "行政诉讼1件 / 提起行政诉讼两起",
    ),
    Phrasing(
        "admin_litigation",
        r"(?:(?:未|并未)(?:发生|出现|收到|接到|受理|有|被提起|被起诉)|没有|无(?!法|论|正当))"
        rf"(?:过)?(?:任何)?{_SPAN}{{0,30}}?行政诉讼",
        "未发生行政诉讼 / 未发生针对本机关的行政复议和行政诉讼",
        zero=True,
    ),
    Phrasing(
        "fees_yuan",
        rf"(?:收取|收费){_GAP}{{0,12}}?(?:费用|费|金额){_TOTAL}{NUM}(?P<unit>万元|元)",
        "收取检索、复制费用120元 / 收费金额0.5万元",
    ),
    Phrasing("fees_yuan", rf"收费{_TOTAL}{NUM}(?P<unit>万元|元)", "收费30元"),
    Phrasing(
        "fees_yuan",
        rf"(?:未|没有|并未|不)(?:向申请人)?收取(?:任何)?{_GAP}{{0,16}}?费",
        "未收取任何费用 / 未收取检索、复制、邮寄等费用",
        zero=True,
    ),
)

_COMPILED = tuple((p, re.compile(p.pattern)) for p in PHRASINGS)
_SENTENCE_END = "。；！？\n;!?"
_CLAUSE_END = _SENTENCE_END + "，,"
# A clause about a plan or another year states no figure for the reported year.
_PLAN = re.compile(r"(?<!规划)计划(?!类)|预计|力争|争取|拟|目标|去年|上年|上一年")
_FUTURE = re.compile(r"下一步|明年|下一年|下年度|今后")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_UNIT_WORDS = "条件个宗份项起次元"
_HANZI_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HANZI_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


@dataclass(frozen=True)
class Figure:
    """One key number read from prose: ``offset`` is where its phrase starts in the text.

    ``value`` is in the key's own unit (fees in 元 even when printed in 万元); ``unit`` is the
    counting word as printed (条, 件, 起, 元, 万元), empty for a zero phrase. ``sentence`` is
    ``text[sentence_offset:sentence_offset + len(sentence)]`` and holds ``offset``.
    """

    key: str
    value: int | float
    unit: str
    sentence: str
    offset: int
    sentence_offset: int


def find_figures(text: str, year: int | None = None) -> tuple[Figure, ...]:
    """Key numbers stated in ``text`` (Simplified or Traditional), in text order.

    With ``year`` given, a clause that names only other years (2009年计划…) is skipped.
    """
    simple = _simplified_same_length(text)
    found: list[tuple[int, int, Figure]] = []
    for phrasing, regex in _COMPILED:
        for match in regex.finditer(simple):
            figure = _figure(phrasing, match, text, simple, year)
            if figure is not None:
                found.append((match.start(), match.end(), figure))
    return _without_overlaps(found)


def figures_in(
    text: str, read: str, guesses: Sequence[tuple[int, int, int, int]], year: int | None = None
) -> tuple[Figure, ...]:
    """Figures read from ``read`` and located in ``text``, which differs only at ``guesses``.

    ``guesses`` are (text start, text end, read start, read end) of the spans that differ,
    in order: a spam copy's holes in ``text`` and the words guessed for them in ``read``.
    Offsets and sentences are then those of ``text``, never the guessed words.
    """
    figures = find_figures(read, year)
    if not guesses:
        return figures
    located = []
    for figure in figures:
        start = _located(figure.sentence_offset, guesses, at_end=False)
        end = _located(figure.sentence_offset + len(figure.sentence), guesses, at_end=True)
        raw = text[start:end]
        sentence = raw.strip()
        located.append(
            replace(
                figure,
                sentence=sentence,
                offset=_located(figure.offset, guesses, at_end=False),
                sentence_offset=start + len(raw) - len(raw.lstrip()),
            )
        )
    return tuple(located)


def _located(offset: int, guesses: Sequence[tuple[int, int, int, int]], at_end: bool) -> int:
    """Where ``offset`` of the read text falls in the text; inside a guess, at its hole."""
    moved = offset
    for text_start, text_end, read_start, read_end in guesses:
        if offset >= read_end:
            moved = offset - read_end + text_end
        elif offset > read_start:
            return text_end if at_end else text_start
        else:
            break
    return moved


def figure_keys() -> tuple[str, ...]:
    """The keys find_figures can return, in PHRASINGS order."""
    return tuple(dict.fromkeys(p.key for p in PHRASINGS))


def _simplified_same_length(text: str) -> str:
    """t2s of ``text``, character by character where phrase conversion changed the length."""
    t2s = converter("t2s")
    simple = t2s.convert(text)
    if len(simple) == len(text):
        return simple
    # Offsets must stay valid: convert one character at a time, keeping 1:1 results only.
    out = []
    for ch in text:
        conv = t2s.convert(ch)
        out.append(conv if len(conv) == 1 else ch)
    return "".join(out)


def _figure(
    phrasing: Phrasing, match: re.Match[str], text: str, simple: str, year: int | None
) -> Figure | None:
    """The Figure of one match, or None when its clause is a part, a plan or another year."""
    start = match.start()
    clause_start = _last_boundary(simple, start, _CLAUSE_END)
    clause_end = _next_boundary(simple, match.end(), _CLAUSE_END)
    before = simple[clause_start:start]
    clause = simple[clause_start:clause_end]
    if phrasing.total and "其中" in before:
        return None
    sentence_start = _last_boundary(simple, start, _SENTENCE_END)
    sentence_end = _next_boundary(simple, match.end(), _SENTENCE_END)
    if _PLAN.search(clause) or _FUTURE.search(simple[sentence_start:sentence_end]):
        return None
    if year is not None:
        years = {int(y) for y in _YEAR.findall(clause)}
        if years and year not in years:
            return None
    if phrasing.zero:
        value: int | float = 0
        unit = ""
    else:
        parsed = _number(match.group("num"))
        if parsed is None:
            return None
        value = parsed
        unit = _unit_of(match)
        if unit == "万元":
            value = round(value * 10000, 2)
        if isinstance(value, float) and value.is_integer() and phrasing.key != "fees_yuan":
            value = int(value)
    raw = text[sentence_start:sentence_end]
    sentence = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    return Figure(phrasing.key, value, unit, sentence, start, sentence_start + lead)


def _unit_of(match: re.Match[str]) -> str:
    """The counting word of a match: the named unit group or the match's last character."""
    unit = match.groupdict().get("unit")
    if unit:
        return unit
    tail = match.group(0)[match.end("num") - match.start() :]
    for ch in tail:
        if ch in _UNIT_WORDS:
            return ch
    return ""


def _last_boundary(text: str, index: int, stops: str) -> int:
    """Index just after the last stop character before ``index`` (0 if none)."""
    return max(text.rfind(ch, 0, index) for ch in stops) + 1


def _next_boundary(text: str, index: int, stops: str) -> int:
    """Index of the first stop character at or after ``index`` (len(text) if none)."""
    hits = [pos for ch in stops if (pos := text.find(ch, index)) >= 0]
    return min(hits, default=len(text))


def _number(raw: str) -> int | float | None:
    """An int (or float with a decimal point) from ASCII, full-width or Chinese numerals."""
    raw = raw.translate(_FULLWIDTH).replace(",", "")
    if raw[0].isdigit():
        return float(raw) if "." in raw else int(raw)
    return _hanzi_number(raw)


def _hanzi_number(raw: str) -> int | None:
    """Small Chinese numerals (一 … 九千九百九十九); None for anything else."""
    total, digit = 0, None
    for ch in raw:
        if ch in _HANZI_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row (一二) is not a count
            digit = _HANZI_DIGITS[ch]
        elif ch in _HANZI_UNITS:
            total += (1 if digit is None else digit) * _HANZI_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _without_overlaps(found: list[tuple[int, int, Figure]]) -> tuple[Figure, ...]:
    """Drop a match overlapping an earlier (or longer) accepted match of the same key."""
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, Figure]] = []
    for start, end, figure in found:
        if any(f.key == figure.key and start < e and s < end for s, e, f in kept):
            continue
        kept.append((start, end, figure))
    return tuple(figure for _, _, figure in kept)

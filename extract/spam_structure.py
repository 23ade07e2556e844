"""Spam found by what it does on the page, not by the words it is made of.

The lexicon (extract/spam_lexicon.py) only knows brands built from words someone listed;
spam built from other words (pinyin, made-up compounds, new Latin/digit names) passed it
untouched: 0 of 6 hijacks, 0 of 2 swaps, 0 of 2 stuffed headers on real report pages
(issue 11). These rules use only the page itself and the report format's own phrases:

- brand (entity_hijack): a separator chain (_ | - : ·) that stands where a name stands,
  repeats, and is site-name shaped. Its edges come from the page: the text shared by every
  occurrence is the brand, cut where an administrative name (…市, …局) takes over.
- swap and stuffed header: extract/spam_template.py.
"""

from __future__ import annotations

import re
from collections import Counter

BRAND_SEPARATORS = "_|｜-:：·•"
_SEPS = frozenset(BRAND_SEPARATORS)
MASK = "\x00"
_MIN_BRAND, _MAX_BRAND = 4, 48
# How far past the anchor the shared context of the occurrences is read.
_REACH = 48
# Place and office endings: where the brand's neighbour, a real name, ends (北京市|brand)
# or begins (brand|商务局). Format knowledge, not spam vocabulary.
_PLACE_END = frozenset("省市区县州镇乡旗盟")
_OFFICE_END = re.compile(
    r"(?:局|委员会|委|人民政府|政府|办公室|办公厅|厅|院|中心|管委会|街道办事处|街道|办|所|站|队|处)"
)
# Endings of the metadata block's labels (公开责任部门:, 信息名称:): a colon after one starts
# the field's value, not a brand.
_FIELD_LABELS = ("部门", "名称", "机构", "机关", "来源", "单位", "标题", "题名", "发布", "作者")
_DIGITS_ONLY = re.compile(r"^[\d\-:：·•_|｜.]+$")
# Dates and times (2008-12-26, 15:22) are printed with the same separators.
_DATE_TIME = re.compile(r"\d{4}-\d{1,2}|\d{1,2}[:：]\d{2}|\d-\d")
_LATIN_DIGIT = re.compile(r"[0-9A-Za-z]+")
_YEAR = re.compile(r"(?:19|20)\d\d$")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_word(ch: str) -> bool:
    return ch.isalnum() and ch != MASK


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# ---------------------------------------------------------------- brands


def structural_brands(masked: str, title: str | None, plain: str | None = None) -> list[str]:
    """Brand strings found by position and repetition, longest first (no vocabulary).

    ``plain`` is ``masked`` before masking, where a brand's parts are looked for elsewhere.
    """
    sources = [masked] + ([title] if title else [])
    found: set[str] = set()
    for anchor in _anchors(sources):
        brand = _grow(anchor, sources)
        if (
            brand
            and _site_shaped(brand)
            and _stands_as_name(brand, masked, title)
            and _foreign_parts(brand, plain if plain is not None else masked)
        ):
            found.add(brand)
    return sorted(found, key=len, reverse=True)


def _anchors(sources: list[str]) -> set[str]:
    """A separator with a word character on each side, printed at least twice."""
    counts: Counter[str] = Counter()
    for source in sources:
        for i in range(1, len(source) - 1):
            if source[i] in _SEPS and _is_word(source[i - 1]) and _is_word(source[i + 1]):
                # Separators between digits are dates, times and phone numbers (2019-2020).
                if source[i - 1].isdigit() and source[i + 1].isdigit():
                    continue
                counts[source[i - 1 : i + 2]] += 1
    return {a for a, n in counts.items() if n >= 2}


def _grow(anchor: str, sources: list[str]) -> str:
    """The text every occurrence of ``anchor`` shares around it, cut to the brand's edges."""
    lefts: list[str] = []
    rights: list[str] = []
    for source in sources:
        at = source.find(anchor)
        while at >= 0:
            lefts.append(_context(source, at, -1))
            rights.append(_context(source, at + len(anchor), 1))
            at = source.find(anchor, at + 1)
    if len(lefts) < 2:
        return ""
    left = _common(lefts, reverse=True) + anchor[0]
    right = anchor[2] + _common(rights, reverse=False)
    if anchor[1] in ":：" and left.endswith(_FIELD_LABELS):
        return ""  # a field's label and its value (公开责任部门:…), not a name's inside
    whole = sources[0].find(left + anchor[1] + right)
    if whole > 0 and sources[0][whole - 1] == MASK:
        # The shared run goes on into a masked government word (…166-体育赛事官网:): its
        # start cannot be seen, and a brand cut short is a wrong finding.
        return ""
    # The page without the shared string: where the real name shows up on its own.
    outside = sources[0].replace(left + anchor[1] + right, "\n")
    tail = _trim_tail(right, outside, anchor[1] in ":：")
    if tail is None:
        return ""  # where the brand ends is not known: no finding rather than a wrong one
    return _trim_head(left) + anchor[1] + tail


def _context(source: str, at: int, step: int) -> str:
    """Up to _REACH word or separator characters before (step -1) or after (step 1) ``at``."""
    out: list[str] = []
    i = at - 1 if step < 0 else at
    while 0 <= i < len(source) and len(out) < _REACH:
        ch = source[i]
        if not (_is_word(ch) or ch in _SEPS):
            break
        out.append(ch)
        i += step
    return "".join(reversed(out)) if step < 0 else "".join(out)


def _common(parts: list[str], reverse: bool) -> str:
    """The longest common suffix (reverse) or prefix of ``parts``."""
    items = [p[::-1] for p in parts] if reverse else parts
    size = 0
    for chars in zip(*items, strict=False):
        if len(set(chars)) != 1:
            break
        size += 1
    shared = items[0][:size]
    return shared[::-1] if reverse else shared


def _trim_head(left: str) -> str:
    """What of the shared left context belongs to the brand.

    A field label ends at its colon (公开责任部门:), a place name at its ending (北京市): the
    brand starts after the last of them. Always before the anchor's own character.
    """
    cut = 0
    for i, ch in enumerate(left):
        if ch in _PLACE_END or (ch in "：:" and left[:i].endswith(_FIELD_LABELS)):
            cut = i + 1
    return left[cut:]


def _trim_tail(right: str, outside: str, closed: bool = False) -> str | None:
    """What of the shared right context belongs to the brand; None when the page cannot tell.

    After the brand's last separator, Latin letters and digits are still the brand
    (…_app365); after a colon the real name follows (seed 004's …官网:商务局). A CJK run
    glued to the brand's last word (…_传送门黄村镇人民政府) is cut only where the page shows
    the real name begins: where a name it prints whole away from the brand starts.
    """
    last_sep = max((i for i, ch in enumerate(right) if ch in _SEPS), default=-1)
    body, rest = right[: last_sep + 1], right[last_sep + 1 :]
    latin = _LATIN_DIGIT.match(rest)
    if latin:
        leading = latin.group()
        year = _YEAR.search(leading)
        if year and rest.startswith("年", latin.end()):  # …:zhan + 2013年: the year is text
            leading = leading[: year.start()]
    if last_sep >= 0:
        closed = right[last_sep] in ":："
    if latin:
        if leading or last_sep >= 0:
            after = rest[len(leading) :]
            if not leading or not _CJK.match(after):
                return body + leading
            # CJK glued to the Latin run (…_qingshan云梯商务局) is the brand's word or the
            # name: the same evidence decides, and the name may start right after the run.
            tail = _rest_tail(after, outside, closed, 0)
            return None if tail is None else body + leading + tail
    # After a separator the real name may start at once; glued, rest[0] is the anchor's own.
    tail = _rest_tail(rest, outside, closed, 0 if last_sep >= 0 else 1)
    return None if tail is None else body + tail


def _rest_tail(rest: str, outside: str, closed: bool, first: int) -> str | None:
    """The brand's part of the CJK run after its last separator (or glued to the anchor)."""
    if not rest:
        return ""
    run = _LATIN_DIGIT.search(rest)
    if run and run.start() > 0 and (run.end() == len(rest) or _CJK.match(rest, run.end())):
        # A site name ends in its number or Latin word (…传送门4511|应急管理局); a year
        # followed by 年 belongs to the text (…正站|2015年).
        year = _YEAR.search(run.group())
        if year and rest.startswith("年", run.end()):
            # After a colon, a run that ends as an office (…:商务局2019年) is the real name.
            if closed and year.start() == 0 and _ends_as_name(rest[: run.start()]):
                return ""
            # A word the page prints elsewhere, or the title template's own 关于 (…关于2018年
            # 政府信息公开…), is the text, not the brand's: …正站:关于 was a false finding.
            pre = rest[: run.start()]
            if year.start() == 0 and (pre[:2] in outside or pre == "关于"):
                return "" if first == 0 else None
            # A place or office ending inside it (…_zou采育镇人民政府关于2018年) is a name glued
            # there, not the brand's own word: cut only where the page shows the name.
            if any(_ends_as_name(pre[:k]) for k in range(2, len(pre) + 1)):
                seen = _name_starts(pre, outside, first)
                return None if seen is None else pre[:seen]
            return rest[: run.start() + year.start()]
        return rest[: run.end()]
    seen = _name_starts(rest, outside, first)
    if seen is not None:
        return rest[:seen]
    if closed:
        # A colon closes a site name (seed 004's …官网:商务局) and the real name follows,
        # unless what every occurrence shares after it is short, no name and printed nowhere
        # else (…:传送门 then different text each time).
        own = len(rest) <= 6 and not _ends_as_name(rest) and rest[:2] not in outside
        return rest if own else ""
    # A short run the occurrences stop sharing right after is the brand's own last word
    # (…|主站), unless it ends as a name: then the word and the name are glued and nothing
    # on the page says where one ends. Cutting two characters before the place or office
    # ending was wrong for every three-character name (…正站北|臧村镇: a miss and a false
    # finding at once), so no cut is guessed.
    if len(rest) <= 6 and not _ends_as_name(rest):
        return rest
    return None


def _name_starts(rest: str, outside: str, first: int = 1) -> int | None:
    """Where in ``rest`` a name begins that the page prints whole away from the brand.

    Evidence, not a guess: rest[i:j] ends as a name (黄村镇, 商务局) and is printed outside
    after a non-CJK character or a place ending (…市黄村镇), so it is a whole name there, not
    the tail of a longer one. The earliest such start is the longest name. A cut that leaves
    the brand's word ending as a name (…传送门黄村镇|人民政府) is the name going on, not its
    start. Two characters printed elsewhere were not enough: 人民 and 政府 are everywhere.
    """
    for i in range(first, len(rest) - 2):
        # No name starts with an office word (…人民|政府办公室), and a name has more than
        # its ending: 政府 alone is printed everywhere and cut …北臧村镇人民|政府.
        if not _CJK.match(rest, i) or _ends_as_name(rest[:i]) or _OFFICE_END.match(rest, i):
            continue
        for j in range(len(rest), i + 2, -1):
            name = rest[i:j]
            if _ends_as_name(name) and _printed_whole(name, outside):
                return i
    return None


def _printed_whole(name: str, outside: str) -> bool:
    at = outside.find(name)
    while at >= 0:
        before = outside[at - 1] if at else "\n"
        if not _CJK.match(before) or before in _PLACE_END:
            return True
        at = outside.find(name, at + 1)
    return False


def _ends_as_name(run: str) -> bool:
    return bool(run) and (run[-1] in _PLACE_END or _OFFICE_END.search(run[-4:]) is not None)


def _site_shaped(brand: str) -> bool:
    """Long enough, a separator inside, letters (not a date), no masked government word."""
    if not (_MIN_BRAND <= len(brand) <= _MAX_BRAND) or MASK in brand:
        return False
    inner = brand.rstrip(BRAND_SEPARATORS).lstrip(BRAND_SEPARATORS)
    if not any(ch in _SEPS for ch in inner) or _DIGITS_ONLY.match(brand):
        return False
    if _DATE_TIME.search(brand):
        return False
    # A site name mixes scripts or carries a marker: Latin/digits beside CJK, or two or
    # more separators (a plain "甲-乙" compound has one).
    has_cjk = _CJK.search(brand) is not None
    has_latin = _LATIN_DIGIT.search(brand) is not None
    seps = sum(1 for ch in brand if ch in _SEPS)
    inner_seps = {ch for ch in inner if ch in _SEPS}
    letters = re.search("[A-Za-z]", brand) is not None
    value = re.split("[:：]", inner, maxsplit=1)[-1]
    if inner_seps <= {":", "："} and not letters and value[:1].isdigit():
        return False  # one colon before a number is a label and its value (工程:12, 电话:0591)
    # Latin alone with one separator: letters and digits both, and long (4511qingshanv6:zhan).
    mixed = letters and re.search(r"\d", brand) is not None and len(brand) >= 8
    return (
        (has_cjk and has_latin) or (has_cjk and seps >= 2) or (has_latin and (seps >= 2 or mixed))
    )


def _stands_as_name(brand: str, masked: str, title: str | None) -> bool:
    """Printed twice or more, and where a name stands: in the title, or glued to CJK text."""
    in_text = masked.count(brand)
    in_title = title.count(brand) if title else 0
    if in_text + in_title < 2 or in_text == 0:
        return False
    if in_title:
        return True
    glued = 0
    at = masked.find(brand)
    while at >= 0:
        before = masked[at - 1] if at else ""
        after = masked[at + len(brand)] if at + len(brand) < len(masked) else ""
        if _CJK.match(before or " ") or _CJK.match(after or " "):
            glued += 1
        at = masked.find(brand, at + len(brand))
    return glued >= 2


def _foreign_parts(brand: str, text: str) -> bool:
    """Most of the brand's parts appear nowhere on the page but in the brand itself.

    A brand took a name's place and brought its own words; a line the page really prints
    twice (市体育局_全民健身|体育场馆开放公告) is made of words the page uses elsewhere.
    """
    rest = text.replace(brand, "\n")
    parts = [p for p in re.split(f"[{re.escape(BRAND_SEPARATORS)}]+", brand) if len(p) >= 2]
    if not parts:
        return False
    foreign = sum(1 for p in parts if p not in rest)
    return foreign * 2 > len(parts)

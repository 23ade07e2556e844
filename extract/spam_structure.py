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
    return _trim_head(left) + anchor[1] + _trim_tail(right, outside, anchor[1] in ":：")


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


def _trim_tail(right: str, outside: str, closed: bool = False) -> str:
    """What of the shared right context belongs to the brand.

    After the brand's last separator, Latin letters and digits are still the brand
    (…_app365) and a CJK run is the real name again (…官网:商务局). A CJK run glued to the
    anchor's own segment (…_主页黄村镇人民政府) is cut where the real name begins: at the
    first two characters the page also prints away from the brand, else two characters
    before a place or office ending (黄村镇, 商务局).
    """
    last_sep = max((i for i, ch in enumerate(right) if ch in _SEPS), default=-1)
    body, rest = right[: last_sep + 1], right[last_sep + 1 :]
    latin = _LATIN_DIGIT.match(rest)
    if latin:
        leading = latin.group()
        year = _YEAR.search(leading)
        if year and rest.startswith("年", latin.end()):  # …:hub + 2013年: the year is text
            leading = leading[: year.start()]
        if leading or last_sep >= 0:
            return body + leading
    if last_sep >= 0:
        return body
    run = _LATIN_DIGIT.search(rest)
    if run and run.start() > 0 and (run.end() == len(rest) or _CJK.match(rest, run.end())):
        # A site name ends in its number or Latin word (…导航8077|应急管理局); a year
        # followed by 年 belongs to the text (…备用地址|2015年).
        year = _YEAR.search(run.group())
        if year and rest.startswith("年", run.end()):
            # After a colon, a run that ends as an office (…:商务局2019年) is the real name.
            if closed and year.start() == 0 and _ends_as_name(rest[: run.start()]):
                return ""
            return rest[: run.start() + year.start()]
        return rest[: run.end()]
    if closed:
        # A colon closes a site name (seed 004's …官网:商务局) and the real name follows,
        # unless what every occurrence shares after it is short, no name and printed nowhere
        # else (…金樽坊:导航, but not …首发:关于2018年).
        own = len(rest) <= 6 and not _ends_as_name(rest) and rest[:2] not in outside
        return rest if own else ""
    # A short run with nothing after it is the brand's own last word (…|主站).
    cut = len(rest) if len(rest) <= 6 else 0
    seen = next(
        (i for i in range(1, len(rest) - 1) if _CJK.match(rest, i) and rest[i : i + 2] in outside),
        None,
    )
    ending = next(
        (i for i in range(2, len(rest)) if rest[i] in _PLACE_END or _OFFICE_END.match(rest, i)),
        None,
    )
    cuts = [c for c in (seen, None if ending is None else ending - 2) if c is not None]
    return rest[: min(cuts)] if cuts else rest[:cut]


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
    # Latin alone with one separator: letters and digits both, and long (909hongyunm88:hub).
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

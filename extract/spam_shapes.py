"""Shape rules for injected gambling names and swapped key words (Simplified text in, spans out).

Two sources of candidates feed the same span logic: the lexicon's words (below), and the
structural rules of extract/spam_structure.py and extract/spam_template.py, which know no
spam word and find brands and swap terms by where they stand and that they repeat.

A brand is found by its shape, not looked up: short segments joined by separators
(_ | - : ·), the outer segments made of spam vocabulary, latin letters or digits, with at
least one gambling-specific word and one site marker (latin, digits or app/官网/下载 …).
A swapped key word is a gambling term standing in the slot of 公开/政府/信息/政务 inside a
phrase these reports always print (政府信息公开, 主动公开, 依申请公开 …).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from nianbao.extract.spam_lexicon import (
    LEGITIMATE,
    STRONG_TERMS,
    SWAP_WORDS,
    TEMPLATE_PHRASES,
    WEAK_TERMS,
    WEB_TERMS,
)
from nianbao.extract.spam_structure import structural_brands
from nianbao.extract.spam_template import structural_swaps

_W = "0-9A-Za-z\u3400-\u9fff"
BRAND_SEPARATORS = "_|｜-:：·•"  # what joins the words of a brand (滚球体育app_188…|官网:)
_SEP = re.escape(BRAND_SEPARATORS)
# A run of word characters ending in a separator, repeated; possessive so no backtracking,
# anchored at the start of a run so a long clause is scanned once.
_CHAIN = re.compile(rf"(?<![{_W}])(?:[{_W}]++[{_SEP}]{{1,2}})++[{_W}]*+")
_SEP_RUN = re.compile(rf"[{_SEP}]{{1,2}}")
_LATIN_DIGIT = re.compile(r"[0-9A-Za-z]+")
_LATIN_CHAR = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A middle segment longer than this is prose, not part of a name.
_MAX_MIDDLE = 12
_YEAR_AFTER = re.compile(r"(?:19|20)\d\d年")
_MAX_BRAND = 48
_MIN_BRAND = 4
_VOCAB = frozenset(w for w in STRONG_TERMS | WEAK_TERMS | WEB_TERMS if not w.isascii())
_MAX_WORD = max(len(w) for w in _VOCAB)
_CJK_VOCAB = sorted(_VOCAB, key=len, reverse=True)
_STRONG = re.compile(
    "|".join(re.escape(w) for w in sorted(STRONG_TERMS, key=len, reverse=True)), re.IGNORECASE
)
_WEB = re.compile(
    "|".join(re.escape(w) for w in sorted(WEB_TERMS, key=len, reverse=True)), re.IGNORECASE
)
_WEAK = re.compile("|".join(re.escape(w) for w in sorted(WEAK_TERMS, key=len, reverse=True)))
_LEGIT = re.compile("|".join(re.escape(w) for w in sorted(LEGITIMATE, key=len, reverse=True)))
# Two to four spam words in a row with no separator: a candidate swap term (买球网站, 足球投注).
_TERM = re.compile("(?:" + "|".join(re.escape(w) for w in _CJK_VOCAB) + "){2,4}")
MASK = "\x00"
_YEAR_AHEAD = re.compile(r"(?:19|20)\d\d年")
_OFFICE_ENDINGS = ("局", "中心", "机构")  # legitimate compounds that name an office
# Betting words whose touch makes a legitimate compound part of a brand.
_GLUE_WORDS = tuple(w for w in _CJK_VOCAB if not _WEB.fullmatch(w) and not _LEGIT.fullmatch(w))


@dataclass(frozen=True)
class Span:
    """A stretch [start, end) of the scanned text, with the word it displaced when known."""

    start: int
    end: int
    guess: str = ""
    phrase: str = ""  # the template phrase a swapped term was found in


def mask_legitimate(text: str) -> str:
    """Blank out real government topics (福利彩票, 体育局 …) keeping every offset.

    A compound glued to brand material (a separator, Latin letters or digits, a betting word:
    "体育赛事滚球_下载2828", "真人体育彩票|APP365") is part of a brand and stays.
    """
    return _LEGIT.sub(
        lambda m: m.group() if _glued(text, m.start(), m.end()) else MASK * len(m.group()), text
    )


def _glued(text: str, start: int, end: int) -> bool:
    # A separator only before the compound is where a brand ends and real text resumes
    # ("…官网:体育局"), so the left side counts only with a betting word, Latin or digits.
    # Web words (网站, 官网) and a year after it ("体育局网站", "体育局2023年") are ordinary.
    before, after = text[max(0, start - _MAX_WORD) : start], text[end : end + _MAX_WORD]
    if after and (
        after[0] in BRAND_SEPARATORS
        or (_latin_or_digit(after[0]) and not _YEAR_AHEAD.match(text, end))
    ):
        return True
    if any(after.startswith(w) for w in _GLUE_WORDS):
        return True
    # An office (体育局) right after a brand is the agency whose place name the brand took
    # ("北京市…真人|APP体育局"): only what follows it can glue it to the brand.
    if text[start:end].endswith(_OFFICE_ENDINGS):
        return False
    if before and _latin_or_digit(before[-1]):
        return True
    return any(before.endswith(w) for w in _GLUE_WORDS)


def _latin_or_digit(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def has_strong(text: str) -> bool:
    """True when a gambling/porn-specific word occurs in (masked) text."""
    return _STRONG.search(text) is not None


def _is_latin(ch: str) -> bool:
    return ch in _LATIN_CHAR


def _suffix_start(seg: str) -> int:
    """Where the trailing run of spam words, latin or digits in ``seg`` begins."""
    i = len(seg)
    while i > 0:
        if _is_latin(seg[i - 1]):
            while i > 0 and _is_latin(seg[i - 1]):
                i -= 1
            continue
        for size in range(min(_MAX_WORD, i), 1, -1):
            if seg[i - size : i] in _VOCAB:
                i -= size
                break
        else:
            return i
    return i


def _prefix_end(seg: str) -> int:
    """Where the leading run of spam words, latin or digits in ``seg`` ends."""
    i = 0
    while i < len(seg):
        if _is_latin(seg[i]):
            run = i
            while i < len(seg) and _is_latin(seg[i]):
                i += 1
            if _YEAR_AFTER.match(seg, max(run, i - 4)) and i < len(seg) and seg[i] == "年":
                return max(run, i - 4)  # "…APP:2019年": the year belongs to the title
            continue
        for size in range(min(_MAX_WORD, len(seg) - i), 1, -1):
            if seg[i : i + size] in _VOCAB:
                i += size
                break
        else:
            return i
    return i


def _name_part(seg: str) -> bool:
    """A middle segment that belongs to a name: short, and spam words/latin or gambling."""
    if not seg or len(seg) > _MAX_MIDDLE:
        return False
    return _prefix_end(seg) == len(seg) or has_strong(seg)


def _chain_candidates(chain: str, offset: int) -> list[tuple[int, int]]:
    """Name-shaped stretches inside one separator chain, as absolute [start, end)."""
    # Segments as (start, end, separator end) relative to the chain.
    segs: list[tuple[int, int, int]] = []
    position = 0
    for sep in _SEP_RUN.finditer(chain):
        segs.append((position, sep.start(), sep.end()))
        position = sep.end()
    segs.append((position, len(chain), len(chain)))
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(segs) - 1:
        s0, e0, _ = segs[i]
        start = s0 + _suffix_start(chain[s0:e0])
        if start == e0:  # nothing name-like before the separator: start after it
            i += 1
            continue
        j = i + 1
        while j < len(segs) - 1 and _name_part(chain[segs[j][0] : segs[j][1]]):
            j += 1
        sj, ej, _ = segs[j]
        end = sj + _prefix_end(chain[sj:ej])
        if end == sj:  # the name ends with its separator ("…官网:")
            end = segs[j - 1][2]
        found.append((offset + start, offset + end))
        i = j
    return found


def _brand_shaped(brand: str) -> bool:
    """A gambling word, a separator inside, and a site marker (latin, digits, app/官网 …)."""
    if not (_MIN_BRAND <= len(brand) <= _MAX_BRAND):
        return False
    if MASK in brand:
        return False
    inner = brand.rstrip(BRAND_SEPARATORS)
    if _SEP_RUN.search(inner) is None:
        return False
    marked = _LATIN_DIGIT.search(brand) is not None
    web = _WEB.search(brand) is not None
    if has_strong(brand):
        return marked or web
    # No gambling word (99赛事彩票_官网): two filler words, digits and a site marker together.
    return marked and web and len(_WEAK.findall(brand)) >= 2


def brand_candidates(masked: str) -> list[str]:
    """Every brand-shaped string in masked Simplified text, once per occurrence."""
    out: list[str] = []
    for chain in _CHAIN.finditer(masked):
        text = chain.group()
        if not has_strong(text) and _WEAK.search(text) is None:
            continue
        for start, end in _chain_candidates(text, chain.start()):
            brand = masked[start:end]
            if _brand_shaped(brand):
                out.append(brand)
    return out


def find_brands(masked: str, title: str | None, plain: str | None = None) -> dict[str, list[Span]]:
    """Brands that repeat (twice in the text, or in the title too) and where each occurs."""
    candidates = set(brand_candidates(masked))
    # Count where the string occurs, not how often it was cut out the same way: a name
    # followed once by digits ("…手机版99" + "2015年") is still the same name.
    brands = [b for b in candidates if masked.count(b) + (title.count(b) if title else 0) >= 2]
    # Brands made of words no lexicon lists: found by where they stand and that they repeat.
    # Where the lexicon's words also make out a brand, its edges are kept: it knows where a
    # word like 手机版 ends and 文化和旅游局 begins, which the page alone cannot always tell.
    brands += [
        b
        for b in structural_brands(masked, title, plain)
        if not any(b in known or known in b for known in brands)
    ]
    if title:
        brands += [
            b
            for b in set(brand_candidates(mask_legitimate(title)))
            if b not in candidates and b in masked
        ]
    found: dict[str, list[Span]] = {}
    taken: list[tuple[int, int]] = []
    for brand in sorted(brands, key=len, reverse=True):
        spans = [s for s in _occurrences(masked, brand) if not _overlaps(s, taken)]
        if spans:
            found[brand] = spans
            taken.extend((s.start, s.end) for s in spans)
    return found


def _occurrences(text: str, needle: str, guess: str = "") -> list[Span]:
    spans: list[Span] = []
    start = text.find(needle)
    while start >= 0:
        spans.append(Span(start, start + len(needle), guess))
        start = text.find(needle, start + len(needle))
    return spans


def _overlaps(span: Span, taken: list[tuple[int, int]]) -> bool:
    return any(span.start < end and start < span.end for start, end in taken)


@functools.lru_cache(maxsize=64)
def _slot_patterns(
    term: str, others: tuple[str, ...]
) -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """A search pattern for template phrases with ``term`` (or a swap term already known,
    ``others``) in any swap-word slot, and per phrase a full-match pattern whose groups
    tell which slot each filled."""
    fillers = "|".join(re.escape(t) for t in (term, *others))
    alternatives: list[str] = []
    per_phrase: list[tuple[str, re.Pattern[str]]] = []
    slot = "|".join(SWAP_WORDS)
    for phrase in sorted(TEMPLATE_PHRASES, key=len, reverse=True):
        pieces = [p for p in re.split(f"({slot})", phrase) if p]
        plain = "".join(f"(?:{p}|{fillers})" if p in SWAP_WORDS else re.escape(p) for p in pieces)
        grouped = "".join(f"({p}|{fillers})" if p in SWAP_WORDS else re.escape(p) for p in pieces)
        alternatives.append(plain)
        per_phrase.append((phrase, re.compile(grouped)))
    return re.compile("|".join(alternatives)), tuple(per_phrase)


def fit_slots(text: str, term: str, others: tuple[str, ...] = ()) -> list[Span]:
    """Occurrences of ``term`` that fill a swap-word slot of a template phrase, with the word.

    ``others`` are swap terms already found: they may fill the phrase's other slots
    (政府 and 公开 swapped to different terms in 政府信息公开).
    """
    search, per_phrase = _slot_patterns(term, others)
    spans: list[Span] = []
    for match in search.finditer(text):
        rest = match.group()
        for filler in (term, *others):
            rest = rest.replace(filler, "")
        # A match made of swap terms alone (体育网址体育网址 as 政府信息) proves nothing.
        if term not in match.group() or rest == "":
            continue
        for phrase, pattern in per_phrase:
            full = pattern.fullmatch(match.group())
            if full is None:
                continue
            words = [w for w in re.split(f"({'|'.join(SWAP_WORDS)})", phrase) if w in SWAP_WORDS]
            for index, word in enumerate(words, start=1):
                if full.group(index) == term:
                    start = match.start() + full.start(index)
                    spans.append(Span(start, start + len(term), word, phrase))
            break
    return spans


def _term_like(term: str) -> bool:
    """A gambling word, or a filler word with a site word (体育网址)."""
    return has_strong(term) or (_WEAK.search(term) is not None and _WEB.search(term) is not None)


def swap_terms(masked: str, taken: list[tuple[int, int]]) -> list[str]:
    """Gambling terms (two to four spam words) outside known brands, longest first."""
    terms: set[str] = set()
    for match in _TERM.finditer(masked):
        span = Span(match.start(), match.end())
        if _term_like(match.group()) and not _overlaps(span, taken):
            terms.add(match.group())
    return sorted(terms, key=len, reverse=True)


def find_swaps(masked: str, taken: list[tuple[int, int]]) -> dict[str, list[Span]]:
    """Swapped key words: a term fitting template slots at least twice, every occurrence."""
    found: dict[str, list[Span]] = {}
    blocked = list(taken)
    # Most slots first, then the longer term: two swap terms side by side (电竞投注买球开户)
    # read as one term fit fewer slots than either part.
    # A term printed once fills at most one slot: skip it before compiling its patterns.
    terms = [term for term in swap_terms(masked, taken) if masked.count(term) >= 2]
    # Terms made of words no lexicon lists: found by the template slots they fill.
    terms += [t for t, _ in structural_swaps(masked, taken) if t not in terms]
    fitted = [(term, fit_slots(masked, term)) for term in terms]
    fitted.sort(key=lambda pair: (len(pair[1]), len(pair[0])), reverse=True)
    pending = [term for term, _ in fitted]
    # A term found lets others fill its phrases' other slots (政府 → 足球注册 shows only once
    # 公开 → 买球下注 is known): after each find, look at the terms passed over again.
    while (accepted := _first_swap(masked, pending, found, blocked)) is not None:
        term, spans = accepted
        pending.remove(term)
        found[term] = spans
        blocked.extend((s.start, s.end) for s in spans)
    return found


def _first_swap(
    masked: str, pending: list[str], found: dict[str, list[Span]], blocked: list[tuple[int, int]]
) -> tuple[str, list[Span]] | None:
    """The first pending term that fits enough slots, with all its occurrences; or None."""
    for term in pending:
        fits = [s for s in fit_slots(masked, term, tuple(found)) if not _overlaps(s, blocked)]
        if len(fits) < 2:
            continue
        # Without a gambling word, ask for more: three slots in two different phrases.
        if not has_strong(term) and (len(fits) < 3 or len({s.phrase for s in fits}) < 2):
            continue
        # The term replaced its words throughout; where no template shows which, use the
        # word it displaced most often.
        usual = Counter(s.guess for s in fits).most_common(1)[0][0]
        by_start = {s.start: s for s in fits}
        return term, [
            by_start.get(s.start, s)
            for s in _occurrences(masked, term, usual)
            if not _overlaps(s, blocked)
        ]
    return None


def fill_slots(text: str) -> str:
    """``text`` with any gambling term in a template slot put back to the displaced word."""
    masked = mask_legitimate(text)
    if _TERM.search(masked) is None:
        return text
    terms = tuple(swap_terms(masked, []))
    spans = [s for term in terms for s in fit_slots(masked, term, terms)]
    out = text
    last_start = len(text) + 1
    for span in sorted(spans, key=lambda s: (s.start, s.end), reverse=True):
        if span.end > last_start:  # overlaps a span already put back (terms nest)
            continue
        out = out[: span.start] + span.guess + out[span.end :]
        last_start = span.start
    return out

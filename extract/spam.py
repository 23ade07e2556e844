"""Spam injected into copies of reports: find it, mark where it was, and score the page.

Four kinds (SPAM_KINDS). Each is decided by structure; the lexicon (extract/spam_lexicon.py)
only adds candidates that the same structure must confirm, because a detector that needs
known words found none of the spam built from other words (issue 11):

- entity_hijack: a brand standing where a name stands, printed twice in the text or in
  the text and the title. Found two ways: a separator chain whose edges are what all its
  occurrences share, site-name shaped (Latin or digits beside CJK, or two separators) and
  made mostly of words the page prints nowhere else (extract/spam_structure.py); or a
  chain of lexicon words with a site marker (extract/spam_shapes.py). Each occurrence is a
  finding; the clean text keeps HOLE in its place.
- keyword_swap: a term that fills the slot of 公开/政府/信息 in the report format's template
  phrases (政府信息公开, 主动公开, 公开指南 …) at least three times in two phrases while the
  word it displaced is gone (extract/spam_template.py), or a lexicon term that fills two
  slots; then every occurrence is a finding, HOLE in the clean text.
- stuffed_header: a line above the title made of three or more short phrases joined by
  _ | , ， 、 /, of which at least two thirds share (almost) no two characters with the
  rest of the page, or of which at least two and half carry lexicon gambling/porn words.
  The line is one finding and is removed.
- pinyin: a parenthesised pinyin syllable with a tone mark or tone number straight after a
  CJK character (國務(wù)院). Each group is one finding and is removed.

Real government topics that share spam words (福利彩票, 体育彩票, 体育局, 全民健身 …) are
masked first; see extract/spam_lexicon.py for the vocabulary and where it came from.

Score: 1 − exp(−Σ weight(kind) per finding), weights entity_hijack 0.6, keyword_swap 0.4,
stuffed_header 1.5, pinyin 0.25: 0.0 with no finding, one stuffed header ≈ 0.78, the eight
brand occurrences of seed 004's page ≈ 0.99.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.extract.classify import report_title_match, title_kind
from nianbao.extract.script import to_simplified
from nianbao.extract.spam_shapes import (
    BRAND_SEPARATORS,
    MASK,
    Span,
    fill_slots,
    find_brands,
    find_swaps,
    has_strong,
    mask_legitimate,
)
from nianbao.extract.spam_template import foreign_line, structural_swaps, stuffed_phrases

SPAM_KINDS = ("entity_hijack", "keyword_swap", "stuffed_header", "pinyin")
HOLE = "□"
WEIGHTS = {"entity_hijack": 0.6, "keyword_swap": 0.4, "stuffed_header": 1.5, "pinyin": 0.25}

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"(?:[a-zü]*[{_TONED}][a-zü]*|[bcdfghjklmnpqrstwxyz]{{0,3}}[aeiouü][a-zü]{{0,4}}[1-5])"
# One or more syllables in ASCII or full-width parentheses right after a CJK character.
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]\s*{_SYLLABLE}(?:[\s'’]+{_SYLLABLE})*\s*[)）]", re.IGNORECASE
)
_STAND_IN = 0xF0000  # private-use plane: never in a page, never matched by _PINYIN
# A stuffed header sits above the title: look no further than this many lines.
HEADER_LINES = 6


@dataclass(frozen=True)
class SpamFinding:
    """One piece of injected spam, located in the original main text."""

    kind: str  # one of SPAM_KINDS
    start: int  # offset in ``place``: for "text", the ORIGINAL main text (text_original)
    end: int  # exclusive
    injected: str  # the injected text exactly as printed there
    restored: str | None = None  # filled later by archive restoration, None here
    # "text", or where in the page's head a stuffed header stands: "title" (the <title>),
    # "keywords" or "description" (that <meta>'s content)
    place: str = "text"


@dataclass(frozen=True)
class SpamResult:
    """All findings in a text, the text with spam removed, and a 0..1 spam score."""

    findings: tuple[SpamFinding, ...]
    clean_text: str  # spam removed; a removed entity/keyword leaves HOLE (one per hole)
    score: float  # 0.0 clean … 1.0 certainly spam


@dataclass(frozen=True)
class SpamScan:
    """A SpamResult plus the clean text with swapped words guessed back (for classifying)."""

    result: SpamResult
    guessed_text: str
    # (clean start, clean end, guessed start, guessed end) wherever the two texts differ:
    # what is read in guessed_text can be located in clean_text (figures are).
    guesses: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class Substitution:
    """A string a spam copy prints wherever another copy of the report prints ``word``.

    Learnt by comparing copies (extract/copies.py); ``injected`` is in detection form
    (Simplified, pinyin taken out), as scan_spam reads the text.
    """

    injected: str
    word: str
    kind: str  # entity_hijack | keyword_swap | stuffed_header (a whole line; word "")


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    clean: str
    guess: str
    finding: SpamFinding | None


def find_spam(text: str, title: str | None = None) -> SpamResult:
    """Find the four kinds of spam in a report's main text (title helps confirm names)."""
    return scan_spam(text, title).result


def detection_text(text: str) -> tuple[str, list[Span], list[int] | None]:
    """What the detector reads: ``text`` without pinyin, in Simplified where t2s keeps lengths.

    Returns that text, the pinyin groups taken out (in ``text`` offsets) and, when some
    were, each kept character's offset in ``text``.
    """
    pinyin = [Span(m.start(), m.end()) for m in _PINYIN.finditer(text)]
    # Pinyin splits words (信(xìn)息): the other kinds are read with it taken out.
    compact, origin = _without(text, pinyin)
    simple = to_simplified(compact)
    # t2s almost always keeps lengths, so offsets carry over; when not, read the original.
    return (simple if len(simple) == len(compact) else compact), pinyin, origin


def scan_spam(text: str, title: str | None = None, known: Sequence[Substitution] = ()) -> SpamScan:
    """find_spam, also returning the clean text with each swapped word's likely original.

    ``known`` are substitutions another copy of the report proves (extract/copies.py):
    every occurrence is a finding before the page's own evidence is read, so a brand the
    page alone cannot tell from a name, or cut short, is found whole.
    """
    edits: list[_Edit] = []
    taken: list[tuple[int, int]] = []  # in ``text`` offsets
    plain, pinyin, origin = detection_text(text)
    _add(edits, taken, text, "pinyin", pinyin, "")
    masked = mask_legitimate(plain)
    simple_title = strip_pinyin(to_simplified(title)) if title else None
    found: list[tuple[int, int]] = []  # in ``compact`` offsets
    for sub in sorted(known, key=lambda k: (-len(k.injected), k.injected)):
        at = re.finditer(re.escape(sub.injected), plain)
        spans = [Span(m.start(), m.end(), sub.word) for m in at]
        _add(edits, taken, text, sub.kind, _mapped(spans, origin), HOLE)
        found.extend((s.start, s.end) for s in spans)
    for spans in find_brands(masked, simple_title, plain).values():
        _add(edits, taken, text, "entity_hijack", _mapped(spans, origin), HOLE)
        found.extend((s.start, s.end) for s in spans)
    # A copy that proves swaps has shown them all: the page's slots hold nothing more.
    if not any(sub.kind == "keyword_swap" for sub in known):
        for spans in find_swaps(masked, found).values():
            _add(edits, taken, text, "keyword_swap", _mapped(spans, origin), HOLE)
            found.extend((s.start, s.end) for s in spans)
    proven = {sub.injected for sub in known if sub.kind == "stuffed_header"}
    for line in _mapped(_stuffed_lines(masked, simple_title, found, plain, proven), origin):
        _add_line(edits, taken, text, line.start, line.end)
    return _assemble(text, edits)


def _without(text: str, spans: list[Span]) -> tuple[str, list[int] | None]:
    """``text`` with ``spans`` cut out, and for each kept character its offset in ``text``."""
    if not spans:
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        origin.extend(range(position, span.start))
        position = span.end
    parts.append(text[position:])
    origin.extend(range(position, len(text)))
    origin.append(len(text))  # one past the end, for spans reaching the end
    return "".join(parts), origin


def _mapped(spans: list[Span], origin: list[int] | None) -> list[Span]:
    if origin is None:
        return spans
    return [Span(origin[s.start], origin[s.end - 1] + 1, s.guess, s.phrase) for s in spans]


def _add(
    edits: list[_Edit],
    taken: list[tuple[int, int]],
    text: str,
    kind: str,
    spans: list[Span],
    hole: str,
) -> None:
    for span in spans:
        if any(span.start < end and start < span.end for start, end in taken):
            continue
        finding = SpamFinding(kind, span.start, span.end, text[span.start : span.end])
        guess = span.guess if kind == "keyword_swap" else hole
        edits.append(_Edit(span.start, span.end, hole, guess, finding))
        taken.append((span.start, span.end))


def _add_line(
    edits: list[_Edit], taken: list[tuple[int, int]], text: str, start: int, end: int
) -> None:
    """A stuffed header line: one finding, cut with its line break (pinyin inside goes too)."""
    finding = SpamFinding("stuffed_header", start, end, text[start:end])
    cut_end = min(end + 1, len(text))
    edits[:] = [e for e in edits if not (start <= e.start and e.end <= cut_end)]
    taken[:] = [(s, e) for s, e in taken if not (start <= s and e <= cut_end)]
    edits.append(_Edit(start, cut_end, "", "", finding))
    taken.append((start, cut_end))


def _stuffed_lines(
    masked: str,
    title: str | None,
    found: list[tuple[int, int]],
    plain: str,
    proven: set[str],
) -> list[Span]:
    """Stuffed lines above the title, as spans of masked text without their line break.

    ``proven`` are lines (of ``plain``, the unmasked text) another copy lacks (copies.py).
    """
    spans: list[Span] = []
    position = 0
    compact_title = re.sub(r"\s+", "", title) if title else ""
    for number, line in enumerate(masked.split("\n")):
        start, end = position, position + len(line)
        position = end + 1
        if number >= HEADER_LINES:
            break
        compact = re.sub(r"\s+", "", line)
        if compact_title and compact_title in compact or report_title_match(compact):
            break
        if any(start < e and s < end for s, e in found):
            line = _blank_taken(line, start, found)
        if plain[start:end] in proven:
            spans.append(Span(start, end))
        elif stuffed_line(line, masked[:start] + masked[end:]):
            spans.append(Span(start, end))
    return spans


def _blank_taken(line: str, offset: int, taken: list[tuple[int, int]]) -> str:
    chars = list(line)
    for start, end in taken:
        for i in range(max(start, offset), min(end, offset + len(line))):
            chars[i - offset] = MASK
    return "".join(chars)


def stuffed_line(line: str, rest: str) -> bool:
    """A stuffed header: separated phrases foreign to ``rest`` or carrying lexicon terms."""
    return _stuffed(line) or foreign_line(line, rest)


def _stuffed(line: str) -> bool:
    """Three or more short phrases joined by separators, mostly gambling or porn."""
    phrases = stuffed_phrases(line)
    if phrases is None:
        return False
    spammy = sum(1 for p in phrases if has_strong(p))
    return spammy >= 2 and spammy * 2 >= len(phrases)


def _assemble(text: str, edits: list[_Edit]) -> SpamScan:
    edits.sort(key=lambda e: e.start)
    clean: list[str] = []
    guessed: list[str] = []
    guesses: list[tuple[int, int, int, int]] = []
    position = clean_at = guess_at = 0
    for edit in edits:
        plain = text[position : edit.start]
        clean += [plain, edit.clean]
        guessed += [plain, edit.guess]
        clean_at, guess_at = clean_at + len(plain), guess_at + len(plain)
        if edit.clean != edit.guess:
            guesses.append(
                (clean_at, clean_at + len(edit.clean), guess_at, guess_at + len(edit.guess))
            )
        clean_at, guess_at = clean_at + len(edit.clean), guess_at + len(edit.guess)
        position = edit.end
    clean.append(text[position:])
    guessed.append(text[position:])
    findings = tuple(e.finding for e in edits if e.finding is not None)
    result = SpamResult(findings, "".join(clean), spam_score(findings))
    return SpamScan(result, "".join(guessed), tuple(guesses))


def spam_score(findings: tuple[SpamFinding, ...]) -> float:
    """1 − exp(−Σ weight per finding): 0.0 for none, approaching 1.0 as spam piles up."""
    if not findings:
        return 0.0
    total = sum(WEIGHTS[f.kind] for f in findings)
    return round(1.0 - math.exp(-total), 4)


def strip_pinyin(value: str) -> str:
    """``value`` without parenthesised pinyin groups (國務(wù)院 → 國務院)."""
    return _PINYIN.sub("", value)


def clean_field(value: str | None, result: SpamResult) -> str | None:
    """A title or agency with the names/terms found in the text replaced by HOLE, pinyin cut."""
    injected = {f.injected for f in result.findings if f.kind in ("entity_hijack", "keyword_swap")}
    return fill_field(value, dict.fromkeys(injected))


def fill_field(value: str | None, words: dict[str, str | None]) -> str | None:
    """``value`` with each injected string (key) replaced by its word, HOLE where None; pinyin cut.

    clean_field with the words a restoration found: a hole it leaves gets the word instead.
    """
    if not value:
        return value
    words = dict(words)
    # A field cut from a title loses the brand's trailing separator (188官网: → 188官网).
    for needle in list(words):
        words.setdefault(needle.rstrip(BRAND_SEPARATORS), words[needle])
    words.pop("", None)
    # Stand-ins first, words last: a word put back is never matched as a needle itself.
    order = sorted(words, key=len, reverse=True)
    for number, needle in enumerate(order):
        value = value.replace(needle, chr(_STAND_IN + number))
    value = _PINYIN.sub("", value)
    return "".join(
        words[order[ord(ch) - _STAND_IN]] or HOLE
        if _STAND_IN <= ord(ch) < _STAND_IN + len(order)
        else ch
        for ch in value
    )


# A title that still reads as a yearly report once its key words are back (…工作年度报告).
_REPORT_ENDING = re.compile(r"(?:年度报告|年报|工作总结)$")


def report_title(title: str, page_lines: list[str]) -> str:
    """A Simplified title with swapped key words put back, for deciding whether it is a report.

    A swap replaces 公开/政府 in the title too (政府信息松涛里工作年度报告), and a title
    that lost them no longer reads as a report. The lexicon's terms are put back first; then
    any term the page's own text shows filling those words' slots (found by structure, so a
    term no lexicon lists is put back too). Only a title ending as a report is looked at.
    """
    simple = fill_slots(strip_pinyin(to_simplified(title)))
    compact = re.sub(r"\s+", "", simple)
    if title_kind(simple) == "report" or not _REPORT_ENDING.search(compact):
        return simple
    masked = mask_legitimate(strip_pinyin(to_simplified("\n".join(page_lines))))
    for term, word in structural_swaps(masked, []):
        simple = simple.replace(term, word)
    return simple

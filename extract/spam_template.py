"""Swapped key words and stuffed headers found from the report format, not from spam words.

- swap (keyword_swap): a string that fills one slot word's place (公开, 政府 …) in several
  template phrases, both as what follows the phrase's head (主动□) and what precedes its
  tail (□指南), while the slot word itself has been displaced.
- stuffed header: a line above the title of three or more short phrases joined by
  separators, most of which share not even two characters with the rest of the page.

Why not the lexicon: issue 11 (see extract/spam_structure.py).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from nianbao.extract.spam_lexicon import SWAP_WORDS, TEMPLATE_PHRASES

MASK = "\x00"


def _is_word(ch: str) -> bool:
    return ch.isalnum() and ch != MASK


# ---------------------------------------------------------------- swapped key words

_MAX_TERM = 8


def _frames() -> dict[str, list[tuple[str, str, str]]]:
    """Per slot word, the template phrases cut around it: (phrase, fixed left, fixed right)."""
    frames: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for phrase in TEMPLATE_PHRASES:
        for word in SWAP_WORDS:
            at = phrase.find(word)
            if at < 0 or phrase.count(word) != 1:
                continue
            left, right = phrase[:at], phrase[at + len(word) :]
            frames[word].append((phrase, left, right))
    return frames


_FRAMES = _frames()


# The words every report prints many times (its title says 政府信息公开): their absence is
# the evidence. 政务 is left out: a prose report may never print it.
_ALWAYS_PRINTED = ("公开", "政府", "信息")


def structural_swaps(masked: str, taken: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(term, displaced word) pairs: a term filling a slot word's place in template phrases.

    Each phrase cut at its slot gives a head (主动 of 主动公开) whose following run, and a
    tail (指南 of 公开指南) whose preceding run, may hold the intruder. Every prefix of a run
    after a head and every suffix of a run before a tail is a candidate; the term itself is
    the one filling most slots (its prefixes fill only heads, its suffixes only tails), the
    longer on a tie.
    """
    found: list[tuple[str, str]] = []
    for word in _ALWAYS_PRINTED:
        fills: Counter[str] = Counter()
        parts: dict[str, set[str]] = defaultdict(set)
        for head in {_fixed_end(left) for _, left, _ in _FRAMES[word]} - {""}:
            for run in _following(masked, head, taken):
                for size in range(2, len(run) + 1):
                    fills[run[:size]] += 1
                    parts[run[:size]].add("head:" + head)
        # A tail also as printed in full with the terms already found in it (信息松涛里条例):
        # when 公开 was swapped too, 政府's phrases still show as several different tails.
        tails = {_fixed_start(right) for _, _, right in _FRAMES[word]}
        for _, _, right in _FRAMES[word]:
            for term, displaced in found:
                right = right.replace(displaced, term)
            tails.add(right)
        for tail in tails - {""}:
            for run in _preceding(masked, tail, taken):
                for size in range(2, len(run) + 1):
                    fills[run[-size:]] += 1
                    parts[run[-size:]].add("tail:" + tail)
        own = masked.count(word)
        ranked = sorted(fills, key=lambda t: (fills[t], len(t)), reverse=True)
        for term in ranked:
            if any(w in term for w in SWAP_WORDS) or any(term in t for t, _ in found):
                continue
            # Several phrases, several times, and the slot word itself displaced: a real
            # word that follows 主动 and precedes 工作 (服务) leaves 公开 printed all over.
            if len(parts[term]) < 2 or fills[term] < 3 or own * 2 > masked.count(term):
                continue
            found.append((term, word))
            break  # one term per slot word: the one that fills most
    return found


def _fixed_end(left: str) -> str:
    """The two characters of a phrase before its slot (信息 of 信息公开), or "" at its start."""
    return left[-2:]


def _fixed_start(right: str) -> str:
    return right[:2]


def _following(text: str, head: str, taken: list[tuple[int, int]]) -> list[str]:
    out = []
    at = text.find(head)
    while at >= 0:
        start = at + len(head)
        if not _in_taken(start, taken):
            out.append(_word_run(text, start, 1))
        at = text.find(head, at + 1)
    return out


def _preceding(text: str, tail: str, taken: list[tuple[int, int]]) -> list[str]:
    out = []
    at = text.find(tail)
    while at >= 0:
        if not _in_taken(at - 1, taken):
            out.append(_word_run(text, at, -1))
        at = text.find(tail, at + 1)
    return out


def _word_run(text: str, at: int, step: int) -> str:
    out: list[str] = []
    i = at - 1 if step < 0 else at
    while 0 <= i < len(text) and len(out) < _MAX_TERM and _is_word(text[i]):
        out.append(text[i])
        i += step
    return "".join(reversed(out)) if step < 0 else "".join(out)


def _in_taken(position: int, taken: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in taken)


# ---------------------------------------------------------------- stuffed header

_STUFF_SPLIT = re.compile(r"[_|｜,，、/]+")
_MIN_PHRASES = 3
_MAX_PHRASE = 48  # a brand inside the line is as long as a brand


def stuffed_phrases(line: str) -> list[str] | None:
    """The phrases of a line joined by separators, if it has three or more short ones."""
    phrases = [p.strip() for p in _STUFF_SPLIT.split(line) if p.strip(" " + MASK)]
    if len(phrases) < _MIN_PHRASES or any(len(p) > _MAX_PHRASE for p in phrases):
        return None
    return phrases


def foreign_line(line: str, rest: str) -> bool:
    """Three or more short phrases joined by separators, most foreign to the page's text.

    A phrase is foreign when not one of its two-character pieces occurs in ``rest`` (the
    page below the line): a navigation bar (首页 | 政务公开 | 信息公开) speaks the page's
    language, a stuffed header (a brand and betting or porn phrases) does not.
    """
    if "。" in line:  # a sentence, not a header
        return False
    phrases = stuffed_phrases(line)
    if phrases is None:
        return False
    foreign = sum(1 for p in phrases if _foreign(p, rest))
    return foreign >= _MIN_PHRASES and foreign * 3 >= len(phrases) * 2


_PIECE = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff]{2,}")


def _foreign(phrase: str, rest: str) -> bool:
    """At most a quarter of the phrase's pieces (CJK pairs, Latin words) occur in ``rest``.

    Latin words count whole: the pairs of "jingov" all occur in "www.beijing.gov.cn".
    """
    pieces: set[str] = set()
    for run in _PIECE.findall(phrase):
        if run.isascii():
            pieces.add(run.lower())
        else:
            pieces.update(run[i : i + 2] for i in range(len(run) - 1))
    if not pieces:
        return False
    lowered = rest.lower()
    shared = sum(1 for piece in pieces if piece in lowered)
    return shared * 4 <= len(pieces)

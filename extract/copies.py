"""Spam proven by another copy of the same report: what one copy prints where the other
prints a name or a template word.

A mirror replaces one name (or 公开/政府) by its brand everywhere; the page alone cannot
always tell where a brand glued to the real name ends (北京市188滚球|官网直播科学技术和信息化
局), nor tell a brand with no site-name shape (【某某娱乐城】) from a name. A
clean copy of the same report settles both: diffed line by line, the copies differ exactly
where the brand stands, and the clean side shows the word it replaced.

Which side is the spam is decided by evidence, never by a word list: the replaced side
must be a template word (公开, 政府) or a name (CJK, ending as places and offices end), and
the other side must be site-shaped (Latin letters, digits, separators, brackets or spaces
beside CJK) or printed on a host that is not a government host while the name's copy is.
Two government copies that differ by a name (two districts' reports sharing a template)
are therefore never spam.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from nianbao.extract.spam import Substitution
from nianbao.extract.spam_template import foreign_line

# The words a keyword swap replaces (REPORT_FORMAT.md: 公开 and 政府 throughout).
TEMPLATE_WORDS = frozenset({"公开", "政府"})
# How administrative areas and offices end (北京市大兴区, 科学技术和信息化局, 人民政府).
_NAME_END = re.compile(
    r"[\u3400-\u9fff]*(?:[省市区县旗州盟镇乡局委厅办室院府会所站部署处队馆]|中心|街道)"
)
_SENTENCE = re.compile(r"[，。；！？、“”《》（）]")
_SITE_MARK = re.compile(r"[0-9A-Za-z_|｜\-:：·•~～丨【】\[\]\s]")
_MAX_SHARED = 2  # characters a brand may share with the name it replaced, in one run
_MAX_INJECTED = 48  # a longer difference is rewritten text, not a brand
_MIN_LINE_RATIO = 0.5  # lines this unlike are different lines, not one line spammed
HEADER_LINES = 6  # a stuffed header sits in the first lines (as spam._HEADER_LINES)
_GOV_HOST = re.compile(r"(?:^|\.)gov(?:\.[a-z]{2})?$|\.gov\.cn$")


def differences(page: str, clean: str) -> Counter[tuple[str, str]]:
    """(printed on ``page``, printed on ``clean``) for each place two copies differ.

    Both texts in detection form (spam.detection_text). Lines are matched first, then the
    characters of each changed pair of lines; insertions and deletions are not pairs.
    """
    found: Counter[tuple[str, str]] = Counter()
    page_lines, clean_lines = page.split("\n"), clean.split("\n")
    lines = SequenceMatcher(None, page_lines, clean_lines, autojunk=False)
    for op, p1, p2, c1, c2 in lines.get_opcodes():
        if op != "replace":
            continue
        for page_line, clean_line in _paired(page_lines[p1:p2], clean_lines[c1:c2]):
            found.update(_line_differences(page_line, clean_line))
    return found


def added_lines(page: str, clean: str, words: list[Substitution]) -> list[str]:
    """Lines near the page's top that ``clean`` lacks and nothing there resembles, once the
    ``words`` substituted are put back (a hijacked title line is not an added line)."""
    clean_lines = clean.split("\n")
    known, near = set(clean_lines), clean_lines[: HEADER_LINES * 2]
    added = []
    for line in page.split("\n")[:HEADER_LINES]:
        undone = undo(line, words)
        if undone in known:
            continue
        if not any(_alike(undone, other) for other in near):
            added.append(line)
    return added


def undo(text: str, substitutions: Sequence[Substitution]) -> str:
    """``text`` with each substituted word put back and each proven stuffed line cut."""
    for sub in sorted(substitutions, key=lambda sub: (-len(sub.injected), sub.injected)):
        if sub.kind == "stuffed_header":
            text = text.replace(sub.injected + "\n", "")
        else:
            text = text.replace(sub.injected, sub.word)
    return text


def _joined(last: list[int], p1: int, p2: int, c1: int, c2: int) -> bool:
    """Whether a difference continues the last one across the equal run between them.

    A brand sharing characters with the name splits the difference around them: one
    equal character (区, 局) always joins; two (体育 of 体育局 in …足球体育·赛事官网:) join
    when either difference prints on one side only, as the part of a brand before the
    shared characters does. Two replacements two characters apart (a hijacked name and a
    swapped word: 大兴区人民政府) stay apart.
    """
    gap = p1 - last[1]
    if gap != c1 - last[3] or gap > _MAX_SHARED:
        return False
    one_sided = last[0] == last[1] or last[2] == last[3] or p1 == p2 or c1 == c2
    return gap <= 1 or one_sided


def _alike(line: str, other: str) -> bool:
    return _ratio_at_least(SequenceMatcher(None, line, other, autojunk=False))


def _ratio_at_least(matcher: SequenceMatcher, least: float = _MIN_LINE_RATIO) -> bool:
    """matcher.ratio() >= least, through its cheap upper bounds first."""
    return (
        matcher.real_quick_ratio() >= least
        and matcher.quick_ratio() >= least
        and matcher.ratio() >= least
    )


def _paired(page: list[str], clean: list[str]) -> list[tuple[str, str]]:
    """Changed lines paired in order when the counts agree, else the block as one line."""
    if len(page) == len(clean):
        return list(zip(page, clean, strict=True))
    return [("\n".join(page), "\n".join(clean))]


def _line_differences(page: str, clean: str) -> list[tuple[str, str]]:
    chars = SequenceMatcher(None, page, clean, autojunk=False)
    # Most of the shorter line must match: a long brand in a short line (北京市…采育镇人民政府)
    # halves the ratio of a line that is the same line spammed.
    least = _MIN_LINE_RATIO * min(len(page), len(clean))
    if chars.quick_ratio() * (len(page) + len(clean)) / 2 < least:
        return []
    if sum(block.size for block in chars.get_matching_blocks()) < least:
        return []
    spans: list[list[int]] = []
    for op, p1, p2, c1, c2 in chars.get_opcodes():
        if op == "equal":
            continue
        if spans and _joined(spans[-1], p1, p2, c1, c2):
            spans[-1][1], spans[-1][3] = p2, c2
        else:
            spans.append([p1, p2, c1, c2])
    return [
        (page[p1:p2], clean[c1:c2])
        for p1, p2, c1, c2 in spans
        if p1 < p2 and c1 < c2 and p2 - p1 <= _MAX_INJECTED
    ]


def is_government_host(host: str | None) -> bool:
    """Whether ``host`` is a government domain (*.gov.cn, *.gov, *.gov.hk …)."""
    return bool(host) and bool(_GOV_HOST.search(host.lower().rstrip(".")))  # type: ignore[union-attr]


def name_shaped(word: str) -> bool:
    """A place or office name as printed: CJK only, ending as places and offices end."""
    return bool(_NAME_END.fullmatch(word))


def site_shaped(word: str) -> bool:
    """Latin letters, digits, separators, brackets or spaces beside CJK: a site's name."""
    return (
        bool(_SITE_MARK.search(word))
        and bool(re.search(r"[\u3400-\u9fff]", word))
        or (word.isascii() and bool(re.search(r"[A-Za-z]", word)))
    )


def compare_copies(
    a: str, b: str, a_host: str | None, b_host: str | None
) -> tuple[tuple[Substitution, ...], tuple[Substitution, ...]]:
    """(what ``a`` injected where ``b`` prints a word, what ``b`` injected where ``a`` does):
    spam_substitutions both ways from one diff."""
    if a == b:
        return (), ()
    pairs = differences(a, b)
    swapped = Counter({(word, injected): n for (injected, word), n in pairs.items()})
    return _decide(pairs, a, b, a_host, b_host), _decide(swapped, b, a, b_host, a_host)


def spam_substitutions(
    page: str, clean: str, page_host: str | None, clean_host: str | None
) -> tuple[Substitution, ...]:
    """What ``page`` injected where ``clean`` (another copy, detection form) prints a word.

    A difference counts when it is consistent (the injected string is never printed on
    the clean copy, and always stands for the same word) and the evidence puts the spam on
    the page's side (module docstring). Sorted, so the same copies give the same answer.
    """
    return compare_copies(page, clean, page_host, clean_host)[0]


def _decide(
    pairs: Counter[tuple[str, str]],
    page: str,
    clean: str,
    page_host: str | None,
    clean_host: str | None,
) -> tuple[Substitution, ...]:
    off_government = not is_government_host(page_host) and is_government_host(clean_host)
    words: dict[str, set[str]] = {}
    for injected, word in pairs:
        words.setdefault(injected, set()).add(word)
    found: list[Substitution] = []
    # Shortest words first: a difference spanning two (公开政府 → 彩金城娱乐网) is explained
    # by the single ones and is not a substitution of its own.
    for injected, replaced in sorted(words.items(), key=lambda item: (len(item[0]), item[0])):
        if len(replaced) != 1 or injected in clean:
            continue
        (word,) = replaced
        if _explained(word, injected, found):
            continue
        if _SENTENCE.search(injected):
            continue  # a brand or a term is no clause: two reports that say other things
        if word in TEMPLATE_WORDS and injected not in TEMPLATE_WORDS:
            found.append(Substitution(injected, word, "keyword_swap"))
        elif name_shaped(word) and not name_shaped(injected):
            if site_shaped(injected) or off_government:
                found.append(Substitution(injected, word, "entity_hijack"))
    # A stuffed header: a line of separated phrases above the text that the copy lacks.
    found += [
        Substitution(line, "", "stuffed_header")
        for line in sorted(set(added_lines(page, clean, found)))
        if foreign_line(line, clean)  # a breadcrumb a re-host added speaks the report's words
    ]
    return tuple(sorted(found, key=lambda sub: (sub.kind, sub.injected)))


def _explained(word: str, injected: str, found: list[Substitution]) -> bool:
    for sub in found:
        word = word.replace(sub.word, sub.injected)
    return bool(found) and word == injected

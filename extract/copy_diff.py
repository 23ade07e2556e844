"""Where two copies of one report differ: the diff that copy evidence is read from.

Texts come in detection form (spam.detection_text). Lines are matched first, then the
characters of each changed pair of lines; a difference is a (printed on the page, printed
on the other copy) pair, widened to a whole name where the two share its first or last
characters (大兴娱乐|官网 for 大兴区, …体育专区 for 大兴区).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from nianbao.extract.classify import report_title_match
from nianbao.extract.spam import HEADER_LINES, Substitution

MAX_SHARED = 2  # characters a brand may share with the name it replaced, at one edge
MAX_INJECTED = 48  # a longer difference is rewritten text, not a brand
MIN_LINE_RATIO = 0.5  # lines this unlike are different lines, not one line spammed
MAX_DIFF = 3000  # characters per side a line diff reads: longer is quadratic, and no brand
_PROBE = 5  # lines compared to tell where a long block's extra lines are


Widen = Callable[[str], bool]  # whether a word is whole (a name): differences widen to one


def differences(page: str, clean: str, whole: Widen) -> Counter[tuple[str, str]]:
    """(printed on ``page``, printed on ``clean``) for each place two copies differ, with
    how often; insertions and deletions are no pairs."""
    found: Counter[tuple[str, str]] = Counter()
    page_lines, clean_lines = page.split("\n"), clean.split("\n")
    lines = SequenceMatcher(None, page_lines, clean_lines, autojunk=False)
    for op, p1, p2, c1, c2 in lines.get_opcodes():
        if op != "replace":
            continue
        for page_line, clean_line in _paired(page_lines[p1:p2], clean_lines[c1:c2]):
            found.update(_line_differences(page_line, clean_line, whole))
    return found


def added_lines(page: str, clean: str, words: Sequence[Substitution]) -> list[str]:
    """Lines above the page's title that ``clean`` lacks and nothing there resembles, once
    the ``words`` substituted are put back (a hijacked line is not an added line)."""
    clean_lines = clean.split("\n")
    known, near = set(clean_lines), clean_lines[: HEADER_LINES * 2]
    added = []
    for line in page.split("\n")[:HEADER_LINES]:
        undone = undo(line, words)
        if report_title_match(re.sub(r"\s+", "", undone)):
            break  # the title: what follows is the report, not its header
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


def _paired(page: list[str], clean: list[str]) -> list[tuple[str, str]]:
    """Changed lines paired in order when the counts agree; else the block as one line, or
    when that is too long to diff, the lines paired in order with the extra ones left out
    at the end (a header put on top, a line dropped at the foot) where more lines pair."""
    if len(page) == len(clean):
        return list(zip(page, clean, strict=True))
    joined = ("\n".join(page), "\n".join(clean))
    if len(joined[0]) <= MAX_DIFF and len(joined[1]) <= MAX_DIFF:
        return [joined]
    extra = abs(len(page) - len(clean))
    if len(page) > len(clean):
        options = [(page[extra:], clean), (page[:-extra], clean)]
    else:
        options = [(page, clean[extra:]), (page, clean[:-extra])]
    best = max(options, key=lambda o: sum(map(_alike, o[0][:_PROBE], o[1][:_PROBE])))
    return list(zip(*best, strict=True))


def _line_differences(page: str, clean: str, whole: Widen) -> list[tuple[str, str]]:
    """The differences of one pair of lines that are one line (most of the shorter one
    matches: a long brand in a short line halves the ratio of a line spammed)."""
    if len(page) > MAX_DIFF or len(clean) > MAX_DIFF:
        return []
    chars = SequenceMatcher(None, page, clean, autojunk=False)
    least = MIN_LINE_RATIO * min(len(page), len(clean))
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
    found = []
    for p1, p2, c1, c2 in spans:
        if p1 < p2 and c1 < c2 and p2 - p1 <= MAX_INJECTED:
            found.append(_widened(page, clean, (p1, p2, c1, c2), whole))
    return found


def _widened(
    page: str, clean: str, span: tuple[int, int, int, int], whole: Widen
) -> tuple[str, str]:
    """The difference, widened by up to MAX_SHARED shared characters on either side when
    that makes the other copy's word whole and it was not."""
    p1, p2, c1, c2 = span
    if whole(clean[c1:c2]):
        return page[p1:p2], clean[c1:c2]
    # The narrowest whole word, after before before: …大兴区沐晨k8_青禾局 for 大兴区科学技术和
    # 信息化局 is 沐晨k8_青禾局, not 兴区沐晨k8_青禾局. A brand that starts with the name's
    # first characters (大兴沐晨|正站 for 大兴区) is cut one short (兴沐晨|正站 for 兴区): the
    # word put back is the same.
    widths = sorted(
        ((b, a) for b in range(MAX_SHARED + 1) for a in range(MAX_SHARED + 1) if a or b),
        key=lambda width: (sum(width), width[0]),
    )
    for before, after in widths:
        if p1 < before or c1 < before or page[p1 - before : p1] != clean[c1 - before : c1]:
            continue
        if len(clean) < c2 + after or page[p2 : p2 + after] != clean[c2 : c2 + after]:
            continue
        word = clean[c1 - before : c2 + after]
        if whole(word):
            return page[p1 - before : p2 + after], word
    return page[p1:p2], clean[c1:c2]


def _joined(last: list[int], p1: int, p2: int, c1: int, c2: int) -> bool:
    """Whether a difference continues the last one across the equal run between them.

    A brand sharing characters with the name splits the difference around them: one
    equal character (区, 局) always joins; two (体育 of 体育局 in …足球体育·赛事官网:) join
    when either difference prints on one side only, as the part of a brand before the
    shared characters does. Two replacements two characters apart (a hijacked name and a
    swapped word: 大兴区人民政府) stay apart.
    """
    gap = p1 - last[1]
    if gap != c1 - last[3] or gap > MAX_SHARED:
        return False
    one_sided = last[0] == last[1] or last[2] == last[3] or p1 == p2 or c1 == c2
    return gap <= 1 or one_sided


def _alike(line: str, other: str) -> bool:
    """Whether two lines are one line (ratio at least MIN_LINE_RATIO), cheap bounds first."""
    matcher = SequenceMatcher(None, line, other, autojunk=False)
    return (
        matcher.real_quick_ratio() >= MIN_LINE_RATIO
        and matcher.quick_ratio() >= MIN_LINE_RATIO
        and matcher.ratio() >= MIN_LINE_RATIO
    )

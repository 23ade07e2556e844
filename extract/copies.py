"""Spam proven by another copy of the same report: what one copy prints where the other
prints a name or a template word.

A mirror replaces one name (or 公开/政府) by its brand everywhere; the page alone cannot
always tell where a brand glued to the real name ends (北京市188滚球|官网直播科学技术和信息化
局), nor tell a brand with no site-name shape (【某某娱乐城】) from a name. A clean copy of
the same report settles both: diffed (extract/copy_diff.py), the copies differ exactly
where the brand stands, and the clean side shows the word it replaced.

Which side is the spam is decided by evidence, never by a word list:

- keyword swap: the other copy prints 公开 or 政府 where this one prints a term, at least
  twice, and this one prints the word nowhere any more (a swap is made throughout);
- entity hijack: the other copy prints a name (CJK, two characters or more, ending as
  places and offices end) where this one prints a brand with a site's shape (a separator
  or bracket, or Latin letters and digits together, beside CJK) — or, on a host that is a
  domain outside government while the name's copy is on a government host, any run that
  is not itself a name;
- stuffed header: a line above the title the other copy lacks, whose phrases are foreign
  to it.

Two government copies that differ by a name, an abbreviation (CBD) or a word (官方网站
for 政府网站 in a corrected version) are therefore never spam, and a clause is never a
brand or a term.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter

from nianbao.extract.copy_diff import added_lines, differences
from nianbao.extract.spam import Substitution
from nianbao.extract.spam_template import foreign_line

# The words a keyword swap replaces (REPORT_FORMAT.md: 公开 and 政府 throughout).
TEMPLATE_WORDS = frozenset({"公开", "政府"})
MIN_SWAPS = 2  # a swap is made throughout: one differing occurrence is an edit
# How administrative areas and offices end (北京市大兴区, 科学技术和信息化局, 人民政府).
_NAME_END = re.compile(
    r"[\u3400-\u9fff]+(?:[省市区县旗州盟镇乡局委厅办室院府会所站部署处队馆]|中心|街道)"
)
_SENTENCE = re.compile(r"[，。；！？、“”《》（）]")
_SEPARATOR = re.compile(r"[_|｜\-:：·•~～丨【】\[\]]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GOV_HOST = re.compile(r"(?:^|\.)gov(?:\.[a-z]{2})?$|\.gov\.cn$")


def is_government_host(host: str | None) -> bool:
    """Whether ``host`` is a government domain (*.gov.cn, *.gov, *.gov.hk …)."""
    return _GOV_HOST.search((host or "").lower().rstrip(".")) is not None


def is_domain(host: str | None) -> bool:
    """Whether ``host`` is a domain name (an IP address tells nothing of who runs it)."""
    try:
        ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return bool(host)
    return False


def name_shaped(word: str) -> bool:
    """A place or office name as printed: CJK only, ending as places and offices end."""
    return bool(_NAME_END.fullmatch(word))


def site_shaped(word: str) -> bool:
    """A site's name: a separator or bracket, or Latin letters and digits together, beside
    CJK (or Latin letters and digits alone). Latin alone (CBD) or digits alone (12345)
    name things governments name too."""
    latin, digits = re.search(r"[A-Za-z]", word), re.search(r"[0-9]", word)
    if _CJK.search(word):
        return bool(_SEPARATOR.search(word)) or bool(latin and digits)
    return bool(latin and digits)


def compare_copies(
    a: str, b: str, a_host: str | None, b_host: str | None
) -> tuple[tuple[Substitution, ...], tuple[Substitution, ...]]:
    """(what ``a`` injected where ``b`` prints a word, what ``b`` injected where ``a`` does):
    spam_substitutions both ways from one diff."""
    if a == b:
        return (), ()
    pairs = differences(a, b, _whole)
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


def _whole(word: str) -> bool:
    return word in TEMPLATE_WORDS or name_shaped(word)


def _decide(
    pairs: Counter[tuple[str, str]],
    page: str,
    clean: str,
    page_host: str | None,
    clean_host: str | None,
) -> tuple[Substitution, ...]:
    """The substitutions the evidence puts on ``page``'s side of these differences."""
    mirror = is_domain(page_host) and not is_government_host(page_host)
    off_government = mirror and is_government_host(clean_host)
    words: dict[str, Counter[str]] = {}
    for (injected, word), count in pairs.items():
        words.setdefault(injected, Counter())[word] += count
    found: list[Substitution] = []
    # Shortest first: a difference spanning two (公开政府 → 彩金城娱乐网, or a brand glued to
    # a swapped word) is what the single ones leave of it.
    for injected, replaced in sorted(words.items(), key=lambda item: (len(item[0]), item[0])):
        if len(replaced) != 1 or injected in clean:
            continue
        ((word, count),) = replaced.items()
        injected, word = _residual(injected, word, found)
        if not injected or any(s.injected == injected for s in found):
            continue  # explained by what was found
        if _SENTENCE.search(injected) or "\n" in injected + word:
            continue  # a clause or lines: two reports that say other things
        if re.sub(r"\s+", "", injected) == word:
            continue  # spacing (科 信 局)
        if word in TEMPLATE_WORDS and injected not in TEMPLATE_WORDS:
            if count >= MIN_SWAPS and word not in page:
                found.append(Substitution(injected, word, "keyword_swap"))
        elif name_shaped(word) and not name_shaped(injected) and not injected.isspace():
            if site_shaped(injected) or off_government:
                found.append(Substitution(injected, word, "entity_hijack"))
    found += [
        Substitution(line, "", "stuffed_header")
        for line in sorted(set(added_lines(page, clean, found)))
        if foreign_line(line, clean)  # a breadcrumb a re-host added speaks the report's words
    ]
    return tuple(sorted(found, key=lambda sub: (sub.kind, sub.injected)))


def _residual(injected: str, word: str, found: list[Substitution]) -> tuple[str, str]:
    """What a difference says beyond the substitutions already found: their injections at
    its start or end are cut from both sides ("" when nothing is left)."""
    changed = True
    while changed and injected:
        changed = False
        for sub in found:
            if injected.endswith(sub.injected) and word.endswith(sub.word) and sub.word:
                injected, word = injected[: -len(sub.injected)], word[: -len(sub.word)]
                changed = True
            elif injected.startswith(sub.injected) and word.startswith(sub.word) and sub.word:
                injected, word = injected[len(sub.injected) :], word[len(sub.word) :]
                changed = True
    return (injected, word) if word else ("", "")

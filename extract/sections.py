"""Split a report's text into its numbered top-level sections (一、… to 六、…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.extract.classify import SECTION_KEYWORDS
from nianbao.extract.report import Section

_NUMERALS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(\S.*)$")
MAX_HEADING_CHARS = 40
# Table 3 row labels read like headings ("一、本年新收政府信息公开申请数量").
_TABLE_ROW = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|办理结果|申请数量")
_SENTENCE_END = re.compile(r"[。；;！!？?]\s*\S")


@dataclass(frozen=True)
class _Candidate:
    line: int
    number: int
    keyword: bool  # the heading names the template section of that number


def _numeral(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _NUMERALS.get(text)
    if text[0] == "十":
        return 10 + _NUMERALS.get(text[1], 0)
    return None


def _candidate(index: int, line: str, simple: str) -> _Candidate | None:
    if "|" in line or len(line.strip()) > MAX_HEADING_CHARS:
        return None
    match = _HEADING.match(simple)
    if match is None:
        return None
    number = _numeral(match.group(1))
    rest = match.group(2)
    if number is None or _TABLE_ROW.search(rest) or _SENTENCE_END.search(rest):
        return None
    keywords = SECTION_KEYWORDS[number - 1] if number <= len(SECTION_KEYWORDS) else ()
    return _Candidate(index, number, any(k in rest for k in keywords))


def _best_chain(candidates: list[_Candidate]) -> list[_Candidate]:
    # Longest run 1, 2, 3… in reading order; ties go to more template keywords.
    best: list[tuple[int, int, int]] = []  # per candidate: (length, keywords, previous index)
    for i, cand in enumerate(candidates):
        score = (1, int(cand.keyword), -1) if cand.number == 1 else (0, 0, -1)
        for j in range(i):
            prev = candidates[j]
            length, keys, _ = best[j]
            if length and prev.number == cand.number - 1 and prev.line < cand.line:
                option = (length + 1, keys + int(cand.keyword), j)
                if option[:2] > score[:2]:
                    score = option
        best.append(score)
    if not best:
        return []
    end = max(range(len(best)), key=lambda k: (best[k][0], best[k][1], -k))
    chain: list[_Candidate] = []
    while end != -1 and best[end][0]:
        chain.append(candidates[end])
        end = best[end][2]
    return chain[::-1]


def find_sections(lines: list[str], simplified: list[str]) -> tuple[Section, ...]:
    """Top-level sections: headings as printed, text up to the next heading."""
    candidates = [
        cand
        for i, (line, simple) in enumerate(zip(lines, simplified, strict=True))
        if (cand := _candidate(i, line, simple)) is not None
    ]
    chain = _best_chain(candidates)
    if len(chain) < 2:
        return ()
    sections = []
    for k, cand in enumerate(chain):
        end = chain[k + 1].line if k + 1 < len(chain) else len(lines)
        body = "\n".join(lines[cand.line + 1 : end]).strip()
        sections.append(Section(cand.number, lines[cand.line].strip(), body))
    return tuple(sections)

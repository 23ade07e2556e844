"""Label normalisation and lookup: printed table labels → canonical template labels."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

from nianbao.extract.tables import template as tpl

# Kinds of label (what a label tells the parser).
BLOCK = "block"  # table 2 article-20 block title
CONTENT = "content"  # table 2 信息内容
COLUMN = "column"  # a value column header
ROW = "row"  # a row with values
GROUP = "group"  # table 3 result group (（三）不予公开 …) or table 4 group (行政复议 …)
HEADER = "header"  # header words naming no column of their own

_SPACES = re.compile(r"\s+")
# A parenthetical note that is not an enumerator such as (一) or (1): dropped from keys.
_NOTE = re.compile(r"\((?![一二三四五六七八九十\d]{1,3}\))[^()]*\)?")
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])"
)
_PUNCT = re.compile(r"[()、,，.。:：;；/\\“”\"'‘’「」『』《》〈〉·・\-—–_|[\]【】!?！？]")
_CJK_HEADING = re.compile(r"^([一二三四五六七])[、.]")


@lru_cache(maxsize=1)
def t2s() -> opencc.OpenCC:
    """The Traditional → Simplified converter, built once per process."""
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplify(text: str) -> str:
    """Simplified, NFKC-normalised text without whitespace (full-width → half-width)."""
    text = unicodedata.normalize("NFKC", t2s().convert(text))
    # Taiwan wording of the Traditional gateway copies: 政府資訊 for 政府信息.
    return _SPACES.sub("", text).replace("资讯", "信息")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparison key of a label: simplified, no notes, punctuation or whitespace."""
    text = _NOTE.sub("", simplify(text))
    return _PUNCT.sub("", text)


@lru_cache(maxsize=8192)
def bare_key(text: str) -> str:
    """The key without a leading enumerator (一、 （一） 1.), for labels printed without one."""
    text = _NOTE.sub("", simplify(text))
    return _PUNCT.sub("", _ENUMERATOR.sub("", text))


@dataclass(frozen=True, slots=True)
class Label:
    """What a printed label means: its table, kind, canonical text and the templates using it."""

    table: int
    kind: str
    canonical: str
    templates: frozenset[str]
    block: str = ""  # a table-2 row's block, a table-3 row's result group


class LabelIndex:
    """Every label of both templates, looked up by the normalised key of its printed text."""

    def __init__(self, entries: list[tuple[str, Label]]) -> None:
        exact: dict[str, list[Label]] = {}
        bare: dict[str, list[Label]] = {}
        for printed, label in entries:
            for index, key in ((exact, label_key(printed)), (bare, bare_key(printed))):
                bucket = index.setdefault(key, [])
                if label not in bucket:
                    bucket.append(label)
        self._exact = {k: tuple(v) for k, v in exact.items()}
        # A bare key is only trusted when it names exactly one label.
        self._bare = {k: tuple(v) for k, v in bare.items() if len(v) == 1 and len(k) >= 4}
        self.max_len = max(len(k) for k in self._exact)

    def lookup(self, text: str) -> tuple[Label, ...]:
        """The labels this printed text may stand for (empty when none)."""
        if not text or len(text) > 3 * self.max_len + 40:
            return ()
        found = self._exact.get(label_key(text))
        if found:
            return found
        return self._bare.get(bare_key(text), ())


def _entries() -> list[tuple[str, Label]]:
    merged: dict[tuple[str, int, str, str, str], set[str]] = {}
    both = set(tpl.TEMPLATES)

    def add(
        printed: str, table: int, kind: str, canonical: str, templates: set[str], block: str = ""
    ) -> None:
        merged.setdefault((printed, table, kind, canonical, block), set()).update(templates)

    for template, blocks in tpl.TABLE2.items():
        for spec in blocks:
            add(spec.block, 2, BLOCK, spec.block, {template})
            for column in spec.columns:
                add(column, 2, COLUMN, column, {template})
            for row in spec.rows:
                add(row, 2, ROW, row, {template}, spec.block)
    add(tpl.T2_CONTENT, 2, CONTENT, tpl.T2_CONTENT, both)
    for column in tpl.T3_COLUMNS:
        add(column, 3, COLUMN, column, both)
    for word in tpl.T3_HEADER_WORDS:
        add(word, 3, HEADER, word, both)
    for template in tpl.TEMPLATES:
        for block, row in tpl.table3_rows(template):
            add(row, 3, ROW, row, {template}, block)
    for group in tpl.T3_GROUPS:
        add(group, 3, GROUP, group, {"2021"} if group == tpl.T3_OTHER else both)
    for printed, block in tpl.T4_GROUP_LABELS.items():
        add(printed, 4, GROUP, block, both)
    for word in tpl.T4_HEADER_WORDS:
        add(word, 4, HEADER, word, both)
    for column in tpl.T4_COLUMNS:
        add(column, 4, COLUMN, column, both)
    return [
        (printed, Label(table, kind, canonical, frozenset(templates), block))
        for (printed, table, kind, canonical, block), templates in merged.items()
    ]


@lru_cache(maxsize=1)
def label_index() -> LabelIndex:
    """The shared index of template labels (built once; immutable afterwards)."""
    return LabelIndex(_entries())


def heading_table(text: str) -> int | None:
    """For a section heading line: 2, 3 or 4 for the table's section, 0 for another; else None."""
    if len(text) > 60:
        return None
    simple = simplify(text)
    match = _CJK_HEADING.match(simple)
    if not match:
        return None
    number = match.group(1)
    if number == "二" and "主动公开" in simple:
        return 2
    if number == "三" and "申请" in simple and "办理结果" not in simple:
        return 3
    if number == "四" and ("复议" in simple or "诉讼" in simple):
        return 4
    if number in "五六七一":
        return 0
    return None


@lru_cache(maxsize=1)
def _caption_keys() -> dict[str, int]:
    return {label_key(text): table for table, text in tpl.CAPTIONS.items()}


def caption_table(text: str) -> int | None:
    """The table whose caption this line is (主动公开政府信息情况 …), with or without 二、."""
    if len(text) > 40:
        return None
    return _caption_keys().get(bare_key(text))


@lru_cache(maxsize=4096)
def plain_label(text: str) -> str:
    """A label that is not in the template (a sub-row such as 行政检查): Simplified, no spaces."""
    return _SPACES.sub("", t2s().convert(text))

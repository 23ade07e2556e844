"""Normalised text for exact matching, and the masked shingle set for similarity.

Both start from ``reports.text_simplified``: the clean text (chrome and spam removed, holes
marked □) already folded to Simplified script, so a Traditional twin and its original meet.

* The **normalised text** keeps every letter and number but drops whitespace and holes and
  folds punctuation width (，→, （→( 。→.), so two copies that differ only in layout hash
  the same: equal ``text_hash`` means an exact copy.
* The **masked text** keeps Han characters only: numbers (table cells, years), punctuation,
  Latin letters and layout go, so a copy with changed figures still shingles alike. Its
  character 5-grams, minus the template's boilerplate shingles (``boilerplate.py``, decided
  from document frequency across the archive), form the set that MinHash sketches and that
  Jaccard similarity is verified on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Set

SHINGLE = 5  # characters per shingle: long enough to be specific to a sentence
HOLE = "□"

# Full-width ASCII forms (，；：（）！？０-９Ａ-Ｚ) to their half-width letters, and the Chinese
# punctuation that has no full-width form to the ASCII it stands for (cheaper than NFKC).
_WIDE = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FOLD = str.maketrans(
    _WIDE
    | {
        "。": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
        "【": "[",
        "】": "]",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "—": "-",
        "–": "-",
        "…": "...",
        "·": ".",
        "〔": "(",
        "〕": ")",
        "\u3000": " ",
    }
)
_DROP = re.compile(rf"[\s{HOLE}]+")
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normal_text(text: str | None) -> str:
    """The text for exact matching: no whitespace or holes, punctuation width folded."""
    if not text:
        return ""
    return _DROP.sub("", text.translate(_FOLD))


def text_hash(text: str | None) -> str:
    """First 16 hex of the sha1 of the normalised text: equal for exact copies."""
    return hashlib.sha1(normal_text(text).encode("utf-8")).hexdigest()[:16]


def masked_text(text: str | None) -> str:
    """Han characters only: numbers, punctuation, Latin and layout removed."""
    return _NOT_HAN.sub("", text or "")


def raw_shingles(text: str | None) -> set[str]:
    """Every character 5-gram of the masked text (boilerplate included)."""
    han = masked_text(text)
    return {han[i : i + SHINGLE] for i in range(len(han) - SHINGLE + 1)}


def shingles(text: str | None, boilerplate: Set[str]) -> set[str]:
    """The masked shingle set: 5-grams of the masked text that are not template boilerplate."""
    found = raw_shingles(text)
    found.difference_update(boilerplate)
    return found


def jaccard(a: Set[str], b: Set[str]) -> float:
    """Exact Jaccard similarity of two sets (two empty sets are equal: 1.0)."""
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)

"""Which reports of the archive may be copies of one another, and how much they share."""

from __future__ import annotations

import random

from nianbao.extract.script import to_simplified

SAMPLES = 24  # passages sampled to measure how much two copies share
MIN_SHARED = 0.5  # share of sampled passages a clean copy must contain
# SQL: the spam findings whose offsets are in text_original (NULL: rows from before place)
IN_TEXT = "coalesce(place, 'text') = 'text'"


def shared_share(passages: list[str], other: str, seed: str) -> float:
    """The share of sampled 10-character passages that ``other`` contains."""
    spots = [text[i : i + 10] for text in passages for i in range(0, len(text) - 9, 10)]
    if not spots:
        return 0.0
    picked = random.Random(seed).sample(spots, min(SAMPLES, len(spots)))
    return sum(spot in other for spot in picked) / len(picked)


def same_report(spam: tuple, other: tuple) -> bool:
    """Cheap test that two reports of one year may be copies: a shared date, 索引号 or title.

    Rows are (id, year, published, index_no, title); a title with holes (□) matches a title
    that has its remaining parts in order.
    """
    _, _, published, index_no, title = spam
    _, _, other_published, other_index, other_title = other
    if published and published == other_published:
        return True
    if index_no and index_no == other_index:
        return True
    if not title or not other_title:
        return False
    at, other_simple = 0, to_simplified(other_title)  # converted once, not once a part
    for part in to_simplified(title).split("□"):
        at = other_simple.find(part, at)
        if at == -1:
            return False
        at += len(part)
    return True

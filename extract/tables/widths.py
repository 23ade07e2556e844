"""Which columns a row's values belong to when the printed header does not say it all."""

from __future__ import annotations

from collections import Counter

from nianbao.extract.tables import labels as lb
from nianbao.extract.tables import template as tpl


def default_t2_columns(block: str, nvalues: int, votes: Counter[str]) -> tuple[str, ...]:
    """The template columns of a table-2 block printed without a header, by value count."""
    order = sorted(tpl.TEMPLATES, key=lambda t: -votes.get(t, 0))
    candidates = [spec.columns for t in order for spec in tpl.TABLE2[t] if spec.block == block]
    for columns in candidates:
        if len(columns) == nvalues:
            return columns
    return candidates[0] if candidates else ()


def t4_keys(header: list[lb.Label]) -> list[tuple[str, str]]:
    """(block, column) of table 4's values in printed order, from its header labels.

    The header prints 行政复议's columns once, then the two litigation groups, then their
    columns twice; without a readable header the template's fifteen columns are assumed.
    """
    first: list[str] = []
    rest: list[str] = []
    litigation = False
    for label in header:
        if label.kind == lb.GROUP and label.canonical != tpl.T4_REVIEW:
            litigation = True
        elif label.kind == lb.COLUMN:
            (rest if litigation else first).append(label.canonical)
    if not first:
        first = list(tpl.T4_COLUMNS)
    half = len(rest) // 2
    if not rest or len(rest) % 2:
        direct, after = first, first
    else:
        direct, after = rest[:half], rest[half:]
    return (
        [(tpl.T4_REVIEW, c) for c in first]
        + [(tpl.T4_DIRECT, c) for c in direct]
        + [(tpl.T4_AFTER_REVIEW, c) for c in after]
    )

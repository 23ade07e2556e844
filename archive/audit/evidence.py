"""Evidence for a pair: the passages both print, their share, and the numbers that differ."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlite_utils import Database

MIN_PASSAGE = 20  # characters: shorter common runs are phrases, not copied passages


@dataclass(frozen=True)
class Evidence:
    """Aligned passages [a_start, a_end, b_start, b_end] and each side's covered share."""

    passages: tuple[tuple[int, int, int, int], ...]
    a_share: float
    b_share: float


def _lines(text: str) -> tuple[list[str], list[int]]:
    """The text's lines (newline kept) and where each starts."""
    lines = text.splitlines(keepends=True)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    return lines, starts


def _blocks(a_text: str, b_text: str) -> list[tuple[int, int, int]]:
    """Matching blocks (a, b, size): lines first, then characters inside changed stretches.

    Character-level matching of whole reports is slow (common characters recur hundreds of
    times); copies share most lines, so only the stretches between equal lines are matched
    character by character.
    """
    a_lines, a_starts = _lines(a_text)
    b_lines, b_starts = _lines(b_text)
    a_starts.append(len(a_text))
    b_starts.append(len(b_text))
    blocks: list[tuple[int, int, int]] = []
    by_line = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in by_line.get_opcodes():
        a0, a1, b0, b1 = a_starts[i1], a_starts[i2], b_starts[j1], b_starts[j2]
        if tag == "equal":
            blocks.append((a0, b0, a1 - a0))
        elif tag == "replace":
            chars = difflib.SequenceMatcher(None, a_text[a0:a1], b_text[b0:b1], autojunk=False)
            blocks += [(a0 + m.a, b0 + m.b, m.size) for m in chars.get_matching_blocks() if m.size]
    merged: list[tuple[int, int, int]] = []
    for a, b, size in blocks:  # a block split at a line edge is one passage
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((a, b, size))
    return merged


def aligned(a_text: str, b_text: str) -> Evidence:
    """Passages of at least MIN_PASSAGE characters that both texts print, in order."""
    passages = tuple(
        (a, a + size, b, b + size) for a, b, size in _blocks(a_text, b_text) if size >= MIN_PASSAGE
    )
    covered = sum(p[1] - p[0] for p in passages)
    return Evidence(
        passages,
        round(covered / len(a_text), 4) if a_text else 0.0,
        round(covered / len(b_text), 4) if b_text else 0.0,
    )


def _cells(db: Database, report_id: str) -> dict[tuple, object]:
    rows = db.execute(
        'select table_no, block, "row", "column", value from stats where report_id = ?', [report_id]
    )
    return {tuple(row[:4]): row[4] for row in rows}


def _figures(db: Database, report_id: str) -> dict[str, object]:
    """Each figure key's first stated value (by position in the text)."""
    figures: dict[str, object] = {}
    rows = db.execute(
        "select key, value from figures where report_id = ? order by offset, id", [report_id]
    )
    for key, value in rows:
        figures.setdefault(key, value)
    return figures


def number_diffs(db: Database, a_id: str, b_id: str) -> list[dict[str, object]]:
    """Table cells both reports print with different values; for prose, differing figures."""
    a_cells, b_cells = _cells(db, a_id), _cells(db, b_id)
    diffs: list[dict[str, object]] = [
        {
            "table": key[0],
            "block": key[1],
            "row": key[2],
            "column": key[3],
            "a": a_cells[key],
            "b": b_cells[key],
        }
        for key in sorted(a_cells.keys() & b_cells.keys(), key=str)
        if a_cells[key] != b_cells[key]
    ]
    if a_cells and b_cells:
        return diffs
    a_figures, b_figures = _figures(db, a_id), _figures(db, b_id)
    diffs += [
        {"figure": key, "a": a_figures[key], "b": b_figures[key]}
        for key in sorted(a_figures.keys() & b_figures.keys())
        if a_figures[key] != b_figures[key]
    ]
    return diffs
